import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CreatedWebhookEndpoint, WebhookDeliveryView, WebhookEndpointView } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/auth/uuid-param.pipe.js';
import type { AuditContext } from '../audit/audit.service.js';
import { CreateWebhookEndpointDto, ListDeliveriesQuery } from './dto/webhook-endpoint.dto.js';
import { ApiErrors, ApiResult, ApiResultEmpty } from '../../common/openapi.js';
import { OutboundWebhooksService } from './outbound-webhooks.service.js';

@ApiTags('integrations')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('api/webhook-endpoints')
export class OutboundWebhooksController {
  constructor(private readonly webhooks: OutboundWebhooksService) {}

  @Post()
  @RequirePermission('integrations.manage')
  @ApiOperation({
    summary: 'Register an HTTPS endpoint for events (the signing secret is in this answer only)',
  })
  @ApiResult('CreatedWebhookEndpoint', { status: 201 })
  @ApiErrors(400)
  create(
    @Body() body: CreateWebhookEndpointDto,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<CreatedWebhookEndpoint> {
    return this.webhooks.create(scope, body, audit);
  }

  @Get()
  @RequirePermission('integrations.manage')
  @ApiOperation({ summary: 'The organisation’s endpoints (never their secret)' })
  @ApiResult('WebhookEndpointView', { isArray: true })
  list(@CurrentOrg() scope: OrgScope): Promise<WebhookEndpointView[]> {
    return this.webhooks.list(scope);
  }

  @Post(':id/enable')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('integrations.manage')
  @ApiOperation({ summary: 'Re-enable an endpoint disabled after failing too long' })
  @ApiResult('WebhookEndpointView')
  @ApiErrors(400, 404)
  enable(
    @Param('id', new UuidParamPipe('Webhook endpoint')) id: string,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<WebhookEndpointView> {
    return this.webhooks.enable(scope, id, audit);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('integrations.manage')
  @ApiOperation({ summary: 'Remove an endpoint and its pending deliveries' })
  @ApiResultEmpty(204, 'Removed')
  @ApiErrors(400, 404)
  remove(
    @Param('id', new UuidParamPipe('Webhook endpoint')) id: string,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<void> {
    return this.webhooks.remove(scope, id, audit);
  }

  @Get(':id/deliveries')
  @RequirePermission('integrations.manage')
  @ApiOperation({ summary: 'Latest deliveries of an endpoint; `?status=dead` is the dead-letter view' })
  @ApiResult('WebhookDeliveryView', { isArray: true })
  @ApiErrors(400, 404)
  deliveries(
    @Param('id', new UuidParamPipe('Webhook endpoint')) id: string,
    @Query() query: ListDeliveriesQuery,
    @CurrentOrg() scope: OrgScope,
  ): Promise<WebhookDeliveryView[]> {
    return this.webhooks.deliveries(scope, id, query.status);
  }
}
