import { Body, Controller, Get, HttpCode, HttpStatus, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import type { AuditContext } from '../audit/audit.service.js';
import { ApiErrors, ApiResult } from '../../common/openapi.js';
import { PagingService, type RotaView } from './paging.service.js';

@ApiTags('paging')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('api/paging')
export class PagingController {
  constructor(private readonly paging: PagingService) {}

  @Get('rota')
  // The rota holds professionals' mobiles: org admins only, like the settings they write.
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: 'The on-call rota of the caller’s organisation, with the gaps nobody covers' })
  @ApiResult('RotaView')
  getRota(@CurrentOrg() scope: OrgScope): Promise<RotaView> {
    return this.paging.getRota(scope);
  }

  @Put('rota')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: 'Replace the on-call rota (org admin); 400 names each invalid field' })
  @ApiResult('RotaView')
  @ApiErrors(400)
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        ackMinutes: 10,
        voice: false,
        entries: [
          { userId: '…', weekdays: [1, 2, 3, 4, 5], start: '18:00', end: '08:00', phone: '+33612345678' },
        ],
      },
    },
  })
  putRota(
    @CurrentOrg() scope: OrgScope,
    @Body() body: unknown,
    @Audit() audit: AuditContext,
  ): Promise<RotaView> {
    return this.paging.putRota(scope, body, audit);
  }
}
