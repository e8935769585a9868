import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';

/**
 * One fact of a definition list (`<dl class="facts">`, styles.scss): `<div lienFact="alertDetail.created">…</div>`
 * gives its `<dt>` (the name, translated) and its `<dd>` (what the div holds, with the test id if any). The host
 * stays a div, the one wrapper a `<dl>` allows around a name and its value.
 */
@Component({
  selector: 'div[lienFact]',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  template: `
    <dt>{{ lienFact() | t }}</dt>
    <dd [attr.data-testid]="testId()"><ng-content /></dd>
  `,
})
export class Fact {
  readonly lienFact = input.required<TranslationKey>();
  readonly testId = input<string | null>(null);
}
