import { Injector, inject } from '@angular/core';
import { MatDialog, type MatDialogConfig, type MatDialogRef } from '@angular/material/dialog';
import type { ComponentType } from '@angular/cdk/portal';

/** Opens a dialog with the given component and config, the dialog getting the page's providers. */
export type OpenRouteDialog = <T, D, R>(
  component: ComponentType<T>,
  config: MatDialogConfig<D>,
) => MatDialogRef<T, R>;

/**
 * For a page (call it in its field initialisers): opens dialogs with the route's providers (form-field
 * appearance…), which a dialog does not get from the root `MatDialog` alone.
 */
export function routeDialogs(): OpenRouteDialog {
  const dialog = inject(MatDialog);
  const injector = inject(Injector);
  return (component, config) => dialog.open(component, { ...config, injector });
}
