import { Injectable, effect, inject } from '@angular/core';
import { MatPaginatorIntl } from '@angular/material/paginator';
import { FormatService } from '../i18n/format.service';
import { TranslationService } from '../i18n/translation.service';

/** MatPaginator labels in the current language. */
@Injectable()
export class TranslatedPaginatorIntl extends MatPaginatorIntl {
  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);

  constructor() {
    super();
    effect(() => {
      const t = this.i18n.t;
      this.itemsPerPageLabel = t('paginator.itemsPerPage');
      this.nextPageLabel = t('paginator.next');
      this.previousPageLabel = t('paginator.previous');
      this.firstPageLabel = t('paginator.first');
      this.lastPageLabel = t('paginator.last');
      this.changes.next();
    });
  }

  override getRangeLabel = (page: number, pageSize: number, length: number): string => {
    if (length === 0 || pageSize === 0) return this.i18n.t('paginator.empty');
    const start = page * pageSize;
    const end = Math.min(start + pageSize, length);
    return this.i18n.t('paginator.range', {
      start: this.formatter.format(start + 1, 'number'),
      end: this.formatter.format(end, 'number'),
      total: this.formatter.format(length, 'number'),
    });
  };
}
