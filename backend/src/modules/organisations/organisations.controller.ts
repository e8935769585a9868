import { Body } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import type { OrganisationSettingsResponse, OrganisationSummary } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Caller, CurrentUser } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { ApiController, IdParam, Route } from '../../common/route.js';
import type { AuditContext } from '../audit/audit.service.js';
import { CreateOrganisationDto, UpdateOrganisationDto } from './dto/organisation.dto.js';
import { OrganisationsService } from './organisations.service.js';

@ApiController('organisations', 'api/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Route('POST', 'organisations.manage', {
    summary: 'Create an organisation (platform admin); settings default to the brief’s',
    errors: [400],
    result: 'OrganisationSummary',
  })
  create(@Body() body: CreateOrganisationDto, @Audit() audit: AuditContext): Promise<OrganisationSummary> {
    return this.organisations.create(body, audit);
  }

  @Route('GET', 'self', {
    summary:
      'Organisations visible to the caller: all (platform admin), territory (coordinator), own (others)',
    result: { schema: 'OrganisationSummary', isArray: true },
  })
  list(@CurrentUser() user: AuthUser): Promise<OrganisationSummary[]> {
    return this.organisations.list(user);
  }

  @Route('GET :id', 'self', {
    summary: 'One organisation; 404 outside the caller’s scope',
    errors: [404],
    result: 'OrganisationSummary',
  })
  get(@IdParam('Organisation') id: string, @CurrentUser() user: AuthUser): Promise<OrganisationSummary> {
    return this.organisations.get(user, id);
  }

  @Route('PATCH :id', 'organisations.manage', {
    summary: 'Rename or re-locate an organisation (platform admin)',
    errors: [400, 404],
    result: 'OrganisationSummary',
  })
  update(
    @IdParam('Organisation') id: string,
    @Body() body: UpdateOrganisationDto,
    @Audit() audit: AuditContext,
  ): Promise<OrganisationSummary> {
    return this.organisations.update(id, body, audit);
  }

  @Route('GET :id/settings', 'organisation.settings.read', {
    summary: 'Settings of the caller’s organisation (professionals and org admins)',
    errors: [404],
    result: 'OrganisationSettingsResponse',
  })
  getSettings(
    @IdParam('Organisation') id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<OrganisationSettingsResponse> {
    return this.organisations.getSettings(user, id);
  }

  @Route('PATCH :id/settings', 'organisation.settings.write', {
    summary: 'Merge a partial settings patch (org admin); 400 names each invalid field path',
    errors: [400, 404],
    result: 'OrganisationSettingsResponse',
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: { quietHours: { start: '09:00', end: '19:00' }, reminders: { count: 2 } },
    },
  })
  patchSettings(
    @IdParam('Organisation') id: string,
    @Body() body: unknown,
    @Caller() { user, audit }: Caller,
  ): Promise<OrganisationSettingsResponse> {
    return this.organisations.patchSettings(user, id, body, audit);
  }
}
