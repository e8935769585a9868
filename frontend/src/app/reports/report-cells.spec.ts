import { formatMinutes, plotValue, renderCell, SMALL_CELL, suppressionReasonKey } from './report-cells';
import { defaultPeriod, territoryOptions } from './reports.page';

const format = {
  number: (value: number) => new Intl.NumberFormat('fr-FR').format(value),
  percent: (value: number) =>
    new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 }).format(value),
  minutes: (value: number) => formatMinutes(value, { day: 'j', hour: 'h', minute: 'min' }),
};

describe('report cells (small-cell suppression)', () => {
  it('shows a suppressed count as "<5", never its value', () => {
    expect(SMALL_CELL).toBe('<5');
    expect(renderCell({ value: null, suppressed: true }, 'count', format)).toBe('<5');
    expect(renderCell({ value: 3, suppressed: true }, 'count', format)).toBe('<5');
  });

  it('never shows "<5" for a rate, a duration or a count hidden as a complement, and says why', () => {
    const hidden = (reason: 'complementary' | 'count_suppressed' | 'small_sample') =>
      ({ value: null, suppressed: true, reason }) as const;
    expect(renderCell(hidden('count_suppressed'), 'rate', format)).toBe('s');
    expect(renderCell(hidden('small_sample'), 'minutes', format)).toBe('s');
    expect(renderCell(hidden('complementary'), 'count', format)).toBe('s');
    expect(suppressionReasonKey(hidden('count_suppressed'))).toBe('reports.reason.countSuppressed');
    expect(suppressionReasonKey(hidden('complementary'))).toBe('reports.reason.complementary');
    expect(suppressionReasonKey(hidden('small_sample'))).toBe('reports.reason.smallSample');
    expect(suppressionReasonKey({ value: null, suppressed: true, reason: 'small_count' })).toBe(
      'reports.reason.smallCount',
    );
    expect(suppressionReasonKey({ value: 12, suppressed: false })).toBeNull();
  });

  it('hides a count from 1 to 4 even when the API did not', () => {
    for (const value of [1, 2, 3, 4])
      expect(renderCell({ value, suppressed: false }, 'count', format)).toBe('<5');
    expect(renderCell({ value: 5, suppressed: false }, 'count', format)).toBe('5');
    expect(renderCell({ value: 0, suppressed: false }, 'count', format)).toBe('0');
    expect(renderCell({ value: 12345, suppressed: false }, 'count', format)).toBe(format.number(12345));
  });

  it('formats rates and durations, and shows a dash for undefined figures', () => {
    expect(renderCell({ value: 0.423, suppressed: false }, 'rate', format)).toBe(format.percent(0.423));
    expect(renderCell({ value: 125, suppressed: false }, 'minutes', format)).toBe('2 h 5 min');
    expect(renderCell({ value: 300, suppressed: false }, 'minutes', format)).toBe('5 h');
    expect(renderCell({ value: 3 * 1440, suppressed: false }, 'minutes', format)).toBe('3 j');
    expect(renderCell({ value: 45, suppressed: false }, 'minutes', format)).toBe('45 min');
    expect(renderCell({ value: 3 * 1440 + 240, suppressed: false }, 'minutes', format)).toBe('3 j 4 h');
    expect(renderCell({ value: null, suppressed: false }, 'rate', format)).toBe('—');
    expect(renderCell(undefined, 'count', format)).toBe('—');
  });

  it('never plots a hidden count (a gap instead)', () => {
    expect(plotValue({ value: null, suppressed: true })).toBeNull();
    expect(plotValue({ value: 2, suppressed: false })).toBeNull();
    expect(plotValue({ value: 0, suppressed: false })).toBe(0);
    expect(plotValue({ value: 40, suppressed: false })).toBe(40);
    expect(plotValue({ value: 0.5, suppressed: false }, 'rate')).toBe(0.5);
  });
});

describe('report filters', () => {
  it('defaults to the last twelve months', () => {
    expect(defaultPeriod('2026-03-10')).toEqual({ from: '2025-04-01', to: '2026-03-10' });
  });

  it('offers a coordinator their own territory, and the others every region and département', () => {
    expect(territoryOptions({ departements: ['62', '59'], region: null }, false)).toEqual(['62', '59']);
    expect(territoryOptions({ departements: [], region: 'Grand Est' }, false)).toEqual(['region:Grand Est']);
    const all = territoryOptions(null, true);
    expect(all).toContain('region:Hauts-de-France');
    expect(all).toContain('974');
  });
});
