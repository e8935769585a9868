import {
  countCell,
  derivedCountCell,
  formatReportCell,
  isSmallCell,
  rateCell,
  statisticCell,
} from './suppression.js';

describe('small-cell suppression', () => {
  it('hides counts from 1 to 4 and keeps 0 and 5+', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(isSmallCell)).toEqual([false, true, true, true, true, false, false]);
    expect(countCell(0)).toEqual({ value: 0, suppressed: false });
    expect(countCell(1)).toEqual({ value: null, suppressed: true });
    expect(countCell(4)).toEqual({ value: null, suppressed: true });
    expect(countCell(5)).toEqual({ value: 5, suppressed: false });
  });

  it('hides a rate whose numerator or denominator is hidden, and leaves 0/0 undefined', () => {
    expect(rateCell(3, 1000)).toEqual({ value: null, suppressed: true });
    expect(rateCell(0, 4)).toEqual({ value: null, suppressed: true });
    expect(rateCell(0, 0)).toEqual({ value: null, suppressed: false });
    expect(rateCell(0, 10)).toEqual({ value: 0, suppressed: false });
    expect(rateCell(5, 8)).toEqual({ value: 0.625, suppressed: false });
    expect(rateCell(7, 30)).toEqual({ value: 0.2333, suppressed: false });
  });

  it('hides a statistic over fewer than 5 people', () => {
    expect(statisticCell(12, 4)).toEqual({ value: null, suppressed: true });
    expect(statisticCell(null, 0)).toEqual({ value: null, suppressed: false });
    expect(statisticCell(12.345, 5)).toEqual({ value: 12.3, suppressed: false });
  });

  it('hides a value derived from a hidden count', () => {
    expect(derivedCountCell(12, 3)).toEqual({ value: null, suppressed: true });
    expect(derivedCountCell(12, 6)).toEqual({ value: 12, suppressed: false });
    expect(derivedCountCell(0, 0)).toEqual({ value: 0, suppressed: false });
  });

  it('renders "<5" for a hidden count, "n<5" for a hidden rate, and French numbers', () => {
    expect(formatReportCell(countCell(3))).toBe('<5');
    expect(formatReportCell(rateCell(3, 10), { kind: 'rate' })).toBe('n<5');
    expect(formatReportCell(countCell(0))).toBe('0');
    expect(formatReportCell(countCell(1234)).replace(/\s/g, ' ')).toBe('1 234');
    expect(formatReportCell(rateCell(5, 8), { kind: 'rate' }).replace(/\s/g, ' ')).toBe('62,5 %');
    expect(formatReportCell(rateCell(5, 8), { kind: 'rate', locale: 'en-GB' })).toBe('62.5%');
    expect(formatReportCell(rateCell(0, 0), { kind: 'rate' })).toBe('—');
    expect(formatReportCell(statisticCell(95.4, 10), { kind: 'minutes' })).toBe('95 min');
  });
});
