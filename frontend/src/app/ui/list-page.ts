import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { FormatPipe } from '../i18n/format.pipe';
import { TranslatePipe } from '../i18n/translate.pipe';
import { DataTable } from './data-table';
import { ListPaginator } from './list-paginator';
import { LoadState } from './load-state.component';

/**
 * What a paged list page imports (alerts, parents, users, audit): filters in Material fields and selects, buttons,
 * `lien-data-table` with `lien-list-paginator`, `lien-load-state`, and the `t` and `format` pipes; a page adds its own.
 */
export const LIST_PAGE = [
  MatButtonModule,
  MatFormFieldModule,
  MatSelectModule,
  DataTable,
  ListPaginator,
  LoadState,
  TranslatePipe,
  FormatPipe,
] as const;
