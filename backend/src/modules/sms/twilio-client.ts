/**
 * The official `twilio` SDK, optionally pointed at another base URL (the project's fake Twilio server for
 * tests and demos: TWILIO_API_BASE_URL).
 *
 * twilio-node has no base-URL option; its supported extension point is the `httpClient` client option: every
 * REST call goes through `httpClient.request({ uri, ... })` with an absolute `uri`, so a `RequestClient`
 * subclass swapping the `https://<product>.twilio.com` origin for the base URL redirects the whole SDK
 * (create, fetch, list and its next-page URLs). The tests' helpers reuse this module. With a custom
 * `httpClient`, the timeout goes to the RequestClient, not to the client options.
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as TwilioHttpResponse from 'twilio/lib/http/response.js';

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
    const parsed = new URL(apiBaseUrl);
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
  /** null keeps https://api.twilio.com. */
  apiBaseUrl: string | null;
  timeoutMs: number;
}

/** A twilio client with a request timeout, redirected to `apiBaseUrl` when given. */
export function createTwilioClient(settings: TwilioClientSettings): twilio.Twilio {
  const requestOptions = { timeout: settings.timeoutMs };
  if (!settings.apiBaseUrl) return twilio(settings.accountSid, settings.authToken, requestOptions);
  return twilio(settings.accountSid, settings.authToken, {
    httpClient: new BaseUrlRequestClient(settings.apiBaseUrl, requestOptions),
  });
}
