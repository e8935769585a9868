import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom, type Observable } from 'rxjs';
import {
  API_KEY_SCOPES,
  WEBHOOK_EVENT_TYPES,
  type ApiKeyScope,
  type ApiKeyView,
  type CreatedApiKey,
  type CreatedWebhookEndpoint,
  type WebhookEndpointView,
  type WebhookEventType,
} from '@lien/shared';
import { FormatPipe } from '../i18n/format.pipe';
import { LienDateField } from '../core/date-fields';
import { CheckboxGroup } from '../ui/checkbox-group.component';
import { DataTable } from '../ui/data-table';
import { ItemAction } from '../ui/item-action.component';
import { TranslatePipe } from '../i18n/translate.pipe';
import { IntegrationsApi } from './integrations-api';
import { SecretCreation, SecretOnce } from './secret-once';

/** The creation request for the form's raw values (empty optional fields left out). */
export function apiKeyRequest(form: {
  name: string;
  scopes: readonly ApiKeyScope[];
  expiresOn: string;
  cidrs: string;
  rate: string;
}): Record<string, unknown> {
  const cidrs = form.cidrs
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return {
    name: form.name.trim(),
    scopes: [...form.scopes],
    ...(form.expiresOn ? { expiresAt: `${form.expiresOn}T00:00:00Z` } : {}),
    ...(cidrs.length ? { allowedCidrs: cidrs } : {}),
    ...(form.rate.trim() ? { rateLimitPerMinute: Number(form.rate) } : {}),
  };
}

/** Partner API keys (create, shown once; list; revoke) and webhook endpoints (register, secret shown once). */
@Component({
  selector: 'lien-integrations-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    CheckboxGroup,
    DataTable,
    ItemAction,
    LienDateField,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    SecretOnce,
    TranslatePipe,
    FormatPipe,
  ],
  template: `
    <h2>{{ 'admin.integrations' | t }}</h2>
    <p class="muted">{{ 'integrations.help' | t }}</p>
    <form
      class="create"
      (submit)="$event.preventDefault(); create(name.value, expires.value, cidrs.value, rate.value)"
      data-testid="api-key-form"
    >
      <mat-form-field>
        <mat-label>{{ 'integrations.name' | t }}</mat-label>
        <input matInput #name required maxlength="100" data-testid="api-key-name" />
      </mat-form-field>
      <lien-checkbox-group
        legend="integrations.scopes"
        [options]="allScopes"
        [(selected)]="scopes"
        testIdPrefix="api-key-scope-"
      />
      <lien-date-field #expires [label]="'integrations.expiresAt' | t" testId="api-key-expires" />
      <mat-form-field>
        <mat-label>{{ 'integrations.cidrs' | t }}</mat-label>
        <input matInput #cidrs placeholder="203.0.113.0/24" data-testid="api-key-cidrs" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'integrations.rate' | t }}</mat-label>
        <input matInput type="number" min="1" max="10000" #rate value="60" data-testid="api-key-rate" />
      </mat-form-field>
      <button mat-flat-button type="submit" [disabled]="busy()" data-testid="api-key-create">
        {{ 'integrations.create' | t }}
      </button>
    </form>
    <lien-secret-once
      [error]="keyCreation.error()"
      [secret]="keyCreation.created()?.key ?? null"
      notice="integrations.created"
      testId="api-key-secret"
    />
    @if (keys.error()) {
      <p role="alert" class="error-text">{{ 'integrations.loadFailed' | t }}</p>
    } @else if (keys.hasValue()) {
      @if (keys.value().length === 0) {
        <p class="muted">{{ 'integrations.empty' | t }}</p>
      } @else {
        <lien-data-table
          [caption]="'admin.integrations' | t"
          [columns]="keyColumns"
          actionsColumn="integrations.revoke"
          testId="api-key-table"
        >
          <tbody>
            @for (key of keys.value(); track key.id) {
              <tr [attr.data-testid]="'api-key-row-' + key.id">
                <td>{{ key.name }}</td>
                <td>
                  <code>{{ key.prefix }}…</code>
                </td>
                <td>{{ key.scopes.join(', ') }}</td>
                <td>{{ key.lastUsedAt ? (key.lastUsedAt | fmt) : ('integrations.never' | t) }}</td>
                <td>{{ statusOf(key) | t }}</td>
                <td>
                  @if (!key.revokedAt) {
                    <lien-item-action
                      action="integrations.revoke"
                      [params]="{ name: key.name }"
                      [testId]="'api-key-revoke-' + key.id"
                      (pressed)="revoke(key)"
                    />
                  }
                </td>
              </tr>
            }
          </tbody>
        </lien-data-table>
      }
    }

    <h2>{{ 'integrations.webhooks' | t }}</h2>
    <p class="muted">{{ 'integrations.webhooksHelp' | t }}</p>
    <form class="create" (submit)="$event.preventDefault(); register(url.value)" data-testid="webhook-form">
      <mat-form-field class="url">
        <mat-label>{{ 'integrations.url' | t }}</mat-label>
        <input matInput #url type="url" required placeholder="https://" data-testid="webhook-url" />
      </mat-form-field>
      <lien-checkbox-group
        legend="integrations.events"
        [options]="allEvents"
        [(selected)]="events"
        testIdPrefix="webhook-event-"
      />
      <button mat-flat-button type="submit" [disabled]="busy()" data-testid="webhook-create">
        {{ 'integrations.register' | t }}
      </button>
    </form>
    <lien-secret-once
      [error]="endpointCreation.error()"
      [secret]="endpointCreation.created()?.secret ?? null"
      notice="integrations.secretOnce"
      testId="webhook-secret"
    />
    @if (endpoints.hasValue() && endpoints.value().length > 0) {
      <lien-data-table
        [caption]="'integrations.webhooks' | t"
        [columns]="webhookColumns"
        actionsColumn="integrations.actions"
        testId="webhook-table"
      >
        <tbody>
          @for (endpoint of endpoints.value(); track endpoint.id) {
            <tr [attr.data-testid]="'webhook-row-' + endpoint.id">
              <td>{{ endpoint.url }}</td>
              <td>{{ endpoint.eventTypes.join(', ') }}</td>
              <td>{{ (endpoint.enabled ? 'integrations.active' : 'integrations.disabled') | t }}</td>
              <td>
                @if (!endpoint.enabled) {
                  <lien-item-action
                    action="integrations.enable"
                    [params]="{ name: endpoint.url }"
                    [testId]="'webhook-enable-' + endpoint.id"
                    (pressed)="enable(endpoint)"
                  />
                }
                <lien-item-action
                  action="integrations.remove"
                  [params]="{ name: endpoint.url }"
                  [testId]="'webhook-remove-' + endpoint.id"
                  (pressed)="remove(endpoint)"
                />
              </td>
            </tr>
          }
        </tbody>
      </lien-data-table>
    }
  `,
  styles: `
    .url {
      min-width: 24rem;
    }
    .create {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 16px;
      align-items: baseline;
    }
  `,
})
export class IntegrationsPage {
  private readonly api = inject(IntegrationsApi);
  protected readonly allScopes = API_KEY_SCOPES;
  protected readonly keyColumns = [
    'integrations.name',
    'integrations.prefix',
    'integrations.scopes',
    'integrations.lastUsed',
    'integrations.status',
  ] as const;
  protected readonly webhookColumns = [
    'integrations.url',
    'integrations.events',
    'integrations.status',
  ] as const;
  protected readonly scopes = signal<ApiKeyScope[]>([]);
  protected readonly busy = signal(false);
  protected readonly keyCreation = new SecretCreation<CreatedApiKey>(this.busy);
  protected readonly keys = rxResource({ stream: () => this.api.apiKeys() });
  protected readonly allEvents = WEBHOOK_EVENT_TYPES;
  protected readonly events = signal<WebhookEventType[]>([]);
  protected readonly endpointCreation = new SecretCreation<CreatedWebhookEndpoint>(this.busy);
  protected readonly endpoints = rxResource({
    stream: () => this.api.webhookEndpoints(),
  });

  protected statusOf(
    key: ApiKeyView,
  ): 'integrations.revoked' | 'integrations.expired' | 'integrations.active' {
    if (key.revokedAt) return 'integrations.revoked';
    if (key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now()) return 'integrations.expired';
    return 'integrations.active';
  }

  protected async create(name: string, expiresOn: string, cidrs: string, rate: string): Promise<void> {
    const request = apiKeyRequest({ name, scopes: this.scopes(), expiresOn, cidrs, rate });
    await this.keyCreation.run(
      () => firstValueFrom(this.api.createApiKey(request)),
      () => this.keys.reload(),
    );
  }

  protected async revoke(key: ApiKeyView): Promise<void> {
    await this.sendThenReload(this.api.revokeApiKey(key.id), this.keys);
  }

  protected async register(url: string): Promise<void> {
    const request = { url: url.trim(), eventTypes: this.events() };
    await this.endpointCreation.run(
      () => firstValueFrom(this.api.registerWebhookEndpoint(request)),
      () => this.endpoints.reload(),
    );
  }

  protected async enable(endpoint: WebhookEndpointView): Promise<void> {
    await this.sendThenReload(this.api.enableWebhookEndpoint(endpoint.id), this.endpoints);
  }

  protected async remove(endpoint: WebhookEndpointView): Promise<void> {
    await this.sendThenReload(this.api.removeWebhookEndpoint(endpoint.id), this.endpoints);
  }

  /** A row's action: the list is read again whatever the answer, so it shows what the API now holds. */
  private async sendThenReload(request: Observable<unknown>, list: { reload(): unknown }): Promise<void> {
    try {
      await firstValueFrom(request);
    } finally {
      list.reload();
    }
  }
}
