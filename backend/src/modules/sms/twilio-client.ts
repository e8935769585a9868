/**
 * The official `twilio` SDK, with a lean HTTP transport, optionally pointed at another base URL (the project's
 * fake Twilio server for tests and demos: TWILIO_API_BASE_URL).
 *
 * twilio-node's supported extension point for transport is the `httpClient` client option: every REST call
 * goes through `httpClient.request({ method, uri, username, password, headers, params, data, timeout })` with
 * an absolute `uri`, and the SDK builds the request (parameters, auth, headers) and reads the answer
 * (`{ statusCode, body, headers }`, a string body is JSON-parsed by the SDK, errors become RestException).
 * `LeanRequestClient` implements `request` on node:http(s) with a keep-alive agent instead of the stock
 * axios pipeline: measured on the SMS bench, axios' per-request configuration merging cost about half of the
 * worker's CPU per message. It also swaps the `https://<product>.twilio.com` origin for the base URL when one is
 * given, which redirects the whole SDK (create, fetch, list and its next-page URLs). The tests' helpers reuse
 * this module.
 *
 * Error contract (what `classifyTwilioError` relies on): an HTTP answer, whatever its status, resolves; a
 * network failure rejects with the node error (its `code`: ECONNREFUSED, ECONNRESET...); no answer within the
 * timeout rejects with code ETIMEDOUT and destroys the request. Nothing is retried here.
 */
import http from 'node:http';
import https from 'node:https';
import twilio from 'twilio';
import { EgressAgents, EgressProxy } from '../../common/egress-proxy.js';
import type { EgressProxyConfig } from '../../config/config.js';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as TwilioHttpResponse from 'twilio/lib/http/response.js';

/** The origin of a Twilio API URL (`https://<anything>.twilio.com`), up to its path. */
const TWILIO_ORIGIN = /^https:\/\/(?:[a-z0-9-]+\.)*twilio\.com(?=[/?#]|$)/i;

/** What replaces a Twilio origin: the base URL's origin and path, without a trailing slash. */
function rewriteBaseOf(apiBaseUrl: string): string {
  const base = new URL(apiBaseUrl);
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
}

/** Rewrites `https://*.twilio.com/...` to `<apiBaseUrl>/...`; other URLs are left alone. */
export function rewriteTwilioUri(uri: string, apiBaseUrl: string): string {
  return rewriteToBase(uri, rewriteBaseOf(apiBaseUrl));
}

function rewriteToBase(uri: string, rewriteBase: string): string {
  const origin = TWILIO_ORIGIN.exec(uri);
  return origin ? `${rewriteBase}${uri.slice(origin[0].length)}` : uri;
}

/** `application/x-www-form-urlencoded` as the SDK's client writes it: arrays repeat their key, undefined is left out. */
export function encodeForm(values: object): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (item === undefined) continue;
      const text =
        item === null ? '' : item instanceof Date ? item.toISOString() : String(item as string | number);
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
    }
  }
  return parts.join('&');
}

export interface LeanRequestClientOptions {
  /** Default request timeout (whole request, answer included), ms. */
  timeout: number;
  /** Sockets kept open to the provider: at least the number of concurrent sends. */
  maxSockets: number;
  /** Replaces https://*.twilio.com; null keeps Twilio. */
  apiBaseUrl?: string | null;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY: requests go through a kept-alive CONNECT tunnel when one applies. */
  proxy?: EgressProxyConfig | null;
}

type TwilioResponse<T> = TwilioHttpResponse.default<T>;

/** A twilio `RequestClient` on node:http(s) with keep-alive, optionally redirected to `apiBaseUrl`. */
export class LeanRequestClient extends twilio.RequestClient {
  readonly apiBaseUrl: string | null;
  /** The base URL's origin and path, parsed once (every request is rewritten). */
  private readonly rewriteBase: string | null;
  /** The Basic authorization of the last credentials seen (always the account's own). */
  private basicAuth: { username: string; password: string; header: string } | null = null;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  /** Only when a proxy is configured: the direct path stays as lean as before. */
  private readonly egress: EgressAgents | null = null;

  constructor(options: LeanRequestClientOptions) {
    // The parent's axios instance is built but never used: `request` below replaces it.
    super({ timeout: options.timeout });
    if (options.apiBaseUrl) {
      const parsed = new URL(options.apiBaseUrl);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new RangeError(`apiBaseUrl must be http(s), got ${options.apiBaseUrl}`);
      }
    }
    this.apiBaseUrl = options.apiBaseUrl ?? null;
    this.rewriteBase = this.apiBaseUrl ? rewriteBaseOf(this.apiBaseUrl) : null;
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets,
      maxFreeSockets: options.maxSockets,
      // Reuse the most recently used sockets first, so idle ones time out instead of going stale.
      scheduling: 'lifo' as const,
      timeout: options.timeout,
    };
    this.httpAgent = new http.Agent(agentOptions);
    this.httpsAgent = new https.Agent(agentOptions);
    const proxy = options.proxy ? new EgressProxy(options.proxy) : null;
    if (proxy?.enabled)
      this.egress = new EgressAgents(proxy, agentOptions, { http: this.httpAgent, https: this.httpsAgent });
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioResponse<TData>> {
    if (!opts.method) throw new Error('http method is required');
    if (!opts.uri) throw new Error('uri is required');
    const target = new URL(this.rewriteBase ? rewriteToBase(opts.uri, this.rewriteBase) : opts.uri);
    if (opts.params) {
      const query = encodeForm(opts.params);
      if (query) target.search = target.search ? `${target.search}&${query}` : `?${query}`;
    }
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.username && opts.password) {
      headers.Authorization = this.basicAuthorization(opts.username, opts.password);
    } else if (opts.authStrategy) {
      headers.Authorization = await opts.authStrategy.getAuthString();
    }
    let body: string | undefined;
    if (opts.data && headers['Content-Type'] === 'application/x-www-form-urlencoded') {
      body = encodeForm(opts.data);
    } else if (opts.data && headers['Content-Type'] === 'application/json') {
      body = JSON.stringify(opts.data);
    }
    if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
    const timeoutMs = opts.timeout ?? this.defaultTimeout;
    const secure = target.protocol === 'https:';
    this.lastResponse = undefined;
    const response = await new Promise<TwilioResponse<TData>>((resolve, reject) => {
      const request = (secure ? https : http).request(
        target,
        {
          method: opts.method.toUpperCase(),
          headers,
          agent: this.egress ? this.egress.for(target) : secure ? this.httpsAgent : this.httpAgent,
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('error', reject);
          answer.on('aborted', () => reject(networkError('ECONNRESET', 'response aborted')));
          answer.on('end', () => {
            clearTimeout(timer);
            resolve({
              statusCode: answer.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf-8') as unknown as TData,
              headers: answer.headers,
            });
          });
        },
      );
      // The whole exchange, not only socket inactivity: past it the outcome of a send is unknown.
      const timer = setTimeout(() => {
        request.destroy(networkError('ETIMEDOUT', `timeout of ${timeoutMs}ms exceeded`));
      }, timeoutMs);
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(body);
    });
    this.lastResponse = response;
    return response;
  }

  private basicAuthorization(username: string, password: string): string {
    const cached = this.basicAuth;
    if (cached?.username === username && cached.password === password) return cached.header;
    const header = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    this.basicAuth = { username, password, header };
    return header;
  }
}

function networkError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

export interface TwilioClientSettings {
  accountSid: string;
  authToken: string;
  /** null keeps https://api.twilio.com. */
  apiBaseUrl: string | null;
  timeoutMs: number;
  /** Concurrent requests expected (sockets kept open). Default 20. */
  maxSockets?: number;
  /** Outbound proxy settings (AppConfig.egressProxy); null or absent = direct. */
  proxy?: EgressProxyConfig | null;
}

/** A twilio client with a request timeout and the lean transport, redirected to `apiBaseUrl` when given. */
export function createTwilioClient(settings: TwilioClientSettings): twilio.Twilio {
  return twilio(settings.accountSid, settings.authToken, {
    httpClient: new LeanRequestClient({
      timeout: settings.timeoutMs,
      maxSockets: settings.maxSockets ?? 20,
      apiBaseUrl: settings.apiBaseUrl,
      proxy: settings.proxy ?? null,
    }),
  });
}
