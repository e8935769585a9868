import { displayPhone } from './phone-format';

describe('displayPhone', () => {
  it('shows French numbers in the national format people read', () => {
    expect(displayPhone('+33612345678')).toBe('06 12 34 56 78');
    expect(displayPhone('+33321000000')).toBe('03 21 00 00 00');
    expect(displayPhone('+590690123456')).toBe('06 90 12 34 56');
    expect(displayPhone('+262692123456')).toBe('06 92 12 34 56');
  });

  it('leaves other numbers as they are', () => {
    expect(displayPhone('+447700900123')).toBe('+447700900123');
    expect(displayPhone('+3361234')).toBe('+3361234');
  });
});
