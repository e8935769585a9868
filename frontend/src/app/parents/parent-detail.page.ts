import { ChangeDetectionStrategy, Component, Injector, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import {
  getEpdsUiText,
  isEpdsLanguage,
  type HouseholdMember,
  type ParentDetail,
  type TimelineEntry,
} from '@lien/shared';
import { apiErrorText, toApiError } from '../core/api-error';
import { AuthService } from '../core/auth/auth.service';
import { FormatService } from '../i18n/format.service';
import { FormatPipe } from '../i18n/format.pipe';
import type { TranslationKey } from '../i18n/fr';
import { LienDateField } from '../core/date-fields';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { ConfirmDialog, type ConfirmDialogData } from '../ui/confirm.dialog';
import {
  bandKey,
  invitationStatusKey,
  parentRoleKey,
  parentStatusKey,
  smsKindKey,
  smsStatusKey,
  waveLabel,
} from '../ui/labels';
import { dayIn } from './enrolment-form';
import { displayPhone } from './phone-format';
import { ParentsApi } from './parents-api';
import { timelineAlertId, timelineText } from './timeline-labels';
import { LienIcon } from '../ui/icon';
import { DataTable } from '../ui/data-table';

@Component({
  selector: 'lien-parent-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    LienDateField,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    LienIcon,
    MatInputModule,
    MatProgressBarModule,
    DataTable,
    TranslatePipe,
    FormatPipe,
  ],
  template: `
    <a routerLink="/parents" class="back-link"
      ><lien-icon name="arrow_back" />{{ 'parentDetail.back' | t }}</a
    >
    @if (parent.isLoading() && !parent.hasValue()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | t" />
    }
    @if (parent.error(); as error) {
      <p role="alert" class="error-text">{{ loadErrorKey(error) | t }}</p>
    } @else if (detail(); as p) {
      <div class="page-header">
        <h1 data-testid="parent-title">{{ p.firstName }} {{ p.lastName }}</h1>
        <span class="status-pill" data-testid="parent-status">{{ parentStatusKey(p.status) | t }}</span>
      </div>

      <dl class="facts">
        <div>
          <dt>{{ 'parents.phone' | t }}</dt>
          <dd>
            <a [href]="'tel:' + p.phone">{{ phone(p.phone) }}</a>
          </dd>
        </div>
        <div>
          <dt>{{ 'parents.role' | t }}</dt>
          <dd>{{ parentRoleKey(p.role) | t }}</dd>
        </div>
        <div>
          <dt>{{ 'enrol.language' | t }}</dt>
          <dd>{{ languageName(p.language) }}</dd>
        </div>
        @if (p.birthDate) {
          <div>
            <dt>{{ 'parents.birthDate' | t }}</dt>
            <dd>{{ p.birthDate | fmt: 'day' }}</dd>
          </div>
        } @else {
          <div>
            <dt>{{ 'enrol.expectedTerm' | t }}</dt>
            <dd>{{ p.expectedTermDate | fmt: 'day' }}</dd>
          </div>
        }
        <div>
          <dt>{{ 'parentDetail.enrolled' | t }}</dt>
          <dd>{{ p.createdAt | fmt }}</dd>
        </div>
        <div>
          <dt>{{ 'parentDetail.consent' | t }}</dt>
          <dd>
            {{
              'parentDetail.consentValue'
                | t: { at: (p.consent.recordedAt | fmt), version: p.consent.textVersion }
            }}
          </dd>
        </div>
      </dl>

      @if (p.householdId) {
        <section class="panel" aria-labelledby="household-title" data-testid="household">
          <h2 id="household-title">{{ 'parentDetail.household' | t }}</h2>
          <p class="muted">{{ 'parentDetail.householdPrivate' | t }}</p>
          <ul class="household">
            @for (member of p.household; track member.id) {
              <li data-testid="household-member">
                <a [routerLink]="['/parents', member.id]">{{ member.firstName }} {{ member.lastName }}</a>
                — {{ parentRoleKey(member.role) | t }} · {{ parentStatusKey(member.status) | t }}
                <div>{{ 'parentDetail.householdWaves' | t: { waves: memberWaves(member) } }}</div>
                <div data-testid="household-results">
                  {{ 'parentDetail.householdResults' | t: { results: memberResults(member) } }}
                </div>
              </li>
            } @empty {
              <li class="muted">{{ 'parentDetail.householdNone' | t }}</li>
            }
          </ul>
        </section>
      }

      @if (p.status === 'active') {
        <section class="panel" aria-labelledby="parent-actions-title">
          <h2 id="parent-actions-title">{{ 'parentDetail.actions' | t }}</h2>
          <div class="actions-row">
            @if (canInvite()) {
              <button
                mat-flat-button
                type="button"
                (click)="sendInvitation(p.id)"
                [disabled]="busy()"
                data-testid="send-invitation"
              >
                <lien-icon name="sms" />{{ 'parentDetail.sendInvitation' | t }}
              </button>
            }
            @if (canWrite()) {
              <button
                mat-stroked-button
                type="button"
                (click)="withdraw(p)"
                [disabled]="busy()"
                data-testid="withdraw-parent"
              >
                {{ 'parentDetail.withdraw' | t }}
              </button>
            }
          </div>
          @if (canWrite() && !p.birthDate) {
            <form class="birth-form" (submit)="$event.preventDefault(); recordBirth(p.id, birthInput.value)">
              <lien-date-field
                #birthInput
                [label]="'parentDetail.recordBirth' | t"
                [max]="today()"
                testId="record-birth-date"
              />
              <button mat-stroked-button type="submit" [disabled]="busy()" data-testid="record-birth-submit">
                {{ 'common.save' | t }}
              </button>
            </form>
          }
          <p role="status" data-testid="parent-action-status">{{ actionMessage() }}</p>
          @if (actionError(); as message) {
            <p role="alert" class="error-text" data-testid="parent-action-error">{{ message }}</p>
          }
        </section>
      }

      <section aria-labelledby="invitations-title">
        <h2 id="invitations-title">{{ 'parentDetail.invitations' | t }}</h2>
        @if (p.invitations.length === 0) {
          <p class="muted">{{ 'parentDetail.noInvitations' | t }}</p>
        } @else {
          <lien-data-table
            [caption]="'parentDetail.invitations' | t"
            [columns]="invitationColumns"
            testId="invitations-table"
          >
            <tbody>
              @for (invitation of p.invitations; track invitation.id) {
                <tr>
                  <td>{{ wave(invitation.wave) }}</td>
                  <td>
                    <span class="status-pill">{{ invitationStatusKey(invitation.status) | t }}</span>
                  </td>
                  <td>
                    {{ invitation.dueAt | fmt }}
                    @if (invitation.deferredFrom) {
                      <div class="muted">
                        {{ 'parentDetail.deferredFrom' | t: { from: (invitation.deferredFrom | fmt) } }}
                      </div>
                    }
                  </td>
                  <td>
                    <ul class="sms-list">
                      @for (sms of invitation.sms; track sms.id) {
                        <li>
                          {{ smsKindKey(sms.kind) | t }} : {{ smsStatusKey(sms.status) | t }} —
                          {{ sms.sentAt ?? sms.dueAt | fmt }}
                          @if (sms.errorCode) {
                            ({{ sms.errorCode }})
                          }
                        </li>
                      } @empty {
                        <li class="muted">—</li>
                      }
                    </ul>
                  </td>
                </tr>
              }
            </tbody>
          </lien-data-table>
        }
      </section>

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{{ 'parentDetail.timeline' | t }}</h2>
        @if (timeline.error()) {
          <p class="error-text">{{ 'parentDetail.timelineFailed' | t }}</p>
        }
        <ol class="timeline" data-testid="parent-timeline">
          @for (entry of timelineEntries(); track $index) {
            <li data-testid="timeline-entry" [attr.data-kind]="entry.kind">
              <span class="when">{{ entry.at | fmt }}</span>
              <span>{{ text(entry) }}</span>
              @if (alertId(entry); as id) {
                <a [routerLink]="['/alerts', id]">{{ 'parentDetail.openAlert' | t }}</a>
              }
            </li>
          } @empty {
            <li class="muted">—</li>
          }
        </ol>
      </section>
    }
  `,
  styles: `
    .back-link {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      margin-bottom: 8px;
    }
    .facts {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
      gap: 8px 24px;
      margin: 0 0 16px;
    }
    .facts dt {
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
    }
    .facts dd {
      margin: 2px 0 0;
    }
    .birth-form {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 16px;
      align-items: center;
      margin-top: 16px;
    }
    .household {
      margin: 0;
      padding-left: 16px;
    }
    .sms-list {
      margin: 0;
      padding-left: 16px;
    }
    .timeline {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    .timeline li {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .when {
      min-width: 170px;
      font-variant-numeric: tabular-nums;
    }
  `,
})
export class ParentDetailPage {
  readonly id = input.required<string>();

  private readonly api = inject(ParentsApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  /** Dialogs get this route's providers (form-field appearance…). */
  private readonly injector = inject(Injector);
  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);

  protected readonly parentRoleKey = parentRoleKey;
  protected readonly parentStatusKey = parentStatusKey;
  protected readonly invitationColumns = [
    'parentDetail.wave',
    'parentDetail.invitationStatus',
    'parentDetail.due',
    'parentDetail.smsHistory',
  ] as const;
  protected readonly invitationStatusKey = invitationStatusKey;
  protected readonly smsKindKey = smsKindKey;
  protected readonly smsStatusKey = smsStatusKey;

  protected readonly parent = rxResource({
    params: () => this.id(),
    stream: ({ params }) => this.api.get(params),
  });
  protected readonly timeline = rxResource({
    params: () => this.id(),
    stream: ({ params }) => this.api.timeline(params),
  });
  protected readonly detail = computed<ParentDetail | null>(() =>
    this.parent.hasValue() ? (this.parent.value() ?? null) : null,
  );
  protected readonly timelineEntries = computed<TimelineEntry[]>(() =>
    this.timeline.hasValue()
      ? [...(this.timeline.value()?.entries ?? [])].sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
      : [],
  );
  protected readonly canInvite = computed(() => this.auth.permissions().has('invitations.send'));
  protected readonly canWrite = computed(() => this.auth.permissions().has('parents.write'));
  protected readonly busy = signal(false);
  protected readonly actionMessage = signal('');
  protected readonly actionError = signal<string | null>(null);

  protected readonly today = (): string => dayIn(this.formatter.timeZone(), new Date());

  protected phone(value: string): string {
    return displayPhone(value);
  }

  protected wave(value: string): string {
    return waveLabel(value, this.i18n.t);
  }

  /** "Day 7: answered, Day 42: planned" */
  protected memberWaves(member: HouseholdMember): string {
    return member.invitations
      .map((i) => `${this.wave(i.wave)} : ${this.i18n.t(invitationStatusKey(i.status))}`)
      .join(', ');
  }

  /** Bands only: the other parent's answers and score are never sent to the console. */
  protected memberResults(member: HouseholdMember): string {
    if (member.results.length === 0) return this.i18n.t('parentDetail.householdNoResult');
    return member.results.map((r) => `${this.wave(r.wave)} : ${this.i18n.t(bandKey(r.band))}`).join(', ');
  }

  protected languageName(language: string): string {
    return isEpdsLanguage(language) ? getEpdsUiText(language).languageName : language;
  }

  protected text(entry: TimelineEntry): string {
    return timelineText(entry, this.i18n.t, (iso) => this.formatter.format(iso));
  }

  protected alertId(entry: TimelineEntry): string | null {
    return timelineAlertId(entry);
  }

  protected loadErrorKey(error: unknown): TranslationKey {
    return toApiError(error).statusCode === 404 ? 'parentDetail.notFound' : 'parentDetail.loadFailed';
  }

  protected async sendInvitation(id: string): Promise<void> {
    await this.run(async () => {
      const result = await firstValueFrom(this.api.sendInvitation(id));
      const due = this.formatter.format(result.invitation.dueAt);
      this.actionMessage.set(
        result.invitation.deferredFrom
          ? this.i18n.t('parentDetail.invitationDeferred', { due })
          : this.i18n.t('parentDetail.invitationPlanned', { due }),
      );
    });
  }

  protected async withdraw(parent: ParentDetail): Promise<void> {
    const t = this.i18n.t;
    const ref = this.dialog.open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, {
      data: {
        title: t('parentDetail.withdrawTitle'),
        message: t('parentDetail.withdrawMessage', { name: `${parent.firstName} ${parent.lastName}` }),
        confirm: t('parentDetail.withdrawConfirm'),
        cancel: t('common.cancel'),
        destructive: true,
      },
      restoreFocus: true,
      injector: this.injector,
    });
    if (!(await firstValueFrom(ref.afterClosed()))) return;
    await this.run(async () => {
      await firstValueFrom(this.api.withdraw(parent.id));
      this.actionMessage.set(t('parentDetail.withdrawn'));
    });
  }

  protected async recordBirth(id: string, birthDate: string): Promise<void> {
    if (!birthDate) {
      this.actionError.set(this.i18n.t('enrol.errors.required'));
      return;
    }
    await this.run(async () => {
      await firstValueFrom(this.api.update(id, { birthDate }));
      this.actionMessage.set(this.i18n.t('parentDetail.birthRecorded'));
    });
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.actionError.set(null);
    this.actionMessage.set('');
    try {
      await action();
      this.parent.reload();
      this.timeline.reload();
    } catch (error) {
      const apiError = toApiError(error);
      this.actionError.set(
        this.i18n.t('parentDetail.actionFailed', { message: apiErrorText(apiError, this.i18n.t) }),
      );
    } finally {
      this.busy.set(false);
    }
  }
}
