import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  ContactRequestCreated,
  ContactRequestIdentity,
  ContactRequestView,
  ParentDetail,
} from '@lien/shared';
import type { Request } from 'express';
import type { AuthUser, OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, CurrentUser, Public, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { tooManyAttempts } from '../../common/auth/rate-limiter.js';
import { UuidParamPipe } from '../../common/auth/uuid-param.pipe.js';
import { DomainError, invalidFields } from '../../common/errors.js';
import { ApiErrors, ApiResult } from '../../common/openapi.js';
import type { AuditContext } from '../audit/audit.service.js';
import { clientIp, parentRequestContext } from '../questionnaire/questionnaire-page.controller.js';
import { EnrolContactRequestDto } from './dto/enrol-contact-request.dto.js';
import { ScreeningService } from './screening.service.js';
import { parseContactJson } from './screening-input.js';

/** The JSON door of "be contacted" (for scripted clients of the result page): the same checks as the form. */
@ApiTags('screening')
@Public()
@Controller('api/public/contact-requests')
export class PublicContactRequestsController {
  constructor(private readonly screening: ScreeningService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Ask to be contacted after a self-screening (formStamp from the result page); 400 names every bad field',
  })
  @ApiResult('ContactRequestCreated', { status: 201 })
  @ApiErrors(
    {
      400: 'invalid_input (details name every bad field), form_expired, form_too_fast (formStamp) or form_refused',
    },
    429,
  )
  async create(@Body() body: unknown, @Req() request: Request): Promise<ContactRequestCreated> {
    const { input, unknownKeys } = parseContactJson(body);
    if (unknownKeys.length > 0)
      throw invalidFields(
        unknownKeys.map((field) => ({ field, message: `property ${field} should not exist` })),
      );
    const outcome = await this.screening.requestContact(input, clientIp(request), {
      requestId: parentRequestContext(request).requestId,
    });
    switch (outcome.kind) {
      case 'rate_limited':
        throw tooManyAttempts(
          outcome.retryAfterSeconds,
          'Too many contact requests from this network; try again later',
        );
      case 'refused':
        throw new DomainError('invalid', 'form_refused', 'The form could not be accepted');
      case 'expired':
        throw new DomainError(
          'invalid',
          'form_expired',
          'formStamp: the form has expired; take the screening again',
          [{ field: 'formStamp', message: 'has expired or is not valid' }],
        );
      case 'too_fast':
        throw new DomainError(
          'invalid',
          'form_too_fast',
          'formStamp: sent too quickly; please take your time',
          [{ field: 'formStamp', message: 'sent too quickly after the page was shown' }],
        );
      case 'invalid':
        throw invalidFields(outcome.errors);
      case 'created':
        return { id: outcome.request.id, organisationName: outcome.organisation.name, delay: outcome.delay };
    }
  }
}

/** Contact requests on the professionals' side (the alert shows the request; the identity is an audited read). */
@ApiTags('screening')
@ApiBearerAuth()
@Controller('api/contact-requests')
export class ContactRequestsController {
  constructor(private readonly screening: ScreeningService) {}

  @Get(':id')
  @RequirePermission('alerts.read')
  @ApiOperation({ summary: 'A contact request without its identity' })
  @ApiResult('ContactRequestView')
  @ApiErrors(401, 403, 404)
  get(
    @Param('id', new UuidParamPipe('Contact request')) id: string,
    @CurrentOrg() scope: OrgScope,
  ): Promise<ContactRequestView> {
    return this.screening.view(scope, id);
  }

  @Get(':id/identity')
  @RequirePermission('parents.read')
  @ApiOperation({ summary: "The requester's first name, phone and e-mail (audited read)" })
  @ApiResult('ContactRequestIdentity')
  @ApiErrors(401, 403, 404)
  identity(
    @Param('id', new UuidParamPipe('Contact request')) id: string,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<ContactRequestIdentity> {
    return this.screening.identity(scope, id, audit);
  }

  @Post(':id/enrol')
  @RequirePermission('parents.write')
  @ApiOperation({
    summary: 'Turn the request into an enrolment (pre-filled; consent recorded; day 7 / day 42 planned)',
  })
  @ApiResult('ParentDetail', { status: 201 })
  @ApiErrors(400, 401, 403, 404, {
    409: 'contact_request_enrolled (already an enrolment) or duplicate_parent',
  })
  enrol(
    @Param('id', new UuidParamPipe('Contact request')) id: string,
    @Body() body: EnrolContactRequestDto,
    @CurrentUser() user: AuthUser,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<ParentDetail> {
    return this.screening.enrol(scope, id, body, user, audit);
  }
}
