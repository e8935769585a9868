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
  /** @format uuid */
  id: string;
  name: string;
  /**
   * The first characters of the key (`lien_live_AbCdEfGh`), enough to recognise it in a list or a leak.
   * @example lien_live_AbCdEfGh
   */
  prefix: string;
  scopes: ApiKeyScope[];
  /** @format date-time */
  expiresAt: string | null;
  /**
   * Empty: any address
   * @example ["192.0.2.0/24"]
   */
  allowedCidrs: string[];
  rateLimitPerMinute: number;
  /** @format uuid */
  ownerUserId: string;
  /** @format date-time */
  createdAt: string;
  /** @format date-time */
  lastUsedAt: string | null;
  /** @format date-time */
  revokedAt: string | null;
}

/** The answer to a creation: the only time the key itself is shown. */
export interface CreatedApiKey extends ApiKeyView {
  /** The key itself, shown in this answer only: send it as `Authorization: Bearer <key>` */
  key: string;
}

export interface WebhookEndpointView {
  /** @format uuid */
  id: string;
  /**
   * @format uri
   * @example https://partner.example/lien-events
   */
  url: string;
  description: string | null;
  eventTypes: WebhookEventType[];
  enabled: boolean;
  /** @format date-time */
  disabledAt: string | null;
  /** @format date-time */
  failingSince: string | null;
  /** @format date-time */
  createdAt: string;
}

/** The answer to a registration: the only time the signing secret is shown. */
export interface CreatedWebhookEndpoint extends WebhookEndpointView {
  /** The signing secret, shown in this answer only */
  secret: string;
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export interface WebhookDeliveryView {
  /** The `webhook-id` header: the same on every retry of this delivery. */
  id: string;
  /** @format uuid */
  endpointId: string;
  eventType: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  /** @format date-time */
  createdAt: string;
  /** @format date-time */
  lastAttemptAt: string | null;
  /** @format date-time */
  deliveredAt: string | null;
}
