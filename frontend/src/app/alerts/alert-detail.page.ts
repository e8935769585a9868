import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { LoadState } from '../ui/load-state.component';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import {
  type AlertDetail,
  type AlertEventRequest,
  type ApiError,
  type AlertEventType,
  type CloseOutcome,
  type ParentDetail,
} from '@lien/shared';
import { AuthService, allowed } from '../core/auth/auth.service';
import { FormatPipe } from '../i18n/format.pipe';
import type { TranslationKey } from '../i18n/fr';
import { LienDateField } from '../core/date-fields';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { SEVERITY_ICON, alertStatusKey, eventKey, LABELS } from '../ui/labels';
import { AlertEventDialog, type AlertEventDialogData } from './alert-event.dialog';
import { closeOutcomes, currentDeadline, invalidTransition, validNextSteps } from './alert-workflow';
import { AlertsApi } from './alerts-api';
import { AlertResponsesComponent } from './alert-responses.component';
import { ContactRequestPanel } from './contact-request.panel';
import { displayPhone } from '../parents/phone-format';
import { ParentStory } from '../parents/parent-story.component';
import { eventSummary } from './event-summary';
import { Fact } from '../ui/fact.component';
import { LienIcon } from '../ui/icon';
import { IdentityReveal, OnDemandRead } from '../ui/identity-reveal.component';
import { PageActions } from '../ui/form-submission';
import { routeDialogs } from '../ui/route-dialogs';
import { TimelineComponent, type TimelineItem } from '../ui/timeline.component';
import { RevealedIdentities } from './revealed-identities';
import { SmsHistoryComponent } from './sms-history.component';

/** A date as YYYY-MM-DD in the browser's zone (what a date input holds). */
function localDay(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

@Component({
  selector: 'lien-alert-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    LienDateField,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    LienIcon,
    LoadState,
    TranslatePipe,
    FormatPipe,
    ParentStory,
    AlertResponsesComponent,
    ContactRequestPanel,
    IdentityReveal,
    Fact,
    SmsHistoryComponent,
    TimelineComponent,
  ],
  templateUrl: './alert-detail.page.html',
  styleUrl: './alert-detail.page.css',
})
export class AlertDetailPage {
  /** Route parameter (component input binding). */
  readonly id = input.required<string>();

  private readonly api = inject(AlertsApi);
  private readonly auth = inject(AuthService);
  private readonly openDialog = routeDialogs();
  private readonly i18n = inject(TranslationService);

  protected readonly severityIcon = SEVERITY_ICON;
  protected readonly labels = LABELS;

  protected readonly alert = rxResource({
    params: () => this.id(),
    stream: ({ params }) => this.api.get(params),
  });
  protected readonly detail = computed<AlertDetail | null>(() =>
    this.alert.hasValue() ? (this.alert.value() ?? null) : null,
  );

  private readonly revealed = inject(RevealedIdentities);
  /** Revealed once in this session, the identity stays shown (RevealedIdentities). */
  protected readonly identity = computed<ParentDetail | null>(() =>
    this.revealed.get(this.detail()?.parentId),
  );
  protected readonly revealRead = new OnDemandRead();
  protected readonly actions = new PageActions();
  /** The day care began when it is not today (YYYY-MM-DD, empty: today). */
  protected readonly careStartedOn = signal('');
  protected readonly today = computed(() => localDay(new Date()));
  protected readonly careStartMin = computed(() => {
    const created = this.detail()?.createdAt;
    return created ? localDay(new Date(created)) : null;
  });
  /** What the API said is allowed after a refused (409) action, until the alert is loaded again. */
  private readonly allowedOverride = linkedSignal<
    AlertDetail | null,
    { events: AlertEventType[]; outcomes: CloseOutcome[] | null } | null
  >({
    source: () => this.detail(),
    computation: () => null,
  });

  protected readonly canReadParents = allowed('parents.read');
  protected readonly canWrite = allowed('alerts.write');
  protected readonly canInviteOther = allowed('parents.write');
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
  /** "Moi", the colleague's actual name, or "Personne". */
  protected readonly assigneeLabel = computed(() => {
    const alert = this.detail();
    const t = this.i18n.t;
    if (!alert?.assigneeId) return t('alerts.unassigned');
    if (alert.assigneeId === this.auth.me()?.id) return t('alerts.assignedToMe');
    return alert.userNames?.[alert.assigneeId] ?? t('alerts.assignedToOther');
  });
  /** The follow-up, newest first, in words (what, details, who). */
  protected readonly timelineItems = computed<TimelineItem[]>(() => {
    const t = this.i18n.t;
    return [...(this.detail()?.events ?? [])]
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
      .map((event) => ({
        id: event.id,
        at: event.createdAt,
        type: event.type,
        title: t(eventKey(event.type)),
        details: eventSummary(event.type, event.payload, t) || null,
        who: this.actorLabel(event.actorId, this.detail()?.userNames ?? {}),
      }));
  });

  protected phone(value: string): string {
    return displayPhone(value);
  }

  protected actionKey(step: AlertEventType): TranslationKey {
    return step === 'assign' ? 'action.assignToMe' : (`action.${step}` as const);
  }

  /** Who did it: Lien itself, me, or the colleague by name (a partner key or a removed account: "a colleague"). */
  private actorLabel(actorId: string | null, names: Record<string, string>): string {
    const t = this.i18n.t;
    if (!actorId) return t('alertDetail.bySystem');
    if (actorId === this.auth.me()?.id) return t('alertDetail.byMe');
    const name = names[actorId];
    return name ? t('alertDetail.byName', { name }) : t('alertDetail.byColleague');
  }

  protected async reveal(parentId: string | null): Promise<void> {
    if (!parentId) return;
    await this.revealRead.run(async () => {
      this.revealed.remember(await firstValueFrom(this.api.revealParent(parentId)));
    });
  }

  /** The other parent of the birth gets a questionnaire now (ad hoc, out of quiet hours). */
  protected async inviteOther(id: string): Promise<void> {
    await this.actions.run(
      async () => {
        await firstValueFrom(this.api.inviteOtherParent(id));
        this.actions.message.set(this.i18n.t('alertDetail.otherParentInvitedNow'));
        this.alert.reload();
      },
      (error) => this.actions.fail(this.i18n.t('parentDetail.actionFailed', { message: error.message })),
    );
  }

  protected async act(step: AlertEventType): Promise<void> {
    const alert = this.detail();
    if (!alert) return;
    let request: AlertEventRequest | undefined;
    // One-click steps: acknowledge, assign to me, in care (its note is optional: add one with "note").
    if (step === 'acknowledge') request = { type: 'acknowledge' };
    else if (step === 'in_care') {
      const day = this.careStartedOn();
      request = { type: 'in_care', ...(day && day !== this.today() ? { careStartedOn: day } : {}) };
    } else if (step === 'assign') {
      const me = this.auth.me();
      if (!me) return;
      request = { type: 'assign', assigneeId: me.id };
    } else {
      const data: AlertEventDialogData = {
        type: step,
        outcomes: closeOutcomes(alert.status, this.allowedOverride()?.outcomes),
        // A positive item 10 (self-harm): the referral step offers the emergency routes first.
        item10Positive:
          alert.reasons.includes('item10') || alert.responses.some((response) => response.item10Positive),
      };
      const ref = this.openDialog<AlertEventDialog, AlertEventDialogData, AlertEventRequest>(
        AlertEventDialog,
        {
          data,
          autoFocus: 'first-tabbable',
          restoreFocus: true,
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
    await this.actions.run(
      async () => {
        await firstValueFrom(this.api.addEvent(id, request));
        this.allowedOverride.set(null);
        this.careStartedOn.set('');
        this.actions.message.set(
          this.i18n.t('alertDetail.actionDone', { action: this.i18n.t(this.actionKey(request.type)) }),
        );
        this.alert.reload();
      },
      (error) => this.showRefusal(error),
    );
  }

  /** A 409 says what the alert now allows (shown until it is read again); any other refusal in plain words. */
  private showRefusal(error: ApiError): void {
    const refused = error.statusCode === 409 ? invalidTransition(error.details) : null;
    if (refused) {
      this.allowedOverride.set({ events: refused.allowed, outcomes: refused.allowedOutcomes ?? null });
      const allowed = validNextSteps(refused.status, refused.allowed)
        .map((step) => this.i18n.t(this.actionKey(step)))
        .join(', ');
      this.actions.fail(
        this.i18n.t('alertDetail.refused', {
          status: this.i18n.t(alertStatusKey(refused.status)),
          allowed: allowed || this.i18n.t('alertDetail.nothingAllowed'),
        }),
      );
      this.alert.reload();
    } else {
      this.actions.fail(
        error.statusCode === 400
          ? this.i18n.t('alertDetail.invalidAction')
          : this.i18n.t('alertDetail.actionFailed'),
      );
    }
  }
}
