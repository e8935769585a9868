import { applyDecorators, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeController, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiKeyScope, Permission } from '@lien/shared';
import { AllowApiKey, Public, RequirePermission } from './auth/decorators.js';
import { UuidParamPipe } from './auth/uuid-param.pipe.js';
import { ApiErrors, type ErrorAnswer } from './openapi.js';

/**
 * The one way to declare an API route: `@Route('GET :id', 'parents.read', { summary, errors: [404] })` for a
 * signed-in route, `@PublicRoute('POST login', { summary, errors: [400, 401] })` for one without sign-in. Each
 * states only what is particular to it; the bundle adds what every such route has. The success answer stays a
 * separate `@ApiResult(…)` line. The class says the same once: `@ApiController('parents', 'api/parents')`.
 */

/** The one way to declare an API controller: its group in the OpenAPI document (`tag`) and its base path. */
export function ApiController(tag: string, path: string): ClassDecorator {
  return applyDecorators(ApiTags(tag), Controller(path));
}

/** A controller left out of the OpenAPI document: the parents' HTML pages, Twilio's webhooks, metrics. */
export function UndocumentedController(path: string): ClassDecorator {
  return applyDecorators(ApiExcludeController(), Controller(path));
}

const MAPPINGS = { GET: Get, POST: Post, PUT: Put, PATCH: Patch, DELETE: Delete } as const;
type HttpMethod = keyof typeof MAPPINGS;

/** A request line without the controller's prefix: `'GET'` (the prefix itself), `'POST :id/events'`. */
export type RouteLine = HttpMethod | `${HttpMethod} ${string}`;

export interface RouteDoc {
  /** The operation's one line (the generated client's doc comment); a route documented by its result alone has none. */
  summary?: string;
  /** The longer text: error codes, limits, throttling. */
  description?: string;
  /** The success status when it is not Nest's default (201 for POST, 200 otherwise); `@ApiResult` says the same. */
  status?: 200 | 202 | 204;
  /** The error answers particular to this route. */
  errors?: ErrorAnswer[];
}

export interface SignedInRouteDoc extends RouteDoc {
  /** Partner API keys holding this scope may call the route too (`AllowApiKey`). */
  apiKey?: ApiKeyScope;
}

/**
 * A signed-in route: the callers need `permission` (or a partner key with `doc.apiKey`); the bearer scheme and the
 * 401 and 403 answers are added to the route's own errors.
 */
export function Route(line: RouteLine, permission: Permission, doc: SignedInRouteDoc): MethodDecorator {
  return applyDecorators(
    ...mapping(line, doc),
    SignedIn(permission, doc.apiKey),
    ApiErrors(401, 403, ...(doc.errors ?? [])),
  );
}

/** A route without sign-in: sign-in itself, or a link whose token is the credential. */
export function PublicRoute(line: RouteLine, doc: RouteDoc): MethodDecorator {
  return applyDecorators(...mapping(line, doc), Public(), ...(doc.errors ? [ApiErrors(...doc.errors)] : []));
}

/**
 * Who may call a signed-in route, and its security schemes in the OpenAPI document: for bundles that document
 * their errors in another shape (FHIR's OperationOutcome).
 */
export function SignedIn(permission: Permission, apiKey?: ApiKeyScope): MethodDecorator {
  return applyDecorators(
    RequirePermission(permission),
    ApiBearerAuth(),
    ...(apiKey ? [AllowApiKey(apiKey)] : []),
  );
}

/** The `:id` of the route, a UUID, else a 404 naming `what` (`@IdParam('Parent') id: string`). */
export const IdParam = (what: string): ParameterDecorator => Param('id', new UuidParamPipe(what));

function mapping(line: RouteLine, doc: RouteDoc): MethodDecorator[] {
  const [method, path] = line.split(' ') as [HttpMethod, string?];
  return [
    MAPPINGS[method](path),
    ...(doc.status ? [HttpCode(doc.status)] : []),
    ...(doc.summary ? [ApiOperation({ summary: doc.summary, description: doc.description })] : []),
  ];
}
