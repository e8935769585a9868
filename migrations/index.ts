import type { MigrationInterface } from 'typeorm';
import { InitialSchema1763800000000 } from './1763800000000-initial-schema.js';
import { SmsPipeline1763800200000 } from './1763800200000-sms-pipeline.js';
import { ReportRollups1763800500000 } from './1763800500000-report-rollups.js';
import { AlertsDashboardActive1763800400000 } from './1763800400000-alerts-dashboard-active.js';
import { PurgeAndSweepIndexes1763800600000 } from './1763800600000-purge-and-sweep-indexes.js';
import { RetentionPurgeKeepsRollups1763800700000 } from './1763800700000-retention-purge-keeps-rollups.js';
import { RppsRecordedBy1796410129927 } from './1796410129927-rpps-recorded-by.js';
import { RefreshSessionAbsoluteExpiry1796410238480 } from './1796410238480-refresh-session-absolute-expiry.js';
import { FollowUpNotesEncrypted1796410535589 } from './1796410535589-follow-up-notes-encrypted.js';
import { TwilioInboundMessages1796410384966 } from './1796410384966-twilio-inbound-messages.js';
import { AuditRequestId1281796410398206 } from './1796410398206-audit-request-id-128.js';
import { AuditEventsPartitioned1796413009620 } from './1796413009620-audit-events-partitioned.js';
import { AuditReportPurgeIndexes1796413342760 } from './1796413342760-audit-report-purge-indexes.js';
import { PartnerApiKeysAndWebhooks1796412348671 } from './1796412348671-partner-api-keys-and-webhooks.js';
import { OnCallRotas1796413835687 } from './1796413835687-on-call-rotas.js';
import { ReferralResources1796414580147 } from './1796414580147-referral-resources.js';
import { Pages1796416497638 } from './1796416497638-pages.js';
import { PagesThroughSmsOutbox1796420757331 } from './1796420757331-pages-through-sms-outbox.js';
import { ReportScreeningMirrors1796425083433 } from './1796425083433-report-screening-mirrors.js';
import { ReportBirthsRowLocks1796437126042 } from './1796437126042-report-births-row-locks.js';
import { SelfScreening1796412964296 } from './1796412964296-self-screening.js';
import { ParentHouseholds1796414057696 } from './1796414057696-parent-households.js';
import { ParentNamePrefixes1796420747882 } from './1796420747882-parent-name-prefixes.js';

/** Every migration in order. Add a new one here after writing it (see README, "Adding a migration"). */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  InitialSchema1763800000000,
  SmsPipeline1763800200000,
  AlertsDashboardActive1763800400000,
  ReportRollups1763800500000,
  PurgeAndSweepIndexes1763800600000,
  RetentionPurgeKeepsRollups1763800700000,
  RppsRecordedBy1796410129927,
  RefreshSessionAbsoluteExpiry1796410238480,
  TwilioInboundMessages1796410384966,
  AuditRequestId1281796410398206,
  FollowUpNotesEncrypted1796410535589,
  PartnerApiKeysAndWebhooks1796412348671,
  SelfScreening1796412964296,
  AuditEventsPartitioned1796413009620,
  AuditReportPurgeIndexes1796413342760,
  OnCallRotas1796413835687,
  ParentHouseholds1796414057696,
  ReferralResources1796414580147,
  Pages1796416497638,
  ParentNamePrefixes1796420747882,
  PagesThroughSmsOutbox1796420757331,
  ReportScreeningMirrors1796425083433,
  ReportBirthsRowLocks1796437126042,
];
