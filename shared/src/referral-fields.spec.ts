import { isReferralResourceField, REFERRAL_RESOURCE_FIELDS } from './referral-fields.js';

describe('referral directory fields', () => {
  it('lists the fields in form order', () => {
    expect(REFERRAL_RESOURCE_FIELDS[0]).toBe('name');
    expect(REFERRAL_RESOURCE_FIELDS).toHaveLength(7);
  });

  it('tells a directory field from any other key', () => {
    expect(isReferralResourceField('usualDelayDays')).toBe(true);
    expect(isReferralResourceField('organisationId')).toBe(false);
  });
});
