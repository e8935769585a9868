import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_ORGANISATION_SETTINGS } from '@lien/shared';
import { makeAlert } from '../testing/alerts-factories.js';
import { makeUser } from '../testing/factories.js';
import { startIdentityApi, stopTestApi, type IdentityApi } from '../testing/api-spec.js';
import { makeParent } from '../testing/parents-factories.js';
import { makeLinkedInvitation } from '../testing/questionnaire-factories.js';

jest.setTimeout(120_000);

/**
 * Every operation of the OpenAPI document the app serves, called as each role and signed out, with malformed
 * path parameters, queries and bodies generated from the document itself (seeded, so a failure replays).
 * No answer may be a 5xx; every 4xx is the house error shape without a stack.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  minimum?: number;
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Schema;
}
interface Operation {
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface Case {
  /** Path with its parameters filled in (already URL-encoded). */
  path: string;
  query: string;
  /** Raw JSON text, or undefined for no body. */
  body?: string;
  what: string;
}

interface Failure {
  identity: string;
  method: string;
  path: string;
  what: string;
  status: number;
  body: string;
}

/** mulberry32: small, fast, seeded. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample<T>(items: readonly T[], count: number, next: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(next() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy.slice(0, count);
}

const deepJson = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Values of the wrong type, size or shape for any body property (JSON text). */
const BAD_VALUES: readonly string[] = [
  'null',
  '0',
  '-1',
  '1.5',
  '1e308',
  '-99999999999999999999',
  'true',
  '""',
  '"x"',
  '"-1"',
  '"2026-02-30"',
  '"../../../etc/passwd"',
  '"\\u0000"',
  JSON.stringify('é🙂\u202e'.repeat(300)),
  JSON.stringify('A'.repeat(20_000)),
  '[]',
  '[1,"a",null,{}]',
  '{}',
  '{"a":{"b":[1]}}',
  deepJson(40),
];

/** Whole bodies of the wrong kind. */
const BAD_BODIES: readonly string[] = ['null', '[]', '"text"', '42', 'true', '[{}]', deepJson(5000), '{"a":'];

/** Path parameter values, URL-encoded. */
const BAD_PATH_VALUES: readonly string[] = [
  'not-a-uuid',
  '0',
  '-1',
  '9'.repeat(300),
  encodeURIComponent('é🙂'),
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  'null',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '%00',
  '%FF',
  'a'.repeat(3000),
];

/** Query values, URL-encoded; `name` is the parameter's name. */
const BAD_QUERIES: readonly ((name: string) => string)[] = [
  (name) => `${name}=`,
  (name) => `${name}=-1`,
  (name) => `${name}=0`,
  (name) => `${name}=1.5`,
  (name) => `${name}=1e309`,
  (name) => `${name}=99999999999999999999999`,
  (name) => `${name}=abc`,
  (name) => `${name}=null`,
  (name) => `${name}=%00`,
  (name) => `${name}=%FF`,
  (name) => `${name}=${encodeURIComponent('é🙂,,,')}`,
  (name) => `${name}=${'x'.repeat(5000)}`,
  (name) => `${name}=1&${name}=2`,
  (name) => `${name}[a]=1`,
  (name) => `${name}[]=1`,
  (name) => `${name}[$ne]=x`,
  (name) => `${name}=2026-02-30`,
  (name) => `${name}=all,${'x,'.repeat(500)}`,
];

function resolve(document: OpenApiDocument, schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return resolve(document, document.components?.schemas?.[name]);
  }
  if (schema.allOf?.length) return resolve(document, schema.allOf[0]);
  return schema;
}

/** A plausible value for a schema, so that mutating one property leaves the others valid. */
function plausible(
  document: OpenApiDocument,
  raw: Schema | undefined,
  ids: Record<string, string>,
  depth = 0,
): unknown {
  const schema = resolve(document, raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.format === 'uuid') return ids.organisation;
  switch (schema.type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 3 ? [] : [plausible(document, schema.items, ids, depth + 1)];
    case 'string':
      return 'x';
    default:
      if (!schema.properties || depth > 3) return {};
      // Required properties only: optional ones would often make the plausible body invalid by combination.
      return Object.fromEntries(
        Object.entries(schema.properties)
          .filter(([key]) => schema.required?.includes(key))
          .map(([key, value]) => [key, plausible(document, value, ids, depth + 1)]),
      );
  }
}

/** Optional fields a plausible body needs to pass the service's cross-field rules. */
const EXTRA_PLAUSIBLE: Record<string, Record<string, unknown>> = {
  EnrolParentDto: { birthDate: '2026-02-26' },
};

function withExtra(value: unknown, extra: Record<string, unknown> | undefined): unknown {
  return extra && typeof value === 'object' && value !== null ? { ...value, ...extra } : value;
}

/** The real id behind a path parameter, by the route it belongs to. */
function validPathValue(path: string, ids: Record<string, string>): string {
  if (path.includes('{token}')) return ids.token!;
  if (path.startsWith('/api/organisations')) return ids.organisation!;
  if (path.startsWith('/api/users')) return ids.user!;
  if (path.startsWith('/api/parents')) return ids.parent!;
  if (path.startsWith('/api/alerts')) return ids.alert!;
  return ids.organisation!;
}

function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_match, name: string) => values[name] ?? 'x');
}

const SENTINEL = '\u0001fuzz\u0001';
const MAX_BODY_FIELDS = 16;

/** Paths of the fields inside a plausible body, objects and arrays included, to a depth of 3. */
function nestedFields(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null || prefix.length >= 3) return [];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [index, item] as const)
    : Object.entries(value as Record<string, unknown>);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...nestedFields(child, [...prefix, key])]);
}

function setAt(target: Record<string, unknown>, field: (string | number)[], value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of field.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[field[field.length - 1]!] = value;
}

/** The cases of one operation, from its parameters and body schema, sampled with `next`. */
function casesOf(
  document: OpenApiDocument,
  path: string,
  operation: Operation,
  ids: Record<string, string>,
  next: () => number,
): Case[] {
  const parameters = operation.parameters ?? [];
  const pathNames = parameters.filter((p) => p.in === 'path').map((p) => p.name);
  const queryNames = parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const valid = Object.fromEntries(pathNames.map((name) => [name, validPathValue(path, ids)]));
  const validPath = fill(path, valid);
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  const extra = EXTRA_PLAUSIBLE[schema?.$ref?.split('/').pop() ?? ''];
  const baseBody = !schema
    ? undefined
    : path.endsWith('/settings')
      ? // The settings patch is free-form in the document: the defaults are a complete, valid patch.
        structuredClone(DEFAULT_ORGANISATION_SETTINGS)
      : withExtra(plausible(document, schema, ids), extra);
  const baseText = baseBody === undefined ? undefined : JSON.stringify(baseBody);
  const cases: Case[] = [{ path: validPath, query: '', body: baseText, what: 'plausible' }];

  for (const name of pathNames)
    for (const value of sample(BAD_PATH_VALUES, 5, next))
      cases.push({
        path: fill(path, { ...valid, [name]: value }),
        query: '',
        body: baseText,
        what: `path ${name}=${value.slice(0, 40)}`,
      });

  for (const name of queryNames)
    for (const make of sample(BAD_QUERIES, 3, next)) {
      const query = make(name);
      cases.push({ path: validPath, query, body: baseText, what: `query ${query.slice(0, 60)}` });
    }
  cases.push({ path: validPath, query: 'unknown=1&x[y][z]=2', body: baseText, what: 'query unknown keys' });

  if (schema) {
    for (const body of sample(BAD_BODIES, 4, next))
      cases.push({ path: validPath, query: '', body, what: `body ${body.slice(0, 40)}` });
    const properties = resolve(document, schema).properties ?? {};
    const base = (typeof baseBody === 'object' && baseBody !== null ? baseBody : {}) as Record<
      string,
      unknown
    >;
    // Each declared property, and every nested field of the plausible body, replaced by a bad value.
    const fields = new Map<string, (string | number)[]>();
    for (const key of Object.keys(properties)) fields.set(JSON.stringify([key]), [key]);
    for (const field of nestedFields(base)) fields.set(JSON.stringify(field), field);
    for (const field of sample([...fields.values()], MAX_BODY_FIELDS, next))
      for (const value of sample(BAD_VALUES, 2, next)) {
        const copy = structuredClone(base);
        setAt(copy, field, SENTINEL);
        // Raw text: the value may be any JSON, deep nesting included.
        const text = JSON.stringify(copy).replace(JSON.stringify(SENTINEL), value);
        cases.push({
          path: validPath,
          query: '',
          body: text,
          what: `body.${field.join('.')}=${value.slice(0, 40)}`,
        });
      }
    cases.push({
      path: validPath,
      query: '',
      body: JSON.stringify({ ...base, unexpected: { nested: [1, 2] } }),
      what: 'body unknown property',
    });
  }
  return cases;
}

/** Side effects that would end the world's usefulness for later calls run last. */
function order(path: string): number {
  return /\/(withdraw|deactivate|logout)$/.test(path) ? 1 : 0;
}

/** The parsed text, or undefined when it is not JSON (JSON.parse never yields undefined). */
function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The house error shape on /api; a FHIR OperationOutcome on /fhir (what FHIR clients expect). */
function houseShapeProblem(path: string, status: number, contentType: string, text: string): string | null {
  if (/\bat [^\s]+ \(?[^\s)]+\.(js|ts|mjs):\d+/.test(text) || /"stack"/.test(text)) return 'stack trace';
  if (status < 400) return null;
  if (path.startsWith('/fhir/')) return operationOutcomeProblem(contentType, text);
  if (!contentType.includes('application/json')) return `content type ${contentType}`;
  const body = jsonOf(text);
  if (body === undefined) return 'not JSON';
  const shaped = body as { statusCode?: unknown; error?: unknown; message?: unknown };
  if (shaped.statusCode !== status || typeof shaped.error !== 'string' || typeof shaped.message !== 'string')
    return 'not the house error shape';
  return null;
}

function operationOutcomeProblem(contentType: string, text: string): string | null {
  if (!contentType.includes('application/fhir+json')) return `content type ${contentType}`;
  const body = jsonOf(text);
  if (body === undefined) return 'not JSON';
  const outcome = body as { resourceType?: unknown; issue?: unknown };
  if (
    outcome.resourceType !== 'OperationOutcome' ||
    !Array.isArray(outcome.issue) ||
    outcome.issue.length === 0
  )
    return 'not an OperationOutcome';
  return null;
}

describe('OpenAPI fuzz: every operation, every role, malformed input (real HTTP stack)', () => {
  let { environment, api: app, dataSource, world } = {} as IdentityApi;
  let base: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ environment, api: app, dataSource, world } = await startIdentityApi());
    const victim = await makeUser(dataSource, { role: 'professional', organisationId: world.orgA.id });
    const parent = await makeParent(dataSource, environment.config, world.orgA);
    const alert = await makeAlert(dataSource, parent);
    const { tokens } = await makeLinkedInvitation(dataSource, world.orgA, { parent });
    Object.assign(ids, {
      organisation: world.orgA.id,
      user: victim.id,
      parent: parent.id,
      alert: alert.id,
      token: tokens[0]!,
    });
    base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  it('answers no operation with a 5xx, and every 4xx in the house shape without a stack', async () => {
    const document = (await (await fetch(`${base}/api/docs-json`)).json()) as OpenApiDocument;
    const operations = Object.entries(document.paths)
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          path,
          method: method.toUpperCase(),
          operation,
        })),
      )
      .sort((a, b) => order(a.path) - order(b.path));
    // The document really is the app's: a regression that empties it must not pass silently.
    expect(operations.length).toBeGreaterThanOrEqual(40);

    const identities: [string, string | null][] = [
      ['signed out', null],
      ['professional', world.professionalA.token],
      ['org admin', world.orgAdminA.token],
      ['coordinator', world.coordinator.token],
      ['platform admin', world.platformAdmin.token],
    ];
    const failures: Failure[] = [];
    /** Operations some identity got past the guard on (an answer other than 401/403). */
    const reached = new Set<string>();
    let calls = 0;
    // FUZZ_SEED replays or explores another sample; the default keeps the suite deterministic.
    const next = random(Number(process.env.FUZZ_SEED ?? 20261204));
    for (const { path, method, operation } of operations) {
      for (const [identity, token] of identities) {
        // A fresh sample per identity; signed out, protected routes stop at the guard: a few cases suffice.
        const cases = casesOf(document, path, operation, ids, next);
        const mine = token === null && operation.security?.length ? cases.slice(0, 4) : cases;
        for (const fuzz of mine) {
          const headers: Record<string, string> = {};
          if (token) headers.Authorization = `Bearer ${token}`;
          if (fuzz.body !== undefined) headers['Content-Type'] = 'application/json';
          const url = `${base}${fuzz.path}${fuzz.query ? `?${fuzz.query}` : ''}`;
          const response = await fetch(url, {
            method,
            headers,
            body: method === 'GET' ? undefined : fuzz.body,
            redirect: 'manual',
            signal: AbortSignal.timeout(15_000),
          });
          calls += 1;
          const contentType = response.headers.get('content-type') ?? '';
          let text = '';
          // The alert stream never ends by itself: its headers are the answer.
          if (contentType.includes('text/event-stream')) await response.body?.cancel();
          else text = await response.text();
          if (response.status !== 401 && response.status !== 403) reached.add(`${method} ${path}`);
          const problem =
            response.status >= 500
              ? 'server error'
              : houseShapeProblem(path, response.status, contentType, text);
          if (problem)
            failures.push({
              identity,
              method,
              path: fuzz.path.slice(0, 120),
              what: `${fuzz.what} (${problem})`,
              status: response.status,
              body: text.slice(0, 200),
            });
        }
      }
    }
    // Every operation was called as every identity, and each got past the guard for someone.
    expect(calls).toBeGreaterThan(operations.length * identities.length * 4);
    expect(
      operations.map(({ method, path }) => `${method} ${path}`).filter((key) => !reached.has(key)),
    ).toEqual([]);
    expect(failures).toEqual([]);
  });
});
