/**
 * A national day, compressed (issue 14): the built API and worker as separate processes on this machine, as
 * production runs them, behind a round-robin proxy, under a bounded mix of national traffic:
 * - its own freshly migrated database, its own Redis prefix, the fake Twilio in its own process;
 * - two API processes (`dist/.../main.js`) behind a node:http round robin kept in this process (which also times
 *   every request by route), two worker processes (`worker.js`): WORKER_QUEUES=sms alone, and the rest;
 * - load: enrolments through the API, SMS due throughout the window (outbox rows + their BullMQ jobs, as the
 *   enrolment and reminder paths write them), parents answering their day-7 questionnaire (public JSON route),
 *   professionals working the alerts those answers raise (acknowledge, then a call that reaches the parent),
 *   polling the dashboard (alerts, parents), and org admins polling the reports;
 * - the SMS worker is SIGKILLed once mid-run and restarted;
 * - then: SMS lateness p50/p99, API p99 by route, errors, lost or duplicate SMS counted per message in the fake
 *   Twilio, the CPU seconds of each process, and the machine's ceilings measured in the same run (raw `pg`
 *   single-row inserts/s, BullMQ no-op jobs/s).
 * Defaults finish in a few minutes on 2 cores; `--scale` uses the 10-minute figures. Volumes can also be
 * set one by one (BENCH_ND_*). Every loop is bounded in count and in time; everything started is stopped at the
 * end, failure included.
 */
import { getEpdsInstrument } from '@lien/shared';
import { FieldEncryption, hashToken, randomToken } from '../common/crypto/field-encryption.service.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Queue, Worker as BullWorker } from 'bullmq';
import pg from 'pg';
import { makeOrganisation, makeUser, signIn } from '../testing/factories.js';
import { createBenchEnvironment, freePort, makeDueSmsBatch } from '../testing/parents-factories.js';
import { TEST_REDIS_URL } from '../testing/test-database.js';
import type { TestEnvironment } from '../testing/test-app.js';
import { createDataSource } from '../database/data-source.js';
import { smsJob } from '../modules/sms/sms-queue.service.js';
import { QUEUES } from '../queue/jobs.js';

const SCALE = process.argv.includes('--scale');
function volume(name: string, small: number, full: number): number {
  const raw = process.env[`BENCH_ND_${name}`];
  const value = raw === undefined ? (SCALE ? full : small) : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`BENCH_ND_${name} must be a whole number`);
  return value;
}

const WINDOW_S = volume('WINDOW_S', 150, 600);
const ENROLMENTS = volume('ENROLMENTS', 500, 2_000);
const SMS = volume('SMS', 3_000, 13_000);
const SUBMISSIONS = volume('SUBMISSIONS', 1_500, 6_000);
const ALERTS_WORKED = volume('ALERTS_WORKED', 75, 300);
const PROFESSIONALS = volume('PROFESSIONALS', 50, 500);
/** Seconds between two polls of one professional (a dashboard refreshed every half minute). */
const POLL_EVERY_S = volume('POLL_EVERY_S', 30, 30);
const SMS_WAVES = 30;
const PHASE_TIMEOUT_MS = (WINDOW_S + 180) * 1000;

const TWILIO = {
  TWILIO_ACCOUNT_SID: 'ACfa4e0000000000000000000000000001',
  TWILIO_AUTH_TOKEN: 'fa4e70110000000000000000000000aa',
};
const dist = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** EPDS answers (option indexes): mostly low scores, a quarter high, one in twenty with item 10 positive. */
function answersFor(index: number): number[] {
  const mix = index % 20;
  const points =
    mix < 14
      ? [0, 1, 0, 1, 0, 0, 1, 0, 0, 0]
      : mix < 17
        ? [1, 1, 1, 1, 1, 1, 1, 2, 2, 0]
        : mix < 19
          ? [2, 2, 2, 2, 1, 2, 2, 2, 1, 0]
          : [1, 1, 1, 0, 0, 1, 1, 1, 0, 1];
  return getEpdsInstrument('fr').items.map((item, itemIndex) =>
    item.options.findIndex((option) => option.points === points[itemIndex]),
  );
}

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

  start(role: string, script: string, args: string[], env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.all.add(child);
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-2_000);
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

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function startFakeTwilio(children: Children): Promise<{ baseUrl: string; child: ChildProcess }> {
  const child = children.start(
    'fake-twilio',
    dist('../testing/fake-twilio/fake-twilio-cli.js'),
    ['--no-callbacks'],
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

/** A round-robin HTTP proxy to the API processes, timing each request by route (proxy overhead included). */
function startProxy(upstreams: number[]): Promise<{
  server: http.Server;
  port: number;
  latencies: Map<string, number[]>;
  statuses: Map<string, number>;
}> {
  const latencies = new Map<string, number[]>();
  const statuses = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const port = upstreams[next++ % upstreams.length];
    const route = routeOf(req.method ?? 'GET', req.url ?? '/');
    const upstream = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.once('end', () => {
          const status = `${route} ${answer.statusCode}`;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const list = latencies.get(route) ?? [];
          list.push(performance.now() - started);
          latencies.set(route, list);
        });
      },
    );
    upstream.once('error', () => {
      const status = `${route} proxy-error`;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
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
async function bullmqCeiling(prefix: string): Promise<number> {
  const connection = { url: TEST_REDIS_URL, maxRetriesPerRequest: null };
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
  let environment: TestEnvironment | undefined;
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  let smsQueue: Queue | undefined;
  const dataSourceBox: { value?: Awaited<ReturnType<ReturnType<typeof createDataSource>['initialize']>> } =
    {};
  const benchCpuStart = process.cpuUsage();
  try {
    const fake = await startFakeTwilio(children);
    environment = await createBenchEnvironment('national', {
      ...TWILIO,
      TWILIO_API_BASE_URL: fake.baseUrl,
    });
    const { config, databaseUrl } = environment;

    // The machine's ceilings, in this run, before the load.
    const pgInsertsPerSecond = await pgInsertCeiling(databaseUrl);
    const bullmqJobsPerSecond = await bullmqCeiling(`${config.queuePrefix}:ceiling`);

    const dataSource = await createDataSource({
      url: databaseUrl,
      poolSize: 4,
      applicationName: 'bench-national',
    }).initialize();
    dataSourceBox.value = dataSource;
    const organisation = await makeOrganisation(dataSource, {
      settings: {
        quietHours: { start: '00:00', end: '23:59', noSundays: false, noPublicHolidays: false },
        reminders: { count: 0, afterHours: 48 },
      },
    });
    const professional = await makeUser(dataSource, { organisationId: organisation.id });
    const admin = await makeUser(dataSource, { organisationId: organisation.id, role: 'org_admin' });
    const professionalToken = await signIn(dataSource, config, professional);
    const adminToken = await signIn(dataSource, config, admin);

    // The processes, from the built code, with the bench's database, Redis prefix and fake Twilio.
    const shared: Record<string, string> = {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: config.queuePrefix,
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
      await waitFor(`the API on ${port}`, 60_000, async () => {
        const response = await fetch(`http://127.0.0.1:${port}/api/health/live`);
        return response.ok;
      });
    proxy = await startProxy(apiPorts);
    const baseUrl = `http://127.0.0.1:${proxy.port}`;

    // SMS due throughout the window: outbox rows and their delayed jobs, written ahead as the app writes them.
    smsQueue = new Queue(QUEUES.sms, {
      connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: null },
      prefix: config.queuePrefix,
    });
    const windowStart = Date.now() + 15_000;
    const smsIds: string[] = [];
    const phones: string[] = [];
    for (let wave = 0; wave < SMS_WAVES; wave++) {
      const count = Math.floor(SMS / SMS_WAVES) + (wave < SMS % SMS_WAVES ? 1 : 0);
      const dueAt = new Date(windowStart + (wave * WINDOW_S * 1000) / SMS_WAVES);
      const batch = await makeDueSmsBatch(dataSource, config, organisation, count, dueAt);
      const now = new Date();
      await smsQueue.addBulk(
        batch.map((message) => smsJob({ id: message.smsId, dueAt }, now, config.smsDelivery.prepareAheadMs)),
      );
      for (const message of batch) {
        smsIds.push(message.smsId);
        phones.push(message.phone);
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

    // The day: enrolments, polls, and the SMS worker killed once at 40% of the window.
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
        [alert] = await dataSource.query<Array<{ id: string }>>(
          `SELECT id FROM alerts WHERE organisation_id = $1 AND status = 'open' AND NOT (id = ANY($2::uuid[]))
            ORDER BY created_at LIMIT 1`,
          [organisation.id, taken],
        );
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
    let workerKilledAt = '';
    const chaos = (async () => {
      await sleep(windowMs * 0.4);
      await children.kill('worker-sms', smsWorker);
      workerKilledAt = `${Math.round((Date.now() - windowStart) / 1000)} s`;
      await sleep(2_000);
      smsWorker = startSmsWorker();
    })();
    await Promise.all([enrolments, submissions, alertsWork, polling, chaos]);

    // Every SMS of the day accepted by the provider (bounded wait), then the figures.
    await waitFor('every SMS of the day', 180_000, async () => {
      const [row] = await dataSource.query<[{ count: number }]>(
        `SELECT count(*)::int AS count FROM sms_messages WHERE id = ANY($1::uuid[]) AND provider_sid IS NOT NULL`,
        [smsIds],
      );
      return row.count >= smsIds.length;
    }).catch(() => undefined);
    const lateRows = await dataSource.query<Array<{ late_ms: string }>>(
      `SELECT extract(epoch FROM (sent_at - due_at)) * 1000 AS late_ms FROM sms_messages
        WHERE id = ANY($1::uuid[]) AND sent_at IS NOT NULL`,
      [smsIds],
    );
    const lateness = lateRows.map((row) => Number(row.late_ms)).sort((a, b) => a - b);
    const counts = await twilioCountsByPhone(fake.baseUrl);
    const lost = phones.filter((phone) => !counts.has(phone)).length;
    const duplicates = phones.filter((phone) => (counts.get(phone) ?? 0) > 1).length;
    const [{ parents }] = await dataSource.query<[{ parents: number }]>(
      `SELECT count(*)::int AS parents FROM parents WHERE organisation_id = $1`,
      [organisation.id],
    );
    const enrolled = parents - smsIds.length - SUBMISSIONS;

    const errors = [...statusCounts.entries()].filter(([key]) => !/ 2\d\d$/.test(key));
    const cpu = (role: string, child: ChildProcess | undefined) =>
      ((children.spentCpu.get(role) ?? 0) + cpuSeconds(child?.pid)).toFixed(1);
    const benchCpu = process.cpuUsage(benchCpuStart);
    const result: Record<string, number | string> = {
      scale: SCALE ? 'full (--scale)' : 'default',
      window_s: WINDOW_S,
      enrolments_sent: ENROLMENTS,
      enrolled_parents_in_database: enrolled,
      sms_due_in_window: SMS,
      submissions_sent: SUBMISSIONS,
      alerts_worked: taken.length,
      professionals_polling: PROFESSIONALS,
      polls_sent: polls,
      sms_worker_sigkilled_at: workerKilledAt || 'not killed',
      sms_sent: lateness.length,
      sms_lateness_p50_ms: Math.round(percentile(lateness, 50)),
      sms_lateness_p99_ms: Math.round(percentile(lateness, 99)),
      sms_lateness_max_ms: Math.round(lateness.at(-1) ?? Number.NaN),
      // In flight when the worker died: held until SMS_UNKNOWN_GRACE_MS, then checked with the provider (no resend).
      sms_late_over_10s: lateness.filter((ms) => ms > 10_000).length,
      sms_lost: lost,
      sms_duplicates: duplicates,
      errors: errors.reduce((sum, [, count]) => sum + count, 0),
      errors_detail: errors.length ? JSON.stringify(Object.fromEntries(errors)) : 'none',
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
    result['cpu_s bench (load, proxy, ceilings)'] = ((benchCpu.user + benchCpu.system) / 1e6).toFixed(1);
    result['ceiling pg single-row inserts/s'] = pgInsertsPerSecond;
    result['ceiling bullmq no-op jobs/s'] = bullmqJobsPerSecond;
    result['ratio sms/s in window / bullmq ceiling'] = (SMS / WINDOW_S / bullmqJobsPerSecond).toFixed(3);
    result['ratio enrolments/s / pg insert ceiling'] = (ENROLMENTS / WINDOW_S / pgInsertsPerSecond).toFixed(
      4,
    );
    if (lost > 0 || duplicates > 0 || errors.length > 0)
      throw new Error(`national day failed: ${JSON.stringify(result)}`);
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
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  run().then(
    (result) => {
      console.log(JSON.stringify(result, null, 2));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
