import { Controller, Get, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { QueueSummary } from '@lien/shared';
import { Audit } from '../../common/auth/request-context.js';
import { CurrentUser, RequirePermission } from '../../common/auth/decorators.js';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { ApiErrors, ApiResult, ApiResultEmpty } from '../../common/openapi.js';
import { BOARD_COOKIE, BOARD_PASS_TTL_SECONDS, issueBoardPass } from './board-pass.js';
import { BOARD_PATH, QueueBoardService } from './queue-board.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('api/admin/queues')
export class QueueBoardController {
  constructor(
    private readonly board: QueueBoardService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @RequirePermission('platform.operate')
  @ApiOperation({ summary: 'Job counts per queue (platform admins)' })
  @ApiResult('QueueSummary', { isArray: true })
  summary(): Promise<QueueSummary[]> {
    return this.board.summary();
  }

  @Post('session')
  @HttpCode(204)
  @RequirePermission('platform.operate')
  @ApiOperation({
    summary: `Sets a 10-minute, HttpOnly cookie that opens Bull Board at ${BOARD_PATH}/ (platform admins)`,
  })
  @ApiResultEmpty(204, 'The cookie is set (Set-Cookie); Bull Board itself is not part of this document')
  async session(
    @CurrentUser() user: AuthUser,
    @Audit() context: AuditContext,
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
