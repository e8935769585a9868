import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Permission } from '@lien/shared';
import type { Request } from 'express';
import { DomainError } from '../errors.js';
import type { AuthUser, OrgScope } from './auth-user.js';

export const PUBLIC_KEY = 'lien:public';
export const PERMISSION_KEY = 'lien:permission';

/** No sign-in needed (questionnaire page, webhooks with their own signature check, login, health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** The permission a signed-in user needs for this route; routes without it (or @Public) are refused. */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(PERMISSION_KEY, permission);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<Request & { user?: AuthUser }>().user;
  if (!user) throw new DomainError('unauthorised', 'unauthenticated', 'Authentication required');
  return user;
});

/** The organisation scope of the signed-in user; 404 for users who belong to none (coordinators, platform admins). */
export const CurrentOrg = createParamDecorator((_data: unknown, context: ExecutionContext): OrgScope => {
  const user = context.switchToHttp().getRequest<Request & { user?: AuthUser }>().user;
  if (!user) throw new DomainError('unauthorised', 'unauthenticated', 'Authentication required');
  if (!user.organisationId)
    throw new DomainError('forbidden', 'no_organisation', 'This account belongs to no organisation');
  return { organisationId: user.organisationId };
});
