import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { EgressProxyConfig } from '../config/config.js';

/**
 * Outbound connections through the hospital's or authority's proxy (HTTPS_PROXY for https targets,
 * HTTP_PROXY for http ones, NO_PROXY for exceptions), as an HTTP CONNECT tunnel: the proxy sees only the
 * host and port, TLS stays end to end, and the tunnelled socket is kept alive by the agent like a direct one.
 */
export class EgressProxy {
  private readonly rules: Array<{ host: string; port: string | null; suffix: boolean }>;
  private readonly all: boolean;

  constructor(private readonly config: EgressProxyConfig) {
    const entries = (config.noProxy ?? '')
      .split(/[\s,]+/)
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean);
    this.all = entries.includes('*');
    this.rules = entries
      .filter((entry) => entry !== '*')
      .map((entry) => {
        const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
        if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ?? null, suffix: false };
        const hostPort = /^([^:]+):(\d+)$/.exec(entry);
        const [host, port] = hostPort ? [hostPort[1]!, hostPort[2]!] : [entry, null];
        return { host: host.replace(/^\*?\./, ''), port, suffix: true };
      });
  }

  get enabled(): boolean {
    return Boolean(this.config.httpsProxy ?? this.config.httpProxy);
  }

  /** The proxy to go through for `target`, or null to connect directly. */
  for(target: URL): URL | null {
    const proxy = target.protocol === 'https:' ? this.config.httpsProxy : this.config.httpProxy;
    if (!proxy || this.all) return null;
    const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = target.port || (target.protocol === 'https:' ? '443' : '80');
    const bypass = this.rules.some(
      (rule) =>
        (rule.port === null || rule.port === port) &&
        (host === rule.host || (rule.suffix && host.endsWith(`.${rule.host}`))),
    );
    return bypass ? null : new URL(proxy);
  }
}

type Callback = (error: Error | null, socket?: Duplex) => void;
interface ConnectOptions {
  host?: string | null;
  hostname?: string | null;
  port?: number | string | null;
  servername?: string;
  timeout?: number;
}

/** Opens a CONNECT tunnel to host:port through `proxy` and hands over the raw socket. */
function openTunnel(proxy: URL, options: ConnectOptions, done: Callback): void {
  const host = options.hostname ?? options.host ?? 'localhost';
  const authority = `${host.includes(':') ? `[${host}]` : host}:${options.port}`;
  const headers: Record<string, string> = { Host: authority };
  if (proxy.username)
    headers['Proxy-Authorization'] =
      `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
  const connect = (proxy.protocol === 'https:' ? https : http).request({
    host: proxy.hostname,
    port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
    method: 'CONNECT',
    path: authority,
    headers,
    agent: false,
    timeout: options.timeout ?? 15_000,
  });
  let settled = false;
  const finish = (error: Error | null, socket?: Duplex): void => {
    if (settled) return;
    settled = true;
    done(error, socket);
  };
  connect.once('connect', (answer, socket) => {
    if (answer.statusCode !== 200) {
      socket.destroy();
      finish(
        Object.assign(new Error(`proxy refused the tunnel (${answer.statusCode})`), { code: 'ECONNREFUSED' }),
      );
      return;
    }
    finish(null, socket);
  });
  connect.once('timeout', () =>
    connect.destroy(Object.assign(new Error('proxy timeout'), { code: 'ETIMEDOUT' })),
  );
  connect.once('error', (error) => finish(error));
  connect.end();
}

/** An http.Agent whose connections are CONNECT tunnels through `proxy` (pooled and kept alive as usual). */
export class HttpTunnelAgent extends http.Agent {
  constructor(
    private readonly proxy: URL,
    options: http.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: ConnectOptions, callback: Callback): undefined {
    openTunnel(this.proxy, options, callback);
    return undefined;
  }
}

/** The https counterpart: TLS to the target (certificate checked as usual) inside the tunnel. */
export class HttpsTunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: ConnectOptions & tls.ConnectionOptions, callback: Callback): undefined {
    openTunnel(this.proxy, options, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error('no tunnel'));
      const host = options.hostname ?? options.host ?? undefined;
      const secure = tls.connect({
        ...options,
        socket,
        servername: options.servername ?? (host && !/^[\d.:]+$/.test(host) ? host : undefined),
      });
      callback(null, secure);
    });
    return undefined;
  }
}

/** The agent for `target`: a tunnel through the proxy when one applies, else `direct`. Cached per proxy. */
export class EgressAgents {
  private readonly tunnels = new Map<string, http.Agent>();

  constructor(
    private readonly proxy: EgressProxy,
    private readonly options: http.AgentOptions,
    private readonly direct: { http: http.Agent; https: https.Agent },
  ) {}

  for(target: URL): http.Agent {
    const secure = target.protocol === 'https:';
    const through = this.proxy.for(target);
    if (!through) return secure ? this.direct.https : this.direct.http;
    const key = `${target.protocol}${through.href}`;
    let agent = this.tunnels.get(key);
    if (!agent) {
      agent = secure
        ? new HttpsTunnelAgent(through, this.options)
        : new HttpTunnelAgent(through, this.options);
      this.tunnels.set(key, agent);
    }
    return agent;
  }

  destroy(): void {
    for (const agent of this.tunnels.values()) agent.destroy();
  }
}

type FetchInit = { method: string; headers: Record<string, string>; body?: unknown; signal?: AbortSignal };

/**
 * A fetch for openid-client (its `customFetch`) that goes through the proxy when one applies; otherwise the
 * global fetch. Buffers the answer (discovery documents, JWKS and tokens are small).
 */
export function proxiedFetch(proxy: EgressProxy): (url: string, init: FetchInit) => Promise<Response> {
  const agents = new EgressAgents(
    proxy,
    { keepAlive: true, maxSockets: 10 },
    { http: http.globalAgent, https: https.globalAgent },
  );
  return async (url, init) => {
    const target = new URL(url);
    if (!proxy.for(target)) return fetch(url, init as RequestInit);
    const body =
      init.body === undefined || init.body === null
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : init.body instanceof URLSearchParams
            ? init.body.toString()
            : Buffer.from(
                await new Response(init.body as ConstructorParameters<typeof Response>[0]).arrayBuffer(),
              );
    return new Promise<Response>((resolve, reject) => {
      const request = (target.protocol === 'https:' ? https : http).request(
        target,
        { method: init.method, headers: init.headers, agent: agents.for(target), signal: init.signal },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('error', reject);
          answer.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(answer.headers))
              for (const item of Array.isArray(value) ? value : [value])
                if (item !== undefined) headers.append(name, item);
            const status = answer.statusCode ?? 502;
            const empty = status === 204 || status === 304;
            resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers }));
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  };
}
