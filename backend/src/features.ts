import { CryptoModule } from './common/crypto/field-encryption.service.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { NotificationsDevModule } from './modules/notifications/notifications-dev.module.js';
import { NotificationsWorkerModule } from './modules/notifications/notifications-worker.module.js';
import { AlertsModule } from './modules/alerts/alerts.module.js';
import { AlertsWorkerModule } from './modules/alerts/alerts-worker.module.js';
import { TimelineModule } from './modules/timeline/timeline.module.js';
import { QuestionnaireModule } from './modules/questionnaire/questionnaire.module.js';
import { OrganisationsModule } from './modules/organisations/organisations.module.js';
import { UsersModule } from './modules/users/users.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { ParentsModule } from './modules/parents/parents.module.js';
import { SmsModule } from './modules/sms/sms.module.js';
import { SmsDevModule } from './modules/sms/sms-dev.module.js';
import { SmsWorkerModule } from './modules/sms/sms-worker.module.js';
import { WebhooksModule } from './modules/webhooks/webhooks.module.js';
import { ReportsModule } from './modules/reports/reports.module.js';
import { ReportsWorkerModule } from './modules/reports/reports-worker.module.js';
import { RetentionWorkerModule } from './modules/retention/retention-worker.module.js';
import { FhirModule } from './modules/fhir/fhir.module.js';
import { PagingModule } from './modules/paging/paging.module.js';
import { ReferralsModule } from './modules/referrals/referrals.module.js';

/**
 * Feature modules shared by the API and the worker. Each feature adds itself here (one line each).
 */
export const FEATURE_MODULES = [
  CryptoModule,
  AuditModule,
  HealthModule,
  OrganisationsModule,
  UsersModule,
  AuthModule,
  NotificationsModule,
  AlertsModule,
  TimelineModule,
  QuestionnaireModule,
  SmsModule,
  ParentsModule,
  WebhooksModule,
  ReportsModule,
  FhirModule,
  PagingModule,
  ReferralsModule,
];

/** Modules that consume queues; loaded only by the worker process. */
export const WORKER_MODULES = [
  NotificationsWorkerModule,
  AlertsWorkerModule,
  SmsWorkerModule,
  ReportsWorkerModule,
  RetentionWorkerModule,
];

/** Demo-only routes (the built-in outboxes); the API never loads them with NODE_ENV=production. */
export const DEV_MODULES = [NotificationsDevModule, SmsDevModule];
