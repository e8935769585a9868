import type { OpenAPIObject } from '@nestjs/swagger';
import { operationsOf } from '../common/openapi-rules.js';
import { formatWithPrettier } from './contract-schemas.js';

/**
 * Renders the TypeScript client of `clients/typescript/lien-api.ts` from the OpenAPI document: one type per
 * schema component and one function per operation over `fetch`. No dependency: integrators copy one file.
 */

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  description?: string;
  format?: string;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
  description?: string;
}

interface OperationObject {
  operationId: string;
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
  security?: unknown[];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string): string => (IDENTIFIER.test(name) ? name : JSON.stringify(name));
const refName = (ref: string): string => ref.replace('#/components/schemas/', '');

function typeOf(schema: Schema | undefined): string {
  if (!schema) return 'unknown';
  const base = baseTypeOf(schema);
  return schema.nullable && base !== 'unknown' ? `${base} | null` : base;
}

function wrap(type: string): string {
  return /[|&]/.test(type) ? `(${type})` : type;
}

function baseTypeOf(schema: Schema): string {
  if (schema.$ref) return refName(schema.$ref);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.oneOf ?? schema.anyOf) return (schema.oneOf ?? schema.anyOf ?? []).map(typeOf).join(' | ');
  if (schema.allOf) return schema.allOf.map((part) => wrap(typeOf(part))).join(' & ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `${wrap(typeOf(schema.items))}[]`;
    case 'object':
    case undefined:
      return objectTypeOf(schema);
    default:
      return 'unknown';
  }
}

function objectTypeOf(schema: Schema): string {
  const properties = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  const record =
    extra === undefined || extra === false
      ? null
      : `Record<string, ${extra === true ? 'unknown' : typeOf(extra)}>`;
  if (!properties.length) return record ?? (schema.type === 'object' ? 'Record<string, unknown>' : 'unknown');
  const required = new Set(schema.required ?? []);
  const body = properties.map(
    ([name, property]) =>
      `${docOf(property.description)}${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(property)};`,
  );
  const literal = `{\n${body.join('\n')}\n}`;
  return record ? `${literal} & ${record}` : literal;
}

function docOf(text: string | undefined): string {
  return text ? `/** ${text.replace(/\*\//g, '* /').replace(/\s+/g, ' ').trim()} */\n` : '';
}

function renderSchema(name: string, schema: Schema): string {
  const isInterface =
    (schema.type === 'object' || !schema.type) && schema.properties && !schema.additionalProperties;
  if (isInterface && !schema.nullable && !schema.$ref && !schema.oneOf && !schema.allOf) {
    return `${docOf(schema.description)}export interface ${name} ${objectTypeOf(schema)}`;
  }
  return `${docOf(schema.description)}export type ${name} = ${typeOf(schema)};`;
}

interface Rendered {
  signature: string;
  body: string;
}

function resultOf(operation: OperationObject): { type: string; read: string } {
  const responses = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
  for (const [, response] of responses) {
    const json = response.content?.['application/json'];
    if (json) return { type: typeOf(json.schema), read: 'json' };
    const types = Object.keys(response.content ?? {});
    if (types.includes('text/event-stream')) return { type: 'Response', read: 'raw' };
    if (types.length) return { type: 'string', read: 'text' };
  }
  return { type: 'void', read: 'none' };
}

function renderOperation(method: string, path: string, operation: OperationObject): Rendered {
  const parameters = operation.parameters ?? [];
  const pathParams = parameters.filter((parameter) => parameter.in === 'path');
  const queryParams = parameters.filter((parameter) => parameter.in === 'query');
  const fields: string[] = [];
  let anyRequired = false;
  for (const parameter of pathParams) {
    fields.push(`${docOf(parameter.description)}${key(parameter.name)}: string;`);
    anyRequired = true;
  }
  if (queryParams.length) {
    const queryRequired = queryParams.some((parameter) => parameter.required);
    anyRequired ||= queryRequired;
    const members = queryParams.map(
      (parameter) =>
        `${docOf(parameter.description)}${key(parameter.name)}${parameter.required ? '' : '?'}: ${
          // A query parameter is text on the wire whatever the document forgot to say.
          typeOf(parameter.schema).replace(/^unknown$/, 'string')
        };`,
    );
    fields.push(`query${queryRequired ? '' : '?'}: {\n${members.join('\n')}\n};`);
  }
  const content = operation.requestBody?.content ?? {};
  const bodyType = Object.keys(content)[0];
  if (bodyType) {
    const required = operation.requestBody?.required ?? false;
    anyRequired ||= required;
    const type =
      bodyType === 'application/json' ? typeOf(content[bodyType]?.schema) : 'Record<string, string>';
    fields.push(`body${required ? '' : '?'}: ${type};`);
  }
  const result = resultOf(operation);
  const params = fields.length ? `, params: {\n${fields.join('\n')}\n}${anyRequired ? '' : ' = {}'}` : '';
  const urlPath = path.replace(/\{(\w+)\}/g, (_, name: string) => `\${encodeURIComponent(params.${name})}`);
  const options = [
    `method: '${method.toUpperCase()}'`,
    `path: \`${urlPath}\``,
    queryParams.length ? 'query: params.query' : '',
    bodyType ? `body: params.body, bodyType: '${bodyType}'` : '',
    `read: '${result.read}'`,
  ].filter(Boolean);
  const doc = [operation.summary, operation.description].filter(Boolean).join('\n\n');
  const comment = `/**\n${[...doc.split('\n'), '', `\`${method.toUpperCase()} ${path}\``]
    .map((line) => ` * ${line.replace(/\*\//g, '* /')}`.trimEnd())
    .join('\n')}\n */`;
  return {
    signature: operation.operationId,
    body: `${comment}\nexport function ${operation.operationId}(client: LienClient${params}): Promise<${result.type}> {\n  return call<${result.type}>(client, { ${options.join(', ')} });\n}`,
  };
}

const RUNTIME = `/** Where the API is and who calls it. \`token\` is the access token of POST /api/auth/login (Bearer). */
export interface LienClient {
  /** e.g. "https://lien.example.org" (no trailing slash needed). */
  baseUrl: string;
  /** The bearer token, or a function answering the current one (refreshed tokens). */
  token?: string | (() => string | undefined);
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
}

/** Any answer outside 2xx: the status and the house error body (\`code\` says which rule). */
export class LienApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | null,
  ) {
    super(body?.message ?? \`HTTP \${status}\`);
    this.name = 'LienApiError';
  }
}

interface Call {
  method: string;
  path: string;
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  bodyType?: string;
  read: 'json' | 'text' | 'raw' | 'none';
}

async function call<T>(client: LienClient, request: Call): Promise<T> {
  const url = new URL(client.baseUrl.replace(/\\/+$/, '') + request.path);
  for (const [name, value] of Object.entries(request.query ?? {}))
    if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
  const headers: Record<string, string> = { Accept: request.read === 'json' ? 'application/json' : '*/*' };
  const token = typeof client.token === 'function' ? client.token() : client.token;
  if (token) headers.Authorization = \`Bearer \${token}\`;
  let body: string | undefined;
  if (request.body !== undefined) {
    headers['Content-Type'] = request.bodyType ?? 'application/json';
    body =
      request.bodyType === 'application/x-www-form-urlencoded'
        ? new URLSearchParams(request.body as Record<string, string>).toString()
        : JSON.stringify(request.body);
  }
  const response = await (client.fetch ?? fetch)(url, { method: request.method, headers, body, redirect: 'manual' });
  if (response.status >= 400) {
    const text = await response.text();
    let error: ApiError | null = null;
    try {
      error = JSON.parse(text) as ApiError;
    } catch {
      error = null;
    }
    throw new LienApiError(response.status, error);
  }
  switch (request.read) {
    case 'json':
      return (await response.json()) as T;
    case 'text':
      return (await response.text()) as T;
    case 'raw':
      return response as T;
    case 'none':
      await response.body?.cancel();
      return undefined as T;
  }
}`;

/** The whole client file (unformatted: the caller runs Prettier). */
export function renderClient(document: OpenAPIObject): string {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  if (!schemas.ApiError) throw new Error('The document has no ApiError schema');
  const names = Object.keys(schemas).sort();
  const operations = operationsOf(document).map(({ method, path, operation }) =>
    renderOperation(method, path, operation as OperationObject),
  );
  return [
    '// Generated by `npm run client:generate` from the Lien OpenAPI document (GET /api/docs-json).\n' +
      '// Do not edit: change the API (controllers, the shared contract) and generate again.',
    `// ${document.info.title}, version ${document.info.version}.`,
    ...names.map((name) => renderSchema(name, schemas[name] ?? {})),
    '',
    RUNTIME,
    '',
    ...operations.map((operation) => operation.body),
    '',
  ].join('\n\n');
}

/** Where the client is committed, from the repository root. */
export const CLIENT_PATH = 'clients/typescript/lien-api.ts';

/** The client as committed: rendered, then formatted by the repository's Prettier. */
export function generateClient(document: OpenAPIObject, root: string): string {
  return formatWithPrettier(root, CLIENT_PATH, renderClient(document));
}
