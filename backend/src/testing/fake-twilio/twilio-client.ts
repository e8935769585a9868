/**
 * The real `twilio` SDK pointed at the fake server, for tests and benches. It reuses the production client
 * (modules/sms/twilio-client.ts: the SDK's supported `httpClient` extension point, redirected to a base URL),
 * so tests exercise exactly what production sends.
 */
import type twilio from 'twilio';
import { createTwilioClient, type TwilioClientSettings } from '../../modules/sms/twilio-client.js';
import type { FakeTwilio } from './fake-twilio-server.js';

export { LeanRequestClient, createTwilioClient, rewriteTwilioUri } from '../../modules/sms/twilio-client.js';

/** A twilio client talking to the fake server with its credentials (override any of them). */
export function twilioClientFor(
  fake: FakeTwilio,
  overrides: Partial<TwilioClientSettings> = {},
): twilio.Twilio {
  return createTwilioClient({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    apiBaseUrl: fake.baseUrl,
    timeoutMs: 10_000,
    ...overrides,
  });
}
