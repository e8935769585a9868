import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { TranslationService } from '../i18n/translation.service';
import { LienDateField, LienTimeField } from './date-fields';
import { LienDateAdapter, dateOfIsoDay, isoDay } from './dates';
import { testIdTyper } from '../ui/spec-helpers';
import { resetTestBedAndStorage } from '../ui/page-test-bed';

jest.setTimeout(20_000);

@Component({
  imports: [ReactiveFormsModule, LienDateField, LienTimeField],
  template: `
    <lien-date-field label="Date de naissance" [formControl]="day" [max]="max()" testId="day" />
    <lien-time-field label="Heure d’envoi" [formControl]="time" testId="time" />
  `,
})
class Host {
  readonly day = new FormControl('2026-03-05');
  readonly time = new FormControl('09:30');
  readonly max = signal('2026-12-31');
}

const settle = async () => {
  TestBed.tick();
  await new Promise((resolve) => setTimeout(resolve));
  TestBed.tick();
};

describe('date and time pickers', () => {
  beforeAll(() => {
    // jsdom lays nothing out: the time list scrolls its selected option into view.
    Element.prototype.scrollIntoView ??= () => undefined;
  });
  beforeEach(resetTestBedAndStorage);

  it('reads dates day first, never month first, and weeks start on Monday', () => {
    TestBed.configureTestingModule({ providers: [LienDateAdapter] });
    const adapter = TestBed.inject(LienDateAdapter);
    TestBed.tick(); // the adapter takes the console's locale (French) in an effect
    expect(isoDay(adapter.parse('04/12/2026'))).toBe('2026-12-04');
    expect(isoDay(adapter.parse('4.2.26'))).toBe('2026-02-04');
    expect(isoDay(adapter.parse('2026-12-04'))).toBe('2026-12-04');
    expect(adapter.isValid(adapter.parse('31/02/2026')!)).toBe(false);
    expect(adapter.isValid(adapter.parse('12/31/2026')!)).toBe(false);
    expect(adapter.parse('')).toBeNull();
    expect(adapter.getFirstDayOfWeek()).toBe(1);
    expect(
      adapter.format(dateOfIsoDay('2026-12-04')!, { day: '2-digit', month: '2-digit', year: 'numeric' }),
    ).toBe('04/12/2026');
    expect(adapter.getMonthNames('long')[11]).toBe('décembre');
    const time = adapter.parseTime('14h30')!;
    expect([time.getHours(), time.getMinutes()]).toEqual([14, 30]);
    expect(adapter.getHours(adapter.parseTime('9h')!)).toBe(9);
  });

  it('shows French dates and 24-hour times, and gives the form ISO days and "HH:MM"', async () => {
    const fixture = TestBed.createComponent(Host);
    const element = fixture.nativeElement as HTMLElement;
    await settle();
    const day = element.querySelector<HTMLInputElement>('[data-testid="day"]')!;
    const time = element.querySelector<HTMLInputElement>('[data-testid="time"]')!;
    expect(day.value).toBe('05/03/2026');
    expect(time.value).toBe('09:30');
    expect(element.textContent).toContain('jj/mm/aaaa');
    expect(element.querySelector('mat-datepicker-toggle button')?.getAttribute('aria-label')).toBe(
      'Ouvrir le calendrier',
    );
    expect(element.querySelector('mat-timepicker-toggle button')?.getAttribute('aria-label')).toBe(
      'Choisir une heure',
    );

    const type = testIdTyper(() => element, ['change', 'blur']);
    type('day', '12/11/2026');
    type('time', '17h45');
    await settle();
    expect(fixture.componentInstance.day.value).toBe('2026-11-12');
    expect(fixture.componentInstance.time.value).toBe('17:45');

    type('day', '45/13/2026');
    await settle();
    expect(fixture.componentInstance.day.value).toBe('');
    expect(element.textContent).toContain('Date non reconnue : écrivez-la jj/mm/aaaa.');

    fixture.componentInstance.day.setValue('2026-01-20');
    await settle();
    expect(day.value).toBe('20/01/2026');
  });

  it('opens a French calendar starting on Monday and a time list on the 24-hour clock', async () => {
    const fixture = TestBed.createComponent(Host);
    const element = fixture.nativeElement as HTMLElement;
    await settle();
    element.querySelector<HTMLButtonElement>('mat-datepicker-toggle button')!.click();
    await settle();
    const calendar = document.querySelector('mat-calendar')!;
    expect(calendar.querySelector('.mat-calendar-period-button')?.textContent?.toLowerCase()).toContain(
      'mars 2026',
    );
    const weekdays = [...calendar.querySelectorAll('.mat-calendar-table-header th span[aria-hidden]')].map(
      (cell) => cell.textContent?.trim(),
    );
    expect(weekdays[0]).toBe('L');
    expect(calendar.querySelector('[aria-label="Mois suivant"]')).not.toBeNull();
    document.querySelector<HTMLElement>('.cdk-overlay-backdrop')?.click();
    await settle();

    element.querySelector<HTMLButtonElement>('mat-timepicker-toggle button')!.click();
    await settle();
    const options = [...document.querySelectorAll('mat-option')].map((option) => option.textContent?.trim());
    expect(options).toContain('13:00');
    expect(options).toContain('23:30');
    expect(options.join(' ')).not.toMatch(/AM|PM/);
  });

  it('follows a switch of the console to English', async () => {
    const fixture = TestBed.createComponent(Host);
    const element = fixture.nativeElement as HTMLElement;
    await settle();
    await TestBed.inject(TranslationService).use('en');
    fixture.componentInstance.day.setValue('2026-07-14');
    await settle();
    expect(element.querySelector<HTMLInputElement>('[data-testid="day"]')!.value).toBe('14/07/2026');
    expect(element.textContent).toContain('dd/mm/yyyy');
    expect(element.querySelector('mat-datepicker-toggle button')?.getAttribute('aria-label')).toBe(
      'Open calendar',
    );
  });
});
