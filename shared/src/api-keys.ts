/** What a partner API key may do. Routes opt in one by one (see `@ApiKeyScope` in the backend). */
export const API_KEY_SCOPES = ['parents:enrol', 'parents:read', 'alerts:read', 'fhir:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Events an outbound webhook endpoint may subscribe to. Payloads carry ids and codes, never names or phones. */
export const WEBHOOK_EVENT_TYPES = [
  'alert.created',
  'alert.escalated',
  'alert.closed',
  'response.received',
  'contact_request.created',
  'sms.failed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface ApiKeyView {
  id: string;
  name: string;
  /** The first characters of the key (`lien_live_AbCdEfGh`), enough to recognise it in a list or a leak. */
  prefix: string;
  scopes: ApiKeyScope[];
  expiresAt: string | null;
  allowedCidrs: string[];
  rateLimitPerMinute: number;
  ownerUserId: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The answer to a creation: the only time the key itself is shown. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string | null;
  eventTypes: WebhookEventType[];
  enabled: boolean;
  disabledAt: string | null;
  failingSince: string | null;
  createdAt: string;
}

/** The answer to a registration: the only time the signing secret is shown. */
export interface CreatedWebhookEndpoint extends WebhookEndpointView {
  secret: string;
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export interface WebhookDeliveryView {
  /** The `webhook-id` header: the same on every retry of this delivery. */
  id: string;
  endpointId: string;
  eventType: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}
