import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type EgressProxyConfig } from '../config/config.js';
import nodemailer from 'nodemailer';
import { smtpTransportOptions } from '../modules/notifications/email-delivery.service.js';
import { createSmsProvider } from '../modules/sms/sms-provider.js';
import { startSmtpServer } from '../testing/alerts-factories.js';
import { startFakeTwilio, type FakeTwilio } from '../testing/fake-twilio/fake-twilio-server.js';
import { EgressProxy, HttpsTunnelAgent, proxiedFetch } from './egress-proxy.js';

interface ConnectProxy {
  url: string;
  /** host:port of every CONNECT received, in order. */
  connects: string[];
  close: () => Promise<void>;
}

/** A tiny HTTP CONNECT proxy on node:net: it answers CONNECT only, then pipes bytes both ways. */
async function startConnectProxy(): Promise<ConnectProxy> {
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const match = /^CONNECT (\S+):(\d+) HTTP\/1\.[01]\r\n/.exec(head.toString('latin1'));
      if (!match) {
        client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
        return;
      }
      connects.push(`${match[1]}:${match[2]}`);
      const upstream = net.connect(Number(match[2]), match[1]!.replace(/^\[|\]$/g, ''), () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length) upstream.write(rest);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const proxyConfig = (overrides: Partial<EgressProxyConfig>): EgressProxyConfig => ({
  httpsProxy: null,
  httpProxy: null,
  noProxy: null,
  ...overrides,
});

describe('EgressProxy: which targets go through the proxy', () => {
  const proxy = new EgressProxy(
    proxyConfig({
      httpsProxy: 'http://proxy.chu.local:3128',
      httpProxy: 'http://plain.chu.local:8080',
      noProxy: 'localhost, .internal.chu.fr,smtp.chu.fr:25 [::1] 10.0.0.7',
    }),
  );
  const via = (url: string): string | null => proxy.for(new URL(url))?.host ?? null;

  it('uses HTTPS_PROXY for https targets and HTTP_PROXY for http ones', () => {
    expect(via('https://api.twilio.com/2010-04-01/Accounts')).toBe('proxy.chu.local:3128');
    expect(via('http://fake.example:8080/')).toBe('plain.chu.local:8080');
  });

  it('bypasses NO_PROXY hosts, domain suffixes, host:port entries, IPs and IPv6', () => {
    expect(via('https://localhost/')).toBeNull();
    expect(via('https://sso.internal.chu.fr/')).toBeNull();
    expect(via('https://internal.chu.fr/')).toBeNull();
    expect(via('https://notinternal.chu.fr/')).toBe('proxy.chu.local:3128');
    expect(via('http://smtp.chu.fr:25/')).toBeNull();
    expect(via('http://smtp.chu.fr:587/')).toBe('plain.chu.local:8080');
    expect(via('https://[::1]:8443/')).toBeNull();
    expect(via('https://10.0.0.7/')).toBeNull();
  });

  it('is off without a proxy, and NO_PROXY=* bypasses everything', () => {
    expect(new EgressProxy(proxyConfig({})).enabled).toBe(false);
    expect(new EgressProxy(proxyConfig({})).for(new URL('https://api.twilio.com/'))).toBeNull();
    const all = new EgressProxy(proxyConfig({ httpsProxy: 'http://p:1', noProxy: '*' }));
    expect(all.for(new URL('https://api.twilio.com/'))).toBeNull();
  });

  it('reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) from the environment, checked', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: 'postgres://localhost/x',
      https_proxy: 'http://proxy.chu.local:3128',
      NO_PROXY: 'localhost',
    });
    expect(config.egressProxy).toEqual({
      httpsProxy: 'http://proxy.chu.local:3128',
      httpProxy: null,
      noProxy: 'localhost',
    });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x', HTTPS_PROXY: 'socks5://p:1' })).toThrow(
      /HTTPS_PROXY must use http: or https:/,
    );
  });
});

describe('SMS to the fake Twilio through a CONNECT proxy', () => {
  let fake: FakeTwilio;
  let proxy: ConnectProxy;

  beforeAll(async () => {
    fake = await startFakeTwilio({ autoCallbacks: false });
    proxy = await startConnectProxy();
  });
  afterAll(async () => {
    await proxy.close();
    await fake.close();
  });
  beforeEach(() => {
    proxy.connects.length = 0;
    fake.reset();
  });

  const providerWith = (env: Record<string, string>) =>
    createSmsProvider(
      loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: 'postgres://localhost/unused',
        TWILIO_ACCOUNT_SID: fake.accountSid,
        TWILIO_AUTH_TOKEN: fake.authToken,
        TWILIO_API_BASE_URL: fake.baseUrl,
        ...env,
      }),
      undefined as never,
    );
  const send = (provider: ReturnType<typeof providerWith>, n: number) =>
    provider.send({
      smsMessageId: `00000000-0000-4000-8000-00000000000${n}`,
      organisationId: '00000000-0000-4000-8000-000000000000',
      to: `+3375611000${n}`,
      body: `Bonjour ${n}`,
      sender: 'Lien62',
      statusCallbackUrl: `http://lien.test/api/webhooks/twilio/status?m=${n}`,
    });

  it('sends through the proxy (one tunnel, kept alive across sends)', async () => {
    const provider = providerWith({ HTTP_PROXY: proxy.url });
    for (let n = 1; n <= 5; n += 1) await send(provider, n);
    expect(fake.messages.map((message) => message.body)).toEqual([1, 2, 3, 4, 5].map((n) => `Bonjour ${n}`));
    const target = new URL(fake.baseUrl).host;
    expect(proxy.connects).toEqual([target]);
  });

  it('goes direct for a NO_PROXY host', async () => {
    const provider = providerWith({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    await send(provider, 1);
    expect(fake.messages).toHaveLength(1);
    expect(proxy.connects).toEqual([]);
  });

  it('goes direct without a proxy configured (the lean transport as before)', async () => {
    await send(providerWith({}), 1);
    expect(fake.messages).toHaveLength(1);
    expect(proxy.connects).toEqual([]);
  });
});

describe('https through the tunnel, and the OIDC fetch', () => {
  let proxy: ConnectProxy;
  let directory: string;
  let server: https.Server;
  let plain: http.Server;
  let cert: Buffer;

  beforeAll(async () => {
    proxy = await startConnectProxy();
    directory = mkdtempSync(path.join(tmpdir(), 'lien-proxy-'));
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      path.join(directory, 'key.pem'),
      '-out',
      path.join(directory, 'cert.pem'),
    ]);
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
    cert = readFileSync(path.join(directory, 'cert.pem'));
    server = https.createServer(
      { key: readFileSync(path.join(directory, 'key.pem')), cert },
      (request, response) => {
        response.end(`secure ${request.method} ${request.url}`);
      },
    );
    plain = http.createServer((request, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ issuer: 'http://idp', path: request.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => plain.close(resolve));
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps TLS end to end inside the CONNECT tunnel, certificate checked against the target name', async () => {
    const port = (server.address() as AddressInfo).port;
    const agent = new HttpsTunnelAgent(new URL(proxy.url), { keepAlive: true, ca: cert });
    const get = () =>
      new Promise<string>((resolve, reject) => {
        https
          .get(`https://localhost:${port}/twilio`, { agent }, (answer) => {
            let text = '';
            answer.on('data', (chunk: Buffer) => (text += chunk.toString()));
            answer.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
    expect(await get()).toBe('secure GET /twilio');
    expect(await get()).toBe('secure GET /twilio');
    expect(proxy.connects).toEqual([`localhost:${port}`]);
    // An untrusted certificate is refused even through the tunnel.
    const untrusting = new HttpsTunnelAgent(new URL(proxy.url), {});
    await expect(
      new Promise((resolve, reject) =>
        https.get(`https://localhost:${port}/`, { agent: untrusting }, resolve).on('error', reject),
      ),
    ).rejects.toThrow(/self.signed|certificate/i);
    agent.destroy();
    untrusting.destroy();
  });

  it('proxiedFetch (openid-client customFetch) goes through the proxy, or direct for NO_PROXY', async () => {
    proxy.connects.length = 0;
    const port = (plain.address() as AddressInfo).port;
    const through = proxiedFetch(new EgressProxy(proxyConfig({ httpProxy: proxy.url })));
    const answer = await through(`http://127.0.0.1:${port}/.well-known/openid-configuration`, {
      method: 'GET',
      headers: { accept: 'application/json' },
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ issuer: 'http://idp', path: '/.well-known/openid-configuration' });
    expect(proxy.connects).toEqual([`127.0.0.1:${port}`]);

    const bypass = proxiedFetch(new EgressProxy(proxyConfig({ httpProxy: proxy.url, noProxy: '127.0.0.1' })));
    const direct = await bypass(`http://127.0.0.1:${port}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code' }),
    });
    expect(((await direct.json()) as { path: string }).path).toBe('/token');
    expect(proxy.connects).toHaveLength(1);
  });
});

describe('SMTP through the CONNECT proxy', () => {
  it('sends mail through HTTPS_PROXY, and directly for a NO_PROXY host', async () => {
    const proxy = await startConnectProxy();
    const smtp = await startSmtpServer();
    try {
      const smtpPort = new URL(smtp.url).port;
      const mail = {
        from: 'no-reply@lien.test',
        to: 'pro@chu.test',
        subject: 'Alerte',
        text: 'Une alerte vous attend.',
      };
      const proxied = nodemailer.createTransport(
        smtpTransportOptions(smtp.url, proxyConfig({ httpsProxy: proxy.url })),
      );
      await proxied.sendMail(mail);
      proxied.close();
      await smtp.waitFor(1);
      expect(proxy.connects).toEqual([`127.0.0.1:${smtpPort}`]);

      const direct = nodemailer.createTransport(
        smtpTransportOptions(smtp.url, proxyConfig({ httpsProxy: proxy.url, noProxy: '127.0.0.1' })),
      );
      await direct.sendMail(mail);
      direct.close();
      await smtp.waitFor(2);
      expect(proxy.connects).toHaveLength(1);
    } finally {
      await smtp.close();
      await proxy.close();
    }
  });
});
