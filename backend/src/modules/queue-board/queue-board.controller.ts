import { Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { QueueSummary } from '@lien/shared';
import { Caller } from '../../common/auth/decorators.js';
import { Clock } from '../../common/clock.js';
import { ApiController, Route } from '../../common/route.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { AuditService } from '../audit/audit.service.js';
import { BOARD_COOKIE, BOARD_PASS_TTL_SECONDS, issueBoardPass } from './board-pass.js';
import { BOARD_PATH, QueueBoardService } from './queue-board.service.js';

@ApiController('admin', 'api/admin/queues')
export class QueueBoardController {
  constructor(
    private readonly board: QueueBoardService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Route('GET', 'platform.operate', {
    summary: 'Job counts per queue (platform admins)',
    result: { schema: 'QueueSummary', isArray: true },
  })
  summary(): Promise<QueueSummary[]> {
    return this.board.summary();
  }

  @Route('POST session', 'platform.operate', {
    summary: `Sets a 10-minute, HttpOnly cookie that opens Bull Board at ${BOARD_PATH}/ (platform admins)`,
    result: { noContent: 'The cookie is set (Set-Cookie); Bull Board itself is not part of this document' },
  })
  async session(
    @Caller() { user, audit: context }: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    response.cookie(BOARD_COOKIE, issueBoardPass(this.config.jwtSecret, user.id, this.clock.now()), {
      httpOnly: true,
      secure: this.config.nodeEnv === 'production',
      sameSite: 'strict',
      path: BOARD_PATH,
      maxAge: BOARD_PASS_TTL_SECONDS * 1000,
    });
    await this.audit.record(context, { action: 'queue.board.open' });
  }
}
