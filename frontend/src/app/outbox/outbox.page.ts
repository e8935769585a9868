import { ChangeDetectionStrategy, Component, DestroyRef, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { FormatPipe } from '../i18n/format.pipe';
import { TranslatePipe } from '../i18n/translate.pipe';
import { LABELS } from '../ui/labels';
import { OutboxApi } from './outbox-api';
import { LienIcon } from '../ui/icon';
import { OutboxMessage, OutboxSection } from './outbox-section';

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
  imports: [RouterLink, MatButtonModule, LienIcon, TranslatePipe, FormatPipe, OutboxMessage, OutboxSection],
  template: `
    <div class="page-header">
      <h1>{{ 'outbox.title' | t }}</h1>
      <button mat-stroked-button type="button" (click)="reload()" data-testid="outbox-refresh">
        <lien-icon name="refresh" />{{ 'outbox.refresh' | t }}
      </button>
    </div>
    <p class="muted">{{ 'outbox.help' | t }}</p>

    <lien-outbox-section kind="sms" title="outbox.sms" inactive="outbox.smsInactive" [resource]="sms">
      <ng-template [lienOutboxMessage]="sms" let-message>
        <div class="meta">
          <span>{{ message.createdAt | fmt }}</span>
          <span>{{ 'outbox.to' | t: { to: message.to } }}</span>
          <span>{{ 'outbox.from' | t: { from: message.sender } }}</span>
          @if (message.kind) {
            <span class="status-pill">{{ labels.smsKind(message.kind) | t }}</span>
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
      </ng-template>
    </lien-outbox-section>

    <lien-outbox-section kind="email" title="outbox.email" inactive="outbox.emailInactive" [resource]="email">
      <ng-template [lienOutboxMessage]="email" let-message>
        <div class="meta">
          <span>{{ message.createdAt | fmt }}</span>
          <span>{{ 'outbox.to' | t: { to: message.to } }}</span>
        </div>
        <p class="subject">{{ message.subject }}</p>
        <p class="body">{{ message.body }}</p>
      </ng-template>
    </lien-outbox-section>
  `,
  styles: `
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
  protected readonly labels = LABELS;
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
