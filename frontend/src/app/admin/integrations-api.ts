import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type {
  ApiKeyView,
  CreatedApiKey,
  CreatedWebhookEndpoint,
  WebhookEndpointView,
  WebhookEventType,
} from '@lien/shared';

/** Data access of the integrations page: API keys and webhook endpoints. */
@Injectable({ providedIn: 'root' })
export class IntegrationsApi {
  private readonly http = inject(HttpClient);

  apiKeys(): Observable<ApiKeyView[]> {
    return this.http.get<ApiKeyView[]>('/api/api-keys');
  }

  createApiKey(request: Record<string, unknown>): Observable<CreatedApiKey> {
    return this.http.post<CreatedApiKey>('/api/api-keys', request);
  }

  revokeApiKey(id: string): Observable<unknown> {
    return this.http.delete(`/api/api-keys/${encodeURIComponent(id)}`);
  }

  webhookEndpoints(): Observable<WebhookEndpointView[]> {
    return this.http.get<WebhookEndpointView[]>('/api/webhook-endpoints');
  }

  registerWebhookEndpoint(request: {
    url: string;
    eventTypes: readonly WebhookEventType[];
  }): Observable<CreatedWebhookEndpoint> {
    return this.http.post<CreatedWebhookEndpoint>('/api/webhook-endpoints', request);
  }

  enableWebhookEndpoint(id: string): Observable<unknown> {
    return this.http.post(`/api/webhook-endpoints/${encodeURIComponent(id)}/enable`, {});
  }

  removeWebhookEndpoint(id: string): Observable<unknown> {
    return this.http.delete(`/api/webhook-endpoints/${encodeURIComponent(id)}`);
  }
}
