import { Injectable } from '@nestjs/common';
import {
  DEFAULT_ORGANISATION_SETTINGS,
  EPDS_INSTRUMENT_ID,
  getEpdsInstrument,
  helpResources,
  resolveEpdsLanguage,
  resultMessage,
  scoreEpds,
  type EpdsLanguage,
  type EpdsScore,
  type HelpResource,
  type LocalResource,
  type OrganisationSettings,
  type ResponseChannel,
  type ResultMessage,
} from '@lien/shared';
import type { EntityManager } from 'typeorm';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock.js';
import { WebhookOutbox } from '../outbound-webhooks/webhook-outbox.service.js';
import { hashToken } from '../../common/crypto/field-encryption.service.js';
import { isUniqueViolation } from '../../common/errors.js';
import { AlertRulesService } from '../alerts/alert-rules.service.js';
import { Metrics } from '../metrics/metrics.service.js';
import { InvitationPlanner, type PlannedInvitation } from '../invitations/invitation-planner.service.js';
import { SmsOutboxService } from '../sms/sms-outbox.service.js';
import { SmsQueueService } from '../sms/sms-queue.service.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { directoryLocalResources } from './directory-resources.js';
import { LinkGuessLimiter } from './link-guess-limiter.js';
import type { RequestOrigin } from '../../common/request-context.js';
import {
  OPEN_INVITATION_STATUSES,
  QuestionnaireRepository,
  scoreColumns,
  type LinkInvitation,
  type LinkRecord,
  type NewResponse,
} from './questionnaire.repository.js';
import type { ResponseEntity } from './response.entity.js';

/** Tokens are base64url; anything else is unknown without a database round trip. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;
const DAY_MS = 24 * 3600 * 1000;

export type LinkStatus = 'open' | 'answered' | 'expired' | 'unavailable';

export type LinkState =
  | { kind: 'rate_limited' }
  | { kind: 'unknown' }
  | { [Status in LinkStatus]: { kind: Status; record: LinkRecord } }[LinkStatus];

export type SubmitOutcome =
  | { kind: 'stored'; response: ResponseEntity; score: EpdsScore; language: EpdsLanguage }
  | { kind: Exclude<LinkStatus, 'open'> };

export interface ResultContent {
  message: ResultMessage;
  resources: HelpResource[];
}

/**
 * The parent's side of a questionnaire: resolve a link, open it, score and store the answers with everything
 * that must happen with them (invitation completed, reminders cancelled, alerts, audit) in one transaction, and
 * opt out. The page and the JSON API are two thin doors onto this.
 */
@Injectable()
export class QuestionnaireService {
  constructor(
    private readonly repository: QuestionnaireRepository,
    private readonly limiter: LinkGuessLimiter,
    private readonly clock: Clock,
    private readonly alertRules: AlertRulesService,
    private readonly smsOutbox: SmsOutboxService,
    private readonly metrics: Metrics,
    private readonly webhooks: WebhookOutbox,
    private readonly planner: InvitationPlanner,
    private readonly smsQueue: SmsQueueService,
  ) {}

  /** What a token leads to. Unknown tokens count against the caller's address. */
  async resolve(token: string, ip: string | null): Promise<LinkState> {
    if (await this.limiter.isBlocked(ip)) return { kind: 'rate_limited' };
    const record = TOKEN_SHAPE.test(token)
      ? await this.repository.findLinkByTokenHash(hashToken(token))
      : null;
    if (!record) {
      await this.limiter.recordMiss(ip);
      return { kind: 'unknown' };
    }
    return { kind: this.status(record.invitation, record, this.clock.now()), record };
  }

  /** First view of the page: a sent invitation becomes opened. */
  async markOpened(record: LinkRecord): Promise<void> {
    if (record.invitation.status !== 'sent') return;
    const at = this.clock.now();
    if (await this.repository.markOpened(record.invitation.id, record.organisation.id, at)) {
      record.invitation.status = 'opened';
      record.invitation.openedAt = at;
    }
  }

  /** The page's language: the one asked for, else the parent's when validated, else French. */
  language(record: LinkRecord | null, requested: EpdsLanguage | null): EpdsLanguage {
    return requested ?? resolveEpdsLanguage(record?.parent.language);
  }

  /**
   * Stores validated answers with everything that goes with them: the invitation completed, its pending reminders
   * cancelled and the audit record (one statement, see QuestionnaireRepository.storeResponse), and, when the answers
   * call for one, the alert, in the same transaction. Most answers raise no alert and take a single round trip.
   */
  async submit(
    record: LinkRecord,
    answers: readonly number[],
    language: EpdsLanguage,
    channel: ResponseChannel,
    origin: RequestOrigin,
  ): Promise<SubmitOutcome> {
    const { parent, organisation, invitation } = record;
    const settings = settingsOf(organisation);
    const instrument = getEpdsInstrument(language);
    const score = scoreEpds(
      answers,
      instrument,
      thresholdsFor(settings, parent.role),
      settings.anxietyThreshold,
    );
    const now = this.clock.now();
    // Expiry without a stored date, and a parent withdrawn meanwhile, are known from the link already.
    const known = this.status(invitation, record, now);
    if (known !== 'open') return { kind: known };
    const response: NewResponse = {
      organisationId: organisation.id,
      parentId: parent.id,
      invitationId: invitation.id,
      parentRole: parent.role,
      instrumentId: EPDS_INSTRUMENT_ID,
      instrumentVersion: instrument.version,
      language: instrument.language,
      channel,
      answers: [...answers],
      ...scoreColumns(score),
      createdAt: now,
    };
    const audit = {
      ...origin,
      metadata: { channel: 'parent', via: channel, invitationId: invitation.id, parentId: parent.id },
    };
    const store = async (manager?: EntityManager): Promise<SubmitOutcome> => {
      const stored = await this.repository.storeResponse(response, audit, manager);
      if (!stored) {
        const current = await this.repository.findInvitation(invitation.id, organisation.id, manager);
        const status = current ? this.status(current, record, now) : 'unavailable';
        return { kind: status === 'open' ? 'unavailable' : status };
      }
      if (manager) {
        if (this.alertRules.raisesAlert(response))
          await this.alertRules.onResponse(organisation, manager, stored, parent);
        // Adaptive re-screening: planned with the answer, through the same outbox.
        rescreen = await this.planner.planRescreen(
          {
            organisationId: organisation.id,
            timeZone: organisation.timeZone,
            departement: organisation.departement,
            settings,
          },
          manager,
          parent.id,
          { wave: stored.wave, band: score.band, at: now },
          null,
        );
      }
      this.metrics.questionnaireSubmissions.inc();
      if (manager)
        await this.webhooks.emit({ organisationId: organisation.id }, manager, 'response.received', {
          responseId: stored.id,
          parentId: parent.id,
          invitationId: invitation.id,
          band: score.band,
          flags: { item10Positive: score.item10Positive, anxiety: score.anxietyFlag },
        });
      return { kind: 'stored', response: stored, score, language };
    };
    let rescreen: PlannedInvitation | null = null;
    const rescreens = settings.waves.some((wave) => wave.rescreen?.bands.includes(score.band));
    try {
      // A transaction only when something must commit with the response (an alert, a re-screen, a partner event).
      const outcome =
        this.alertRules.raisesAlert(response) ||
        rescreens ||
        (await this.webhooks.subscribed({ organisationId: organisation.id }, 'response.received'))
          ? await this.repository.transaction(store)
          : await store();
      if (rescreen) await this.smsQueue.enqueue([(rescreen as PlannedInvitation).sms]);
      return outcome;
    } catch (error) {
      // A concurrent submission that got past the claim (it cannot, but the index has the last word).
      // The unique index on responses.invitation_id refused a second response.
      if (isUniqueViolation(error, 'responses')) return { kind: 'answered' };
      throw error;
    }
  }

  /**
   * Message and resources of the result page (and of the JSON answer): the organisation's own resources include
   * its referral directory, placed after the emergency numbers when item 10 is positive.
   */
  async result(
    record: LinkRecord,
    language: EpdsLanguage,
    score: Pick<EpdsScore, 'band' | 'item10Positive'>,
  ): Promise<ResultContent> {
    const own = this.organisationResources(record.organisation);
    const directory = await this.directoryResources({ organisationId: record.organisation.id }, language);
    return {
      message: resultMessage(language, score.band, score.item10Positive),
      resources: helpResources(language, score, {
        ...own,
        localResources: [...own.localResources, ...directory],
      }),
    };
  }

  /** An organisation's referral directory, as local resources of a parent's page (also the self-screening's). */
  async directoryResources(scope: OrgScope, language: EpdsLanguage): Promise<LocalResource[]> {
    return directoryLocalResources(language, await this.repository.directoryEntries(scope.organisationId));
  }

  showScoreToParent(record: LinkRecord): boolean {
    return settingsOf(record.organisation).showScoreToParent === true;
  }

  /**
   * Resources of the pages that are not a result: "already answered" lists everything, emergency numbers first
   * (the parent may have landed here from a double tap on the result); expired links give the team and the
   * emergency numbers; unknown links only the national emergency numbers (no organisation is known).
   */
  resourcesFor(
    record: LinkRecord | null,
    language: EpdsLanguage,
    page: 'answered' | 'expired' | 'unknown',
  ): HelpResource[] {
    const all = helpResources(
      language,
      { item10Positive: true, band: 'low' },
      record ? this.organisationResources(record.organisation) : { contactPhone: null, localResources: [] },
    );
    if (page === 'answered') return all;
    if (page === 'expired')
      return all.filter((resource) => resource.kind === 'organisation' || resource.kind === 'emergency');
    return all.filter((resource) => resource.kind === 'emergency');
  }

  /**
   * "Stop receiving messages", through the SMS pipeline's one way of stopping a parent (as an inbound STOP): the
   * parent is opted out, pending SMS and invitations not sent yet are cancelled, and it is audited with no actor.
   * The invitation already received stays answerable: opting out of messages is not refusing care. Idempotent.
   */
  async optOut(record: LinkRecord, origin: RequestOrigin): Promise<void> {
    const { organisation } = record;
    await this.repository.transaction((manager) =>
      this.smsOutbox.stopParent(
        manager,
        record.parent.id,
        'opted_out',
        { actorId: null, organisationId: organisation.id, ...origin },
        { channel: 'parent', invitationId: record.invitation.id },
      ),
    );
  }

  private status(invitation: LinkInvitation, record: LinkRecord, now: Date): LinkStatus {
    if (invitation.status === 'completed') return 'answered';
    // Withdrawn by the team: nothing more is asked. An opted-out parent may still answer what was already sent.
    if (record.parent.status === 'withdrawn') return 'unavailable';
    if (invitation.status === 'expired') return 'expired';
    if (!(OPEN_INVITATION_STATUSES as readonly string[]).includes(invitation.status)) return 'unavailable';
    return now.getTime() >= this.expiresAt(invitation, record).getTime() ? 'expired' : 'open';
  }

  /** The invitation's expiry; before one is set, the organisation's link lifetime from the first send. */
  private expiresAt(invitation: LinkInvitation, record: LinkRecord): Date {
    if (invitation.expiresAt) return invitation.expiresAt;
    const start = invitation.sentAt ?? record.link.createdAt;
    return new Date(start.getTime() + settingsOf(record.organisation).linkExpiryDays * DAY_MS);
  }

  /** The organisation's contact phone for parents, if it has one. */
  contactPhone(record: LinkRecord): string | null {
    return settingsOf(record.organisation).contactPhone;
  }

  private organisationResources(organisation: LinkRecord['organisation']) {
    const settings = settingsOf(organisation);
    return {
      contactPhone: settings.contactPhone,
      localResources: settings.localResources,
      organisationName: organisation.name,
    };
  }
}

/** Stored settings over the defaults, so that a key added later never reads as undefined. */
export function settingsOf(organisation: Pick<OrganisationEntity, 'settings'>): OrganisationSettings {
  return { ...DEFAULT_ORGANISATION_SETTINGS, ...organisation.settings };
}

function thresholdsFor(settings: OrganisationSettings, role: keyof OrganisationSettings['thresholds']) {
  return settings.thresholds[role] ?? DEFAULT_ORGANISATION_SETTINGS.thresholds[role];
}
