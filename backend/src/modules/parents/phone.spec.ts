import { inboundKeyword } from '../webhooks/inbound-keywords.js';
import { defaultPhoneRegion, looksLikePhone, parseMobilePhone } from './phone.js';

describe('parseMobilePhone', () => {
  it.each([
    ['06 12 34 56 78', null, '+33612345678'],
    ['07.56.12.34.56', null, '+33756123456'],
    ['+33 6 12 34 56 78', null, '+33612345678'],
    ['0033612345678', null, '+33612345678'],
    ['0690 12 34 56', '971', '+590690123456'],
    ['0694 20 12 34', '973', '+594694201234'],
    ['0696 12 34 56', '972', '+596696123456'],
    ['0692 12 34 56', '974', '+262692123456'],
    ['+590 690 12 34 56', '62', '+590690123456'],
    ['+262 692 12 34 56', null, '+262692123456'],
  ])('%p (département %p) → %p', (input, departement, e164) => {
    expect(parseMobilePhone(input, departement)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['01 23 45 67 89', 'landline'],
    ['09 12 34 56 78', 'VoIP'],
    ['0690 12 34 56', 'overseas digits read as metropolitan'],
    ['+44 7700 900123', 'foreign'],
    ['+269 321 23 45', 'Comoros'],
    ['06 12', 'too short'],
    ['06 12 34 56 78 90 12', 'too long'],
    ['call me', 'not a number'],
    ['', 'empty'],
  ])('refuses %p (%s)', (input) => {
    expect(parseMobilePhone(input, '62')).toMatchObject({ ok: false });
  });

  it('reads national numbers in the organisation’s numbering plan', () => {
    expect(defaultPhoneRegion('971')).toBe('GP');
    expect(defaultPhoneRegion('976')).toBe('YT');
    expect(defaultPhoneRegion('57')).toBe('FR');
    expect(defaultPhoneRegion(null)).toBe('FR');
  });

  it('tells phone searches from name searches', () => {
    expect(looksLikePhone('06 12 34 56 78')).toBe(true);
    expect(looksLikePhone('+33612345678')).toBe(true);
    expect(looksLikePhone('Martin')).toBe(false);
    expect(looksLikePhone('12')).toBe(false);
  });
});

describe('inboundKeyword', () => {
  it.each([
    'STOP',
    'stop',
    ' Stop. ',
    'STOPALL',
    'unsubscribe',
    'Cancel',
    'END',
    'quit',
    'ARRET',
    'Arrêt',
    'arrêt !',
  ])('%p opts out', (body) => {
    expect(inboundKeyword(body)).toBe('opt_out');
  });
  it.each(['START', 'unstop', 'Yes'])('%p opts in', (body) => {
    expect(inboundKeyword(body)).toBe('opt_in');
  });
  it.each(['stop please', 'Merci', '', 'STOP STOP', 'ok'])('%p is no keyword', (body) => {
    expect(inboundKeyword(body)).toBeNull();
  });
});
