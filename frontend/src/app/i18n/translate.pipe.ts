import { Pipe, type PipeTransform, inject } from '@angular/core';
import { TranslationService, type TranslationParams } from './translation.service';
import type { TranslationKey } from './fr';

/**
 * `{{ 'nav.alerts' | t }}`. Impure on purpose: the result depends on the language signal, not only on the
 * key; the lookup is a map access, and OnPush views only re-run it when they are checked.
 */
@Pipe({ name: 't', pure: false })
export class TranslatePipe implements PipeTransform {
  private readonly i18n = inject(TranslationService);

  transform(key: TranslationKey, params?: TranslationParams): string {
    return this.i18n.t(key, params);
  }
}
