import { Module } from '@nestjs/common';
import { QueueBoardController } from './queue-board.controller.js';
import { QueueBoardService } from './queue-board.service.js';

/** API process only: the platform admins' queue view (JSON summary + Bull Board). */
@Module({ controllers: [QueueBoardController], providers: [QueueBoardService] })
export class QueueBoardModule {}
