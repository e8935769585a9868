import { Module } from '@nestjs/common';
import { AlertsModule } from './alerts.module.js';
import { AlertsProcessor, AlertsSchedules } from './alerts.processor.js';

/** Worker only: deadline jobs, the deadline reconciler and the non-response sweep. */
@Module({ imports: [AlertsModule], providers: [AlertsProcessor, AlertsSchedules] })
export class AlertsWorkerModule {}
