import { TestBed } from '@angular/core/testing';
import { FormatService } from './format.service';
import { TranslationService } from './translation.service';
import { resetTestBedAndStorage } from '../ui/page-test-bed';

describe('FormatService', () => {
  beforeEach(resetTestBedAndStorage);

  it("shows instants in the organisation's time zone, whatever the browser's", () => {
    const format = TestBed.inject(FormatService);
    format.setTimeZone('America/Cayenne');
    // 12:00 UTC is 09:00 in Cayenne (UTC-3).
    expect(format.format('2026-03-10T12:00:00Z', 'time')).toBe('09:00');
    format.setTimeZone('Europe/Paris');
    expect(format.format('2026-03-10T12:00:00Z', 'time')).toBe('13:00');
  });

  it('falls back to Europe/Paris for an unknown zone', () => {
    const format = TestBed.inject(FormatService);
    format.setTimeZone('Mars/Olympus');
    expect(format.timeZone()).toBe('Europe/Paris');
  });

  it('formats calendar days without shifting them by a time zone', () => {
    const format = TestBed.inject(FormatService);
    format.setTimeZone('Pacific/Honolulu');
    expect(format.format('2026-01-01', 'day')).toContain('2026');
    expect(format.format('2026-01-01', 'day')).toContain('1');
    expect(format.format('2026-01-01', 'day')).not.toContain('2025');
  });

  it('follows the language for numbers', async () => {
    const format = TestBed.inject(FormatService);
    expect(format.format(1234.5, 'number')).toMatch(/^1\s234,5$/);
    await TestBed.inject(TranslationService).use('en');
    expect(format.format(1234.5, 'number')).toBe('1,234.5');
    expect(format.format(0.256, 'percent')).toBe('25.6%');
  });

  it('shows a dash for missing values', () => {
    expect(TestBed.inject(FormatService).format(null)).toBe('—');
  });
});
