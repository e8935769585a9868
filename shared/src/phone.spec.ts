import { FRENCH_PHONE_COUNTRIES, isFrenchPhoneCountry } from './phone.js';

describe('French numbering plans', () => {
  it('reads metropolitan France first, then the overseas plans', () => {
    expect(FRENCH_PHONE_COUNTRIES[0]).toBe('FR');
    expect(FRENCH_PHONE_COUNTRIES).toHaveLength(9);
  });

  it.each([
    ['FR', true],
    ['GP', true],
    ['YT', true],
    ['KM', false],
    ['BE', false],
    [undefined, false],
  ])('%s is a French plan: %s', (country, french) => {
    expect(isFrenchPhoneCountry(country)).toBe(french);
  });
});
