/**
 * A national day, compressed (issue 14): the built API and worker as separate processes on this machine, as
 * production runs them, behind a round-robin proxy, under a bounded mix of national traffic:
 * - its own freshly migrated database; its own Redis: a primary, a replica and three Sentinels (Debian's
 *   `redis-server`, `redis-sentinel`), every process connected through `redis+sentinel://`; the fake Twilio in
 *   its own process, posting the status callbacks (sent, delivered) of each message back through the proxy;
 * - two API processes (`dist/.../main.js`) behind a node:http round robin kept in this process (which also times
 *   every request by route), two worker processes (`worker.js`): WORKER_QUEUES=sms alone, and the rest;
 * - load: enrolments through the API, SMS due throughout the window (invitations, and reminders of invitations
 *   sent two days before: outbox rows + their BullMQ jobs, as the enrolment and reminder paths write them; each
 *   invitation sent plans its own reminder two days later, as in production), parents answering their day-7
 *   questionnaire (public JSON route), professionals working the alerts those answers raise (acknowledge, then a
 *   call that reaches the parent), polling the dashboard (alerts, parents), and org admins polling the reports;
 * - the SMS worker is SIGKILLed once mid-run and restarted; later, while a wave of SMS is being sent, the Redis
 *   primary is SIGKILLed and the Sentinels promote the replica;
 * - then: SMS lateness p50/p99, API p99 by route, errors, lost or duplicate SMS counted per recipient in the
 *   fake Twilio, the status callbacks applied, the failover time, the CPU seconds of each process, and the
 *   machine's ceilings measured in the same run (raw `pg` single-row inserts/s, BullMQ no-op jobs/s on the
 *   bench's Redis).
 * The issue's figures by default (10 minutes); `--scale 0.1` runs the same rates for a tenth of the day (a tenth
 * of the volumes in a tenth of the window; the 500 professionals still poll every 30 s). Volumes can also be set
 * one by one (BENCH_ND_*). Every loop is bounded in count and in time; everything started is stopped at the end,
 * failure included.
 */
import { FieldEncryption, hashToken, randomToken } from '../common/crypto/field-encryption.service.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Queue, Worker as BullWorker } from 'bullmq';
import pg from 'pg';
import { makeOrganisation, makeUser, signIn } from '../testing/factories.js';
import { freePort, makeDueSmsBatch } from '../testing/parents-factories.js';
import { startRedisSentinel, type RedisSentinelTopology } from '../testing/redis-servers.js';
import { waitFor } from '../testing/wait-for.js';
import type { TestEnvironment } from '../testing/test-app.js';
import { createDataSource } from '../database/data-source.js';
import { smsJob } from '../modules/sms/sms-queue.service.js';
import { QUEUES } from '../queue/jobs.js';
import { bullConnection, type RedisConnection } from '../queue/redis.js';
import { answersFor, benchEnvironment, percentile, runWhenMain } from './bench-kit.js';

/** `--scale <factor>` (or `--scale=<factor>`): the day at this fraction of the issue's figures, 1 by default. */
function scaleFactor(argv: string[]): number {
  const index = argv.findIndex((arg) => arg === '--scale' || arg.startsWith('--scale='));
  if (index < 0) return 1;
  const option = argv[index]!;
  const raw = option.includes('=') ? option.slice('--scale='.length) : argv[index + 1];
  const value = Number(raw);
  if (!raw || !Number.isFinite(value) || value <= 0 || value > 10)
    throw new Error(`--scale must be a number above 0 and at most 10 (e.g. --scale 0.1), got "${raw ?? ''}"`);
  return value;
}
const SCALE = scaleFactor(process.argv.slice(2));
/** The issue's figure times the scale, unless BENCH_ND_<name> sets it. */
function volume(name: string, full: number, scaled = true): number {
  const raw = process.env[`BENCH_ND_${name}`];
  const value = raw === undefined ? (scaled ? Math.round(full * SCALE) : full) : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`BENCH_ND_${name} must be a whole number`);
  return value;
}

const WINDOW_S = Math.max(30, volume('WINDOW_S', 600));
const ENROLMENTS = volume('ENROLMENTS', 2_000);
/** Every SMS due in the window, reminders included. */
const SMS = volume('SMS', 13_000);
/** Of which reminders (of invitations sent two days before). */
const REMINDERS = Math.min(SMS, volume('REMINDERS', 3_900));
const SUBMISSIONS = volume('SUBMISSIONS', 6_000);
const ALERTS_WORKED = volume('ALERTS_WORKED', 300);
/** Not scaled: the same professionals poll over a shorter day, so the polling rate stays the day's. */
const PROFESSIONALS = volume('PROFESSIONALS', 500, false);
/** Seconds between two polls of one professional (a dashboard refreshed every half minute). */
const POLL_EVERY_S = volume('POLL_EVERY_S', 30, false);
const SMS_WAVES = 30;
/** The SMS worker is SIGKILLed at this fraction of the window, the Redis primary at the wave nearest this one. */
const WORKER_KILL_AT = 0.4;
const REDIS_KILL_AT = 0.65;
const PHASE_TIMEOUT_MS = (WINDOW_S + 180) * 1000;

const TWILIO = {
  TWILIO_ACCOUNT_SID: 'ACfa4e0000000000000000000000000001',
  TWILIO_AUTH_TOKEN: 'fa4e70110000000000000000000000aa',
};
const dist = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds (user + system) of a live process, from /proc (clock ticks of 1/100 s on Linux). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The processes this bench started, so that `finally` stops all of them. */
class Children {
  private readonly all = new Set<ChildProcess>();
  /** CPU seconds of processes already gone (the killed SMS worker), by role. */
  readonly spentCpu = new Map<string, number>();
  /** The first lines the API processes logged at error level (LOG_LEVEL=warn), to explain a failed run. */
  readonly apiErrors: string[] = [];

  start(role: string, script: string, args: string[], env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.all.add(child);
    let tail = '';
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-2_000);
      if (role.startsWith('api') && this.apiErrors.length < 5 && /"level":50|error/i.test(text))
        this.apiErrors.push(`${role}: ${text.slice(0, 600)}`);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      this.all.delete(child);
      if (code && code !== 0 && signal === null) console.error(`  ${role} exited ${code}: ${tail}`);
    });
    return child;
  }

  kill(role: string, child: ChildProcess): Promise<void> {
    this.spentCpu.set(role, (this.spentCpu.get(role) ?? 0) + cpuSeconds(child.pid));
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.all].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const force = setTimeout(() => child.kill('SIGKILL'), 8_000);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

/**
 * The fake Twilio in its own process; it posts each message's status callbacks (sent, then delivered) and waits
 * 15 s for each answer, as Twilio does.
 */
async function startFakeTwilio(children: Children): Promise<{ baseUrl: string; child: ChildProcess }> {
  const child = children.start(
    'fake-twilio',
    dist('../testing/fake-twilio/fake-twilio-cli.js'),
    ['--webhook-timeout-ms', '15000'],
    {
      ...TWILIO,
    },
  );
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('fake Twilio did not start')), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /TWILIO_API_BASE_URL=(\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`fake Twilio exited (${code})`)));
  });
  return { baseUrl, child };
}

/** Route pattern of a path: ids become `:id`, the query string goes. */
function routeOf(method: string, url: string): string {
  const path = url.split('?')[0] ?? url;
  const pattern = path
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
    .replace(/\/questionnaires\/[^/]+/, '/questionnaires/:token');
  return `${method} ${pattern}`;
}

/**
 * A round-robin HTTP proxy to the API processes on `port` (the API's PUBLIC_BASE_URL, so the provider's signed
 * callbacks come through it too), timing each request by route (proxy overhead included).
 */
function startProxy(
  upstreams: number[],
  listenPort: number,
): Promise<{
  server: http.Server;
  port: number;
  latencies: Map<string, number[]>;
  statuses: Map<string, number>;
}> {
  const latencies = new Map<string, number[]>();
  const statuses = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const count = (status: string) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
  let next = 0;
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const route = routeOf(req.method ?? 'GET', req.url ?? '/');
    // The body is read first (small JSON or form posts), so that a request can be sent again (below).
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => forward(Buffer.concat(chunks), false));
    // The client gave up before the answer (the fake Twilio waits 15 s for a callback's): an error too.
    res.once('close', () => {
      if (!res.writableFinished) count(`${route} client-gone`);
    });
    const forward = (body: Buffer, again: boolean): void => {
      const port = upstreams[next++ % upstreams.length];
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          // The second try on a connection of its own: it cannot meet the same race.
          agent: again ? false : agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.once('end', () => {
            count(`${route} ${answer.statusCode}`);
            const list = latencies.get(route) ?? [];
            list.push(performance.now() - started);
            latencies.set(route, list);
          });
        },
      );
      upstream.once('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the API closed as it was being reused: the request never reached the API,
        // so it goes again on a new connection, once, as a load balancer does (Node's documented remedy).
        if (!again && upstream.reusedSocket && error.code === 'ECONNRESET') {
          count(`${route} resent-after-keepalive-race`);
          return forward(body, true);
        }
        count(`${route} proxy-error ${error.code ?? error.message}`);
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    };
  });
  // Its clients (the bench, the fake Twilio) keep connections alive for about 4 s: closing idle ones later than
  // that keeps them from reusing one just as it closes (a reset the API would never have seen).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return new Promise((resolve) => {
    server.listen(listenPort, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, latencies, statuses }),
    );
  });
}

/** Raw `pg`: single-row INSERTs, one after the other, on one connection, for up to 3 s or 5,000 rows. */
async function pgInsertCeiling(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TEMP TABLE ceiling (id bigserial PRIMARY KEY, at timestamptz, note text)');
    const started = performance.now();
    let rows = 0;
    while (rows < 5_000 && performance.now() - started < 3_000) {
      await client.query('INSERT INTO ceiling (at, note) VALUES (now(), $1)', [`row ${rows}`]);
      rows++;
    }
    return Math.round(rows / ((performance.now() - started) / 1000));
  } finally {
    await client.end();
  }
}

/** BullMQ: 5,000 no-op jobs added in bulk, processed by one worker at concurrency 50, on its own prefix. */
async function bullmqCeiling(redis: RedisConnection, prefix: string): Promise<number> {
  const { connection } = bullConnection(redis, 'worker');
  const queue = new Queue('ceiling', { connection, prefix });
  const total = 5_000;
  let done = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const worker = new BullWorker(
    'ceiling',
    () => {
      if (++done === total) finish();
      return Promise.resolve();
    },
    { connection, prefix, concurrency: 50, autorun: false },
  );
  try {
    await queue.addBulk(
      Array.from({ length: total }, (_, index) => ({
        name: 'noop',
        data: { index },
        opts: { removeOnComplete: true },
      })),
    );
    const started = performance.now();
    void worker.run();
    await Promise.race([finished, sleep(60_000)]);
    return Math.round(done / ((performance.now() - started) / 1000));
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

/** Runs `count` tasks spread evenly over `windowMs`, at most `concurrency` at once; bounded by `timeoutMs`. */
async function paced(
  count: number,
  windowMs: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  const started = Date.now();
  let next = 0;
  const deadline = started + PHASE_TIMEOUT_MS;
  const lane = async () => {
    while (next < count && Date.now() < deadline) {
      const index = next++;
      const at = started + (index * windowMs) / Math.max(count, 1);
      if (at > Date.now()) await sleep(at - Date.now());
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

async function request(baseUrl: string, token: string, path: string, body?: unknown): Promise<number> {
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** Every message the fake Twilio accepted, counted by recipient (one recipient per SMS of the bench). */
async function twilioCountsByPhone(baseUrl: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const auth = Buffer.from(`${TWILIO.TWILIO_ACCOUNT_SID}:${TWILIO.TWILIO_AUTH_TOKEN}`).toString('base64');
  let path: string | null = `/2010-04-01/Accounts/${TWILIO.TWILIO_ACCOUNT_SID}/Messages.json?PageSize=1000`;
  for (let page = 0; path && page < 1_000; page++) {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Basic ${auth}` } });
    if (!response.ok) throw new Error(`fake Twilio list: ${response.status}`);
    const body = (await response.json()) as { messages: Array<{ to: string }>; next_page_uri: string | null };
    for (const message of body.messages) counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
    path = body.next_page_uri;
  }
  return counts;
}

export async function run(): Promise<Record<string, number | string>> {
  const children = new Children();
  let redis: RedisSentinelTopology | undefined;
  let environment: TestEnvironment | undefined;
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  let smsQueue: Queue | undefined;
  const dataSourceBox: { value?: Awaited<ReturnType<ReturnType<typeof createDataSource>['initialize']>> } =
    {};
  const benchCpuStart = process.cpuUsage();
  try {
    redis = await startRedisSentinel();
    const topology = redis;
    const fake = await startFakeTwilio(children);
    environment = await benchEnvironment('national', {
      ...TWILIO,
      TWILIO_API_BASE_URL: fake.baseUrl,
      REDIS_URL: topology.url,
    });
    const { config, databaseUrl } = environment;

    // The machine's ceilings, in this run, before the load.
    const pgInsertsPerSecond = await pgInsertCeiling(databaseUrl);
    const bullmqJobsPerSecond = await bullmqCeiling(config.redis, `${config.queuePrefix}:ceiling`);

    const dataSource = await createDataSource({
      url: databaseUrl,
      poolSize: 4,
      applicationName: 'bench-national',
    }).initialize();
    dataSourceBox.value = dataSource;
    // One reminder 48 h after an unanswered invitation: each invitation sent today plans its own (due after the
    // window); the reminders sent today are those of invitations sent two days ago, seeded below.
    const organisation = await makeOrganisation(dataSource, {
      settings: {
        quietHours: { start: '00:00', end: '23:59', noSundays: false, noPublicHolidays: false },
        reminders: { count: 1, afterHours: 48 },
      },
    });
    const professional = await makeUser(dataSource, { organisationId: organisation.id });
    const admin = await makeUser(dataSource, { organisationId: organisation.id, role: 'org_admin' });
    const professionalToken = await signIn(dataSource, config, professional);
    const adminToken = await signIn(dataSource, config, admin);

    // The processes, from the built code, with the bench's database, Redis (through the Sentinels) and fake Twilio.
    const proxyPort = await freePort();
    const shared: Record<string, string> = {
      // Not 'test', which silences the logs: LOG_LEVEL=warn lets a failed run show the API's errors.
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      REDIS_URL: topology.url,
      QUEUE_PREFIX: config.queuePrefix,
      PUBLIC_BASE_URL: `http://127.0.0.1:${proxyPort}`,
      LOG_LEVEL: 'warn',
      ...TWILIO,
      TWILIO_API_BASE_URL: fake.baseUrl,
      SMS_RATE_PER_SECOND: '10000',
    };
    const apiPorts = [await freePort(), await freePort()];
    const apis = apiPorts.map((port, index) =>
      children.start(`api-${index + 1}`, dist('../main.js'), [], { ...shared, PORT: String(port) }),
    );
    const workerEnv = (queues: string) => ({ ...shared, WORKER_QUEUES: queues, WORKER_HEALTH_PORT: '0' });
    const startSmsWorker = () => children.start('worker-sms', dist('../worker.js'), [], workerEnv('sms'));
    let smsWorker = startSmsWorker();
    const otherWorker = children.start(
      'worker-other',
      dist('../worker.js'),
      [],
      workerEnv(
        Object.values(QUEUES)
          .filter((name) => name !== QUEUES.sms)
          .join(','),
      ),
    );
    for (const port of apiPorts)
      await waitFor(
        `the API on ${port}`,
        async () => (await fetch(`http://127.0.0.1:${port}/api/health/live`)).ok,
        60_000,
        200,
      );
    proxy = await startProxy(apiPorts, proxyPort);
    const baseUrl = `http://127.0.0.1:${proxy.port}`;

    // SMS due throughout the window: outbox rows and their delayed jobs, written ahead as the app writes them;
    // the reminders spread over the waves like the invitations.
    smsQueue = new Queue(QUEUES.sms, {
      connection: bullConnection(config.redis, 'command').connection,
      prefix: config.queuePrefix,
    });
    // Its reconnection attempts while the primary is down are expected: not worth a stack trace each.
    smsQueue.on('error', () => undefined);
    const windowStart = Date.now() + 15_000;
    const waveDue = (wave: number) => new Date(windowStart + (wave * WINDOW_S * 1000) / SMS_WAVES);
    const share = (total: number, wave: number) =>
      Math.floor(total / SMS_WAVES) + (wave < total % SMS_WAVES ? 1 : 0);
    const smsIds: string[] = [];
    const phones: string[] = [];
    const waveOf: number[] = [];
    for (let wave = 0; wave < SMS_WAVES; wave++) {
      const dueAt = waveDue(wave);
      const batch = [
        ...(await makeDueSmsBatch(dataSource, config, organisation, share(SMS - REMINDERS, wave), dueAt)),
        ...(await makeDueSmsBatch(dataSource, config, organisation, share(REMINDERS, wave), dueAt, {
          kind: 'reminder',
        })),
      ];
      const now = new Date();
      await smsQueue.addBulk(
        batch.map((message) => smsJob({ id: message.smsId, dueAt }, now, config.smsDelivery.prepareAheadMs)),
      );
      for (const message of batch) {
        smsIds.push(message.smsId);
        phones.push(message.phone);
        waveOf.push(wave);
      }
    }
    // Invitations already sent (day 7 of parents enrolled a week ago), with the link each parent will open.
    const encryption = new FieldEncryption(config);
    const tokens = Array.from({ length: SUBMISSIONS }, () => randomToken());
    if (SUBMISSIONS > 0)
      await dataSource.query(
        `WITH p AS (
           INSERT INTO parents (organisation_id, first_name_enc, last_name_enc, phone_enc, phone_index, last_name_index,
                                first_name_index, role, language, birth_date, consent_recorded_by, consent_recorded_at,
                                consent_text_version)
           SELECT $1, $4, $5, $6, md5('nd-p' || i), md5('nd-l' || i), md5('nd-f' || i), 'mother', 'fr',
                  current_date - 7, gen_random_uuid(), now(), 'v1'
             FROM generate_series(1, $2) AS i
           RETURNING id
         ), numbered AS (SELECT id, row_number() OVER () AS n FROM p),
         i AS (
           INSERT INTO invitations (organisation_id, parent_id, wave, due_at, status, sent_at, expires_at)
           SELECT $1, id, 'day7', now(), 'sent', now(), now() + interval '7 days' FROM numbered
           RETURNING id, parent_id
         )
         INSERT INTO invitation_links (organisation_id, invitation_id, token_hash)
         SELECT $1, i.id, ($3::text[])[numbered.n] FROM i JOIN numbered ON numbered.id = i.parent_id`,
        [
          organisation.id,
          SUBMISSIONS,
          tokens.map(hashToken),
          encryption.encrypt('Dominique'),
          encryption.encrypt('Parent'),
          encryption.encrypt('+33699999999'),
        ],
      );
    await sleep(Math.max(0, windowStart - Date.now()));

    // The day: enrolments, submissions, alerts worked, polls; the SMS worker killed once, then the Redis primary.
    const windowMs = WINDOW_S * 1000;
    const statusCounts = new Map<string, number>();
    const note = (what: string, status: number) => {
      const key = `${what} ${status}`;
      statusCounts.set(key, (statusCounts.get(key) ?? 0) + 1);
    };
    const birthDate = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const enrolments = paced(ENROLMENTS, windowMs, 8, async (index) => {
      note(
        'enrol',
        await request(baseUrl, professionalToken, '/api/parents', {
          firstName: 'Camille',
          lastName: `National${index}`,
          phone: `+3362${String(index).padStart(7, '0')}`,
          role: index % 5 === 0 ? 'father' : 'mother',
          language: 'fr',
          birthDate,
          consent: { given: true, textVersion: 'bench' },
        }),
      );
    });
    const submissions = paced(SUBMISSIONS, windowMs, 16, async (index) => {
      note(
        'submit',
        await request(baseUrl, '', `/api/public/questionnaires/${tokens[index]}/responses`, {
          answers: answersFor(index),
        }),
      );
    });
    // Professionals work the alerts the submissions raise: acknowledge, then a call that reaches the parent.
    const taken: string[] = [];
    const alertsWork = paced(ALERTS_WORKED, windowMs, 4, async () => {
      let alert: { id: string } | undefined;
      for (let attempt = 0; attempt < 100 && !alert; attempt++) {
        const open = await dataSource.query<Array<{ id: string }>>(
          `SELECT id FROM alerts WHERE organisation_id = $1 AND status = 'open' AND NOT (id = ANY($2::uuid[]))
            ORDER BY created_at LIMIT 8`,
          [organisation.id, taken],
        );
        // Another professional may have taken one while this query ran: checked and taken without a pause.
        alert = open.find((candidate) => !taken.includes(candidate.id));
        if (!alert) await sleep(300);
      }
      if (!alert) return note('alert-none-open', 0);
      taken.push(alert.id);
      note(
        'alert',
        await request(baseUrl, professionalToken, `/api/alerts/${alert.id}/events`, { type: 'acknowledge' }),
      );
      note(
        'alert',
        await request(baseUrl, professionalToken, `/api/alerts/${alert.id}/events`, {
          type: 'contact_attempt',
          outcome: 'reached',
          channel: 'phone',
        }),
      );
    });
    const polls = Math.floor((PROFESSIONALS * WINDOW_S) / POLL_EVERY_S);
    const polling = paced(polls, windowMs, 16, async (index) => {
      const reports = index % 10 === 0;
      const path = reports ? '/api/reports/summary' : index % 2 === 0 ? '/api/alerts' : '/api/parents';
      note('poll', await request(baseUrl, reports ? adminToken : professionalToken, path));
    });
    let workerKilledAt = 0;
    const workerChaos = (async () => {
      await sleep(windowMs * WORKER_KILL_AT);
      await children.kill('worker-sms', smsWorker);
      workerKilledAt = Date.now();
      await sleep(2_000);
      smsWorker = startSmsWorker();
    })();
    // The Redis primary, once a quarter of a wave has reached the provider: while that wave is being sent.
    const failoverWave = Math.min(SMS_WAVES - 1, Math.round(SMS_WAVES * REDIS_KILL_AT));
    const failoverWaveIds = smsIds.filter((_, index) => waveOf[index] === failoverWave);
    const failover = { killedAt: 0, promotedMs: Number.NaN };
    const redisChaos = (async () => {
      await sleep(Math.max(0, waveDue(failoverWave).getTime() - Date.now()));
      await waitFor(
        'a quarter of the failover wave sent',
        async () => {
          const [row] = await dataSource.query<[{ count: number }]>(
            `SELECT count(*)::int AS count FROM sms_messages WHERE id = ANY($1::uuid[]) AND provider_sid IS NOT NULL`,
            [failoverWaveIds],
          );
          return row.count >= failoverWaveIds.length / 4;
        },
        // Late if the restarted SMS worker is still booting (on a busy machine, tens of seconds).
        PHASE_TIMEOUT_MS,
        10,
      );
      children.spentCpu.set('redis-primary', cpuSeconds(topology.primary.pid));
      failover.killedAt = Date.now();
      await topology.killPrimary();
      failover.promotedMs = await topology.waitForPromotion(failover.killedAt, 60_000);
    })();
    // The CPU of this database's Postgres backends, sampled every 2 s (pools close idle connections).
    const backendCpu = new Map<number, number>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const backends = await dataSource
          .query<Array<{ pid: number }>>(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
          )
          .catch(() => []);
        for (const { pid } of backends)
          backendCpu.set(pid, Math.max(backendCpu.get(pid) ?? 0, cpuSeconds(pid)));
        await sleep(2_000);
      }
    })();
    await Promise.all([enrolments, submissions, alertsWork, polling, workerChaos, redisChaos]);

    // Every SMS of the day accepted by the provider, and its "delivered" callback applied (bounded waits).
    const sentCount = async (condition: string) => {
      const [row] = await dataSource.query<[{ count: number }]>(
        `SELECT count(*)::int AS count FROM sms_messages WHERE id = ANY($1::uuid[]) AND ${condition}`,
        [smsIds],
      );
      return row.count;
    };
    await waitFor(
      'every SMS of the day',
      async () => (await sentCount('provider_sid IS NOT NULL')) >= smsIds.length,
      180_000,
      500,
    ).catch(() => undefined);
    await waitFor(
      'every delivery callback',
      async () => (await sentCount(`status = 'delivered'`)) >= smsIds.length,
      30_000,
      500,
    ).catch(() => undefined);
    const delivered = await sentCount(`status = 'delivered'`);
    const sentRows = await dataSource.query<Array<{ id: string; late_ms: string; sent_ms: string }>>(
      `SELECT id, extract(epoch FROM (sent_at - due_at)) * 1000 AS late_ms, extract(epoch FROM sent_at) * 1000 AS sent_ms
         FROM sms_messages WHERE id = ANY($1::uuid[]) AND sent_at IS NOT NULL`,
      [smsIds],
    );
    const lateness = sentRows.map((row) => Number(row.late_ms)).sort((a, b) => a - b);
    // The wave in flight when the primary died: how much of it had left, and when sending resumed.
    const waveIds = new Set(failoverWaveIds);
    const waveSent = sentRows.filter((row) => waveIds.has(row.id)).map((row) => Number(row.sent_ms));
    const beforeKill = waveSent.filter((ms) => ms < failover.killedAt).length;
    const afterKill = waveSent.filter((ms) => ms >= failover.killedAt).sort((a, b) => a - b);
    const counts = await twilioCountsByPhone(fake.baseUrl);
    const lost = phones.filter((phone) => !counts.has(phone)).length;
    const duplicates = phones.filter((phone) => (counts.get(phone) ?? 0) > 1).length;
    const [{ parents }] = await dataSource.query<[{ parents: number }]>(
      `SELECT count(*)::int AS parents FROM parents WHERE organisation_id = $1`,
      [organisation.id],
    );
    const enrolled = parents - smsIds.length - SUBMISSIONS;
    sampling = false;
    await sampler;

    const callbackStatuses = [...proxy.statuses.entries()].filter(([key]) =>
      key.startsWith('POST /api/webhooks/'),
    );
    // Errors: the bench's own requests that did not get a 2xx (a proxy error shows there as its 502), and the
    // provider's callbacks that did not (their sender, the fake Twilio, is not the bench).
    const errors = [
      ...[...statusCounts.entries()].filter(([key]) => !/ 2\d\d$/.test(key)),
      ...callbackStatuses.filter(([key]) => !/ (2\d\d|resent-after-keepalive-race)$/.test(key)),
    ];
    const resent = [...proxy.statuses.entries()].filter(([key]) =>
      key.endsWith('resent-after-keepalive-race'),
    );
    const cpu = (role: string, child: ChildProcess | undefined) =>
      ((children.spentCpu.get(role) ?? 0) + cpuSeconds(child?.pid)).toFixed(1);
    const benchCpu = process.cpuUsage(benchCpuStart);
    const result: Record<string, number | string> = {
      scale: SCALE,
      window_s: WINDOW_S,
      enrolments_sent: ENROLMENTS,
      enrolled_parents_in_database: enrolled,
      sms_due_in_window: `${SMS} (${SMS - REMINDERS} invitations, ${REMINDERS} reminders)`,
      submissions_sent: SUBMISSIONS,
      alerts_worked: taken.length,
      professionals_polling: PROFESSIONALS,
      polls_sent: polls,
      sms_worker_sigkilled_at: workerKilledAt
        ? `${Math.round((workerKilledAt - windowStart) / 1000)} s`
        : 'not killed',
      // Restarted 2 s after: the new process's boot, then its first send (the gap in SMS leaving, if any were due).
      sms_worker_first_send_after_kill_ms: Math.round(
        Math.min(...sentRows.map((row) => Number(row.sent_ms)).filter((ms) => ms > workerKilledAt)) -
          workerKilledAt,
      ),
      redis_primary_sigkilled_at: failover.killedAt
        ? `${Math.round((failover.killedAt - windowStart) / 1000)} s`
        : 'not killed',
      redis_failover_ms: Math.round(failover.promotedMs),
      redis_failover_wave: `${beforeKill} of ${waveIds.size} sent before the kill, the rest from ${
        afterKill.length ? `${Math.round(afterKill[0]! - failover.killedAt)} ms` : '-'
      } to ${afterKill.length ? `${Math.round(afterKill.at(-1)! - failover.killedAt)} ms` : '-'} after it`,
      sms_sent: lateness.length,
      sms_lateness_p50_ms: Math.round(percentile(lateness, 50)),
      sms_lateness_p99_ms: Math.round(percentile(lateness, 99)),
      sms_lateness_max_ms: Math.round(lateness.at(-1) ?? Number.NaN),
      // In flight when the worker died: held until SMS_UNKNOWN_GRACE_MS, then checked with the provider (no resend).
      sms_late_over_10s: lateness.filter((ms) => ms > 10_000).length,
      sms_lost: lost,
      sms_duplicates: duplicates,
      sms_delivered_by_callback: delivered,
      status_callbacks_answered: callbackStatuses
        .filter(([key]) => / \d{3}$/.test(key))
        .reduce((sum, [, count]) => sum + count, 0),
      errors: errors.reduce((sum, [, count]) => sum + count, 0),
      errors_detail: errors.length ? JSON.stringify(Object.fromEntries(errors)) : 'none',
      proxy_resent_after_keepalive_race: resent.reduce((sum, [, count]) => sum + count, 0),
    };
    for (const [route, list] of [...proxy.latencies.entries()].sort()) {
      const sorted = [...list].sort((a, b) => a - b);
      result[`api_p99_ms ${route} (n=${sorted.length})`] = Math.round(percentile(sorted, 99));
    }
    result['cpu_s api-1'] = cpu('api-1', apis[0]);
    result['cpu_s api-2'] = cpu('api-2', apis[1]);
    result['cpu_s worker-sms (both lives)'] = cpu('worker-sms', smsWorker);
    result['cpu_s worker-other'] = cpu('worker-other', otherWorker);
    result['cpu_s fake-twilio'] = cpu('fake-twilio', fake.child);
    for (const { role, child } of topology.processes) result[`cpu_s ${role}`] = cpu(role, child);
    result[`cpu_s postgres (${backendCpu.size} backends, sampled every 2 s)`] = [...backendCpu.values()]
      .reduce((sum, seconds) => sum + seconds, 0)
      .toFixed(1);
    result['cpu_s bench (load, proxy, ceilings)'] = ((benchCpu.user + benchCpu.system) / 1e6).toFixed(1);
    result['ceiling pg single-row inserts/s'] = pgInsertsPerSecond;
    result['ceiling bullmq no-op jobs/s'] = bullmqJobsPerSecond;
    result['ratio sms/s in window / bullmq ceiling'] = (SMS / WINDOW_S / bullmqJobsPerSecond).toFixed(3);
    result['ratio enrolments/s / pg insert ceiling'] = (ENROLMENTS / WINDOW_S / pgInsertsPerSecond).toFixed(
      4,
    );
    if (lost > 0 || duplicates > 0 || errors.length > 0 || delivered < smsIds.length)
      throw new Error(
        `national day failed: ${JSON.stringify(result)}\nFirst API errors:\n${children.apiErrors.join('\n')}`,
      );
    return result;
  } finally {
    await smsQueue?.close().catch(() => undefined);
    const proxyClosed = new Promise<void>((resolve) =>
      proxy ? proxy.server.close(() => resolve()) : resolve(),
    );
    proxy?.server.closeAllConnections();
    await proxyClosed;
    await children.stopAll();
    await dataSourceBox.value?.destroy().catch(() => undefined);
    await environment?.teardown();
    await redis?.stop();
  }
}

runWhenMain(import.meta.url, run);
