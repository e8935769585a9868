import { IsISO8601, Matches } from 'class-validator';
import type { AuditQuery } from '@lien/shared';
import { Field, UuidField } from '../../../common/api-fields.js';
import { PageQuery } from '../../../common/paging.js';

export class AuditQueryDto extends PageQuery implements AuditQuery {
  @UuidField({ optional: true, description: 'Platform admins: any organisation; org admins: their own' })
  organisationId?: string;

  @Field(
    {
      optional: true,
      example: 'auth.login.failure',
      description: 'Exact action, or a prefix ending with "*" (e.g. "auth.*")',
    },
    Matches(/^[a-z0-9_.]{1,64}\*?$/, {
      message: 'action must be an action name such as "settings.update" or a prefix such as "auth.*"',
    }),
  )
  action?: string;

  @UuidField({ optional: true }) actorId?: string;
  @Field(
    { optional: true, example: '2026-03-01T00:00:00Z' },
    IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' }),
  )
  from?: string;

  @Field(
    { optional: true, example: '2026-04-01T00:00:00Z' },
    IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' }),
  )
  to?: string;
}
