import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { DataTable } from './data-table';
import { ListPaginator } from './list-paginator';

@Component({
  imports: [DataTable, ListPaginator],
  template: `
    <lien-data-table
      caption="Alertes"
      [columns]="['alerts.colSeverity', 'alerts.colStatus']"
      testId="sample-table"
      tableClass="extra"
    >
      <tbody>
        <tr data-testid="row">
          <td>1</td>
          <td>2</td>
        </tr>
      </tbody>
    </lien-data-table>
    <lien-list-paginator [length]="120" [(page)]="page" [(pageSize)]="pageSize" testId="sample-paginator" />
    <lien-list-paginator [length]="0" [(page)]="page" [(pageSize)]="pageSize" />
  `,
})
class Host {
  readonly page = signal(1);
  readonly pageSize = signal(25);
}

function render(): { host: Host; element: HTMLElement; detect: () => void } {
  TestBed.resetTestingModule();
  const fixture = TestBed.createComponent(Host);
  fixture.detectChanges();
  return {
    host: fixture.componentInstance,
    element: fixture.nativeElement as HTMLElement,
    detect: () => fixture.detectChanges(),
  };
}

describe('DataTable', () => {
  it('puts the table in a named, focusable scroll region with its caption, headers and the projected rows', () => {
    const { element } = render();
    const region = element.querySelector('lien-data-table > .table-scroll');
    expect(region?.getAttribute('role')).toBe('region');
    expect(region?.getAttribute('tabindex')).toBe('0');
    expect(region?.getAttribute('aria-label')).toBe('Tableau (défilement horizontal possible)');

    const table = region?.querySelector('table');
    expect(table?.getAttribute('data-testid')).toBe('sample-table');
    expect(table?.classList.contains('data-table')).toBe(true);
    expect(table?.classList.contains('extra')).toBe(true);
    expect(table?.querySelector('caption.visually-hidden')?.textContent?.trim()).toBe('Alertes');
    const headers = [...(table?.querySelectorAll('thead th') ?? [])];
    expect(headers.map((th) => th.getAttribute('scope'))).toEqual(['col', 'col']);
    expect(headers.map((th) => th.textContent?.trim())).toEqual(['Gravité', 'Statut']);
    expect(table?.querySelector('tbody > tr[data-testid="row"]')?.children.length).toBe(2);
  });
});

describe('ListPaginator', () => {
  it('writes a page change back to the page signals (1-based page) and names the paginator', () => {
    const { host, element, detect } = render();
    const paginator = element.querySelector('[data-testid="sample-paginator"]');
    expect(paginator?.tagName).toBe('MAT-PAGINATOR');
    expect(element.querySelectorAll('mat-paginator[data-testid]').length).toBe(1);

    const next = paginator?.querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next');
    next?.click();
    detect();
    expect(host.page()).toBe(2);
    expect(host.pageSize()).toBe(25);
  });
});
