import { AlertEntity } from '../modules/alerts/alert.entity.js';
import { FollowUpEventEntity } from '../modules/alerts/follow-up-event.entity.js';
import { AuditEventEntity } from '../modules/audit/audit-event.entity.js';
import { InvitationLinkEntity } from '../modules/invitations/invitation-link.entity.js';
import { InvitationEntity } from '../modules/invitations/invitation.entity.js';
import { EmailMessageEntity } from '../modules/notifications/email-message.entity.js';
import { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import { ParentEntity } from '../modules/parents/parent.entity.js';
import { ResponseEntity } from '../modules/questionnaire/response.entity.js';
import { DevSmsEntity } from '../modules/sms/dev-sms.entity.js';
import { SmsMessageEntity } from '../modules/sms/sms-message.entity.js';
import { RefreshTokenEntity } from '../modules/users/refresh-token.entity.js';
import { UserTokenEntity } from '../modules/users/user-token.entity.js';
import { UserEntity } from '../modules/users/user.entity.js';
import { InboundSmsEntity } from '../modules/webhooks/inbound-sms.entity.js';
import { OnCallRotaEntity } from '../modules/paging/on-call-rota.entity.js';
import { PageEntity } from '../modules/paging/page.entity.js';
import { ReferralResourceEntity } from '../modules/referrals/referral-resource.entity.js';
import { ContactRequestEntity } from '../modules/screening/contact-request.entity.js';
import { ScreeningSourceEntity } from '../modules/screening/screening-source.entity.js';
import { SelfScreeningEntity } from '../modules/screening/self-screening.entity.js';
import { REPORT_ENTITIES } from '../modules/reports/rollup.entities.js';

/** Every entity, listed explicitly (no globs: the code is ESM and bundles cleanly). */
export const ENTITIES = [
  OrganisationEntity,
  UserEntity,
  RefreshTokenEntity,
  UserTokenEntity,
  AuditEventEntity,
  ParentEntity,
  InvitationEntity,
  InvitationLinkEntity,
  SmsMessageEntity,
  DevSmsEntity,
  ResponseEntity,
  AlertEntity,
  FollowUpEventEntity,
  EmailMessageEntity,
  InboundSmsEntity,
  OnCallRotaEntity,
  PageEntity,
  ReferralResourceEntity,
  ScreeningSourceEntity,
  SelfScreeningEntity,
  ContactRequestEntity,
  ...REPORT_ENTITIES,
];
