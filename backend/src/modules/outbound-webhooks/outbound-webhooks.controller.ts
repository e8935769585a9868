import { Body, Query } from '@nestjs/common';
import type { CreatedWebhookEndpoint, WebhookDeliveryView, WebhookEndpointView } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, OrgCaller } from '../../common/auth/decorators.js';
import { ApiController, IdParam, Route } from '../../common/route.js';
import { CreateWebhookEndpointDto, ListDeliveriesQuery } from './dto/webhook-endpoint.dto.js';
import { OutboundWebhooksService } from './outbound-webhooks.service.js';

@ApiController('integrations', 'api/webhook-endpoints')
export class OutboundWebhooksController {
  constructor(private readonly webhooks: OutboundWebhooksService) {}

  @Route('POST', 'integrations.manage', {
    summary: 'Register an HTTPS endpoint for events (the signing secret is in this answer only)',
    errors: [400],
    result: 'CreatedWebhookEndpoint',
  })
  create(
    @Body() body: CreateWebhookEndpointDto,
    @OrgCaller() { scope, audit }: OrgCaller,
  ): Promise<CreatedWebhookEndpoint> {
    return this.webhooks.create(scope, body, audit);
  }

  @Route('GET', 'integrations.manage', {
    summary: 'The organisation’s endpoints (never their secret)',
    result: { schema: 'WebhookEndpointView', isArray: true },
  })
  list(@CurrentOrg() scope: OrgScope): Promise<WebhookEndpointView[]> {
    return this.webhooks.list(scope);
  }

  @Route('POST :id/enable', 'integrations.manage', {
    status: 200,
    summary: 'Re-enable an endpoint disabled after failing too long',
    errors: [400, 404],
    result: 'WebhookEndpointView',
  })
  enable(
    @IdParam('Webhook endpoint') id: string,
    @OrgCaller() { scope, audit }: OrgCaller,
  ): Promise<WebhookEndpointView> {
    return this.webhooks.enable(scope, id, audit);
  }

  @Route('DELETE :id', 'integrations.manage', {
    summary: 'Remove an endpoint and its pending deliveries',
    errors: [400, 404],
    result: { noContent: 'Removed' },
  })
  remove(@IdParam('Webhook endpoint') id: string, @OrgCaller() { scope, audit }: OrgCaller): Promise<void> {
    return this.webhooks.remove(scope, id, audit);
  }

  @Route('GET :id/deliveries', 'integrations.manage', {
    summary: 'Latest deliveries of an endpoint; `?status=dead` is the dead-letter view',
    errors: [400, 404],
    result: { schema: 'WebhookDeliveryView', isArray: true },
  })
  deliveries(
    @IdParam('Webhook endpoint') id: string,
    @Query() query: ListDeliveriesQuery,
    @CurrentOrg() scope: OrgScope,
  ): Promise<WebhookDeliveryView[]> {
    return this.webhooks.deliveries(scope, id, query.status);
  }
}
