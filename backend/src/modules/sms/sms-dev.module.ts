import { Module } from '@nestjs/common';
import { DevOutboxController } from './dev-outbox.controller.js';
import { SmsModule } from './sms.module.js';

/** The built-in SMS outbox's route. Never loaded with NODE_ENV=production (see DEV_MODULES in features.ts). */
@Module({ imports: [SmsModule], controllers: [DevOutboxController] })
export class SmsDevModule {}
