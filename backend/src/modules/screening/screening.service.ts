import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import {
  CONTACT_CONSENT_VERSION,
  DEFAULT_ORGANISATION_SETTINGS,
  childAgeBucket,
  departementOfPostalCode,
  formatUiText,
  getEpdsInstrument,
  getScreeningText,
  helpResources,
  regionOfDepartement,
  scoreEpds,
  type ApiErrorDetail,
  type ContactRequestIdentity,
  type ContactRequestView,
  type ContactRouting,
  type EpdsBand,
  type EpdsLanguage,
  type HelpResource,
  type ParentDetail,
  type ParentRole,
} from '@lien/shared';
import type { AuthUser, OrgScope } from '../../common/auth/auth-user.js';
import { clientNetworkKey, RateLimiter, type RateLimitResult } from '../../common/auth/rate-limiter.js';
import { Clock } from '../../common/clock.js';
import type { RequestOrigin } from '../../common/request-context.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { conflict, invalid, notFound } from '../../common/errors.js';
import { isEmailAddress } from '../../common/validation.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { AlertRulesService } from '../alerts/alert-rules.service.js';
import { evaluateResponse } from '../alerts/alert-rules.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { parseMobilePhone } from '../parents/phone.js';
import { WebhookOutbox } from '../outbound-webhooks/webhook-outbox.service.js';
import { ParentsService } from '../parents/parents.service.js';
import { QuestionnaireService, settingsOf } from '../questionnaire/questionnaire.service.js';
import type { ContactRequestEntity } from './contact-request.entity.js';
import { toContactRequestView } from './contact-request.view.js';
import type { EnrolContactRequestDto } from './dto/enrol-contact-request.dto.js';
import { FormStamps, type StampCheck, type StampPurpose } from './form-stamp.js';
import { ScreeningRepository } from './screening.repository.js';
import type { ContactInput, ScreeningForm } from './screening-input.js';

/** A human reads ten questions and three fields: faster than this is a script. */
export const SCREENING_MIN_SECONDS = 15;
/** Filling in a first name and a phone number. */
export const CONTACT_MIN_SECONDS = 5;
/** A form older than this is stale (its stamp expired): the parent starts again. */
export const FORM_MAX_SECONDS = 2 * 3600;
/**
 * Each public form's limit per client network (IPv4 address or IPv6 /64): screenings per 10 minutes, contact
 * requests per hour; and its least time between the page and the answer.
 */
const FORM_RULES: Record<StampPurpose, { limit: number; windowSeconds: number; minSeconds: number }> = {
  screening: { limit: 30, windowSeconds: 600, minSeconds: SCREENING_MIN_SECONDS },
  contact: { limit: 5, windowSeconds: 3600, minSeconds: CONTACT_MIN_SECONDS },
};

const HOUR_MS = 3_600_000;
const FIRST_NAME = /^(?=.*\p{L})[^\p{Cc}]{1,60}$/u;

export type ScreeningOutcome =
  | { kind: 'rate_limited' }
  | { kind: 'refused' }
  | { kind: 'stale'; reason: 'too_fast' | 'expired' | 'invalid' }
  | { kind: 'invalid' }
  | {
      kind: 'scored';
      screeningId: string;
      band: EpdsBand;
      item10Positive: boolean;
      resources: HelpResource[];
      contactStamp: string;
    };

export type ContactOutcome =
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'refused' }
  | { kind: 'expired' }
  | { kind: 'too_fast'; stamp: string }
  | { kind: 'invalid'; errors: ApiErrorDetail[] }
  | {
      kind: 'created';
      request: ContactRequestEntity;
      alertId: string;
      organisation: OrganisationEntity;
      delay: string;
      resources: HelpResource[];
    };

/**
 * Self-screening and "be contacted" requests. A screening is scored by the shared EPDS module with the default
 * thresholds of the parent's role and stored without anything that identifies the parent; a contact request is
 * routed (served postal code → département default → the region's first organisation, the coordinator's
 * queue → the platform's first organisation) and committed with its alert.
 */
@Injectable()
export class ScreeningService {
  private readonly stamps: FormStamps;

  constructor(
    private readonly repository: ScreeningRepository,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly encryption: FieldEncryption,
    private readonly alertRules: AlertRulesService,
    private readonly audit: AuditService,
    private readonly parents: ParentsService,
    private readonly webhooks: WebhookOutbox,
    private readonly questionnaire: QuestionnaireService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // A key of its own, derived from the blind-index key (never the key itself).
    this.stamps = new FormStamps(
      createHmac('sha256', config.blindIndexKey).update('lien-form-stamps').digest(),
    );
  }

  /** A fresh stamp for a screening form being rendered. */
  screeningStamp(): string {
    return this.stamps.issue({ purpose: 'screening', issuedAt: this.clock.now().getTime() });
  }

  /** The source a code names: its code when it exists, "unknown" otherwise, "direct" without a code. */
  async source(code: string | null): Promise<{ id: string | null; code: string }> {
    if (code === null) return { id: null, code: 'direct' };
    const normalised = code.trim().toLowerCase();
    const source = /^[a-z0-9-]{1,40}$/.test(normalised)
      ? await this.repository.findSourceByCode(normalised)
      : null;
    return source ? { id: source.id, code: source.code } : { id: null, code: 'unknown' };
  }

  async screen(
    form: ScreeningForm,
    language: EpdsLanguage,
    sourceCode: string | null,
    origin: RequestOrigin,
  ): Promise<ScreeningOutcome> {
    const network = await this.networkHit('screening', origin.ip);
    if (!network.allowed) return { kind: 'rate_limited' };
    if (form.honeypot) return { kind: 'refused' };
    const now = this.clock.now();
    const stamp = this.checkStamp('screening', form.stamp, now);
    if (!stamp.ok) return { kind: 'stale', reason: stamp.reason };
    const answers = form.answers.filter((answer): answer is number => answer !== undefined);
    if (
      form.missing.length > 0 ||
      answers.length !== form.answers.length ||
      form.unexpected ||
      form.role === null ||
      form.childAge === null ||
      form.postalCodeInvalid
    )
      return { kind: 'invalid' };
    const role: ParentRole = form.role;
    const score = scoreEpds(
      answers,
      getEpdsInstrument(language),
      DEFAULT_ORGANISATION_SETTINGS.thresholds[role],
      DEFAULT_ORGANISATION_SETTINGS.anxietyThreshold,
    );
    const source = await this.source(sourceCode);
    const screeningId = await this.repository.insertScreening({
      sourceId: source.id,
      sourceCode: source.code,
      role,
      childAge: childAgeBucket(form.childAge),
      departement: form.postalCode ? departementOfPostalCode(form.postalCode) : null,
      language,
      band: score.band,
      item10Positive: score.item10Positive,
      anxietyFlag: score.anxietyFlag,
      // Rounded down to the hour: the row cannot be matched with an access log's exact time.
      createdAt: new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS),
    });
    return {
      kind: 'scored',
      screeningId,
      band: score.band,
      item10Positive: score.item10Positive,
      resources: await this.resultResources(language, score.item10Positive, form.postalCode),
      contactStamp: this.contactStamp(screeningId),
    };
  }

  /** One more answer of a public form from this client's network, counted against the form's limit. */
  private networkHit(form: StampPurpose, ip: string | null): Promise<RateLimitResult> {
    const { limit, windowSeconds } = FORM_RULES[form];
    return this.limiter.hit(form, clientNetworkKey(ip), limit, windowSeconds);
  }

  /** A public form's stamp: ours, for this form, neither sent faster than a human could nor too old. */
  private checkStamp(form: StampPurpose, value: unknown, now: Date): StampCheck {
    return this.stamps.check(value, form, now.getTime(), FORM_RULES[form].minSeconds, FORM_MAX_SECONDS);
  }

  contactStamp(screeningId: string): string {
    return this.stamps.issue({ purpose: 'contact', issuedAt: this.clock.now().getTime(), screeningId });
  }

  /** National help, emergency numbers first when item 10 is positive (no organisation is known yet). */
  resources(language: EpdsLanguage, item10Positive: boolean): HelpResource[] {
    return helpResources(
      language,
      { item10Positive, band: 'low' },
      { contactPhone: null, localResources: [] },
    );
  }

  /**
   * The result page's resources: the national ones, and the referral directory of the organisation the postal
   * code routes to when one serves it or its département (a region's or the platform's first organisation is
   * not local to the parent: its places would be no help).
   */
  private async resultResources(
    language: EpdsLanguage,
    item10Positive: boolean,
    postalCode: string | null,
  ): Promise<HelpResource[]> {
    const organisation = await this.localOrganisation(postalCode);
    const localResources = organisation
      ? await this.questionnaire.directoryResources({ organisationId: organisation.id }, language)
      : [];
    return helpResources(language, { item10Positive, band: 'low' }, { contactPhone: null, localResources });
  }

  private async localOrganisation(postalCode: string | null): Promise<OrganisationEntity | null> {
    if (!postalCode) return null;
    const [serving] = await this.repository.organisationsServing(postalCode);
    if (serving) return serving;
    const departement = departementOfPostalCode(postalCode);
    if (!departement) return null;
    const [local] = await this.repository.organisationsOfDepartement(departement);
    return local ?? null;
  }

  /**
   * A "be contacted" request: checked (rate limit, honeypot, signed stamp and its time floor, fields), routed,
   * and stored encrypted with its alert in one transaction.
   */
  async requestContact(input: ContactInput, origin: RequestOrigin): Promise<ContactOutcome> {
    const network = await this.networkHit('contact', origin.ip);
    if (!network.allowed) return { kind: 'rate_limited', retryAfterSeconds: network.retryAfterSeconds };
    if (input.honeypot) return { kind: 'refused' };
    const now = this.clock.now();
    const stamp = this.checkStamp('contact', input.stamp, now);
    // Too fast: refused, with a fresh stamp so that the parent can simply send again.
    if (!stamp.ok && stamp.reason === 'too_fast' && stamp.stamp?.screeningId)
      return { kind: 'too_fast', stamp: this.contactStamp(stamp.stamp.screeningId) };
    if (!stamp.ok || !stamp.stamp.screeningId) return { kind: 'expired' };
    const screening = await this.repository.findScreening(stamp.stamp.screeningId);
    if (!screening) return { kind: 'expired' };

    const departement = input.postalCode ? departementOfPostalCode(input.postalCode) : null;
    const errors = this.checkContact(input, departement);
    if (errors.length > 0) return { kind: 'invalid', errors };
    const phone = input.phone
      ? (parseMobilePhone(input.phone, departement) as { ok: true; e164: string }).e164
      : null;
    const email = input.email ? input.email.toLowerCase() : null;

    const { organisation, routing } = await this.route(
      input.postalCode,
      departement ?? screening.departement,
    );
    const language = (input.language ?? screening.language) as EpdsLanguage;
    const verdict = evaluateResponse({
      band: screening.band,
      item10Positive: screening.item10Positive,
      anxietyFlag: screening.anxietyFlag,
    });
    // A parent who asks for help is called back within the moderate deadlines at least.
    const severity = verdict?.severity ?? 'moderate';
    const reasons = ['contact_request' as const, ...(verdict?.reasons ?? [])];
    const pregnant = screening.childAge === 'pregnant';
    const { request, alertId } = await this.repository.transaction(async (manager) => {
      const request = await this.repository.insertContactRequest(manager, {
        organisationId: organisation.id,
        screeningId: screening.id,
        routing,
        postalCode: input.postalCode,
        departement: departement ?? screening.departement,
        role: screening.role,
        language,
        childAgeWeeks: null,
        pregnant,
        band: screening.band,
        item10Positive: screening.item10Positive,
        firstNameEnc: this.encryption.encrypt(input.firstName),
        phoneEnc: phone ? this.encryption.encrypt(phone) : null,
        emailEnc: email ? this.encryption.encrypt(email) : null,
        channel: input.channel!,
        timeSlots: input.timeSlots,
        consentTextVersion: CONTACT_CONSENT_VERSION,
        consentedAt: now,
        status: 'open',
        enrolledParentId: null,
        createdAt: now,
      });
      const alert = await this.alertRules.raiseForContactRequest(
        organisation,
        manager,
        request.id,
        severity,
        reasons,
        {
          band: screening.band,
          item10Positive: screening.item10Positive,
          channel: request.channel,
          timeSlots: request.timeSlots,
          routing,
        },
      );
      // Ids and routing only: no name, phone, e-mail or postal code in the audit log.
      await this.audit.record(
        { actorId: null, organisationId: organisation.id, requestId: origin.requestId },
        {
          action: 'contact_request.create',
          targetType: 'contact_request',
          targetId: request.id,
          metadata: { alertId: alert.id, routing, severity, consentTextVersion: CONTACT_CONSENT_VERSION },
        },
        manager,
      );
      await this.webhooks.emit({ organisationId: organisation.id }, manager, 'contact_request.created', {
        contactRequestId: request.id,
        alertId: alert.id,
        parentId: null,
        band: screening.band,
        item10Positive: screening.item10Positive,
      });
      return { request, alertId: alert.id };
    });
    return {
      kind: 'created',
      request,
      alertId,
      organisation,
      delay: this.delayText(language, organisation, severity),
      resources: this.resources(language, screening.item10Positive),
    };
  }

  /**
   * "Be contacted" from an invited parent's result page: their own team, their known identity (the encrypted
   * values are copied, never decrypted), the response's band and item-10 flag; the request joins the parent's
   * open alert (or opens one), in one transaction.
   */
  async requestInvitedContact(
    link: { organisationId: string; parentId: string; invitationId: string },
    input: {
      channel: unknown;
      timeSlots: ContactInput['timeSlots'];
      consent: boolean;
      language: EpdsLanguage;
    },
    origin: RequestOrigin,
  ): Promise<
    | { kind: 'rate_limited' | 'unavailable' }
    | { kind: 'invalid'; errors: ApiErrorDetail[] }
    | { kind: 'created'; request: ContactRequestEntity; delay: string }
  > {
    const network = await this.networkHit('contact', origin.ip);
    const perLink = await this.limiter.hit('contact-link', link.invitationId, 3, 24 * 3600);
    if (!network.allowed || !perLink.allowed) return { kind: 'rate_limited' };
    const errors: ApiErrorDetail[] = [];
    if (input.channel !== 'call' && input.channel !== 'sms')
      errors.push({ field: 'channel', message: 'must be one of call, sms' });
    if (!input.consent) errors.push({ field: 'consent', message: 'must be given to pass the request on' });
    if (errors.length > 0) return { kind: 'invalid', errors };
    const [parent, organisation, response] = await Promise.all([
      this.repository.findParent(link.organisationId, link.parentId),
      this.repository.findOrganisation(link.organisationId),
      this.repository.responseOfInvitation(link.organisationId, link.invitationId),
    ]);
    if (!parent || !organisation || parent.status === 'withdrawn') return { kind: 'unavailable' };
    const verdict = response
      ? evaluateResponse({
          band: response.band,
          item10Positive: response.item10Positive,
          anxietyFlag: response.anxietyFlag,
        })
      : null;
    const severity = verdict?.severity ?? 'moderate';
    const now = this.clock.now();
    const request = await this.repository.transaction(async (manager) => {
      const request = await this.repository.insertContactRequest(manager, {
        organisationId: organisation.id,
        screeningId: null,
        routing: 'invited',
        postalCode: null,
        departement: organisation.departement,
        role: parent.role,
        language: input.language,
        childAgeWeeks: null,
        pregnant: parent.birthDate === null,
        band: response?.band ?? null,
        item10Positive: response?.item10Positive ?? false,
        firstNameEnc: parent.firstNameEnc,
        phoneEnc: parent.phoneEnc,
        emailEnc: null,
        channel: input.channel as 'call' | 'sms',
        timeSlots: input.timeSlots,
        consentTextVersion: CONTACT_CONSENT_VERSION,
        consentedAt: now,
        status: 'enrolled',
        enrolledParentId: parent.id,
        createdAt: now,
      });
      const raised = await this.alertRules.raise(
        organisation,
        manager,
        parent,
        severity,
        ['contact_request', ...(verdict?.reasons ?? [])],
        { contactRequestId: request.id },
      );
      await this.webhooks.emit({ organisationId: organisation.id }, manager, 'contact_request.created', {
        contactRequestId: request.id,
        alertId: raised.alert.id,
        parentId: parent.id,
        band: response?.band ?? null,
        item10Positive: response?.item10Positive ?? false,
      });
      await this.audit.record(
        { actorId: null, organisationId: organisation.id, requestId: origin.requestId },
        {
          action: 'contact_request.create',
          targetType: 'contact_request',
          targetId: request.id,
          metadata: { parentId: parent.id, routing: 'invited', consentTextVersion: CONTACT_CONSENT_VERSION },
        },
        manager,
      );
      return request;
    });
    return { kind: 'created', request, delay: this.delayText(input.language, organisation, severity) };
  }

  /** Field problems of a contact request, each named; neither phone nor e-mail names both. */
  checkContact(input: ContactInput, departement: string | null): ApiErrorDetail[] {
    const errors: ApiErrorDetail[] = [];
    if (!FIRST_NAME.test(input.firstName))
      errors.push({ field: 'firstName', message: 'must be 1 to 60 characters with at least one letter' });
    if (!input.phone && !input.email) {
      errors.push({
        field: 'phone',
        message: 'give a phone number or an e-mail address (neither was given)',
      });
      errors.push({
        field: 'email',
        message: 'give an e-mail address or a phone number (neither was given)',
      });
    }
    if (input.phone) {
      const phone = parseMobilePhone(input.phone, departement);
      if (!phone.ok) errors.push({ field: 'phone', message: phone.message });
    }
    if (input.email && !isEmailAddress(input.email))
      errors.push({ field: 'email', message: 'must be an e-mail address' });
    if (input.channel === null) errors.push({ field: 'channel', message: 'must be one of call, sms, email' });
    else if (input.channel === 'email' && !input.email)
      errors.push({ field: 'email', message: 'is required to be contacted by e-mail' });
    else if (input.channel !== 'email' && !input.phone)
      errors.push({
        field: 'phone',
        message: `is required to be contacted by ${input.channel === 'sms' ? 'SMS' : 'a call'}`,
      });
    if (input.postalCodeInvalid)
      errors.push({ field: 'postalCode', message: 'must be a French postal code of 5 digits' });
    if (!input.consent) errors.push({ field: 'consent', message: 'must be given to pass the request on' });
    // One problem per field is enough to act on.
    return errors.filter(
      (error, index) => errors.findIndex((other) => other.field === error.field) === index,
    );
  }

  /**
   * Who calls back: an organisation that serves the postal code; else the département's default (its oldest
   * organisation); else the coordinator's queue, which is the region's oldest organisation (coordinators see
   * figures, never named people, so a team of the region works the request); else the platform's oldest.
   */
  async route(
    postalCode: string | null,
    departement: string | null,
  ): Promise<{ organisation: OrganisationEntity; routing: ContactRouting }> {
    if (postalCode) {
      const [serving] = await this.repository.organisationsServing(postalCode);
      if (serving) return { organisation: serving, routing: 'postal_code' };
    }
    if (departement) {
      const [local] = await this.repository.organisationsOfDepartement(departement);
      if (local) return { organisation: local, routing: 'departement' };
      const region = regionOfDepartement(departement);
      if (region) {
        const [regional] = await this.repository.organisationsOfRegion(region);
        if (regional) return { organisation: regional, routing: 'region' };
      }
    }
    const first = await this.repository.firstOrganisation();
    if (!first) throw new Error('no organisation to route a contact request to');
    return { organisation: first, routing: 'national' };
  }

  private delayText(
    language: EpdsLanguage,
    organisation: OrganisationEntity,
    severity: keyof OrganisationEntity['settings']['deadlines'],
  ): string {
    const text = getScreeningText(language);
    const setting = settingsOf(organisation).deadlines[severity];
    if (setting.contactWorkingDays !== undefined && setting.contactWorkingDays !== null)
      return formatUiText(text.delayWorkingDays, { days: setting.contactWorkingDays });
    return formatUiText(text.delayHours, { hours: setting.contactHours ?? setting.acknowledgeHours });
  }

  async view(scope: OrgScope, id: string): Promise<ContactRequestView> {
    const { organisationId } = scope;
    const request = await this.repository.findContactRequest(organisationId, id);
    if (!request) throw notFound('Contact request');
    const alert = await this.repository.alertOf(organisationId, id);
    return toContactRequestView(request, alert?.id ?? null);
  }

  /** The requester's identity, decrypted; the read is audited like a named parent's. */
  async identity(scope: OrgScope, id: string, context: AuditContext): Promise<ContactRequestIdentity> {
    const request = await this.repository.findContactRequest(scope.organisationId, id);
    if (!request) throw notFound('Contact request');
    await this.audit.record(context, {
      action: 'contact_request.identity_read',
      targetType: 'contact_request',
      targetId: request.id,
    });
    return {
      id: request.id,
      firstName: this.encryption.decrypt(request.firstNameEnc),
      phone: request.phoneEnc ? this.encryption.decrypt(request.phoneEnc) : null,
      email: request.emailEnc ? this.encryption.decrypt(request.emailEnc) : null,
    };
  }

  /**
   * Turns a request into an enrolment through the one enrolment path (ParentsService.enrol: consent recorded,
   * day-7/day-42 planned), pre-filled with the request's first name, phone, role and language; then the request
   * records the parent and its alert follows them.
   */
  async enrol(
    scope: OrgScope,
    id: string,
    dto: EnrolContactRequestDto,
    user: AuthUser,
    context: AuditContext,
  ): Promise<ParentDetail> {
    const { organisationId } = scope;
    const request = await this.repository.findContactRequest(organisationId, id);
    if (!request) throw notFound('Contact request');
    if (request.status !== 'open')
      throw conflict('contact_request_enrolled', 'This contact request is already an enrolment', {
        parentId: request.enrolledParentId,
      });
    const phone = dto.phone ?? (request.phoneEnc ? this.encryption.decrypt(request.phoneEnc) : null);
    if (!phone) throw invalid('phone', 'is required to enrol (the request gave an e-mail only)');
    const parent = await this.parents.enrol(
      scope,
      {
        firstName: dto.firstName ?? this.encryption.decrypt(request.firstNameEnc),
        lastName: dto.lastName,
        phone,
        role: request.role,
        language: dto.language ?? request.language,
        ...(dto.birthDate ? { birthDate: dto.birthDate } : {}),
        ...(dto.expectedTermDate ? { expectedTermDate: dto.expectedTermDate } : {}),
        ...(dto.referentUserId ? { referentUserId: dto.referentUserId } : {}),
        consent: dto.consent,
      },
      user,
      context,
    );
    await this.repository.transaction(async (manager) => {
      const locked = await this.repository.lockContactRequest(manager, organisationId, id);
      if (!locked || locked.status !== 'open') return;
      await this.repository.markEnrolled(manager, organisationId, id, parent.id, this.clock.now());
      await this.audit.record(
        context,
        {
          action: 'contact_request.enrol',
          targetType: 'contact_request',
          targetId: id,
          metadata: { parentId: parent.id },
        },
        manager,
      );
    });
    return parent;
  }
}
