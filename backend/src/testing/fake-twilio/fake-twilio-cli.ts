/**
 * Starts the fake Twilio server for demos and benches:
 *
 *   node <built>/fake-twilio-cli.js [--port 4010] [--host 127.0.0.1] [--no-callbacks] [--callback-delay-ms 200]
 *                                   [--webhook-timeout-ms 15000]
 *
 * Environment: FAKE_TWILIO_PORT, FAKE_TWILIO_HOST, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN (defaults are the
 * fake's own credentials). It prints the variables to give the backend, then runs until SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startFakeTwilio } from './fake-twilio-server.js';

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new Error(`${name} must be a port number or a delay, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'no-callbacks': { type: 'boolean', default: false },
      'callback-delay-ms': { type: 'string' },
      'webhook-timeout-ms': { type: 'string' },
    },
  });
  const fake = await startFakeTwilio({
    port: integer(values.port ?? process.env.FAKE_TWILIO_PORT, 'port') ?? 0,
    host: values.host ?? process.env.FAKE_TWILIO_HOST ?? '127.0.0.1',
    accountSid: process.env.TWILIO_ACCOUNT_SID || undefined,
    authToken: process.env.TWILIO_AUTH_TOKEN || undefined,
    autoCallbacks: !values['no-callbacks'],
    callbackDelayMs: integer(values['callback-delay-ms'], 'callback-delay-ms'),
    webhookTimeoutMs: integer(values['webhook-timeout-ms'], 'webhook-timeout-ms'),
  });
  process.stdout.write(
    [
      `Fake Twilio listening on ${fake.baseUrl}`,
      `  TWILIO_API_BASE_URL=${fake.baseUrl}`,
      `  TWILIO_ACCOUNT_SID=${fake.accountSid}`,
      `  TWILIO_AUTH_TOKEN=${fake.authToken}`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
