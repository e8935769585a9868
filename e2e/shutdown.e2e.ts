import http from 'node:http';
import { apiCaller, useStack } from './support/console.js';

// `npm start` (and any orchestrator) stops the API with SIGTERM: the built API must exit promptly even while a
// browser holds its live alert stream (Server-Sent Events) open, instead of waiting for the browser to leave.
const world = useStack({}, { console: false });
const api = apiCaller(() => world.stack.baseUrl);

it('exits within 10 s of SIGTERM while a live alert stream is open, ending the stream', async () => {
  const accessToken = await api.logIn('infirmiere.62@lien.demo');
  const { ticket } = await api.call<{ ticket: string }>(accessToken, 'POST', '/api/alerts/stream-ticket', {});

  // Open the stream the way EventSource does, and wait for its first bytes.
  let streamEnded = false;
  const request = http.get(`${world.stack.baseUrl}/api/alerts/stream?ticket=${encodeURIComponent(ticket)}`, {
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

  const apiProcess = world.stack.processes.api;
  const started = Date.now();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    apiProcess.once('exit', (code, signal) => resolve({ code, signal })),
  );
  apiProcess.kill('SIGTERM');
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
