import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { QueueBoardController } from './queue-board.controller.js';
import { QueueBoardService } from './queue-board.service.js';

/** API process only: the platform admins' queue view (JSON summary + Bull Board). */
@Module({
  // The board pass names a platform admin, checked still active on every request (UsersModule's SessionCheck).
  imports: [UsersModule],
  controllers: [QueueBoardController],
  providers: [QueueBoardService],
})
export class QueueBoardModule {}
