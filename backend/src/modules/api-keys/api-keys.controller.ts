import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiKeyView, CreatedApiKey } from '@lien/shared';
import type { AuthUser, OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, CurrentUser, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/auth/uuid-param.pipe.js';
import type { AuditContext } from '../audit/audit.service.js';
import { ApiErrors, ApiResult } from '../../common/openapi.js';
import { ApiKeysService } from './api-keys.service.js';
import { CreateApiKeyDto } from './dto/api-key.dto.js';

@ApiTags('integrations')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('api/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @RequirePermission('integrations.manage')
  @ApiOperation({ summary: 'Create a partner API key (the key is in this answer only)' })
  @ApiResult('CreatedApiKey', { status: 201 })
  @ApiErrors(400)
  create(
    @Body() body: CreateApiKeyDto,
    @CurrentUser() user: AuthUser,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<CreatedApiKey> {
    return this.keys.create(scope, user, body, audit);
  }

  @Get()
  @RequirePermission('integrations.manage')
  @ApiOperation({ summary: 'The organisation’s API keys (prefix only, never the key)' })
  @ApiResult('ApiKeyView', { isArray: true })
  list(@CurrentOrg() scope: OrgScope): Promise<ApiKeyView[]> {
    return this.keys.list(scope);
  }

  @Delete(':id')
  @RequirePermission('integrations.manage')
  @ApiOperation({ summary: 'Revoke an API key: refused (401) from its next request on' })
  @ApiResult('ApiKeyView', { description: 'The key, now revoked' })
  @ApiErrors(400, 404, { 409: 'already_revoked: the key was revoked before' })
  revoke(
    @Param('id', new UuidParamPipe('API key')) id: string,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<ApiKeyView> {
    return this.keys.revoke(scope, id, audit);
  }
}
