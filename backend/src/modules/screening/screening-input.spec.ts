import { childAgeBucket, departementOfPostalCode } from '@lien/shared';
import { expectMapsEach } from '../../testing/jest/tables.js';
import { FormStamps } from './form-stamp.js';
import { parseContactForm, parseContactJson, parseScreeningForm } from './screening-input.js';

describe('self-screening input (pure)', () => {
  it('reads the département of a postal code, Corsica and overseas included', () => {
    expectMapsEach(departementOfPostalCode, {
      '62100': '62',
      '20000': '2A',
      '20200': '2B',
      '97100': '971',
      '01000': '01',
      '00100': null,
      '6210': null,
      '98000': null,
    });
  });

  it('keeps only an age bucket', () => {
    expect(childAgeBucket('pregnant')).toBe('pregnant');
    expect(childAgeBucket(0)).toBe('0-2w');
    expect(childAgeBucket(6)).toBe('3-6w');
    expect(childAgeBucket(7)).toBe('7-12w');
    expect(childAgeBucket(104)).toBe('53w+');
  });

  it('reads the screening form: role, age or pregnancy, postal code, honeypot, unexpected fields', () => {
    const form = parseScreeningForm({ role: 'co_parent', age: '', pregnant: 'yes', cp: '62 100', q1: '0' });
    expect(form).toMatchObject({
      role: 'co_parent',
      childAge: 'pregnant',
      postalCode: '62100',
      honeypot: false,
    });
    expect(form.missing).toHaveLength(9);
    expect(parseScreeningForm({ role: 'uncle', age: '105' })).toMatchObject({ role: null, childAge: null });
    expect(parseScreeningForm({ website: 'x' }).honeypot).toBe(true);
    expect(parseScreeningForm({ cp: '6210' }).postalCodeInvalid).toBe(true);
    expect(parseScreeningForm({ extra: '1' }).unexpected).toBe(true);
  });

  it('reads repeated time slots from the form and the JSON body alike', () => {
    expect(parseContactForm({ slots: ['morning', 'evening', 'midnight', 'morning'] }).timeSlots).toEqual([
      'morning',
      'evening',
    ]);
    expect(parseContactForm({ slots: 'midday' }).timeSlots).toEqual(['midday']);
    const json = parseContactJson({ timeSlots: ['afternoon'], consent: { given: true }, nope: 1 });
    expect(json.input).toMatchObject({ timeSlots: ['afternoon'], consent: true });
    expect(json.unknownKeys).toEqual(['nope']);
  });
});

describe('FormStamps', () => {
  const stamps = new FormStamps(Buffer.alloc(32, 7));
  const issuedAt = 1_700_000_000_000;
  const stamp = stamps.issue({ purpose: 'screening', issuedAt });

  it('accepts a stamp inside its window only', () => {
    expect(stamps.check(stamp, 'screening', issuedAt + 20_000, 15, 7200)).toMatchObject({ ok: true });
    expect(stamps.check(stamp, 'screening', issuedAt + 10_000, 15, 7200)).toMatchObject({
      ok: false,
      reason: 'too_fast',
    });
    expect(stamps.check(stamp, 'screening', issuedAt + 7201_000, 15, 7200)).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses another purpose, a forged signature, another key and garbage', () => {
    expect(stamps.check(stamp, 'contact', issuedAt + 20_000, 5, 7200)).toMatchObject({ reason: 'invalid' });
    const [body] = stamp.split('.');
    const older = Buffer.from(JSON.stringify({ p: 'screening', t: issuedAt - 60_000 })).toString('base64url');
    expect(
      stamps.check(`${older}.${stamp.split('.')[1]}`, 'screening', issuedAt + 20_000, 15, 7200),
    ).toMatchObject({
      reason: 'invalid',
    });
    expect(
      new FormStamps(Buffer.alloc(32, 8)).check(stamp, 'screening', issuedAt + 20_000, 15, 7200),
    ).toMatchObject({
      reason: 'invalid',
    });
    expect(stamps.check(`${body}.x`, 'screening', issuedAt + 20_000, 15, 7200)).toMatchObject({
      reason: 'invalid',
    });
    expect(stamps.check(42, 'screening', issuedAt, 0, 10)).toMatchObject({ reason: 'invalid' });
  });

  it('carries the screening a contact form continues', () => {
    const screeningId = '3f1c2a4e-8b7d-4e5f-9a0b-1c2d3e4f5a6b';
    const contact = stamps.issue({ purpose: 'contact', issuedAt, screeningId });
    expect(stamps.check(contact, 'contact', issuedAt + 6_000, 5, 7200)).toEqual({
      ok: true,
      stamp: { purpose: 'contact', issuedAt, screeningId },
    });
  });
});
