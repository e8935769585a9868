import { ChangeDetectionStrategy, Component, DestroyRef, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { FormatPipe } from '../i18n/format.pipe';
import { TranslatePipe } from '../i18n/translate.pipe';
import { smsKindKey } from '../ui/labels';
import { OutboxApi } from './outbox-api';
import { LienIcon } from '../ui/icon';
import { LoadState } from '../ui/load-state.component';

const POLL_MS = 5_000;

/** Only http(s) links are made clickable (the body comes from the server, but a link is a link). */
export function safeLink(link: string | null): string | null {
  if (!link) return null;
  try {
    const url = new URL(link, globalThis.location?.origin ?? 'http://localhost');
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

@Component({
  selector: 'lien-outbox-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatButtonModule, LienIcon, TranslatePipe, FormatPipe, LoadState],
  template: `
    <div class="page-header">
      <h1>{{ 'outbox.title' | t }}</h1>
      <button mat-stroked-button type="button" (click)="reload()" data-testid="outbox-refresh">
        <lien-icon name="refresh" />{{ 'outbox.refresh' | t }}
      </button>
    </div>
    <p class="muted">{{ 'outbox.help' | t }}</p>

    <section aria-labelledby="sms-outbox-title">
      <h2 id="sms-outbox-title">{{ 'outbox.sms' | t }}</h2>
      <lien-load-state [resource]="sms" failed="outbox.loadFailed" />
      @if (!sms.error() && sms.hasValue()) {
        @let state = sms.value();
        @if (state && !state.active) {
          <p data-testid="sms-outbox-inactive">{{ 'outbox.smsInactive' | t }}</p>
        } @else if (state && state.active) {
          @if (state.items.length === 0) {
            <p data-testid="sms-outbox-empty">{{ 'outbox.empty' | t }}</p>
          }
          <ul class="messages" data-testid="sms-outbox">
            @for (message of state.items; track message.id) {
              <li class="message" data-testid="outbox-sms">
                <div class="meta">
                  <span>{{ message.createdAt | fmt }}</span>
                  <span>{{ 'outbox.to' | t: { to: message.to } }}</span>
                  <span>{{ 'outbox.from' | t: { from: message.sender } }}</span>
                  @if (message.kind) {
                    <span class="status-pill">{{ smsKindKey(message.kind) | t }}</span>
                  }
                </div>
                <p class="body">{{ message.body }}</p>
                <div class="actions-row">
                  @if (safe(message.link); as link) {
                    <a
                      mat-stroked-button
                      [href]="link"
                      target="_blank"
                      rel="noopener noreferrer"
                      data-testid="outbox-sms-link"
                    >
                      <lien-icon name="open_in_new" />{{ 'outbox.openLink' | t }}
                      <span class="visually-hidden">{{ 'outbox.newTab' | t }}</span>
                    </a>
                  }
                  @if (message.parentId) {
                    <a [routerLink]="['/parents', message.parentId]">{{ 'outbox.parent' | t }}</a>
                  }
                </div>
              </li>
            }
          </ul>
        }
      }
    </section>

    <section aria-labelledby="email-outbox-title">
      <h2 id="email-outbox-title">{{ 'outbox.email' | t }}</h2>
      @if (email.error()) {
        <p role="alert" class="error-text">{{ 'outbox.loadFailed' | t }}</p>
      } @else if (email.hasValue()) {
        @let mail = email.value();
        @if (mail && !mail.active) {
          <p data-testid="email-outbox-inactive">{{ 'outbox.emailInactive' | t }}</p>
        } @else if (mail && mail.active) {
          @if (mail.items.length === 0) {
            <p data-testid="email-outbox-empty">{{ 'outbox.empty' | t }}</p>
          }
          <ul class="messages" data-testid="email-outbox">
            @for (message of mail.items; track message.id) {
              <li class="message" data-testid="outbox-email">
                <div class="meta">
                  <span>{{ message.createdAt | fmt }}</span>
                  <span>{{ 'outbox.to' | t: { to: message.to } }}</span>
                </div>
                <p class="subject">{{ message.subject }}</p>
                <p class="body">{{ message.body }}</p>
              </li>
            }
          </ul>
        }
      }
    </section>
  `,
  styles: `
    .messages {
      list-style: none;
      padding: 0;
      margin: 0;
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    .message {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      padding: 12px 16px;
      background: var(--mat-sys-surface-container-low);
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      color: var(--mat-sys-on-surface-variant);
      font-size: 0.875rem;
    }
    .subject {
      font-weight: 600;
      margin: 8px 0 0;
    }
    .body {
      white-space: pre-wrap;
      word-break: break-word;
      margin: 8px 0;
    }
  `,
})
export class OutboxPage {
  private readonly api = inject(OutboxApi);
  protected readonly smsKindKey = smsKindKey;
  protected readonly sms = rxResource({ stream: () => this.api.sms() });
  protected readonly email = rxResource({ stream: () => this.api.email() });

  constructor() {
    // A demo waits for the worker to "send": refresh every few seconds while the page is open.
    const timer = setInterval(() => this.reload(), POLL_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected safe(link: string | null): string | null {
    return safeLink(link);
  }

  protected reload(): void {
    this.sms.reload();
    this.email.reload();
  }
}
