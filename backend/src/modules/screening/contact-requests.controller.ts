import { Body, Req } from '@nestjs/common';
import type {
  ContactRequestCreated,
  ContactRequestIdentity,
  ContactRequestView,
  ParentDetail,
} from '@lien/shared';
import type { Request } from 'express';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, OrgCaller } from '../../common/auth/decorators.js';
import { tooManyAttempts } from '../../common/auth/rate-limiter.js';
import { DomainError, invalidFields } from '../../common/errors.js';
import { ApiController, IdParam, PublicRoute, Route } from '../../common/route.js';
import { requestOrigin } from '../../common/request-context.js';
import { EnrolContactRequestDto } from './dto/enrol-contact-request.dto.js';
import { ScreeningService } from './screening.service.js';
import { parseContactJson } from './screening-input.js';

/** A 400 on the `formStamp` field (taken from the result page): `code` says why, `detail` is the field's message. */
function formStampRefused(code: string, message: string, detail: string): DomainError {
  return new DomainError('invalid', code, `formStamp: ${message}`, [{ field: 'formStamp', message: detail }]);
}

/** The JSON door of "be contacted" (for scripted clients of the result page): the same checks as the form. */
@ApiController('screening', 'api/public/contact-requests')
export class PublicContactRequestsController {
  constructor(private readonly screening: ScreeningService) {}

  @PublicRoute('POST', {
    summary:
      'Ask to be contacted after a self-screening (formStamp from the result page); 400 names every bad field',
    errors: [
      {
        400: 'invalid_input (details name every bad field), form_expired, form_too_fast (formStamp) or form_refused',
      },
      429,
    ],
    result: 'ContactRequestCreated',
  })
  async create(@Body() body: unknown, @Req() request: Request): Promise<ContactRequestCreated> {
    const { input, unknownKeys } = parseContactJson(body);
    if (unknownKeys.length > 0)
      throw invalidFields(
        unknownKeys.map((field) => ({ field, message: `property ${field} should not exist` })),
      );
    const outcome = await this.screening.requestContact(input, requestOrigin(request));
    switch (outcome.kind) {
      case 'rate_limited':
        throw tooManyAttempts(
          outcome.retryAfterSeconds,
          'Too many contact requests from this network; try again later',
        );
      case 'refused':
        throw new DomainError('invalid', 'form_refused', 'The form could not be accepted');
      case 'expired':
        throw formStampRefused(
          'form_expired',
          'the form has expired; take the screening again',
          'has expired or is not valid',
        );
      case 'too_fast':
        throw formStampRefused(
          'form_too_fast',
          'sent too quickly; please take your time',
          'sent too quickly after the page was shown',
        );
      case 'invalid':
        throw invalidFields(outcome.errors);
      case 'created':
        return { id: outcome.request.id, organisationName: outcome.organisation.name, delay: outcome.delay };
    }
  }
}

/** Contact requests on the professionals' side (the alert shows the request; the identity is an audited read). */
@ApiController('screening', 'api/contact-requests')
export class ContactRequestsController {
  constructor(private readonly screening: ScreeningService) {}

  @Route('GET :id', 'alerts.read', {
    summary: 'A contact request without its identity',
    errors: [404],
    result: 'ContactRequestView',
  })
  get(@IdParam('Contact request') id: string, @CurrentOrg() scope: OrgScope): Promise<ContactRequestView> {
    return this.screening.view(scope, id);
  }

  @Route('GET :id/identity', 'parents.read', {
    summary: "The requester's first name, phone and e-mail (audited read)",
    errors: [404],
    result: 'ContactRequestIdentity',
  })
  identity(
    @IdParam('Contact request') id: string,
    @OrgCaller() { scope, audit }: OrgCaller,
  ): Promise<ContactRequestIdentity> {
    return this.screening.identity(scope, id, audit);
  }

  @Route('POST :id/enrol', 'parents.write', {
    summary: 'Turn the request into an enrolment (pre-filled; consent recorded; day 7 / day 42 planned)',
    errors: [400, 404, { 409: 'contact_request_enrolled (already an enrolment) or duplicate_parent' }],
    result: 'ParentDetail',
  })
  enrol(
    @IdParam('Contact request') id: string,
    @Body() body: EnrolContactRequestDto,
    @OrgCaller() { scope, user, audit }: OrgCaller,
  ): Promise<ParentDetail> {
    return this.screening.enrol(scope, id, body, user, audit);
  }
}
