import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import type { QueueSummary } from '@lien/shared';
import { Clock } from '../../common/clock.js';
import { requestOrigin } from '../../common/request-context.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { QUEUES } from '../../queue/jobs.js';
import { AuditService } from '../audit/audit.service.js';
import { SessionCheck } from '../users/session-check.js';
import { BOARD_COOKIE, cookieValue, readBoardPass } from './board-pass.js';

export const BOARD_PATH = '/api/admin/queues/board';
/**
 * The only writes QUEUE_BOARD_ACTIONS opens: retry, clean and promote (of one job or of a state). Adding,
 * editing job data, emptying or obliterating a queue stay closed: job payloads are ids the code wrote.
 */
const ALLOWED_ACTIONS = [
  /^\/api\/queues\/[\w.-]+\/(?:retry|clean)\/[a-z]+$/,
  /^\/api\/queues\/[\w.-]+\/promote$/,
  /^\/api\/queues\/[\w.-]+\/[\w.:-]+\/(?:retry|clean|promote)$/,
];
const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * The platform admins' view of the queues: a JSON summary for the console, and Bull Board (read-only unless
 * QUEUE_BOARD_ACTIONS=true, its actions then audited) behind a pass cookie checked on every request.
 */
@Injectable()
export class QueueBoardService implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly adapterHost: HttpAdapterHost,
    private readonly sessions: SessionCheck,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Mounted on the HTTP app during init: after the body parsers, before Nest's not-found handler. */
  onModuleInit(): void {
    const http = this.adapterHost.httpAdapter as { use?: (...handlers: unknown[]) => unknown } | undefined;
    if (!http?.use) return;
    const serverAdapter = new ExpressAdapter().setBasePath(BOARD_PATH);
    const readOnlyMode = !this.config.queueBoardActions;
    createBullBoard({
      queues: this.queues().map(
        (queue) => new BullMQAdapter(queue, { readOnlyMode, allowRetries: !readOnlyMode }),
      ),
      // @bull-board/express carries its own copy of @bull-board/api (9.10.1 vs 9.10.2): same shape, two types.
      serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
      options: { uiConfig: { boardTitle: 'Lien queues' } },
    });
    http.use(
      BOARD_PATH,
      (request: Request, response: Response, next: NextFunction) => {
        this.gate(request, response, next).catch(next);
      },
      serverAdapter.getRouter(),
    );
  }

  async summary(): Promise<QueueSummary[]> {
    return Promise.all(
      this.queues().map(async (queue) => {
        const counts = await queue.getJobCounts(...STATES);
        return {
          name: queue.name,
          counts: Object.fromEntries(
            STATES.map((state) => [state, counts[state] ?? 0]),
          ) as QueueSummary['counts'],
          paused: await queue.isPaused(),
        };
      }),
    );
  }

  private queues(): Queue[] {
    return Object.values(QUEUES).map((name) =>
      this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }),
    );
  }

  /** Every board request: a valid pass of a still active platform admin; writes only when actions are on. */
  private async gate(request: Request, response: Response, next: NextFunction): Promise<void> {
    const origin = requestOrigin(request);
    const refuse = (statusCode: 401 | 403, message: string): void => {
      response.status(statusCode).json({
        statusCode,
        error: statusCode === 401 ? 'Unauthorized' : 'Forbidden',
        message,
        ...(origin.requestId ? { requestId: origin.requestId } : {}),
      });
    };
    const userId = readBoardPass(
      this.config.jwtSecret,
      cookieValue(request.headers.cookie, BOARD_COOKIE),
      this.clock.now(),
    );
    if (!userId) return refuse(401, 'Open the queue board from the console (POST /api/admin/queues/session)');
    if (!(await this.sessions.isActivePlatformAdmin(userId)))
      return refuse(403, 'Platform administrators only');
    const write = !['GET', 'HEAD'].includes(request.method);
    if (write && !this.config.queueBoardActions)
      return refuse(403, 'The queue board is read-only (QUEUE_BOARD_ACTIONS is off)');
    if (write && (request.method !== 'PUT' || !ALLOWED_ACTIONS.some((allowed) => allowed.test(request.path))))
      return refuse(403, 'Only retry, clean and promote are allowed on the queue board');
    response.setHeader('Cache-Control', 'no-store');
    if (write)
      await this.audit.record(
        { actorId: userId, organisationId: null, ...origin },
        { action: 'queue.action', metadata: { method: request.method, path: request.path.slice(0, 200) } },
      );
    next();
  }
}
