import { applyDecorators, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeController, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiKeyScope, Permission } from '@lien/shared';
import { AllowApiKey, Public, RequirePermission } from './auth/decorators.js';
import { UuidParamPipe } from './auth/uuid-param.pipe.js';
import {
  ApiErrors,
  ApiSuccess,
  type ContentResult,
  type ErrorAnswer,
  type JsonResult,
  type NoContentResult,
  type RedirectResult,
} from './openapi.js';

/**
 * The one way to declare an API route: `@Route('GET :id', 'parents.read', { summary, errors: [404], result })` for
 * a signed-in route, `@PublicRoute('POST login', { status: 200, summary, errors, result })` for one without sign-in,
 * `result` being the success answer (`'ParentDetail'`, see `RouteResult`). Each states only what is particular
 * to it; the bundle adds what every such route has. The class says the same once:
 * `@ApiController('parents', 'api/parents')`.
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

/**
 * The success answer (`result`, see `RouteResult`) and its status: Nest's default (201 for POST, 200 otherwise)
 * unless `status` says another; a `noContent` result answers 204, a `redirect` the handler's 302, neither a `status`.
 */
type RouteSuccess =
  | { status?: 200 | 201 | 202; result: JsonResult | ContentResult }
  | { status?: never; result: NoContentResult | RedirectResult };

export type RouteDoc = RouteSuccess & {
  /** The operation's one line (the generated client's doc comment); a route documented by its result alone has none. */
  summary?: string;
  /** The longer text: error codes, limits, throttling. */
  description?: string;
  /** The error answers particular to this route. */
  errors?: ErrorAnswer[];
};

export type SignedInRouteDoc = RouteDoc & {
  /** Partner API keys holding this scope may call the route too (`AllowApiKey`). */
  apiKey?: ApiKeyScope;
};

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
  const { result } = doc;
  // Nest is told the status (`HttpCode`) only when it is not its default; a redirect's is the handler's own.
  const httpCode = typeof result === 'object' && 'noContent' in result ? 204 : doc.status;
  const redirect = typeof result === 'object' && 'redirect' in result;
  const status = redirect ? 302 : (httpCode ?? (method === 'POST' ? 201 : 200));
  return [
    MAPPINGS[method](path),
    ...(httpCode ? [HttpCode(httpCode)] : []),
    ...(doc.summary ? [ApiOperation({ summary: doc.summary, description: doc.description })] : []),
    ApiSuccess(result, status),
  ];
}
