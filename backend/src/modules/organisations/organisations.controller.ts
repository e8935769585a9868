import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganisationSettingsResponse, OrganisationSummary } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/auth/uuid-param.pipe.js';
import type { AuditContext } from '../audit/audit.service.js';
import { CreateOrganisationDto, UpdateOrganisationDto } from './dto/organisation.dto.js';
import { OrganisationsService } from './organisations.service.js';
import { ApiErrors, ApiResult } from '../../common/openapi.js';

const organisationId = new UuidParamPipe('Organisation');

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('api/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @RequirePermission('organisations.manage')
  @ApiOperation({ summary: 'Create an organisation (platform admin); settings default to the brief’s' })
  @ApiResult('OrganisationSummary', { status: 201 })
  @ApiErrors(400, 401, 403)
  create(@Body() body: CreateOrganisationDto, @Audit() audit: AuditContext): Promise<OrganisationSummary> {
    return this.organisations.create(body, audit);
  }

  @Get()
  @RequirePermission('self')
  @ApiOperation({
    summary:
      'Organisations visible to the caller: all (platform admin), territory (coordinator), own (others)',
  })
  @ApiResult('OrganisationSummary', { isArray: true })
  @ApiErrors(401, 403)
  list(@CurrentUser() user: AuthUser): Promise<OrganisationSummary[]> {
    return this.organisations.list(user);
  }

  @Get(':id')
  @RequirePermission('self')
  @ApiOperation({ summary: 'One organisation; 404 outside the caller’s scope' })
  @ApiResult('OrganisationSummary')
  @ApiErrors(401, 403, 404)
  get(@Param('id', organisationId) id: string, @CurrentUser() user: AuthUser): Promise<OrganisationSummary> {
    return this.organisations.get(user, id);
  }

  @Patch(':id')
  @RequirePermission('organisations.manage')
  @ApiOperation({ summary: 'Rename or re-locate an organisation (platform admin)' })
  @ApiResult('OrganisationSummary')
  @ApiErrors(400, 401, 403, 404)
  update(
    @Param('id', organisationId) id: string,
    @Body() body: UpdateOrganisationDto,
    @Audit() audit: AuditContext,
  ): Promise<OrganisationSummary> {
    return this.organisations.update(id, body, audit);
  }

  @Get(':id/settings')
  @RequirePermission('organisation.settings.read')
  @ApiOperation({ summary: 'Settings of the caller’s organisation (professionals and org admins)' })
  @ApiResult('OrganisationSettingsResponse')
  @ApiErrors(401, 403, 404)
  getSettings(
    @Param('id', organisationId) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<OrganisationSettingsResponse> {
    return this.organisations.getSettings(user, id);
  }

  @Patch(':id/settings')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: 'Merge a partial settings patch (org admin); 400 names each invalid field path' })
  @ApiBody({
    schema: {
      type: 'object',
      example: { quietHours: { start: '09:00', end: '19:00' }, reminders: { count: 2 } },
    },
  })
  @ApiResult('OrganisationSettingsResponse')
  @ApiErrors(400, 401, 403, 404)
  patchSettings(
    @Param('id', organisationId) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthUser,
    @Audit() audit: AuditContext,
  ): Promise<OrganisationSettingsResponse> {
    return this.organisations.patchSettings(user, id, body, audit);
  }
}
