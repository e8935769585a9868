import { type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { roleHasPermission, type ApiKeyScope, type Permission } from '@lien/shared';
import type { Request } from 'express';
import { DomainError } from '../errors.js';
import { API_KEY_AUTHENTICATOR, looksLikeApiKey, type ApiKeyAuthenticator } from './api-key-principal.js';
import type { AuthUser } from './auth-user.js';
import { API_KEY_SCOPE_KEY, PERMISSION_KEY, PUBLIC_KEY } from './decorators.js';
import { requestOrigin } from '../request-context.js';

/**
 * The one global guard. A route is open only with @Public(); every other route needs a valid access token
 * and the permission named by @RequirePermission. A route with neither is refused (fail closed).
 * A partner API key (`Authorization: Bearer lien_live_…`) reaches only routes marked @AllowApiKey(scope) whose
 * scope the key holds, for its own organisation.
 */
@Injectable()
export class GlobalAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(API_KEY_AUTHENTICATOR) private readonly apiKeys?: ApiKeyAuthenticator,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (!permission) throw new DomainError('forbidden', 'route_without_permission', 'Forbidden');
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const bearer = bearerOf(request);
    if (bearer !== null && looksLikeApiKey(bearer)) {
      if (!this.apiKeys) throw new DomainError('unauthorised', 'invalid_api_key', 'Invalid API key');
      const origin = requestOrigin(request);
      const principal = await this.apiKeys.authenticate(bearer, origin.ip);
      const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(API_KEY_SCOPE_KEY, targets);
      if (!scope || !principal.apiKey?.scopes.includes(scope)) {
        throw new DomainError('forbidden', 'api_key_scope', 'This API key may not use this route');
      }
      request.user = principal;
      const { route } = request as unknown as { route?: { path?: unknown } };
      await this.apiKeys.recordUse(principal, {
        method: request.method,
        route: typeof route?.path === 'string' ? route.path : '',
        ...origin,
      });
      return true;
    }
    await super.canActivate(context);
    const user = request.user;
    if (!user || !roleHasPermission(user.role, permission)) {
      throw new DomainError('forbidden', 'missing_permission', 'Forbidden');
    }
    return true;
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error || !user) throw new DomainError('unauthorised', 'invalid_token', 'Invalid or expired session');
    return user;
  }
}

function bearerOf(request: Request): string | null {
  const header = request.headers?.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}
