import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { SmsDeliveryService } from './sms-delivery.service.js';
import { SmsOutboxService } from './sms-outbox.service.js';
import { createSmsProvider, SmsProvider } from './sms-provider.js';
import { SmsQueueService } from './sms-queue.service.js';
import { SmsReconciler } from './sms-reconciler.service.js';
import { SmsStatusService } from './sms-status.service.js';
import { SmsRepository } from './sms.repository.js';
import { UndeliveredSmsTasks } from './undelivered-sms-tasks.service.js';
import { AlertsModule } from '../alerts/alerts.module.js';

/**
 * The SMS pipeline: the outbox (rows written in the caller's transaction), the queue, the delivery logic, the
 * reconciler and the provider (Twilio, or the built-in outbox without credentials). Queue consumers live in
 * `SmsWorkerModule`, loaded by the worker process only; the built-in outbox's route in `SmsDevModule` (never in
 * production).
 */
@Module({
  // Alerts: an invitation SMS that did not arrive opens a "check the number" task.
  imports: [AlertsModule],
  providers: [
    SmsRepository,
    UndeliveredSmsTasks,
    SmsOutboxService,
    SmsQueueService,
    SmsDeliveryService,
    SmsReconciler,
    SmsStatusService,
    {
      provide: SmsProvider,
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: AppConfig, dataSource: DataSource) => createSmsProvider(config, dataSource),
    },
  ],
  exports: [
    SmsOutboxService,
    SmsQueueService,
    SmsDeliveryService,
    SmsReconciler,
    SmsStatusService,
    SmsRepository,
    SmsProvider,
    UndeliveredSmsTasks,
  ],
})
export class SmsModule {}
