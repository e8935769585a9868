import {
  ChangeDetectionStrategy,
  Component,
  Injector,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { catchError, firstValueFrom, of } from 'rxjs';
import {
  findEpdsInstrument,
  getEpdsInstrument,
  resolveEpdsLanguage,
  type AlertDetail,
  type AlertEventRequest,
  type AlertEventType,
  type AlertResponseDetail,
  type CloseOutcome,
  type EpdsInstrument,
  type ParentDetail,
  type ParentTimeline,
} from '@lien/shared';
import { toApiError } from '../core/api-error';
import { AuthService } from '../core/auth/auth.service';
import { FormatService } from '../i18n/format.service';
import { FormatPipe } from '../i18n/format.pipe';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { ChartComponent, type ChartSpec } from '../ui/chart.component';
import {
  SEVERITY_ICON,
  alertStatusKey,
  bandKey,
  eventKey,
  outcomeKey,
  parentRoleKey,
  reasonKey,
  severityKey,
  smsKindKey,
  smsStatusKey,
  waveLabel,
} from '../ui/labels';
import { AlertEventDialog, type AlertEventDialogData } from './alert-event.dialog';
import { closeOutcomes, currentDeadline, invalidTransition, validNextSteps } from './alert-workflow';
import { AlertsApi } from './alerts-api';
import { ContactRequestPanel } from './contact-request.panel';
import { ParentsApi } from '../parents/parents-api';
import { displayPhone } from '../parents/phone-format';
import { eventSummary } from './event-summary';
import { LienIcon } from '../ui/icon';
import { DataTable } from '../ui/data-table';

interface ScorePoint {
  at: string;
  wave: string;
  score: number;
}

/** Scores across waves, oldest first, from the parent's timeline (every wave), else the alert's responses. */
export function scoreTrend(
  timeline: ParentTimeline | null,
  responses: readonly AlertResponseDetail[],
): ScorePoint[] {
  const fromTimeline = (timeline?.entries ?? []).flatMap((entry) =>
    entry.kind === 'response' ? [{ at: entry.at, wave: entry.wave, score: entry.score }] : [],
  );
  const points = fromTimeline.length
    ? fromTimeline
    : responses.map((response) => ({ at: response.createdAt, wave: response.wave, score: response.score }));
  return [...points].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

@Component({
  selector: 'lien-alert-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    MatButtonModule,
    LienIcon,
    MatProgressBarModule,
    DataTable,
    TranslatePipe,
    FormatPipe,
    ChartComponent,
    ContactRequestPanel,
  ],
  template: `
    <a routerLink="/alerts" class="back-link" data-testid="back-to-alerts">
      <lien-icon name="arrow_back" />{{ 'alertDetail.back' | t }}
    </a>
    @if (alert.isLoading() && !alert.hasValue()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | t" />
    }
    @if (alert.error(); as error) {
      <p role="alert" class="error-text">{{ loadErrorKey(error) | t }}</p>
    } @else if (detail(); as a) {
      <div class="page-header">
        <h1 data-testid="alert-title">
          {{ 'alertDetail.title' | t }}
          <span class="severity" [class]="'severity severity-' + a.severity" data-testid="alert-severity">
            <lien-icon [name]="severityIcon[a.severity]" />{{ severityKey(a.severity) | t }}
          </span>
        </h1>
      </div>

      <dl class="facts">
        <div>
          <dt>{{ 'alertDetail.status' | t }}</dt>
          <dd>
            <span class="status-pill" data-testid="alert-status" [attr.data-status]="a.status">{{
              alertStatusKey(a.status) | t
            }}</span>
          </dd>
        </div>
        <div>
          <dt>{{ 'alertDetail.reasons' | t }}</dt>
          <dd>
            @for (reason of a.reasons; track reason; let last = $last) {
              {{ reasonKey(reason) | t }}
              @if (!last) {
                ,
              }
            }
          </dd>
        </div>
        <div>
          <dt>{{ 'alertDetail.created' | t }}</dt>
          <dd>{{ a.createdAt | fmt }}</dd>
        </div>
        @if (deadline(); as d) {
          <div>
            <dt>{{ (d.kind === 'acknowledge' ? 'alerts.ackBy' : 'alerts.contactBy') | t }}</dt>
            <dd>
              {{ d.dueAt | fmt }}
              @if (a.overdue) {
                <span class="overdue"><lien-icon name="schedule" />{{ 'alerts.overdue' | t }}</span>
              }
            </dd>
          </div>
        }
        <div>
          <dt>{{ 'alertDetail.assignee' | t }}</dt>
          <dd data-testid="alert-assignee">{{ assigneeKey() | t }}</dd>
        </div>
        <div>
          <dt>{{ 'alertDetail.attempts' | t }}</dt>
          <dd>{{ a.contactAttempts | fmt: 'number' }}</dd>
        </div>
        @if (a.outcome) {
          <div>
            <dt>{{ 'alertDetail.outcome' | t }}</dt>
            <dd>{{ outcomeKey(a.outcome) | t }}</dd>
          </div>
        }
      </dl>

      @if (a.contactRequest; as request) {
        <lien-contact-request-panel [request]="request" />
      }

      @if (a.parentId) {
        <section class="panel" aria-labelledby="identity-title">
          <h2 id="identity-title">{{ 'alertDetail.identity' | t }}</h2>
          @if (identity(); as parent) {
            <dl class="facts" data-testid="parent-identity">
              <div>
                <dt>{{ 'parents.name' | t }}</dt>
                <dd data-testid="parent-name">{{ parent.firstName }} {{ parent.lastName }}</dd>
              </div>
              <div>
                <dt>{{ 'parents.phone' | t }}</dt>
                <dd>
                  <a [href]="'tel:' + parent.phone" data-testid="parent-phone">{{ phone(parent.phone) }}</a>
                </dd>
              </div>
              <div>
                <dt>{{ 'parents.role' | t }}</dt>
                <dd>{{ parentRoleKey(parent.role) | t }}</dd>
              </div>
              <div>
                <dt>{{ 'parents.birthDate' | t }}</dt>
                <dd>{{ parent.birthDate | fmt: 'day' }}</dd>
              </div>
            </dl>
            @if (canReadParents()) {
              <a [routerLink]="['/parents', parent.id]" data-testid="parent-page-link">{{
                'alertDetail.openParent' | t
              }}</a>
            }
          } @else {
            <p class="muted">{{ 'alertDetail.identityHidden' | t }}</p>
            <button
              mat-stroked-button
              type="button"
              (click)="reveal(a.parentId)"
              [disabled]="revealing()"
              data-testid="reveal-identity"
            >
              <lien-icon name="visibility" />{{ 'alertDetail.reveal' | t }}
            </button>
            @if (revealError()) {
              <p role="alert" class="error-text">{{ 'alertDetail.revealFailed' | t }}</p>
            }
          }
        </section>
      }

      @if (a.otherParent; as other) {
        <section aria-labelledby="other-parent-title" class="panel" data-testid="other-parent">
          <h2 id="other-parent-title">{{ 'alertDetail.otherParent' | t }}</h2>
          @if (other.enrolled && other.role) {
            <p>
              {{
                (other.invited ? 'alertDetail.otherParentInvited' : 'alertDetail.otherParentEnrolled')
                  | t: { role: (parentRoleKey(other.role) | t) }
              }}
            </p>
            @if (canInviteOther()) {
              <button
                mat-stroked-button
                type="button"
                [disabled]="busy()"
                (click)="inviteOther(a.id)"
                data-testid="invite-other-parent"
              >
                <lien-icon name="sms" />{{ 'alertDetail.inviteOtherParent' | t }}
              </button>
            }
          } @else {
            <p class="muted">{{ 'alertDetail.otherParentNone' | t }}</p>
          }
        </section>
      }

      <section aria-labelledby="actions-title" class="panel">
        <h2 id="actions-title">{{ 'alertDetail.actions' | t }}</h2>
        @if (steps().length === 0) {
          <p class="muted">{{ 'alertDetail.noActions' | t }}</p>
        }
        <div class="actions-row">
          @for (step of steps(); track step) {
            <button
              [attr.data-testid]="'action-' + step"
              type="button"
              [disabled]="busy()"
              (click)="act(step)"
              [class]="step === primaryStep() ? 'primary-action' : ''"
              mat-stroked-button
            >
              {{ actionKey(step) | t }}
            </button>
          }
        </div>
        <p role="status" class="action-status" [class.shown]="actionMessage()" data-testid="action-status">
          {{ actionMessage() }}
        </p>
        @if (actionError(); as message) {
          <p role="alert" class="error-text" data-testid="action-error">{{ message }}</p>
        }
      </section>

      <section aria-labelledby="responses-title">
        <h2 id="responses-title">{{ 'alertDetail.responses' | t }}</h2>
        @for (response of responsesNewestFirst(); track response.id) {
          <article class="response" data-testid="response">
            <h3>
              {{ wave(response.wave) }} — {{ response.createdAt | fmt }} —
              {{ 'alertDetail.score' | t: { score: response.score } }} ({{ bandKey(response.band) | t }})
            </h3>
            <ul class="flags">
              @if (response.item10Positive) {
                <li class="overdue"><lien-icon name="error" />{{ 'alertDetail.item10' | t }}</li>
              }
              @if (response.anxietyFlag) {
                <li>
                  <lien-icon name="warning" />{{
                    'alertDetail.anxiety' | t: { score: response.anxietyScore }
                  }}
                </li>
              }
            </ul>
            <div
              class="table-scroll"
              tabindex="0"
              role="region"
              [attr.aria-label]="'common.scrollableTable' | t"
            >
              <table class="data-table">
                <caption class="visually-hidden">
                  {{
                    'alertDetail.answersCaption' | t: { wave: wave(response.wave) }
                  }}
                </caption>
                <thead>
                  <tr>
                    <th scope="col" class="num">{{ 'alertDetail.itemNumber' | t }}</th>
                    <th scope="col">{{ 'alertDetail.question' | t }}</th>
                    <th scope="col">{{ 'alertDetail.answer' | t }}</th>
                    <th scope="col" class="num">{{ 'alertDetail.points' | t }}</th>
                  </tr>
                </thead>
                <tbody>
                  @for (item of response.items; track item.number) {
                    <tr [class.flagged]="item.number === 10 && item.points > 0">
                      <td class="num">{{ item.number }}</td>
                      <td>{{ questionText(response, item.number) }}</td>
                      <td>{{ answerText(response, item.number, item.answer) }}</td>
                      <td class="num">{{ item.points }}</td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          </article>
        } @empty {
          <p class="muted">{{ 'alertDetail.noResponses' | t }}</p>
        }
        <p class="citation muted">{{ citation() }}</p>
      </section>

      @if (trend().labels.length > 0) {
        <section aria-labelledby="trend-title">
          <h2 id="trend-title">{{ 'alertDetail.trend' | t }}</h2>
          <lien-chart
            [spec]="trend()"
            [caption]="'alertDetail.trendCaption' | t"
            testId="score-trend"
            [height]="240"
          />
        </section>
      }

      <section aria-labelledby="sms-title">
        <h2 id="sms-title">{{ 'alertDetail.sms' | t }}</h2>
        @if (a.sms.length === 0) {
          <p class="muted">{{ 'alertDetail.noSms' | t }}</p>
        } @else {
          <lien-data-table [caption]="'alertDetail.sms' | t" [columns]="smsColumns" testId="sms-history">
            <tbody>
              @for (sms of a.sms; track sms.id) {
                <tr>
                  <td>{{ smsKindKey(sms.kind) | t }}</td>
                  <td>
                    <span class="status-pill">{{ smsStatusKey(sms.status) | t }}</span>
                  </td>
                  <td>{{ sms.dueAt | fmt }}</td>
                  <td>{{ sms.sentAt | fmt }}</td>
                  <td>{{ sms.errorCode ?? '—' }}</td>
                </tr>
              }
            </tbody>
          </lien-data-table>
        }
      </section>

      <section aria-labelledby="events-title">
        <h2 id="events-title">{{ 'alertDetail.timeline' | t }}</h2>
        <ol class="timeline" data-testid="alert-timeline">
          @for (event of eventsNewestFirst(); track event.id) {
            <li data-testid="alert-event" [attr.data-event-type]="event.type">
              <span class="when">{{ event.createdAt | fmt }}</span>
              <span class="what">{{ eventKey(event.type) | t }}</span>
              @if (summary(event.type, event.payload); as text) {
                <span class="details">{{ text }}</span>
              }
              <span class="who muted">{{ actorKey(event.actorId) | t }}</span>
            </li>
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
    h1 {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 12px;
    }
    .facts {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
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
    .primary-action {
      --mat-button-outlined-outline-color: var(--mat-sys-primary);
      font-weight: 700;
    }
    .action-status {
      margin: 0;
    }
    .action-status.shown {
      margin: 12px 0 0;
      font-weight: 600;
    }
    .response {
      margin-bottom: 24px;
    }
    .flags {
      list-style: none;
      padding: 0;
      display: flex;
      gap: 16px;
      flex-wrap: wrap;
    }
    .flags li {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      font-weight: 600;
    }
    tr.flagged {
      background: var(--lien-urgent-container);
    }
    .citation {
      font-size: 0.85rem;
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
    .what {
      font-weight: 600;
    }
  `,
})
export class AlertDetailPage {
  /** Route parameter (component input binding). */
  readonly id = input.required<string>();

  private readonly api = inject(AlertsApi);
  private readonly parentsApi = inject(ParentsApi);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  /** Dialogs get this route's providers (form-field appearance…). */
  private readonly injector = inject(Injector);
  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);

  protected readonly severityIcon = SEVERITY_ICON;
  protected readonly severityKey = severityKey;
  protected readonly reasonKey = reasonKey;
  protected readonly alertStatusKey = alertStatusKey;
  protected readonly outcomeKey = outcomeKey;
  protected readonly bandKey = bandKey;
  protected readonly parentRoleKey = parentRoleKey;
  protected readonly smsKindKey = smsKindKey;
  protected readonly smsStatusKey = smsStatusKey;
  protected readonly eventKey = eventKey;
  protected readonly smsColumns = [
    'alertDetail.smsKind',
    'alertDetail.smsStatus',
    'alertDetail.smsDue',
    'alertDetail.smsSent',
    'alertDetail.smsError',
  ] as const;

  protected readonly alert = rxResource({
    params: () => this.id(),
    stream: ({ params }) => this.api.get(params),
  });
  protected readonly detail = computed<AlertDetail | null>(() =>
    this.alert.hasValue() ? (this.alert.value() ?? null) : null,
  );
  private readonly timeline = rxResource({
    // A contact-request alert has no parent until the request becomes an enrolment.
    params: () => this.detail()?.parentId ?? undefined,
    stream: ({ params }) => this.parentsApi.timeline(params).pipe(catchError(() => of(null))),
  });

  protected readonly identity = signal<ParentDetail | null>(null);
  protected readonly revealing = signal(false);
  protected readonly revealError = signal(false);
  protected readonly busy = signal(false);
  protected readonly actionMessage = signal('');
  protected readonly actionError = signal<string | null>(null);
  /** What the API said is allowed after a refused (409) action, until the alert is loaded again. */
  private readonly allowedOverride = linkedSignal<
    AlertDetail | null,
    { events: AlertEventType[]; outcomes: CloseOutcome[] | null } | null
  >({
    source: () => this.detail(),
    computation: () => null,
  });

  protected readonly canReadParents = computed(() => this.auth.permissions().has('parents.read'));
  protected readonly canWrite = computed(() => this.auth.permissions().has('alerts.write'));
  protected readonly canInviteOther = computed(() => this.auth.permissions().has('parents.write'));
  protected readonly deadline = computed(() => {
    const alert = this.detail();
    return alert ? currentDeadline(alert) : null;
  });
  protected readonly steps = computed<AlertEventType[]>(() => {
    const alert = this.detail();
    if (!alert || !this.canWrite()) return [];
    const override = this.allowedOverride();
    const steps = validNextSteps(alert.status, override?.events ?? alert.allowedEvents);
    // "Assign" means "assign to me" here: hide it when it is already mine.
    return steps.filter((step) => step !== 'assign' || alert.assigneeId !== this.auth.me()?.id);
  });
  protected readonly primaryStep = computed<AlertEventType | null>(() => this.steps()[0] ?? null);
  protected readonly assigneeKey = computed<TranslationKey>(() => {
    const assignee = this.detail()?.assigneeId;
    if (!assignee) return 'alerts.unassigned';
    return assignee === this.auth.me()?.id ? 'alerts.assignedToMe' : 'alerts.assignedToOther';
  });
  protected readonly responsesNewestFirst = computed(() =>
    [...(this.detail()?.responses ?? [])].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)),
  );
  protected readonly eventsNewestFirst = computed(() =>
    [...(this.detail()?.events ?? [])].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)),
  );
  protected readonly trend = computed<ChartSpec>(() => {
    const t = this.i18n.t;
    const points = scoreTrend(
      this.timeline.hasValue() ? (this.timeline.value() ?? null) : null,
      this.detail()?.responses ?? [],
    );
    return {
      kind: 'line',
      categoryLabel: t('alertDetail.wave'),
      labels: points.map(
        (point) => `${waveLabel(point.wave, t)} (${this.formatter.format(point.at, 'date')})`,
      ),
      series: [{ label: t('alertDetail.scoreAxis'), values: points.map((point) => point.score) }],
      yMax: 30,
    };
  });
  protected readonly citation = computed(() => this.instrument(this.i18n.language(), null).citation);

  protected phone(value: string): string {
    return displayPhone(value);
  }

  protected wave(value: string): string {
    return waveLabel(value, this.i18n.t);
  }

  protected actionKey(step: AlertEventType): TranslationKey {
    return step === 'assign' ? 'action.assignToMe' : (`action.${step}` as const);
  }

  protected actorKey(actorId: string | null): TranslationKey {
    if (!actorId) return 'alertDetail.bySystem';
    return actorId === this.auth.me()?.id ? 'alertDetail.byMe' : 'alertDetail.byColleague';
  }

  protected summary(type: string, payload: Record<string, unknown>): string {
    return eventSummary(type, payload, this.i18n.t);
  }

  protected loadErrorKey(error: unknown): TranslationKey {
    return toApiError(error).statusCode === 404 ? 'alertDetail.notFound' : 'alertDetail.loadFailed';
  }

  protected questionText(response: AlertResponseDetail, item: number): string {
    return this.instrument(this.i18n.language(), response).items[item - 1]?.text ?? `#${item}`;
  }

  protected answerText(response: AlertResponseDetail, item: number, answer: number): string {
    return (
      this.instrument(this.i18n.language(), response).items[item - 1]?.options[answer]?.text ?? String(answer)
    );
  }

  /** The validated wording in the console's language, of the version the parent answered. */
  private instrument(language: string, response: AlertResponseDetail | null): EpdsInstrument {
    return (
      (response ? findEpdsInstrument(language, response.instrumentVersion) : undefined) ??
      getEpdsInstrument(resolveEpdsLanguage(language))
    );
  }

  protected async reveal(parentId: string | null): Promise<void> {
    if (!parentId) return;
    this.revealing.set(true);
    this.revealError.set(false);
    try {
      this.identity.set(await firstValueFrom(this.api.revealParent(parentId)));
    } catch {
      this.revealError.set(true);
    } finally {
      this.revealing.set(false);
    }
  }

  /** The other parent of the birth gets a questionnaire now (ad hoc, out of quiet hours). */
  protected async inviteOther(id: string): Promise<void> {
    this.busy.set(true);
    this.actionError.set(null);
    this.actionMessage.set('');
    try {
      await firstValueFrom(this.api.inviteOtherParent(id));
      this.actionMessage.set(this.i18n.t('alertDetail.otherParentInvitedNow'));
      this.alert.reload();
    } catch (error) {
      this.actionError.set(this.i18n.t('parentDetail.actionFailed', { message: toApiError(error).message }));
    } finally {
      this.busy.set(false);
    }
  }

  protected async act(step: AlertEventType): Promise<void> {
    const alert = this.detail();
    if (!alert) return;
    let request: AlertEventRequest | undefined;
    // One-click steps: acknowledge, assign to me, in care (its note is optional: add one with "note").
    if (step === 'acknowledge') request = { type: 'acknowledge' };
    else if (step === 'in_care') request = { type: 'in_care' };
    else if (step === 'assign') {
      const me = this.auth.me();
      if (!me) return;
      request = { type: 'assign', assigneeId: me.id };
    } else {
      const data: AlertEventDialogData = {
        type: step,
        outcomes: closeOutcomes(alert.status, this.allowedOverride()?.outcomes),
      };
      const ref = this.dialog.open<AlertEventDialog, AlertEventDialogData, AlertEventRequest>(
        AlertEventDialog,
        {
          data,
          autoFocus: 'first-tabbable',
          restoreFocus: true,
          injector: this.injector,
          width: '560px',
          maxWidth: '95vw',
        },
      );
      request = await firstValueFrom(ref.afterClosed());
    }
    if (!request) return;
    await this.send(alert.id, request);
  }

  private async send(id: string, request: AlertEventRequest): Promise<void> {
    this.busy.set(true);
    this.actionError.set(null);
    this.actionMessage.set('');
    try {
      await firstValueFrom(this.api.addEvent(id, request));
      this.allowedOverride.set(null);
      this.actionMessage.set(
        this.i18n.t('alertDetail.actionDone', { action: this.i18n.t(this.actionKey(request.type)) }),
      );
      this.alert.reload();
    } catch (error) {
      const apiError = toApiError(error);
      const refused = apiError.statusCode === 409 ? invalidTransition(apiError.details) : null;
      if (refused) {
        this.allowedOverride.set({ events: refused.allowed, outcomes: refused.allowedOutcomes ?? null });
        const allowed = validNextSteps(refused.status, refused.allowed)
          .map((step) => this.i18n.t(this.actionKey(step)))
          .join(', ');
        this.actionError.set(
          this.i18n.t('alertDetail.refused', {
            status: this.i18n.t(alertStatusKey(refused.status)),
            allowed: allowed || this.i18n.t('alertDetail.nothingAllowed'),
          }),
        );
        this.alert.reload();
      } else {
        this.actionError.set(
          apiError.statusCode === 400
            ? this.i18n.t('alertDetail.invalidAction')
            : this.i18n.t('alertDetail.actionFailed'),
        );
      }
    } finally {
      this.busy.set(false);
    }
  }
}
