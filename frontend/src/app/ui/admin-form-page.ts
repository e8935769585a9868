import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { TranslatePipe } from '../i18n/translate.pipe';
import { FormFeedback } from './form-feedback.component';
import { FormField } from './form-fields';
import { ItemAction } from './item-action.component';
import { LoadState } from './load-state.component';

/**
 * What an admin page made of a form and a list imports (referrals, sources, on-call, organisations): reactive
 * forms, buttons, `lien-field`, `lien-form-feedback`, `lien-load-state`,
 * `lien-item-action` and the `t` pipe; a page adds its own.
 */
export const ADMIN_FORM_PAGE = [
  ReactiveFormsModule,
  MatButtonModule,
  TranslatePipe,
  FormField,
  FormFeedback,
  LoadState,
  ItemAction,
] as const;
