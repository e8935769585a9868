import {
  NAME_PREFIX_MAX_LENGTH,
  namePrefixIndexes,
  namePrefixes,
  prefixIndex,
  searchPrefix,
} from './name-prefixes.js';

describe('name prefixes (what partial name search indexes)', () => {
  it('indexes every start of the folded name and of each of its words, from 2 letters', () => {
    expect(namePrefixes('Léa')).toEqual(['le', 'lea']);
    const compound = namePrefixes('Marie-Claire');
    expect(compound).toEqual(
      expect.arrayContaining(['ma', 'marie', 'marie-c', 'marie-claire', 'cl', 'claire']),
    );
    expect(compound).not.toContain('m');
    expect(compound).not.toContain('aire');
    expect(namePrefixes("N'Diaye")).toEqual(expect.arrayContaining(["n'd", 'di', 'diaye']));
    expect(new Set(namePrefixes('Anne Anne')).size).toBe(namePrefixes('Anne Anne').length);
  });

  it('stops at the longest indexed prefix, and a search term is cut the same way', () => {
    const long = 'Abcdefghijklmnopqrstuvwxyzabcdef';
    expect(Math.max(...namePrefixes(long).map((prefix) => prefix.length))).toBe(NAME_PREFIX_MAX_LENGTH);
    expect(namePrefixes(long)).toContain(searchPrefix(long));
    expect(searchPrefix('  DUPRÉ ')).toBe('dupre');
  });

  it('keys each prefix with the organisation: the same name gives unrelated values in two organisations', () => {
    const hmac = (value: string) => `h(${value})`.padEnd(40, '.');
    expect(prefixIndex(hmac, 'org-a', 'du')).not.toBe(prefixIndex(hmac, 'org-b', 'du'));
    const a = namePrefixIndexes(hmac, 'org-a', 'Inès', 'Dupont');
    expect(a).toContain(prefixIndex(hmac, 'org-a', 'dup'));
    expect(a).toContain(prefixIndex(hmac, 'org-a', 'ine'));
    expect(a.every((value) => value.length === 32)).toBe(true);
  });
});
