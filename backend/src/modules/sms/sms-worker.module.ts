import { Module } from '@nestjs/common';
import { SmsMaintenanceProcessor, SmsProcessor } from './sms.processor.js';
import { SmsModule } from './sms.module.js';

/** Worker process only, WORKER_QUEUES with `sms`. */
@Module({ imports: [SmsModule], providers: [SmsProcessor] })
export class SmsWorkerModule {}

/** Worker process only, WORKER_QUEUES with `maintenance`. */
@Module({ imports: [SmsModule], providers: [SmsMaintenanceProcessor] })
export class SmsMaintenanceModule {}
