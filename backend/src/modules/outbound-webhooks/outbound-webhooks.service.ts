import { Inject, Injectable } from '@nestjs/common';
import type {
  CreatedWebhookEndpoint,
  WebhookDeliveryStatus,
  WebhookDeliveryView,
  WebhookEndpointView,
} from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { invalid, notFound } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import type { CreateWebhookEndpointDto } from './dto/webhook-endpoint.dto.js';
import {
  OutboundWebhooksRepository,
  type DeliveryRow,
  type EndpointRow,
} from './outbound-webhooks.repository.js';
import { newWebhookSecret } from './webhook-signature.js';
import { WebhookOutbox } from './webhook-outbox.service.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const DELIVERY_PAGE = 100;

function endpointView(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    enabled: row.enabled,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    failingSince: row.failingSince?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function deliveryView(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    endpointId: row.endpointId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

/** Organisation admins register, list, re-enable and remove endpoints, and read their deliveries (dead letters). */
@Injectable()
export class OutboundWebhooksService {
  constructor(
    private readonly repository: OutboundWebhooksRepository,
    private readonly outbox: WebhookOutbox,
    private readonly encryption: FieldEncryption,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(
    scope: OrgScope,
    dto: CreateWebhookEndpointDto,
    context: AuditContext,
  ): Promise<CreatedWebhookEndpoint> {
    const url = this.checkUrl(dto.url);
    const secret = newWebhookSecret();
    const row = await this.repository.insertEndpoint(
      scope.organisationId,
      {
        url,
        description: dto.description?.length ? dto.description : null,
        eventTypes: [...dto.eventTypes],
        secretEnc: this.encryption.encrypt(secret),
      },
      context.actorId,
    );
    this.outbox.invalidate();
    await this.audit.record(context, {
      action: 'webhook_endpoint.create',
      targetType: 'webhook_endpoint',
      targetId: row.id,
      metadata: { eventTypes: row.eventTypes },
    });
    return { ...endpointView(row), secret };
  }

  async list(scope: OrgScope): Promise<WebhookEndpointView[]> {
    return (await this.repository.listEndpoints(scope.organisationId)).map(endpointView);
  }

  async enable(scope: OrgScope, id: string, context: AuditContext): Promise<WebhookEndpointView> {
    const row = await this.repository.enableEndpoint(scope.organisationId, id);
    if (!row) throw notFound('Webhook endpoint');
    this.outbox.invalidate();
    await this.audit.record(context, {
      action: 'webhook_endpoint.enable',
      targetType: 'webhook_endpoint',
      targetId: id,
    });
    return endpointView(row);
  }

  async remove(scope: OrgScope, id: string, context: AuditContext): Promise<void> {
    if (!(await this.repository.deleteEndpoint(scope.organisationId, id))) throw notFound('Webhook endpoint');
    this.outbox.invalidate();
    await this.audit.record(context, {
      action: 'webhook_endpoint.delete',
      targetType: 'webhook_endpoint',
      targetId: id,
    });
  }

  async deliveries(
    scope: OrgScope,
    endpointId: string,
    status: WebhookDeliveryStatus | undefined,
  ): Promise<WebhookDeliveryView[]> {
    const { organisationId } = scope;
    const endpoints = await this.repository.listEndpoints(organisationId);
    if (!endpoints.some((endpoint) => endpoint.id === endpointId)) throw notFound('Webhook endpoint');
    return (await this.repository.listDeliveries(organisationId, endpointId, status, DELIVERY_PAGE)).map(
      deliveryView,
    );
  }

  /** HTTPS only; plain http to this machine outside production (tests, local development). No credentials. */
  private checkUrl(text: string): string {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw invalid('url', 'must be an absolute https:// URL');
    }
    if (url.username || url.password) throw invalid('url', 'must not contain credentials');
    const localHttp =
      url.protocol === 'http:' && this.config.nodeEnv !== 'production' && LOCAL_HOSTS.has(url.hostname);
    if (url.protocol !== 'https:' && !localHttp) throw invalid('url', 'must be an https:// URL');
    url.hash = '';
    return url.toString();
  }
}
