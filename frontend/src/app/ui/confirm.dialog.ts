import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import type { TranslationKey } from '../i18n/fr';
import { TranslationService, type TranslationParams } from '../i18n/translation.service';
import { routeDialogs } from './route-dialogs';

export interface ConfirmDialogData {
  title: string;
  message: string;
  confirm: string;
  cancel: string;
  /** Destructive actions get the error colour (and still say what they do in words). */
  destructive?: boolean;
}

/** A yes/no question. Focus starts on "cancel" (the safe choice) and returns to the opener on close. */
@Component({
  selector: 'lien-confirm-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatDialogModule, MatButtonModule],
  template: `
    <h2 mat-dialog-title id="confirm-title">{{ data.title }}</h2>
    <mat-dialog-content>
      <p>{{ data.message }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button
        mat-button
        type="button"
        [mat-dialog-close]="false"
        cdkFocusInitial
        data-testid="confirm-cancel"
      >
        {{ data.cancel }}
      </button>
      <button
        mat-flat-button
        type="button"
        [class.destructive]="data.destructive"
        [mat-dialog-close]="true"
        data-testid="confirm-ok"
      >
        {{ data.confirm }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .destructive {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
})
export class ConfirmDialog {
  protected readonly data = inject<ConfirmDialogData>(MAT_DIALOG_DATA);
}

/**
 * A destructive action's key whose question has its title and message beside it: `referrals.remove` (the confirm
 * button's words), `referrals.removeTitle` and `referrals.removeMessage`.
 */
export type DestructiveAction = {
  [K in TranslationKey]: `${K}Title` extends TranslationKey
    ? `${K}Message` extends TranslationKey
      ? K
      : never
    : never;
}[TranslationKey];

/**
 * For a page (call it in its field initialisers): asks a destructive action's question in the confirm dialog,
 * opened with the route's providers, in the action's words (`params` name the item in its message); resolves true
 * only when the user confirmed.
 */
export function confirmDestructive(): (
  action: DestructiveAction,
  params: TranslationParams,
) => Promise<boolean> {
  const open = routeDialogs();
  const i18n = inject(TranslationService);
  return async (action, params) => {
    const t = i18n.t;
    const ref = open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, {
      data: {
        title: t(`${action}Title`),
        message: t(`${action}Message`, params),
        confirm: t(action),
        cancel: t('common.cancel'),
        destructive: true,
      },
      restoreFocus: true,
    });
    return (await firstValueFrom(ref.afterClosed())) === true;
  };
}
