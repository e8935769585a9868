import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  Directive,
  TemplateRef,
  contentChild,
  input,
} from '@angular/core';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';
import { LoadState, type LoadingResource } from '../ui/load-state.component';
import type { OutboxState } from './outbox-api';

/** What a section reads of its outbox's resource (an `rxResource` of `OutboxApi`). */
export interface OutboxResource<T> extends LoadingResource {
  hasValue(): boolean;
  value(): OutboxState<T> | undefined;
}

/**
 * How a section draws one message: `<ng-template [lienOutboxMessage]="resource" let-message>`. The resource only
 * types `message` in the page's template.
 */
@Directive({ selector: 'ng-template[lienOutboxMessage]' })
export class OutboxMessage<T> {
  readonly lienOutboxMessage = input.required<OutboxResource<T>>();

  static ngTemplateContextGuard<T>(
    _directive: OutboxMessage<T>,
    _context: unknown,
  ): _context is { $implicit: T } {
    return true;
  }
}

/**
 * One built-in outbox (SMS or e-mail): its title, how it is loading, that it is off (the real provider is
 * configured) or empty, else its messages newest first, each drawn by the page's `lienOutboxMessage` template.
 * Test ids follow the kind: `sms-outbox`, `sms-outbox-empty`, `sms-outbox-inactive`, one `outbox-sms` a message.
 */
@Component({
  selector: 'lien-outbox-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NgTemplateOutlet, TranslatePipe, LoadState],
  template: `
    <section [attr.aria-labelledby]="kind() + '-outbox-title'">
      <h2 [id]="kind() + '-outbox-title'">{{ title() | t }}</h2>
      <lien-load-state [resource]="resource()" failed="outbox.loadFailed" />
      @if (!resource().error() && resource().hasValue()) {
        @let state = resource().value();
        @if (state && !state.active) {
          <p [attr.data-testid]="kind() + '-outbox-inactive'">{{ inactive() | t }}</p>
        } @else if (state && state.active) {
          @if (state.items.length === 0) {
            <p [attr.data-testid]="kind() + '-outbox-empty'">{{ 'outbox.empty' | t }}</p>
          }
          <ul class="messages" [attr.data-testid]="kind() + '-outbox'">
            @for (message of state.items; track message.id) {
              <li class="message" [attr.data-testid]="'outbox-' + kind()">
                <ng-container *ngTemplateOutlet="messageTemplate(); context: { $implicit: message }" />
              </li>
            }
          </ul>
        }
      }
    </section>
  `,
  styles: `
    :host {
      display: block;
    }
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
  `,
})
export class OutboxSection<T extends { id: string }> {
  readonly kind = input.required<'sms' | 'email'>();
  readonly title = input.required<TranslationKey>();
  /** What the section says when the real provider is configured (the outbox is off). */
  readonly inactive = input.required<TranslationKey>();
  readonly resource = input.required<OutboxResource<T>>();

  protected readonly messageTemplate = contentChild.required(OutboxMessage, { read: TemplateRef });
}
