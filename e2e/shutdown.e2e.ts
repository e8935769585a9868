import http from 'node:http';
import { startStack, type Stack } from './support/stack.js';

// `npm start` (and any orchestrator) stops the API with SIGTERM: the built API must exit promptly even while a
// browser holds its live alert stream (Server-Sent Events) open, instead of waiting for the browser to leave.
const PASSWORD = 'Lien-demo-2026!';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({}, { console: false });
});

afterAll(async () => {
  await stack?.stop();
});

async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

it('exits within 10 s of SIGTERM while a live alert stream is open, ending the stream', async () => {
  const { accessToken } = await post<{ accessToken: string }>('/api/auth/login', {
    email: 'infirmiere.62@lien.demo',
    password: PASSWORD,
  });
  const { ticket } = await post<{ ticket: string }>('/api/alerts/stream-ticket', {}, accessToken);

  // Open the stream the way EventSource does, and wait for its first bytes.
  let streamEnded = false;
  const request = http.get(`${stack.baseUrl}/api/alerts/stream?ticket=${encodeURIComponent(ticket)}`, {
    headers: { Accept: 'text/event-stream' },
  });
  await new Promise<void>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (response) => {
      expect(response.statusCode).toBe(200);
      expect(String(response.headers['content-type'])).toContain('text/event-stream');
      response.once('data', () => resolve());
      response.once('end', () => (streamEnded = true));
      response.once('close', () => (streamEnded = true));
      response.resume();
    });
  });

  const api = stack.processes.api;
  const started = Date.now();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    api.once('exit', (code, signal) => resolve({ code, signal })),
  );
  api.kill('SIGTERM');
  const outcome = await Promise.race([
    exited,
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000)),
  ]);
  const seconds = (Date.now() - started) / 1000;
  request.destroy();
  // Exited by itself, in time (Nest re-raises SIGTERM after its shutdown hooks), and the stream was ended.
  expect(outcome).not.toBe('timeout');
  expect([
    { code: 0, signal: null },
    { code: null, signal: 'SIGTERM' },
  ]).toContainEqual(outcome);
  expect(seconds).toBeLessThan(10);
  expect(streamEnded).toBe(true);
});
