import { analyseSms, isGsm7Character } from './gsm7.js';

const repeat = (text: string, count: number): string => text.repeat(count);

describe('analyseSms', () => {
  it('counts nothing for an empty body', () => {
    expect(analyseSms('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0, nonGsmCharacters: [] });
  });

  it('keeps plain text in GSM-7', () => {
    expect(analyseSms('Hello')).toEqual({ encoding: 'GSM-7', units: 5, segments: 1, nonGsmCharacters: [] });
  });

  it('knows the whole GSM 03.38 basic set, one septet each', () => {
    const basic =
      '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
      '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
    expect(Array.from(basic)).toHaveLength(127);
    expect(analyseSms(basic)).toMatchObject({ encoding: 'GSM-7', units: 127, nonGsmCharacters: [] });
  });

  it('counts extension characters as two septets', () => {
    expect(analyseSms('€')).toMatchObject({ encoding: 'GSM-7', units: 2, segments: 1 });
    expect(analyseSms('^{}\\[~]|€\f')).toMatchObject({ encoding: 'GSM-7', units: 20 });
    expect(analyseSms('5 €')).toMatchObject({ units: 4 });
  });

  it('covers the French accents that GSM-7 has, and only those', () => {
    expect(analyseSms('é è à ù ì ò Ç É')).toMatchObject({ encoding: 'GSM-7' });
    for (const character of [
      'ç',
      'ê',
      'â',
      'î',
      'ô',
      'û',
      'ë',
      'ï',
      'œ',
      'È',
      'À',
      '’',
      '«',
      '\u00a0',
      '\t',
    ]) {
      expect(isGsm7Character(character)).toBe(false);
    }
  });

  it('splits GSM-7 at 160, then 153 per segment', () => {
    expect(analyseSms(repeat('a', 160))).toMatchObject({ units: 160, segments: 1 });
    expect(analyseSms(repeat('a', 161))).toMatchObject({ units: 161, segments: 2 });
    expect(analyseSms(repeat('a', 306))).toMatchObject({ units: 306, segments: 2 });
    expect(analyseSms(repeat('a', 307))).toMatchObject({ units: 307, segments: 3 });
    expect(analyseSms(repeat('a', 459))).toMatchObject({ units: 459, segments: 3 });
    expect(analyseSms(repeat('a', 460))).toMatchObject({ units: 460, segments: 4 });
  });

  it('counts extension characters towards the 160 limit', () => {
    expect(analyseSms(repeat('a', 158) + '€')).toMatchObject({ units: 160, segments: 1 });
    expect(analyseSms(repeat('a', 159) + '€')).toMatchObject({ units: 161, segments: 2 });
  });

  it('never splits an escape sequence across segments', () => {
    // 306 septets would fit in 2 x 153, but the euro sign cannot straddle the boundary.
    expect(analyseSms(repeat('a', 152) + '€' + repeat('a', 152))).toMatchObject({ units: 306, segments: 3 });
  });

  it('switches the whole message to UCS-2 for one foreign character', () => {
    expect(analyseSms('Ça va ?')).toMatchObject({ encoding: 'GSM-7' });
    expect(analyseSms('ça va ?')).toEqual({
      encoding: 'UCS-2',
      units: 7,
      segments: 1,
      nonGsmCharacters: ['ç'],
    });
    // Extension characters are plain UTF-16 units in UCS-2.
    expect(analyseSms('ê€')).toMatchObject({ encoding: 'UCS-2', units: 2 });
  });

  it('lists each foreign character once, in order', () => {
    expect(analyseSms('ça, ça et l’été… forêt').nonGsmCharacters).toEqual(['ç', '’', '…', 'ê']);
  });

  it('splits UCS-2 at 70, then 67 per segment', () => {
    expect(analyseSms(repeat('ê', 70))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(analyseSms(repeat('ê', 71))).toMatchObject({ units: 71, segments: 2 });
    expect(analyseSms(repeat('ê', 134))).toMatchObject({ units: 134, segments: 2 });
    expect(analyseSms(repeat('ê', 135))).toMatchObject({ units: 135, segments: 3 });
  });

  it('counts a surrogate pair as two UTF-16 units', () => {
    expect(analyseSms('😀')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1, nonGsmCharacters: ['😀'] });
    expect(analyseSms(repeat('a', 68) + '😀')).toMatchObject({ units: 70, segments: 1 });
    expect(analyseSms(repeat('a', 69) + '😀')).toMatchObject({ units: 71, segments: 2 });
  });

  it('never splits a surrogate pair across segments', () => {
    expect(analyseSms(repeat('ê', 66) + '😀' + repeat('ê', 66))).toMatchObject({ units: 134, segments: 3 });
  });
});
