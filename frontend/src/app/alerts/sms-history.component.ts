import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { SmsHistoryItem } from '@lien/shared';
import { FormatPipe } from '../i18n/format.pipe';
import { TranslatePipe } from '../i18n/translate.pipe';
import { DataTable } from '../ui/data-table';
import { LABELS } from '../ui/labels';

/** The SMS sent to a parent (invitations and reminders): kind, status, when due and sent, the provider's error. */
@Component({
  selector: 'lien-sms-history',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DataTable, FormatPipe, TranslatePipe],
  template: `
    @if (sms().length === 0) {
      <p class="muted">{{ 'alertDetail.noSms' | t }}</p>
    } @else {
      <lien-data-table
        [caption]="'alertDetail.sms' | t"
        [columns]="columns"
        testId="sms-history"
        [cards]="true"
      >
        <tbody>
          @for (message of sms(); track message.id) {
            <tr data-testid="sms-row" [attr.data-status]="message.status">
              <td [attr.data-label]="'alertDetail.smsKind' | t">{{ labels.smsKind(message.kind) | t }}</td>
              <td [attr.data-label]="'alertDetail.smsStatus' | t">
                <span class="status-pill">{{ labels.smsStatus(message.status) | t }}</span>
              </td>
              <td [attr.data-label]="'alertDetail.smsDue' | t">{{ message.dueAt | fmt }}</td>
              <td [attr.data-label]="'alertDetail.smsSent' | t">{{ message.sentAt | fmt }}</td>
              <td [attr.data-label]="'alertDetail.smsError' | t">{{ message.errorCode ?? '—' }}</td>
            </tr>
          }
        </tbody>
      </lien-data-table>
    }
  `,
})
export class SmsHistoryComponent {
  readonly sms = input.required<readonly SmsHistoryItem[]>();
  protected readonly labels = LABELS;
  protected readonly columns = [
    'alertDetail.smsKind',
    'alertDetail.smsStatus',
    'alertDetail.smsDue',
    'alertDetail.smsSent',
    'alertDetail.smsError',
  ] as const;
}
