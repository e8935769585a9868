import type { Provider } from '@angular/core';
import type { Routes } from '@angular/router';
import {
  MAT_FORM_FIELD_DEFAULT_OPTIONS,
  type MatFormFieldDefaultOptions,
} from '@angular/material/form-field';
import { MatPaginatorIntl } from '@angular/material/paginator';
import { DATE_FIELD_PROVIDERS } from '../core/dates';
import { TranslatedPaginatorIntl } from '../core/paginator-intl';

export const FORM_FIELD_DEFAULTS: MatFormFieldDefaultOptions = {
  appearance: 'outline',
  subscriptSizing: 'dynamic',
};

/**
 * Material settings, given by each lazy feature route (not at the root: importing them there would put the
 * paginator, select, overlay and form-field code in the first load).
 */
function featureProviders(): Provider[] {
  return [
    { provide: MatPaginatorIntl, useClass: TranslatedPaginatorIntl },
    { provide: MAT_FORM_FIELD_DEFAULT_OPTIONS, useValue: FORM_FIELD_DEFAULTS },
    ...DATE_FIELD_PROVIDERS,
  ];
}

/** A lazy feature's routes: its pages below one route that gives them the settings above. */
export function featureRoutes(pages: Routes): Routes {
  return [{ path: '', providers: featureProviders(), children: pages }];
}
