import { Module } from '@nestjs/common';
import { PagingController } from './paging.controller.js';
import { PagingService } from './paging.service.js';

/** Urgent paging: the on-call rota (who is paged when an urgent alert comes in). */
@Module({ controllers: [PagingController], providers: [PagingService], exports: [PagingService] })
export class PagingModule {}
