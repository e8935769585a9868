import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthUser } from './auth-user.js';
import { requestOrigin } from '../request-context.js';

/** Who acted, for the audit log (written by `modules/audit/audit.service.ts`, which re-exports this type). */
export interface AuditContext {
  actorId: string | null;
  organisationId: string | null;
  ip?: string | null;
  requestId?: string | null;
}

/**
 * Who is acting, from where, under which request id: what the audit log needs, as a parameter. A partner API key
 * is its own actor (its id), so every use of a key is traceable to it.
 */
export const Audit = createParamDecorator((_data: unknown, context: ExecutionContext): AuditContext =>
  auditContextOf(context),
);

/** The same, for the decorators that bundle it with the caller (`@Caller()`, `@OrgCaller()`). */
export function auditContextOf(context: ExecutionContext): AuditContext {
  const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
  return {
    actorId: request.user?.apiKey?.id ?? request.user?.id ?? null,
    organisationId: request.user?.organisationId ?? null,
    ...requestOrigin(request),
  };
}
