import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import {
  findEpdsInstrument,
  getEpdsInstrument,
  resolveEpdsLanguage,
  type AlertResponseDetail,
  type EpdsInstrument,
} from '@lien/shared';
import { FormatPipe } from '../i18n/format.pipe';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { LienIcon } from '../ui/icon';
import { waveLabel, LABELS } from '../ui/labels';

/**
 * The answers behind an alert, newest first: wave, date, score and band, the item-10 and anxiety flags, and each
 * item in the validated wording of the version the parent answered, in the console's language.
 */
@Component({
  selector: 'lien-alert-responses',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormatPipe, TranslatePipe, LienIcon],
  template: `
    @for (response of newestFirst(); track response.id) {
      <article class="response" data-testid="response">
        <h3>
          {{ wave(response.wave) }} — {{ response.createdAt | fmt }} —
          {{ 'alertDetail.score' | t: { score: response.score } }} ({{ labels.band(response.band) | t }})
        </h3>
        <ul class="flags">
          @if (response.item10Positive) {
            <li class="overdue"><lien-icon name="error" />{{ 'alertDetail.item10' | t }}</li>
          }
          @if (response.anxietyFlag) {
            <li>
              <lien-icon name="warning" />{{ 'alertDetail.anxiety' | t: { score: response.anxietyScore } }}
            </li>
          }
        </ul>
        <div class="table-scroll" tabindex="0" role="region" [attr.aria-label]="'common.scrollableTable' | t">
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
  `,
  styles: `
    :host {
      display: block;
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
  `,
})
export class AlertResponsesComponent {
  readonly responses = input.required<readonly AlertResponseDetail[]>();
  private readonly i18n = inject(TranslationService);
  protected readonly labels = LABELS;

  protected readonly newestFirst = computed(() =>
    [...this.responses()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)),
  );
  protected readonly citation = computed(() => this.instrument(this.i18n.language(), null).citation);

  protected wave(value: string): string {
    return waveLabel(value, this.i18n.t);
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
}
