import { Module } from '@nestjs/common';
import { DevOutboxController } from './dev-outbox.controller.js';
import { DevOutboxRepository } from './dev-outbox.repository.js';
import { SmsModule } from './sms.module.js';

/** The built-in SMS outbox's route. Never loaded with NODE_ENV=production (see DEV_MODULES in features.ts). */
@Module({ imports: [SmsModule], controllers: [DevOutboxController], providers: [DevOutboxRepository] })
export class SmsDevModule {}
