import { Body, Query, Req, Res } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type {
  AlertDetail,
  AlertEventResponse,
  AlertListResponse,
  AlertStreamMessage,
  AlertStreamTicketResponse,
} from '@lien/shared';
import { OrgCaller } from '../../common/auth/decorators.js';
import { ApiController, IdParam, PublicRoute, Route } from '../../common/route.js';
import { AlertFeedService } from './alert-feed.service.js';
import { AlertsService } from './alerts.service.js';
import { StreamTicketsService } from './stream-tickets.service.js';
import { AlertEventDto, parseAlertEvent } from './dto/alert-event.dto.js';
import { AlertListQueryDto, parseAlertListQuery } from './dto/alert-list-query.dto.js';

export const SSE_HEARTBEAT_MS = 25_000;

@ApiController('alerts', 'api/alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly feed: AlertFeedService,
    private readonly tickets: StreamTicketsService,
  ) {}

  /**
   * A single-use ticket (30 s) for opening the stream: EventSource cannot send the Authorization header, and an
   * access token in a URL would stay in logs. The console asks for one before each (re)connection.
   */
  @Route('POST stream-ticket', 'alerts.read', {
    summary: 'A single-use ticket (valid 30 s) for GET /api/alerts/stream?ticket=',
    result: 'AlertStreamTicketResponse',
  })
  // @OrgCaller refuses (403) a user of no organisation, who could not open the stream either.
  streamTicket(@OrgCaller() { user }: OrgCaller): Promise<AlertStreamTicketResponse> {
    return this.tickets.issue(user);
  }

  /**
   * Server-sent events of the organisation's new and changed alerts (no names). Public for the guard: the
   * credential is the single-use `ticket` (consumed here), bound to a session; the stream ends when that session
   * ends (logout, deactivation, revocation). A comment every 25 s keeps proxies from closing the stream.
   */
  @PublicRoute('GET stream', {
    errors: [{ 401: 'The ticket is missing, used, expired or its session ended' }],
    result: {
      contentType: 'text/event-stream',
      description:
        'Server-sent events `alert.created` / `alert.updated`, each `data:` an AlertStreamMessage (JSON)',
    },
  })
  @ApiQuery({ name: 'ticket', required: true, description: 'From POST /api/alerts/stream-ticket' })
  async stream(
    @Query('ticket') ticket: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const user = await this.tickets.consume(ticket);
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write('retry: 5000\n\n');
    let closed = false;
    let unsubscribe: (() => void) | null = null;
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), SSE_HEARTBEAT_MS);
    const close = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe?.();
    };
    request.on('close', close);
    response.on('error', close);
    try {
      const stop = await this.feed.subscribe(
        { organisationId: user.organisationId, userId: user.id, sessionId: user.sessionId },
        (message: AlertStreamMessage) => {
          if (!closed) response.write(`event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
        },
        () => {
          close();
          response.end();
        },
      );
      if (closed) stop();
      else unsubscribe = stop;
      response.write(': ready\n\n');
    } catch {
      close();
      response.end();
    }
  }

  @Route('GET', 'alerts.read', {
    apiKey: 'alerts:read',
    summary:
      'Alerts of the organisation, the caller’s own overdue ones first; each row names its parent (initials or full name, per settings.alertListParentName: an audited read, no names for a partner key); filters status, severity, assignee, overdue; paged',
    errors: [400],
    result: 'AlertListResponse',
  })
  list(
    @Query() query: AlertListQueryDto,
    @OrgCaller() { scope, user, audit }: OrgCaller,
  ): Promise<AlertListResponse> {
    return this.alerts.list(scope, user, parseAlertListQuery(query), audit);
  }

  @Route('GET :id', 'alerts.read', {
    apiKey: 'alerts:read',
    summary: 'One alert with responses, SMS history and follow-up (audited read)',
    errors: [404],
    result: 'AlertDetail',
  })
  detail(@IdParam('Alert') id: string, @OrgCaller() { scope, audit }: OrgCaller): Promise<AlertDetail> {
    return this.alerts.detail(scope, id, audit);
  }

  @Route('POST :id/events', 'alerts.write', {
    summary:
      'Record a follow-up event (acknowledge, assign, note, contact attempt, referral, in care, close)',
    errors: [400, 404, { 409: 'invalid_transition: details.allowed lists the events allowed now' }],
    result: 'AlertEventResponse',
  })
  addEvent(
    @IdParam('Alert') id: string,
    @Body() body: AlertEventDto,
    @OrgCaller() { scope, user, audit }: OrgCaller,
  ): Promise<AlertEventResponse> {
    return this.alerts.addEvent(scope, user, id, parseAlertEvent(body), audit);
  }
}
