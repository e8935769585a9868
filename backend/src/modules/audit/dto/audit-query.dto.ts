import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import type { AuditQuery } from '@lien/shared';
import { PageQuery } from '../../../common/paging.js';

export class AuditQueryDto extends PageQuery implements AuditQuery {
  @ApiPropertyOptional({ description: 'Platform admins: any organisation; org admins: their own' })
  @IsOptional()
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional({
    example: 'auth.login.failure',
    description: 'Exact action, or a prefix ending with "*" (e.g. "auth.*")',
  })
  @IsOptional()
  @Matches(/^[a-z0-9_.]{1,64}\*?$/, {
    message: 'action must be an action name such as "settings.update" or a prefix such as "auth.*"',
  })
  action?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'actorId must be a UUID' })
  actorId?: string;

  @ApiPropertyOptional({ example: '2026-03-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-04-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;
}
