import type { Type } from '@nestjs/common';
import { CryptoModule } from './common/crypto/field-encryption.service.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { AuditLogModule } from './modules/audit/audit-log.module.js';
import { HealthModule, WorkerHealthModule } from './modules/health/health.module.js';
import { MetricsModule } from './modules/metrics/metrics.module.js';
import { QueueBoardModule } from './modules/queue-board/queue-board.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { NotificationsDevModule } from './modules/notifications/notifications-dev.module.js';
import { NotificationsWorkerModule } from './modules/notifications/notifications-worker.module.js';
import { AlertsModule } from './modules/alerts/alerts.module.js';
import { AlertsWorkerModule } from './modules/alerts/alerts-worker.module.js';
import { QuestionnaireModule } from './modules/questionnaire/questionnaire.module.js';
import { OrganisationsModule } from './modules/organisations/organisations.module.js';
import { UsersModule } from './modules/users/users.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { ParentsModule } from './modules/parents/parents.module.js';
import { ParentsWorkerModule } from './modules/parents/parents-worker.module.js';
import { SmsModule } from './modules/sms/sms.module.js';
import { SmsDevModule } from './modules/sms/sms-dev.module.js';
import { SmsMaintenanceModule, SmsWorkerModule } from './modules/sms/sms-worker.module.js';
import { WebhooksModule } from './modules/webhooks/webhooks.module.js';
import { ReportsModule } from './modules/reports/reports.module.js';
import { ApiKeysModule } from './modules/api-keys/api-keys.module.js';
import { OutboundWebhooksModule } from './modules/outbound-webhooks/outbound-webhooks.module.js';
import { OutboundWebhooksWorkerModule } from './modules/outbound-webhooks/outbound-webhooks-worker.module.js';
import { ReportsWorkerModule } from './modules/reports/reports-worker.module.js';
import { ScreeningModule } from './modules/screening/screening.module.js';
import { RetentionWorkerModule } from './modules/retention/retention-worker.module.js';
import { FhirModule } from './modules/fhir/fhir.module.js';
import type { QueueName } from './queue/jobs.js';
import { PagingModule } from './modules/paging/paging.module.js';
import { ReferralsModule } from './modules/referrals/referrals.module.js';

/**
 * Feature modules shared by the API and the worker. Each feature adds itself here (one line each).
 */
export const FEATURE_MODULES = [
  MetricsModule,
  CryptoModule,
  AuditModule,
  AuditLogModule,
  HealthModule,
  OrganisationsModule,
  UsersModule,
  AuthModule,
  NotificationsModule,
  AlertsModule,
  QuestionnaireModule,
  SmsModule,
  ParentsModule,
  WebhooksModule,
  ReportsModule,
  FhirModule,
  QueueBoardModule,
  ApiKeysModule,
  OutboundWebhooksModule,
  PagingModule,
  ReferralsModule,
  ScreeningModule,
];

/** Modules that consume queues; loaded only by the worker process. */
export const WORKER_MODULES = [
  WorkerHealthModule,
  NotificationsWorkerModule,
  AlertsWorkerModule,
  SmsWorkerModule,
  ReportsWorkerModule,
  RetentionWorkerModule,
  SmsMaintenanceModule,
  OutboundWebhooksWorkerModule,
  ParentsWorkerModule,
];

/** Demo-only routes (the built-in outboxes); the API never loads them with NODE_ENV=production. */
export const DEV_MODULES = [NotificationsDevModule, SmsDevModule];

/**
 * The queue each worker module consumes (its processors and job schedulers): a worker process loads it only when
 * WORKER_QUEUES lists that queue. Worker modules not named here load in every worker process.
 */
export const WORKER_MODULE_QUEUES = new Map<Type, QueueName>([
  [NotificationsWorkerModule, 'email'],
  [AlertsWorkerModule, 'alerts'],
  [SmsWorkerModule, 'sms'],
  // Periodic maintenance: single-runner across workers anyway (Postgres advisory locks, one scheduled job).
  [ReportsWorkerModule, 'maintenance'],
  [RetentionWorkerModule, 'maintenance'],
  [SmsMaintenanceModule, 'maintenance'],
  [OutboundWebhooksWorkerModule, 'webhooks'],
  // The name prefixes backfill: rows locked with SKIP LOCKED, so several workers share it safely.
  [ParentsWorkerModule, 'maintenance'],
]);
