import type { Page } from 'playwright-core';
import pg from 'pg';
import { axeViolations, horizontalOverflow, screenshot } from './support/browser.js';
import {
  answerQuestionnaire,
  apiCaller,
  questionnaireToken,
  signedIn,
  useStackAndBrowser,
} from './support/console.js';

// A parent's history, one endpoint for both pages (issues 18 and 19), in Chromium at 1280 px and on a 390-px phone:
// a mother enrolled through the API answers her day-7 SMS (moderate), the professional follows the alert up
// (acknowledge, contact, note, referral to a directory entry), day 42 comes (time travel: its planned time is moved
// to now in the database, and the worker sends it as it would have on the day), she answers it (high). The parent
// page draws both waves against the role's bands and lists what happened, one line per fact, with who did it and
// the planned SMS apart; the alert page shows the same lines. axe-core finds nothing, nothing scrolls sideways.

// The worker's outbox reconciler runs every second here (60 s by default), to pick up the moved SMS at once.
const world = useStackAndBrowser({ SMS_RECONCILE_INTERVAL_MS: '1000' });
const api = apiCaller(() => world.stack.baseUrl);

const PROFESSIONAL = 'infirmiere.62@lien.demo';
const PROFESSIONAL_NAME = 'Sophie Martin (puéricultrice)';
// Option indexes, item 1 first. Items 1, 2 and 4 score 0 on their first option, the others on their last (item 10
// "Jamais" is its last). J7: items 3, 5, 6 and 7 at 3 points (12, a mother's moderate band, 11 to 12). J42: item 8
// too (15, her high band, from 13).
const J7_ANSWERS = [0, 0, 0, 0, 0, 0, 0, 3, 3, 3];
const J42_ANSWERS = [0, 0, 0, 0, 0, 0, 0, 0, 3, 3];
const RESOURCE = {
  name: 'CMP Périnatal de Lens',
  kind: 'cmp',
  address: '12 rue de la Gare, 62300 Lens',
  phone: '03 21 44 55 77',
  languages: ['fr'],
  acceptsNewPatients: true,
  usualDelayDays: 14,
};
const NOTE = 'Rappel prévu vendredi matin';
const CONTACT_NOTE = 'Joint au téléphone, fatiguée';

interface HistoryLine {
  kind: string;
  text: string;
}

let token: string;
let parentId: string;
let alertId: string;

/** The history lines shown on a page, newest first: their kind and their words (date included). */
async function historyLines(page: Page): Promise<HistoryLine[]> {
  await page.getByTestId('parent-history').waitFor();
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="history-entry"]')].map((entry) => ({
      kind: entry.dataset['kind'] ?? '',
      text: (entry.textContent ?? '').replace(/\s+/g, ' ').trim(),
    })),
  );
}

/** The score chart's table: one row per wave (wave, score, moderate from, high from). */
async function trendRows(page: Page): Promise<string[][]> {
  await page.getByTestId('trend-chart').waitFor();
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="trend-chart-table"] tr')].map((row) =>
      [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? ''),
    ),
  );
}

async function checkScreen(page: Page, name: string): Promise<void> {
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await screenshot(page, name);
  expect(await axeViolations(page)).toEqual([]);
}

/** Polls the history (through the API, as the page reads it) until `done` holds. */
async function waitForHistory(done: (kinds: string[]) => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const history = await api.call<{ events: { kind: string; wave: string | null }[] }>(
      token,
      'GET',
      `/api/parents/${parentId}/history`,
    );
    if (done(history.events.map((event) => `${event.kind}:${event.wave ?? ''}`))) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the history never showed ${what}`);
}

describe('a parent’s history across two waves, on the parent page and the alert page', () => {
  it('day 7: enrolled through the API, answered from the SMS link, the alert followed up by the professional', async () => {
    const admin = await api.logIn('admin.62@lien.demo');
    const resource = await api.call<{ id: string }>(admin, 'POST', '/api/referral-resources', RESOURCE);
    token = await api.logIn(PROFESSIONAL);
    // Born eight days ago: her day-7 SMS goes out at once (the demo organisation has no quiet hours).
    const birthDate = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    parentId = (
      await api.call<{ id: string }>(token, 'POST', '/api/parents', {
        firstName: 'Juliette',
        lastName: 'Historique',
        phone: '06 51 22 33 01',
        role: 'mother',
        language: 'fr',
        birthDate,
        consent: { given: true, textVersion: '2026-01' },
      })
    ).id;
    await answerQuestionnaire(
      world.stack.baseUrl,
      await questionnaireToken(api, token, parentId),
      J7_ANSWERS,
    );
    const alerts = await api.call<{ items: { id: string; parentId: string | null; severity: string }[] }>(
      token,
      'GET',
      '/api/alerts',
    );
    const alert = alerts.items.find((item) => item.parentId === parentId);
    expect(alert?.severity).toBe('moderate');
    alertId = alert!.id;
    const step = (body: object) => api.call(token, 'POST', `/api/alerts/${alertId}/events`, body);
    await step({ type: 'acknowledge' });
    await step({ type: 'contact_attempt', outcome: 'reached', channel: 'phone', note: CONTACT_NOTE });
    await step({ type: 'note', text: NOTE });
    await step({ type: 'referral', to: 'perinatal_psychiatry_unit', resourceId: resource.id });

    // Before day 42: one point, J42 still to come, its SMS planned apart (not a line of what happened).
    const page = await signedIn(world, PROFESSIONAL, { width: 1280 });
    await page.goto(`${world.stack.baseUrl}/parents/${parentId}`);
    const rows = await trendRows(page);
    expect(rows[1]).toEqual(['J7', '12', '11', '13']);
    expect(rows[2]?.[0]).toMatch(/^J42 \(prévu le /);
    const planned = await page.getByTestId('planned-sms').allInnerTexts();
    expect(planned.some((line) => line.includes('SMS invitation J42, prévu le'))).toBe(true);
    expect((await historyLines(page)).filter((line) => line.text.includes('J42'))).toEqual([]);
    await page.context().close();
  });

  it('day 42: its planned time comes (time travel), the worker sends it and she answers', async () => {
    // Time travel: the day-42 invitation and its SMS were planned for 35 days from now; they are moved to now,
    // and the worker's outbox reconciler sends the SMS as it would on the day.
    const db = new pg.Client({ connectionString: world.stack.databaseUrl });
    await db.connect();
    try {
      const moved = await db.query(
        `UPDATE invitations SET due_at = now() WHERE parent_id = $1 AND wave = 'day42' AND status = 'planned'`,
        [parentId],
      );
      expect(moved.rowCount).toBe(1);
      await db.query(
        `UPDATE sms_messages SET due_at = now()
          WHERE status = 'pending' AND invitation_id IN (SELECT id FROM invitations WHERE parent_id = $1 AND wave = 'day42')`,
        [parentId],
      );
    } finally {
      await db.end();
    }
    await waitForHistory((kinds) => kinds.includes('sms:day42'), 'the day-42 SMS');
    await answerQuestionnaire(
      world.stack.baseUrl,
      await questionnaireToken(api, token, parentId),
      J42_ANSWERS,
    );
    await waitForHistory(
      (kinds) => kinds.filter((kind) => kind.startsWith('response:')).length === 2,
      'both answers',
    );
  });

  describe.each([1280, 390])('at %i px', (width) => {
    let parentLines: HistoryLine[];

    it('the parent page draws J7 and J42 against the role’s bands and lists what happened, once each', async () => {
      const page = await signedIn(world, PROFESSIONAL, { width });
      await page.goto(`${world.stack.baseUrl}/parents/${parentId}`);
      expect(await page.getByTestId('trend-thresholds').innerText()).toContain(
        'modéré à partir de 11, élevé à partir de 13',
      );
      const rows = await trendRows(page);
      expect(rows[0]).toEqual(['Questionnaire', 'Score (sur 30)', 'Seuil modéré', 'Seuil élevé']);
      expect(rows.slice(1)).toEqual([
        ['J7', '12', '11', '13'],
        ['J42', '15', '11', '13'],
      ]);

      parentLines = await historyLines(page);
      const kinds = parentLines.map((line) => line.kind);
      // Newest first: what happened, one line per fact, the planned SMS not among them (she answered through the
      // questionnaire's JSON door, as her phone's page does once loaded: no separate "opened" line here).
      expect(kinds.at(-1)).toBe('enrolled');
      for (const kind of [
        'sms',
        'response',
        'alert',
        'acknowledged',
        'contact_attempt',
        'note',
        'referral',
        'severity_raised',
      ])
        expect(kinds).toContain(kind);
      const text = (kind: string) =>
        parentLines.filter((line) => line.kind === kind).map((line) => line.text);
      expect(text('enrolled')[0]).toContain(`Inscription, consentement recueilli par ${PROFESSIONAL_NAME}`);
      expect(text('sms').filter((line) => line.includes('SMS invitation J7'))).toHaveLength(1);
      expect(text('sms').filter((line) => line.includes('SMS invitation J42'))).toHaveLength(1);
      expect(text('response')).toEqual([
        expect.stringContaining('Réponse J42 : score 15/30 (élevé) par le parent'),
        expect.stringContaining('Réponse J7 : score 12/30 (modéré) par le parent'),
      ]);
      expect(text('alert')).toEqual([expect.stringContaining('Alerte Modérée')]);
      expect(text('acknowledged')[0]).toContain(`Alerte prise en compte par ${PROFESSIONAL_NAME}`);
      expect(text('contact_attempt')[0]).toContain(
        `Contact par téléphone : Parent joint par ${PROFESSIONAL_NAME}`,
      );
      expect(text('contact_attempt')[0]).toContain(CONTACT_NOTE);
      expect(text('note')[0]).toContain(`Note de suivi par ${PROFESSIONAL_NAME}`);
      expect(text('note')[0]).toContain(NOTE);
      expect(text('referral')[0]).toContain(`vers ${RESOURCE.name} par ${PROFESSIONAL_NAME}`);
      // No line twice; each answer and each SMS once; nothing still planned is told as done.
      expect(new Set(parentLines.map((line) => line.text)).size).toBe(parentLines.length);
      expect(await page.getByTestId('parent-planned').innerText()).toContain('Aucun SMS prévu');
      await checkScreen(page, width === 1280 ? 'screen-parent-history-1280' : 'screen-parent-history-390');
      await page.context().close();
    });

    it('the alert page shows the same history (what happened) and the same trend', async () => {
      const page = await signedIn(world, PROFESSIONAL, { width });
      await page.goto(`${world.stack.baseUrl}/alerts/${alertId}`);
      await page.getByTestId('alert-title').waitFor();
      const rows = await trendRows(page);
      expect(rows.slice(1)).toEqual([
        ['J7', '12', '11', '13'],
        ['J42', '15', '11', '13'],
      ]);
      expect(await historyLines(page)).toEqual(parentLines);
      // What happened only: the planned SMS stay on the parent page.
      expect(await page.getByTestId('parent-planned').count()).toBe(0);
      await checkScreen(page, `screen-alert-history-${width}`);
      await page.context().close();
    });
  });
});
