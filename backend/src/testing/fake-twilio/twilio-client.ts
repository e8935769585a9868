/**
 * Pointing the official `twilio` SDK (v6) at another base URL, e.g. the fake server.
 *
 * twilio-node has no base-URL option: every domain hard-codes its host (`ApiBase` is built with
 * "https://api.twilio.com"), and the `edge` / `region` options only rewrite the host name inside
 * *.twilio.com. The supported extension point is the `httpClient` client option
 * (twilio-node advanced-examples/custom-http-client.md, and the maintainers' answer in twilio/twilio-node#326):
 * every REST call goes through `httpClient.request({ method, uri, ... })` with an absolute `uri`, so a
 * `RequestClient` subclass that swaps the `https://<product>.twilio.com` origin for the base URL redirects
 * the whole SDK (create, fetch, list and its next-page URLs) without touching its internals:
 *
 *   const client = twilio(accountSid, authToken, {
 *     httpClient: new BaseUrlRequestClient(config.twilio.apiBaseUrl, { timeout: 10_000 }),
 *   });
 *
 * (Assigning `client.api.baseUrl = apiBaseUrl` also works today, but `baseUrl` is an internal of the
 * generated `Domain` classes and covers only the api.twilio.com domain.)
 *
 * This file only depends on `twilio`, so the backend SMS provider can copy `BaseUrlRequestClient` as is
 * (production code must not import from src/testing) and use it when TWILIO_API_BASE_URL is set.
 * Note: with a custom `httpClient`, the client-level `timeout`/`keepAlive`/`autoRetry` options are ignored:
 * pass them to the RequestClient instead.
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as TwilioHttpResponse from 'twilio/lib/http/response.js';
import type { FakeTwilio } from './fake-twilio-server.js';

/** Rewrites `https://*.twilio.com/...` to `<apiBaseUrl>/...`; other URLs are left alone. */
export function rewriteTwilioUri(uri: string, apiBaseUrl: string): string {
  const target = new URL(uri);
  if (target.hostname !== 'twilio.com' && !target.hostname.endsWith('.twilio.com')) return uri;
  const base = new URL(apiBaseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}${target.pathname}${target.search}`;
}

/** A twilio `RequestClient` that sends every Twilio API call to `apiBaseUrl` instead of *.twilio.com. */
export class BaseUrlRequestClient extends twilio.RequestClient {
  readonly apiBaseUrl: string;

  constructor(apiBaseUrl: string, options?: RequestClient.RequestClientOptions) {
    super(options);
    const parsed = new URL(apiBaseUrl); // throws on a malformed URL
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new RangeError(`apiBaseUrl must be http(s), got ${apiBaseUrl}`);
    }
    this.apiBaseUrl = apiBaseUrl;
  }

  override request<TData>(
    opts: RequestClient.RequestOptions<TData>,
  ): Promise<TwilioHttpResponse.default<TData>> {
    return super.request({ ...opts, uri: rewriteTwilioUri(opts.uri, this.apiBaseUrl) });
  }
}

export interface TwilioClientSettings {
  accountSid: string;
  authToken: string;
  /** e.g. the fake's `baseUrl`; null or undefined keeps https://api.twilio.com. */
  apiBaseUrl?: string | null;
  /** Request timeout in ms (default 30 000 in the SDK). */
  timeoutMs?: number;
}

/** A twilio client, redirected to `apiBaseUrl` when given. */
export function createTwilioClient(settings: TwilioClientSettings): twilio.Twilio {
  const requestOptions = settings.timeoutMs ? { timeout: settings.timeoutMs } : {};
  if (!settings.apiBaseUrl) return twilio(settings.accountSid, settings.authToken, requestOptions);
  return twilio(settings.accountSid, settings.authToken, {
    httpClient: new BaseUrlRequestClient(settings.apiBaseUrl, requestOptions),
  });
}

/** A twilio client talking to the fake server with its credentials (override any of them). */
export function twilioClientFor(
  fake: FakeTwilio,
  overrides: Partial<TwilioClientSettings> = {},
): twilio.Twilio {
  return createTwilioClient({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    apiBaseUrl: fake.baseUrl,
    ...overrides,
  });
}
