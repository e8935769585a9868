import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { createSmsProvider, SmsProvider } from '../sms/sms-provider.js';
import { PagingAckController } from './paging-ack.controller.js';
import { PagingController } from './paging.controller.js';
import { PagesService } from './pages.service.js';
import { PagingService } from './paging.service.js';

/**
 * Urgent paging: the on-call rota, the pages of urgent alerts and their escalation. The provider client is its
 * own instance (SmsModule imports AlertsModule, which pages: importing SmsModule here would be a cycle).
 */
@Module({
  controllers: [PagingController, PagingAckController],
  providers: [
    PagingService,
    PagesService,
    {
      provide: SmsProvider,
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: AppConfig, dataSource: DataSource) => createSmsProvider(config, dataSource),
    },
  ],
  exports: [PagingService, PagesService],
})
export class PagingModule {}
