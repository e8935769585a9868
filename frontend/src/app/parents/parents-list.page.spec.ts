import { searchTerm } from './parents-list.page';

describe('parents list search', () => {
  it('searches names from 2 letters and phones from the first digit, never one letter (a 400)', () => {
    expect(searchTerm('D')).toBe('');
    expect(searchTerm(' é ')).toBe('');
    expect(searchTerm('Du')).toBe('Du');
    expect(searchTerm('  Dupont ')).toBe('Dupont');
    expect(searchTerm('0')).toBe('0');
    expect(searchTerm('06 12')).toBe('06 12');
    expect(searchTerm('')).toBe('');
  });
});
