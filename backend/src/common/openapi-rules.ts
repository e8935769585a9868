import type { OpenAPIObject } from '@nestjs/swagger';

/** What makes the OpenAPI document usable by integrators; the spec and the client generator both check it. */

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface MediaLike {
  schema?: unknown;
}
interface ResponseLike {
  description?: string;
  content?: Record<string, MediaLike>;
}
export interface OperationLike {
  operationId?: string;
  security?: unknown[];
  responses?: Record<string, ResponseLike>;
}

export interface Operation {
  method: string;
  path: string;
  operation: OperationLike;
}

export function operationsOf(document: OpenAPIObject): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {}))
    for (const method of METHODS) {
      const operation = (item as Record<string, OperationLike | undefined>)[method];
      if (operation) operations.push({ method, path, operation });
    }
  return operations;
}

/** Answers with no body: their status says it all. */
const BODYLESS = new Set(['204', '205', '301', '302', '303', '307', '308']);

/** A 2xx (or a redirect) per operation, whose body, if any, has a schema under an explicit content type. */
export function operationsWithoutResult(document: OpenAPIObject): string[] {
  const missing: string[] = [];
  for (const { method, path, operation } of operationsOf(document)) {
    const results = Object.entries(operation.responses ?? {}).filter(([status]) => /^[23]\d\d$/.test(status));
    const ok = results.some(([status, response]) => {
      if (BODYLESS.has(status)) return true;
      const media = Object.values(response.content ?? {});
      return media.length > 0 && media.every((entry) => isSchema(entry.schema));
    });
    if (!ok) missing.push(`${method.toUpperCase()} ${path}`);
  }
  return missing;
}

/** Operations documenting several success answers (2xx or redirects): a client could not tell which it gets. */
export function operationsWithSeveralResults(document: OpenAPIObject): string[] {
  return operationsOf(document).flatMap(({ method, path, operation }) => {
    const statuses = Object.keys(operation.responses ?? {}).filter((status) => /^[23]\d\d$/.test(status));
    return statuses.length > 1 ? [`${method.toUpperCase()} ${path}: ${statuses.join(', ')}`] : [];
  });
}

function isSchema(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return false;
  const s = schema as Record<string, unknown>;
  return (
    typeof s.$ref === 'string' ||
    typeof s.type === 'string' ||
    Array.isArray(s.oneOf) ||
    Array.isArray(s.allOf)
  );
}

/** 4xx answers without a body schema, and signed-in operations that do not say they can answer 401. */
export function operationsWithoutErrors(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  for (const { method, path, operation } of operationsOf(document)) {
    const name = `${method.toUpperCase()} ${path}`;
    const responses = operation.responses ?? {};
    for (const [status, response] of Object.entries(responses))
      if (/^4\d\d$/.test(status)) {
        const media = Object.values(response.content ?? {});
        if (!media.length || !media.every((entry) => isSchema(entry.schema)))
          problems.push(`${name} ${status} has no schema`);
      }
    if (operation.security?.length && !responses['401']) problems.push(`${name} is signed-in but has no 401`);
  }
  return problems;
}

/** `$ref`s that point nowhere in the document. */
export function unresolvedRefs(document: OpenAPIObject): string[] {
  const broken = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && resolve(document, value) === undefined)
        broken.add(value);
      else visit(value);
    }
  };
  visit(document);
  return [...broken];
}

function resolve(document: OpenAPIObject, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Missing, duplicate or non-identifier operationIds (each becomes a function name in the client). */
export function badOperationIds(document: OpenAPIObject): string[] {
  const seen = new Map<string, number>();
  const problems: string[] = [];
  for (const { method, path, operation } of operationsOf(document)) {
    const id = operation.operationId;
    if (!id || !/^[a-z][A-Za-z0-9]*$/.test(id))
      problems.push(`${method.toUpperCase()} ${path}: ${id ?? 'none'}`);
    else seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  for (const [id, count] of seen) if (count > 1) problems.push(`${id} used ${count} times`);
  return problems;
}
