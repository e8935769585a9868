import {
  countCell,
  formatReportCell,
  hiddenCell,
  isSmallCell,
  rateOfCells,
  roundToBase,
  statisticCell,
} from './suppression.js';

const shown = (value: number) => ({ value, suppressed: false });

describe('small-cell suppression', () => {
  it('hides counts from 1 to 4 and keeps 0 and 5+', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(isSmallCell)).toEqual([false, true, true, true, true, false, false]);
    expect(countCell(0)).toEqual({ value: 0, suppressed: false });
    expect(countCell(1)).toEqual({ value: null, suppressed: true, reason: 'small_count' });
    expect(countCell(4)).toEqual({ value: null, suppressed: true, reason: 'small_count' });
    expect(countCell(5)).toEqual({ value: 5, suppressed: false });
  });

  it('rounds to the nearest multiple of the base, and leaves counts alone with base 1', () => {
    expect([0, 5, 7, 8, 12, 13, 22].map((n) => roundToBase(n, 5))).toEqual([0, 5, 5, 10, 10, 15, 20]);
    expect(roundToBase(13, 1)).toBe(13);
  });

  it('derives a rate only from shown counts, says why one is hidden, and leaves 0/0 undefined', () => {
    expect(rateOfCells(hiddenCell('small_count'), [shown(1000)])).toEqual(hiddenCell('count_suppressed'));
    expect(rateOfCells(shown(10), [hiddenCell('complementary')])).toEqual(hiddenCell('count_suppressed'));
    expect(rateOfCells(shown(0), [shown(0)])).toEqual({ value: null, suppressed: false });
    expect(rateOfCells(shown(0), [shown(10)])).toEqual(shown(0));
    expect(rateOfCells(shown(5), [shown(8)])).toEqual(shown(0.625));
    expect(rateOfCells(shown(7), [shown(20), shown(0), shown(10)])).toEqual(shown(0.2333));
  });

  it('hides a statistic over fewer than 5 people as a small sample', () => {
    expect(statisticCell(12, 4)).toEqual({ value: null, suppressed: true, reason: 'small_sample' });
    expect(statisticCell(null, 0)).toEqual({ value: null, suppressed: false });
    expect(statisticCell(12.345, 5)).toEqual(shown(12.3));
  });

  it('renders "<5" only for a small count, "s" for every other hidden figure, and French numbers', () => {
    expect(formatReportCell(countCell(3))).toBe('<5');
    expect(formatReportCell(hiddenCell('complementary'))).toBe('s');
    expect(formatReportCell(hiddenCell('count_suppressed'), { kind: 'rate' })).toBe('s');
    expect(formatReportCell(hiddenCell('small_sample'), { kind: 'minutes' })).toBe('s');
    expect(formatReportCell(countCell(0))).toBe('0');
    expect(formatReportCell(countCell(1234)).replace(/\s/g, ' ')).toBe('1 234');
    expect(formatReportCell(shown(0.625), { kind: 'rate' }).replace(/\s/g, ' ')).toBe('62,5 %');
    expect(formatReportCell(shown(0.625), { kind: 'rate', locale: 'en-GB' })).toBe('62.5%');
    expect(formatReportCell({ value: null, suppressed: false }, { kind: 'rate' })).toBe('—');
    expect(formatReportCell(statisticCell(95.4, 10), { kind: 'minutes' })).toBe('95 min');
  });
});
