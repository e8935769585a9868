import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { ApiKeyScope, Permission } from '@lien/shared';
import type { Request } from 'express';
import { DomainError } from '../errors.js';
import type { AuthUser, OrgScope } from './auth-user.js';
import { auditContextOf, type AuditContext } from './request-context.js';

export const PUBLIC_KEY = 'lien:public';
export const PERMISSION_KEY = 'lien:permission';
export const API_KEY_SCOPE_KEY = 'lien:api-key-scope';
/** The OpenAPI security scheme of partner API keys (see `buildOpenApiDocument`). */
export const PARTNER_KEY_SCHEME = 'partnerKey';

/** No sign-in needed (questionnaire page, webhooks with their own signature check, login, health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** The permission a signed-in user needs for this route; routes without it (or @Public) are refused. */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(PERMISSION_KEY, permission);

/**
 * The one explicit opt-in of a route for partner API keys: a key holding `scope` may call it (as well as users
 * with the route's permission). Routes without it answer 403 to every key.
 */
export const AllowApiKey = (scope: ApiKeyScope): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(API_KEY_SCOPE_KEY, scope),
    // Documented here, from the one opt-in, so the OpenAPI document cannot drift from the guard.
    ApiBearerAuth(PARTNER_KEY_SCHEME),
    ApiExtension('x-api-key-scope', scope),
  );

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser =>
  signedInUser(context),
);

/** The organisation scope of the signed-in user; 403 for users who belong to none (coordinators, platform admins). */
export const CurrentOrg = createParamDecorator((_data: unknown, context: ExecutionContext): OrgScope =>
  organisationOf(signedInUser(context)),
);

/** Who calls a route acting as their account (`@Caller() { user, audit }: Caller`). */
export interface Caller {
  user: AuthUser;
  audit: AuditContext;
}

/** The signed-in caller and the audit context of the request, in one parameter. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => ({
  user: signedInUser(context),
  audit: auditContextOf(context),
}));

/** Who calls a route acting in their organisation (`@OrgCaller() { scope, user, audit }: OrgCaller`). */
export interface OrgCaller extends Caller {
  scope: OrgScope;
}

/** `@Caller()` plus the organisation scope, refused like `@CurrentOrg()` to a user who belongs to none. */
export const OrgCaller = createParamDecorator((_data: unknown, context: ExecutionContext): OrgCaller => {
  const user = signedInUser(context);
  return { user, scope: organisationOf(user), audit: auditContextOf(context) };
});

function signedInUser(context: ExecutionContext): AuthUser {
  const user = context.switchToHttp().getRequest<Request & { user?: AuthUser }>().user;
  if (!user) throw new DomainError('unauthorised', 'unauthenticated', 'Authentication required');
  return user;
}

function organisationOf(user: AuthUser): OrgScope {
  if (!user.organisationId)
    throw new DomainError('forbidden', 'no_organisation', 'This account belongs to no organisation');
  return { organisationId: user.organisationId };
}
