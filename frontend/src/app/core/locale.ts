import { LOCALE_ID, type Provider, inject } from '@angular/core';
import { TranslationService } from '../i18n/translation.service';

/**
 * The user's locale for the whole console (app.config.ts): Angular's LOCALE_ID takes the language the console
 * starts in. Everything else about dates (Material's MAT_DATE_LOCALE and adapter, formats, calendar labels,
 * Angular's locale data) comes with the lazy features (DATE_FIELD_PROVIDERS in core/dates.ts, given by
 * featureProviders() and by the fields themselves): at the root it would weigh on the first load (kept apart
 * in this file for that reason). The adapter follows language switches.
 */
export function provideLienLocale(): Provider[] {
  return [{ provide: LOCALE_ID, useFactory: () => inject(TranslationService).startingLocale }];
}
