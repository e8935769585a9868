import { CryptoModule } from './common/crypto/field-encryption.service.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
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
import { SmsWorkerModule } from './modules/sms/sms-worker.module.js';
import { WebhooksModule } from './modules/webhooks/webhooks.module.js';
import { ReportsModule } from './modules/reports/reports.module.js';
import { ReportsWorkerModule } from './modules/reports/reports-worker.module.js';
import { ScreeningModule } from './modules/screening/screening.module.js';
import { RetentionWorkerModule } from './modules/retention/retention-worker.module.js';

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
  ScreeningModule,
];

/** Modules that consume queues; loaded only by the worker process. */
export const WORKER_MODULES = [
  NotificationsWorkerModule,
  AlertsWorkerModule,
  SmsWorkerModule,
  ReportsWorkerModule,
  RetentionWorkerModule,
];
