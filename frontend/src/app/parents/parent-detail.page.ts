import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { LoadState } from '../ui/load-state.component';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { getEpdsUiText, isEpdsLanguage, type ParentDetail } from '@lien/shared';
import { apiErrorText } from '../core/api-error';
import { allowed } from '../core/auth/auth.service';
import { FormatService } from '../i18n/format.service';
import { FormatPipe } from '../i18n/format.pipe';
import { LienDateField } from '../core/date-fields';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { Fact } from '../ui/fact.component';
import { confirmDestructive } from '../ui/confirm.dialog';
import { PageActions } from '../ui/form-submission';
import { LABELS } from '../ui/labels';
import { dayIn } from './enrolment-form';
import { displayPhone } from './phone-format';
import { ParentsApi } from './parents-api';
import { LienIcon } from '../ui/icon';
import { ParentHousehold } from './parent-household.component';
import { ParentStory } from './parent-story.component';

@Component({
  selector: 'lien-parent-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    Fact,
    LienDateField,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    LienIcon,
    MatInputModule,
    LoadState,
    ParentHousehold,
    ParentStory,
    TranslatePipe,
    FormatPipe,
  ],
  templateUrl: './parent-detail.page.html',
  styleUrl: './parent-detail.page.css',
})
export class ParentDetailPage {
  readonly id = input.required<string>();

  private readonly api = inject(ParentsApi);
  private readonly confirm = confirmDestructive();
  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);

  protected readonly labels = LABELS;
  protected readonly parent = rxResource({
    params: () => this.id(),
    stream: ({ params }) => this.api.get(params),
  });
  /** Bumped after each action: the trend and the history are read again (one more audited read). */
  protected readonly storyRevision = signal(0);
  protected readonly detail = computed<ParentDetail | null>(() =>
    this.parent.hasValue() ? (this.parent.value() ?? null) : null,
  );
  protected readonly canInvite = allowed('invitations.send');
  protected readonly canWrite = allowed('parents.write');
  protected readonly actions = new PageActions();

  protected readonly today = (): string => dayIn(this.formatter.timeZone(), new Date());

  protected phone(value: string): string {
    return displayPhone(value);
  }

  protected languageName(language: string): string {
    return isEpdsLanguage(language) ? getEpdsUiText(language).languageName : language;
  }

  protected async sendInvitation(id: string): Promise<void> {
    await this.run(async () => {
      const result = await firstValueFrom(this.api.sendInvitation(id));
      const due = this.formatter.format(result.invitation.dueAt);
      this.actions.message.set(
        result.invitation.deferredFrom
          ? this.i18n.t('parentDetail.invitationDeferred', { due })
          : this.i18n.t('parentDetail.invitationPlanned', { due }),
      );
    });
  }

  protected async withdraw(parent: ParentDetail): Promise<void> {
    const name = `${parent.firstName} ${parent.lastName}`;
    if (!(await this.confirm('parentDetail.withdrawConfirm', { name }))) return;
    await this.run(async () => {
      await firstValueFrom(this.api.withdraw(parent.id));
      this.actions.message.set(this.i18n.t('parentDetail.withdrawn'));
    });
  }

  protected async recordBirth(id: string, birthDate: string): Promise<void> {
    if (!birthDate) {
      this.actions.fail(this.i18n.t('enrol.errors.required'));
      return;
    }
    await this.run(async () => {
      await firstValueFrom(this.api.update(id, { birthDate }));
      this.actions.message.set(this.i18n.t('parentDetail.birthRecorded'));
    });
  }

  /** An action on the parent, then the parent and their story read again. */
  private async run(action: () => Promise<void>): Promise<void> {
    await this.actions.run(
      async () => {
        await action();
        this.parent.reload();
        this.storyRevision.update((revision) => revision + 1);
      },
      (error) =>
        this.actions.fail(
          this.i18n.t('parentDetail.actionFailed', { message: apiErrorText(error, this.i18n.t) }),
        ),
    );
  }
}
