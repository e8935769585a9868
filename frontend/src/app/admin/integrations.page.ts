import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import { API_KEY_SCOPES, type ApiKeyScope, type ApiKeyView, type CreatedApiKey } from '@lien/shared';
import { toApiError } from '../core/api-error';
import { FormatPipe } from '../i18n/format.pipe';
import { TranslatePipe } from '../i18n/translate.pipe';

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

/** Partner API keys of the organisation: create (the key shown once), list, revoke. */
@Component({
  selector: 'lien-integrations-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
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
      <fieldset>
        <legend>{{ 'integrations.scopes' | t }}</legend>
        @for (scope of allScopes; track scope) {
          <mat-checkbox
            [checked]="scopes().includes(scope)"
            (change)="toggle(scope, $event.checked)"
            [attr.data-testid]="'api-key-scope-' + scope"
            >{{ scope }}</mat-checkbox
          >
        }
      </fieldset>
      <mat-form-field>
        <mat-label>{{ 'integrations.expiresAt' | t }}</mat-label>
        <input matInput type="date" #expires data-testid="api-key-expires" />
      </mat-form-field>
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
    @if (createError(); as message) {
      <p role="alert" class="error-text">{{ 'integrations.createFailed' | t: { message } }}</p>
    }
    @if (created(); as key) {
      <div class="created" role="status">
        <p>{{ 'integrations.created' | t }}</p>
        <code data-testid="api-key-secret">{{ key.key }}</code>
      </div>
    }
    @if (keys.error()) {
      <p role="alert" class="error-text">{{ 'integrations.loadFailed' | t }}</p>
    } @else if (keys.hasValue()) {
      @if (keys.value().length === 0) {
        <p class="muted">{{ 'integrations.empty' | t }}</p>
      } @else {
        <div class="table-scroll" tabindex="0" role="region" [attr.aria-label]="'common.scrollableTable' | t">
          <table class="data-table" data-testid="api-key-table">
            <thead>
              <tr>
                <th scope="col">{{ 'integrations.name' | t }}</th>
                <th scope="col">{{ 'integrations.prefix' | t }}</th>
                <th scope="col">{{ 'integrations.scopes' | t }}</th>
                <th scope="col">{{ 'integrations.lastUsed' | t }}</th>
                <th scope="col">{{ 'integrations.status' | t }}</th>
                <th scope="col">
                  <span class="visually-hidden">{{ 'integrations.revoke' | t }}</span>
                </th>
              </tr>
            </thead>
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
                      <button
                        mat-stroked-button
                        type="button"
                        (click)="revoke(key)"
                        [attr.aria-label]="'integrations.revokeOf' | t: { name: key.name }"
                        [attr.data-testid]="'api-key-revoke-' + key.id"
                      >
                        {{ 'integrations.revoke' | t }}
                      </button>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    }
  `,
  styles: `
    .create {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 16px;
      align-items: baseline;
    }
    fieldset {
      border: none;
      padding: 0;
    }
    .created code {
      word-break: break-all;
      font-size: 1rem;
    }
  `,
})
export class IntegrationsPage {
  private readonly http = inject(HttpClient);
  protected readonly allScopes = API_KEY_SCOPES;
  protected readonly scopes = signal<ApiKeyScope[]>([]);
  protected readonly busy = signal(false);
  protected readonly created = signal<CreatedApiKey | null>(null);
  protected readonly createError = signal<string | null>(null);
  protected readonly keys = rxResource({ stream: () => this.http.get<ApiKeyView[]>('/api/api-keys') });

  protected toggle(scope: ApiKeyScope, checked: boolean): void {
    this.scopes.update((current) =>
      checked ? [...new Set([...current, scope])] : current.filter((entry) => entry !== scope),
    );
  }

  protected statusOf(
    key: ApiKeyView,
  ): 'integrations.revoked' | 'integrations.expired' | 'integrations.active' {
    if (key.revokedAt) return 'integrations.revoked';
    if (key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now()) return 'integrations.expired';
    return 'integrations.active';
  }

  protected async create(name: string, expiresOn: string, cidrs: string, rate: string): Promise<void> {
    this.busy.set(true);
    this.createError.set(null);
    this.created.set(null);
    try {
      const request = apiKeyRequest({ name, scopes: this.scopes(), expiresOn, cidrs, rate });
      this.created.set(await firstValueFrom(this.http.post<CreatedApiKey>('/api/api-keys', request)));
      this.keys.reload();
    } catch (error) {
      this.createError.set(toApiError(error).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected async revoke(key: ApiKeyView): Promise<void> {
    try {
      await firstValueFrom(this.http.delete(`/api/api-keys/${encodeURIComponent(key.id)}`));
    } finally {
      this.keys.reload();
    }
  }
}
