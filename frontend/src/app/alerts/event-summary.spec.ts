import { EN } from '../i18n/en';
import { FR, type TranslationKey } from '../i18n/fr';
import { eventKey } from '../ui/labels';
import { eventSummary } from './event-summary';

/** A translator over one dictionary, with {name} parameters filled in. */
function translator(dictionary: Record<string, string>) {
  return (key: TranslationKey, params: Record<string, string | number> = {}): string =>
    (dictionary[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

describe('undelivered-SMS task in the follow-up history', () => {
  it('says why the SMS did not arrive, in plain words, in French and English', () => {
    const payload = {
      severity: 'low',
      reasons: ['sms_undelivered'],
      errorCode: '30005',
      deliveryReason: 'unknown_number',
    };
    expect(eventSummary('created', payload, translator(FR))).toContain('ce numéro n’existe pas');
    expect(eventSummary('created', payload, translator(EN))).toContain('this number does not exist');
    expect(eventSummary('sms_undelivered', { deliveryReason: 'landline' }, translator(EN))).toContain(
      'a landline',
    );
    // An unknown reason (a newer API) says nothing rather than something wrong.
    expect(eventSummary('sms_undelivered', { deliveryReason: 'martian' }, translator(EN))).toBe('');
  });

  it('labels the new event types', () => {
    expect(eventKey('sms_undelivered')).toBe('event.sms_undelivered');
    expect(eventKey('sms_resolved')).toBe('event.sms_resolved');
    expect(FR['event.sms_resolved']).toBeTruthy();
    expect(EN['event.sms_resolved']).toBeTruthy();
  });
});

describe('referral in the follow-up history', () => {
  it('says where the parent was referred: the directory entry with its kind, or the destination in words', () => {
    const t = translator(FR);
    expect(
      eventSummary(
        'referral',
        { from: 'contacted', to: 'referred', referredTo: 'sector_psychiatry', resourceName: 'CMP Arras' },
        t,
      ),
    ).toBe('Orientation vers : CMP Arras (Psychiatrie de secteur (CMP))');
    expect(eventSummary('referral', { to: 'referred', referredTo: 'samu' }, t)).toBe(
      'Orientation vers : SAMU (15)',
    );
    expect(
      eventSummary('referral', { referredTo: 'other', destination: 'Dr Lambert', note: 'RDV lundi' }, t),
    ).toBe('Orientation vers : Autre destination — Destination : Dr Lambert — « RDV lundi »');
  });
});
