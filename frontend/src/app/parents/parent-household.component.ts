import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { HouseholdMember } from '@lien/shared';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { bandKey, invitationStatusKey, waveLabel, LABELS } from '../ui/labels';

/** The other parent(s) of the birth: name, role, status, waves and result bands (never answers nor scores). */
@Component({
  selector: 'lien-parent-household',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, TranslatePipe],
  template: `
    <section class="panel" aria-labelledby="household-title" data-testid="household">
      <h2 id="household-title">{{ 'parentDetail.household' | t }}</h2>
      <p class="muted">{{ 'parentDetail.householdPrivate' | t }}</p>
      <ul class="household">
        @for (member of members(); track member.id) {
          <li data-testid="household-member">
            <a [routerLink]="['/parents', member.id]">{{ member.firstName }} {{ member.lastName }}</a>
            — {{ labels.parentRole(member.role) | t }}, {{ labels.parentStatus(member.status) | t }}
            <div>{{ 'parentDetail.householdWaves' | t: { waves: waves(member) } }}</div>
            <div data-testid="household-results">
              {{ 'parentDetail.householdResults' | t: { results: results(member) } }}
            </div>
          </li>
        } @empty {
          <li class="muted">{{ 'parentDetail.householdNone' | t }}</li>
        }
      </ul>
    </section>
  `,
  styles: `
    .household {
      margin: 0;
      padding-left: 16px;
    }
  `,
})
export class ParentHousehold {
  readonly members = input.required<HouseholdMember[]>();

  private readonly i18n = inject(TranslationService);
  protected readonly labels = LABELS;

  /** "J7 : Complété, J42 : Planifié" */
  protected waves(member: HouseholdMember): string {
    return member.invitations
      .map((i) => `${waveLabel(i.wave, this.i18n.t)} : ${this.i18n.t(invitationStatusKey(i.status))}`)
      .join(', ');
  }

  /** Bands only: the other parent's answers and score are never sent to the console. */
  protected results(member: HouseholdMember): string {
    if (member.results.length === 0) return this.i18n.t('parentDetail.householdNoResult');
    return member.results
      .map((r) => `${waveLabel(r.wave, this.i18n.t)} : ${this.i18n.t(bandKey(r.band))}`)
      .join(', ');
  }
}
