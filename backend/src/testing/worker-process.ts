import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { FakeTwilio } from './fake-twilio/fake-twilio-server.js';
import { compileWorkerEntry } from './parents-factories.js';
import type { TestEnvironment } from './test-app.js';
import { TEST_REDIS_URL } from './test-database.js';

/** What points the API or a worker at a fake Twilio (its account and base URL). */
export function fakeTwilioEnv(fake: FakeTwilio): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: fake.accountSid,
    TWILIO_AUTH_TOKEN: fake.authToken,
    TWILIO_API_BASE_URL: fake.baseUrl,
  };
}

/**
 * The real worker entry point (`worker.ts`, compiled) in processes of its own, against a spec's database, Redis
 * prefix and fake Twilio: started, killed (SIGKILL) mid-work and started again by crash specs. Its output is kept
 * so that a failed wait says what the worker printed.
 */
export class WorkerProcesses {
  private build?: { worker: string; outDir: string };
  private readonly children: ChildProcess[] = [];
  private readonly output: string[] = [];

  /** Compiles the worker entry (once, in `beforeAll`). */
  compile(): void {
    this.build = compileWorkerEntry();
  }

  /** A worker process with the spec's database, queue prefix and fake Twilio, plus `env` (tuning, base URL). */
  start(environment: TestEnvironment, fake: FakeTwilio, env: Record<string, string>): ChildProcess {
    if (!this.build) throw new Error('WorkerProcesses.compile() first');
    const child = spawn(process.execPath, [this.build.worker], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATABASE_URL: environment.databaseUrl,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: environment.config.queuePrefix,
        ...fakeTwilioEnv(fake),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.children.push(child);
    return child;
  }

  /** SIGKILL, as a crash: resolves once the process has exited. */
  async kill(child: ChildProcess): Promise<void> {
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  }

  /** Runs `work`; when it fails, its error carries the end of the workers' output. */
  async withOutput<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${this.output.join('').slice(-3_000)}`);
    }
  }

  /** Kills the workers still running and removes the compiled entry (in `afterAll`). */
  dispose(): void {
    for (const child of this.children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (this.build) rmSync(this.build.outDir, { recursive: true, force: true });
  }
}
