import { EPDS_BANDS } from '../statuses.js';
import { SUPPORTED_EPDS_LANGUAGES } from '../epds/types.js';
import { resultMessage } from './result-message.js';

// Words that would frighten, label or grade the parent.
const ALARMING =
  /d[ée]pression|suicid|score|risque|risk|grave|severe|s[ée]v[èe]re|danger imm|alarm|diagnos|malad|illness|points?\b/i;

describe('resultMessage', () => {
  describe.each(SUPPORTED_EPDS_LANGUAGES)('%s', (language) => {
    it.each(EPDS_BANDS)('band %s: kind, no number, nothing alarming', (band) => {
      const message = resultMessage(language, band, false);
      expect(message.title.trim()).not.toBe('');
      expect(message.body.trim()).not.toBe('');
      expect(`${message.title} ${message.body}`).not.toMatch(/\d/);
      expect(`${message.title} ${message.body}`).not.toMatch(ALARMING);
    });

    it.each(EPDS_BANDS)('item 10 positive overrides band %s', (band) => {
      expect(resultMessage(language, band, true)).toEqual(resultMessage(language, 'low', true));
    });

    it('says a professional will call soon, and to call 3114 or 15 if in danger', () => {
      const { body } = resultMessage(language, 'low', true);
      expect(body).toMatch(language === 'fr' ? /va vous appeler très bientôt/ : /will call you very soon/);
      expect(body).toContain('3114');
      expect(body).toMatch(/\b15\b/);
      expect(body).toMatch(language === 'fr' ? /en danger/ : /in danger/);
      expect(body).not.toMatch(ALARMING);
    });

    it('differs by band', () => {
      const bodies = new Set(EPDS_BANDS.map((band) => resultMessage(language, band, false).body));
      expect(bodies.size).toBe(3);
    });
  });

  it('speaks the parent language', () => {
    expect(resultMessage('fr', 'low', false).title).toBe('Merci pour vos réponses');
    expect(resultMessage('en', 'low', false).title).toBe('Thank you for your answers');
  });

  it('returns a copy', () => {
    const message = resultMessage('fr', 'high', false);
    message.title = 'changed';
    expect(resultMessage('fr', 'high', false).title).not.toBe('changed');
  });
});
