import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { roleHasPermission, type Permission } from '@lien/shared';
import type { Request } from 'express';
import { DomainError } from '../errors.js';
import type { AuthUser } from './auth-user.js';
import { PERMISSION_KEY, PUBLIC_KEY } from './decorators.js';

/**
 * The one global guard. A route is open only with @Public(); every other route needs a valid access token
 * and the permission named by @RequirePermission. A route with neither is refused (fail closed).
 */
@Injectable()
export class GlobalAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (!permission) throw new DomainError('forbidden', 'route_without_permission', 'Forbidden');
    await super.canActivate(context);
    const user = context.switchToHttp().getRequest<Request & { user?: AuthUser }>().user;
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
