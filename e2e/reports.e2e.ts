import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { REPORT_CSV_HEADER, REPORT_INDICATOR_NAMES } from '../backend/src/modules/reports/report-csv.js';
import { animationsDone, axeViolations, horizontalOverflow, screenshot } from './support/browser.js';
import {
  answerQuestionnaire,
  apiCaller,
  questionnaireToken,
  signedIn,
  useStackAndBrowser,
} from './support/console.js';

// The reports page under statistical secrecy (issue 19), in Chromium at 1280 px and on a 390-px phone, as the
// organisation's admin and as the region's coordinator (whose territory is selected from the start). Parents
// enrolled and answering through the API make some counts fall under 5 (fathers, the urgent alert) while the
// response and positive rates and the median time to first contact exist. The page never shows "<5" for a rate
// or a duration, durations carry their unit, a hidden figure is a hatched, labelled slot in its chart, and the
// CSV downloaded through the page's own button is in French with the secrecy in its own columns.
//
// The report figures follow the writes at once: the rollup deltas and the screening mirrors are kept by
// triggers on every insert (reports read the pending deltas too), so no rebuild is needed; the set-up waits
// until the API's own summary shows the answers before any page is judged.
const world = useStackAndBrowser();
const api = apiCaller(() => world.stack.baseUrl);

// Option indexes, item 1 first. Items 1, 2 and 4 score 0 on their first option, the others on their last.
// LOW: 0 points. MODERATE: 12 (a mother's moderate band, item 10 "Jamais"). ITEM10: 1 point, item 10 "Presque
// jamais": positive by item 10 alone (an urgent alert).
const LOW = [0, 0, 3, 0, 3, 3, 3, 3, 3, 3];
const MODERATE = [0, 0, 0, 0, 0, 0, 0, 3, 3, 3];
const ITEM10 = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2];

interface Enrolment {
  role: 'mother' | 'father';
  answers: number[];
  /** The professional acknowledges the alert and reaches the parent by phone. */
  reach?: boolean;
}

const ENROLMENTS: Enrolment[] = [
  ...Array.from({ length: 6 }, (): Enrolment => ({ role: 'mother', answers: MODERATE, reach: true })),
  ...Array.from({ length: 5 }, (): Enrolment => ({ role: 'mother', answers: LOW })),
  { role: 'father', answers: LOW },
  { role: 'father', answers: ITEM10 },
];

/** Enrols a parent born eight days ago (the day-7 SMS goes out at once) and answers the questionnaire. */
async function enrolAndAnswer(token: string, enrolment: Enrolment, index: number): Promise<void> {
  const birthDate = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const parent = await api.call<{ id: string }>(token, 'POST', '/api/parents', {
    firstName: enrolment.role === 'mother' ? 'Léa' : 'Hugo',
    lastName: `Rapport-${index + 1}`,
    phone: `06 41 70 00 ${String(index + 10).padStart(2, '0')}`,
    role: enrolment.role,
    language: 'fr',
    birthDate,
    consent: { given: true, textVersion: '2026-01' },
  });
  await answerQuestionnaire(
    world.stack.baseUrl,
    await questionnaireToken(api, token, parent.id),
    enrolment.answers,
  );
  if (!enrolment.reach) return;
  const alerts = await api.call<{ items: { id: string; parentId: string | null }[] }>(
    token,
    'GET',
    '/api/alerts',
  );
  const alert = alerts.items.find((item) => item.parentId === parent.id);
  if (!alert) throw new Error(`no alert for parent ${index + 1}`);
  await api.call(token, 'POST', `/api/alerts/${alert.id}/events`, { type: 'acknowledge' });
  await api.call(token, 'POST', `/api/alerts/${alert.id}/events`, {
    type: 'contact_attempt',
    outcome: 'reached',
    channel: 'phone',
  });
}

interface Cell {
  value: number | null;
  suppressed: boolean;
}

beforeAll(async () => {
  const professional = await api.logIn('infirmiere.62@lien.demo');
  // One after the other: each waits for its own SMS in the outbox (whose page lists the newest 100).
  for (const [index, enrolment] of ENROLMENTS.entries()) {
    await enrolAndAnswer(professional, enrolment, index);
  }
  // The admin's report shows the answers (rounded to 5) and the reached alerts' median delay.
  const admin = await api.logIn('admin.62@lien.demo');
  const summary = await api.call<{
    total: {
      responses: { all: { responses: Cell } };
      alerts: { timeToFirstContact: { medianMinutes: Cell } };
    };
  }>(admin, 'GET', '/api/reports/summary');
  expect(summary.total.responses.all.responses.value).toBeGreaterThanOrEqual(10);
  expect(summary.total.alerts.timeToFirstContact.medianMinutes.suppressed).toBe(false);
}, 170_000);

/** Opens the reports page and waits for its figures and the charts' labelled gaps. */
async function openReports(page: Page): Promise<void> {
  await page.goto(`${world.stack.baseUrl}/reports`);
  await page.getByTestId('report-tiles').waitFor();
  await page.getByTestId('report-cascade-section').waitFor();
  await page.getByTestId('chart-severities').getByTestId('chart-gap').first().waitFor();
  await animationsDone(page);
}

/** (a) Counts from 1 to 4 read "<5"; a rate or a duration never does, and a duration carries its unit. */
async function expectFiguresUnderSecrecy(page: Page): Promise<void> {
  const texts = (kind: string) =>
    page.locator(`lien-report-figure[data-kind="${kind}"]`).evaluateAll((figures) =>
      figures.map((figure) => ({
        // The figure's visible text: its mark or value (the reason is in a visually hidden span beside it).
        text: (figure.querySelector('abbr') ?? figure).textContent?.trim() ?? '',
        reason: figure.querySelector('abbr')?.getAttribute('title') ?? null,
      })),
    );
  const counts = await texts('count');
  expect(counts.some((figure) => figure.text === '<5')).toBe(true);
  const rates = await texts('rate');
  const durations = await texts('minutes');
  expect(rates.length).toBeGreaterThan(0);
  expect(durations.length).toBeGreaterThan(0);
  for (const figure of [...rates, ...durations]) expect(figure.text).not.toContain('<5');
  // A rate that exists reads as a percentage; one built on a hidden count is the explained mark "s".
  expect(rates.some((figure) => /^\d+(,\d+)?\s%$/.test(figure.text))).toBe(true);
  expect(rates).toContainEqual({ text: 's', reason: 'Taux non calculé : un de ses effectifs est masqué' });
  for (const figure of durations) {
    if (figure.text === 's') expect(figure.reason).toBe('Durée non calculée : moins de 5 personnes');
    else if (figure.text !== '—') expect(figure.text).toMatch(/^\d+ (min|h|j)( \d+ (min|h))?$/);
  }
  expect(durations.some((figure) => /\d+ (min|h|j)/.test(figure.text))).toBe(true);
  // The median delay's tile, in particular, has its unit.
  expect(await page.getByTestId('tile-median-contact').locator('.tile-value').innerText()).toMatch(
    /^\d+ (min|h|j)/,
  );
}

/** (b) A hidden figure is a hatched, labelled slot inside its chart, its reason on hover, the legend under it. */
async function expectLabelledGaps(page: Page): Promise<void> {
  for (const chart of ['chart-severities', 'chart-bands']) {
    const figure = page.getByTestId(chart);
    const gap = figure.getByTestId('chart-gap').first();
    expect(await gap.isVisible()).toBe(true);
    expect(await gap.innerText()).toMatch(/^masqué \((< 5|s)\)$/);
    expect(await gap.getAttribute('title')).toMatch(/^(Effectif de 1 à 4, masqué|Masqué pour qu’un)/);
    // Drawn over the canvas, inside it, and wide and tall enough to be read.
    const box = (await gap.boundingBox())!;
    const canvas = (await figure.locator('canvas').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(canvas.x - 1);
    expect(box.y).toBeGreaterThanOrEqual(canvas.y - 1);
    expect(box.x + box.width).toBeLessThanOrEqual(canvas.x + canvas.width + 1);
    expect(box.y + box.height).toBeLessThanOrEqual(canvas.y + canvas.height + 1);
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(12);
    const legend = await figure.getByTestId('chart-gap-legend').innerText();
    expect(legend).toContain('Case hachurée : chiffre masqué par le secret statistique');
    expect(legend).toMatch(/masqué \(< 5\) — Effectif de 1 à 4, masqué|masqué \(s\) — Masqué pour qu’un/);
    const label = await figure.locator('canvas').getAttribute('aria-label');
    expect(label).toMatch(/<5 \(Effectif de 1 à 4, masqué\)|s \(Masqué pour qu’un/);
  }
  // The urgent alert (1) is hidden "<5" and labelled as such in the severities chart.
  expect(await page.getByTestId('chart-severities').getByTestId('chart-gap').allInnerTexts()).toContain(
    'masqué (< 5)',
  );
}

/** (c) The CSV from the page's own button: French headers and names, secrecy in its columns, no "<5" rate. */
async function expectFrenchCsv(page: Page): Promise<void> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('reports-download').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const text = readFileSync(await download.path(), 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  // The separator defaults to the semicolon for a French reader; no field here holds one.
  const rows = text
    .slice(1)
    .split('\r\n')
    .filter((line) => line)
    .map((line) => line.split(';'));
  // The header the code writes, French throughout, with the secrecy in its own two columns.
  expect(rows[0]).toEqual(REPORT_CSV_HEADER);
  expect(rows[0]).toEqual(
    expect.arrayContaining([
      'indicateur',
      'nom de l’indicateur',
      'unité',
      'valeur',
      'secret statistique',
      'motif du secret',
    ]),
  );
  const lines = rows.slice(1).map((row) => ({
    indicator: row[4],
    name: row[5],
    unit: row[7],
    value: row[8],
    secret: row[9],
    reason: row[10],
  }));
  expect(lines.length).toBeGreaterThan(100);
  expect(lines.find((line) => line.indicator === 'response_rate')?.name).toBe('Taux de réponse');
  expect(lines.find((line) => line.indicator === 'cascade_screened')?.name).toBe(
    'Étape 1 : parents dépistés',
  );
  for (const line of lines) {
    expect(line.name).toBe(REPORT_INDICATOR_NAMES[line.indicator!]); // every indicator has its French name
    expect(['effectif', 'pourcentage', 'minutes']).toContain(line.unit);
  }
  const smallCount = lines.find((line) => line.secret === '<5');
  expect(smallCount).toMatchObject({ unit: 'effectif', value: '', reason: 'effectif de 1 à 4' });
  const derived = lines.filter((line) => line.unit !== 'effectif');
  for (const line of derived) expect(`${line.value}${line.secret}`).not.toContain('<5');
  expect(derived.some((line) => line.unit === 'pourcentage' && /^\d+(,\d)?$/.test(line.value ?? ''))).toBe(
    true,
  );
  expect(derived).toContainEqual(
    expect.objectContaining({
      unit: 'pourcentage',
      secret: 's',
      reason: 'taux non calculé : un de ses effectifs est masqué',
    }),
  );
}

/** (d) axe-core finds nothing, nothing scrolls sideways, and the page is saved as a screenshot. */
async function expectCleanPage(page: Page, name: string): Promise<void> {
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await screenshot(page, name);
  expect(await axeViolations(page)).toEqual([]);
}

it.each([1280, 390])(
  'as the org admin at %i px: "<5" for small counts only, labelled gaps, a French CSV, axe clean',
  async (width) => {
    const page = await signedIn(world, 'admin.62@lien.demo', { width });
    await openReports(page);
    await expectFiguresUnderSecrecy(page);
    await expectLabelledGaps(page);
    await expectCleanPage(page, `screen-reports-gaps-${width}`);
    await expectFrenchCsv(page);
    await page.context().close();
  },
);

it.each([1280, 390])(
  'as the coordinator at %i px: their region selected, the same secrecy, labelled gaps and CSV',
  async (width) => {
    const page = await signedIn(world, 'coordination.hdf@lien.demo', { width });
    await openReports(page);
    // The coordinator's own territory is selected from the start, and the report shown is that territory's.
    expect(await page.getByTestId('reports-territory').innerText()).toContain('Hauts-de-France');
    await expectFiguresUnderSecrecy(page);
    await expectLabelledGaps(page);
    await expectCleanPage(page, `screen-reports-gaps-coordinator-${width}`);
    await expectFrenchCsv(page);
    await page.context().close();
  },
);
