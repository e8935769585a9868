import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { SmsDeliveryService } from './sms-delivery.service.js';
import { OutboxRowSteps } from './outbox-row-steps.js';
import { SmsOutboxModule } from './sms-outbox.module.js';
import { SmsPageDelivery } from './sms-page-delivery.service.js';
import { createSmsProvider, SmsProvider } from './sms-provider.js';
import { SmsReconciler } from './sms-reconciler.service.js';
import { SmsStatusService } from './sms-status.service.js';
import { UndeliveredSmsTasks } from './undelivered-sms-tasks.service.js';
import { AlertsModule } from '../alerts/alerts.module.js';
import { PagingModule } from '../paging/paging.module.js';

/**
 * The SMS pipeline: the outbox (rows written in the caller's transaction, `SmsOutboxModule`), the queue, the
 * delivery logic (parents' SMS, and urgent pages' SMS and voice calls), the reconciler and the provider (Twilio, or the built-in outbox without credentials). Queue consumers live in
 * `SmsWorkerModule`, loaded by the worker process only; the built-in outbox's route in `SmsDevModule` (never in
 * production).
 */
@Module({
  // Alerts: an invitation SMS that did not arrive opens a "check the number" task.
  // Paging: a page's SMS or call reports its outcome (sent, failed: fallback to SMS, escalation).
  imports: [AlertsModule, SmsOutboxModule, PagingModule],
  providers: [
    UndeliveredSmsTasks,
    SmsDeliveryService,
    SmsPageDelivery,
    OutboxRowSteps,
    SmsReconciler,
    SmsStatusService,
    {
      provide: SmsProvider,
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: AppConfig, dataSource: DataSource) => createSmsProvider(config, dataSource),
    },
  ],
  exports: [
    SmsOutboxModule,
    SmsDeliveryService,
    SmsReconciler,
    SmsStatusService,
    SmsProvider,
    UndeliveredSmsTasks,
  ],
})
export class SmsModule {}
