import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';

/** The list pages' paginator: a 1-based page and a page size, both two-way bound to the page's signals. */
@Component({
  selector: 'lien-list-paginator',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatPaginatorModule],
  template: `
    <mat-paginator
      [length]="length()"
      [pageIndex]="page() - 1"
      [pageSize]="pageSize()"
      [pageSizeOptions]="pageSizeOptions"
      (page)="onPage($event)"
      [attr.data-testid]="testId()"
    />
  `,
  styles: `
    :host {
      display: block;
    }
  `,
})
export class ListPaginator {
  readonly length = input.required<number>();
  readonly page = model.required<number>();
  readonly pageSize = model.required<number>();
  readonly testId = input<string | null>(null);

  protected readonly pageSizeOptions = [25, 50, 100];

  protected onPage(event: PageEvent): void {
    this.pageSize.set(event.pageSize);
    this.page.set(event.pageIndex + 1);
  }
}
