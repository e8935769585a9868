import { Module } from '@nestjs/common';
import { SmsOutboxModule } from '../sms/sms-outbox.module.js';
import { OnCallRotaRepository } from './on-call-rota.repository.js';
import { PagingAckController } from './paging-ack.controller.js';
import { PagingController } from './paging.controller.js';
import { PagesRepository } from './pages.repository.js';
import { PagesService } from './pages.service.js';
import { PagingService } from './paging.service.js';

/**
 * Urgent paging: the on-call rota, the pages of urgent alerts and their escalation. A page's SMS and voice call
 * are rows of the SMS outbox (`SmsOutboxModule`: the writing side only, since the SMS delivery, which reports
 * each page's outcome here, imports this module).
 */
@Module({
  imports: [SmsOutboxModule],
  controllers: [PagingController, PagingAckController],
  providers: [PagingService, OnCallRotaRepository, PagesRepository, PagesService],
  exports: [PagingService, PagesService],
})
export class PagingModule {}
