import {
  CONTACT_REQUEST_CHANNELS,
  EPDS_BANDS,
  PARENT_ROLES,
  REPORT_CONTACT_ORIGINS,
  rateOfCells,
  statisticCell,
  type ContactRequestChannel,
  type EpdsBand,
  type ParentRole,
  type ReportCareCascade,
  type ReportCascadeCounts,
  type ReportCell,
  type ReportContactOrigin,
  type ReportContactRequestIndicators,
  type ReportSelfScreeningIndicators,
} from '@lien/shared';
import { byKey } from './by-key.js';
import type { DisclosureSheet } from './report-disclosure.js';

/**
 * The self-screening, contact-request and care-cascade figures (issues 15 and 16) from the facts the
 * repository reads, as cells of the report's disclosure sheet, with every table and "of which" relation
 * declared so that `sheet.protect()` hides them like the other figures.
 */

/** Self-screenings of one (source, role, band, item 10) combination. */
export interface SelfScreeningFact {
  source: string;
  name: string | null;
  role: ParentRole;
  band: EpdsBand;
  item10Positive: boolean;
  count: number;
}

/** Contact requests of one combination of what reports tell apart. */
export interface ContactRequestFact {
  channel: ContactRequestChannel;
  origin: ReportContactOrigin;
  /** The self-screening's source code; null for an invited parent's request (or one without a screening). */
  source: string | null;
  name: string | null;
  reached: boolean;
  enrolled: boolean;
  inCare: boolean;
  count: number;
}

/** A median over `sample` durations (seconds). */
export interface MedianFact {
  sample: number;
  medianSeconds: number | null;
}

export const NO_MEDIAN: MedianFact = { sample: 0, medianSeconds: null };

/** The cascade of one set of parents (one role, or all). */
export interface CascadeFact {
  screened: number;
  positive: number;
  reached: number;
  referred: number;
  inCare: number;
  withinDeadline: number;
  positiveToReached: MedianFact;
  reachedToReferred: MedianFact;
  referredToInCare: MedianFact;
}

export const NO_CASCADE: CascadeFact = {
  screened: 0,
  positive: 0,
  reached: 0,
  referred: 0,
  inCare: 0,
  withinDeadline: 0,
  positiveToReached: NO_MEDIAN,
  reachedToReferred: NO_MEDIAN,
  referredToInCare: NO_MEDIAN,
};

/** What one group (or the total) has of these facts. */
export interface ScreeningFacts {
  selfScreenings: SelfScreeningFact[];
  contactRequests: ContactRequestFact[];
  contactMedian: MedianFact;
  /** By role; `all` for every role together. */
  cascade: Partial<Record<ParentRole | 'all', CascadeFact>>;
}

export const NO_SCREENING_FACTS: ScreeningFacts = {
  selfScreenings: [],
  contactRequests: [],
  contactMedian: NO_MEDIAN,
  cascade: {},
};

/** A rate cell filled in once the counts are final, from the counts as published. */
function rate(sheet: DisclosureSheet, numerator: ReportCell, denominator: ReportCell): ReportCell {
  const cell: ReportCell = { value: null, suppressed: false };
  sheet.derive(() => {
    delete cell.reason;
    Object.assign(cell, rateOfCells(numerator, [denominator]));
  });
  return cell;
}

/** A median in minutes: hidden over 1 to 4 people (`small_sample`), never "<5". */
function medianMinutes(fact: MedianFact): ReportCell {
  return statisticCell(fact.medianSeconds === null ? null : fact.medianSeconds / 60, fact.sample);
}

function total<T extends { count: number }>(
  facts: readonly T[],
  keep: (fact: T) => boolean = () => true,
): number {
  return facts.reduce((sum, fact) => sum + (keep(fact) ? fact.count : 0), 0);
}

/** "direct" and "unknown" after the partners' codes, alphabetically. */
function compareSources(a: string, b: string): number {
  const rank = (code: string) => (code === 'direct' ? 1 : code === 'unknown' ? 2 : 0);
  return rank(a) - rank(b) || a.localeCompare(b);
}

function sourcesOf<T extends { source: string | null; name: string | null }>(
  facts: readonly T[],
): { source: string; name: string | null }[] {
  const names = new Map<string, string | null>();
  for (const fact of facts)
    if (fact.source !== null && !names.has(fact.source)) names.set(fact.source, fact.name);
  return [...names.keys()]
    .sort(compareSources)
    .map((source) => ({ source, name: names.get(source) ?? null }));
}

export function selfScreeningIndicators(
  sheet: DisclosureSheet,
  facts: readonly SelfScreeningFact[],
): ReportSelfScreeningIndicators {
  const isPositive = (fact: SelfScreeningFact) => fact.band !== 'low' || fact.item10Positive;
  const screenings = sheet.count(total(facts));
  const positive = sheet.count(total(facts, isPositive));
  const item10Positive = sheet.count(total(facts, (fact) => fact.item10Positive));
  const byRole = byKey(PARENT_ROLES, (role) => sheet.count(total(facts, (fact) => fact.role === role)));
  const byBand = byKey(EPDS_BANDS, (band) => sheet.count(total(facts, (fact) => fact.band === band)));
  const bySource = sourcesOf(facts).map(({ source, name }) => {
    const mine = facts.filter((fact) => fact.source === source);
    const row = {
      source,
      name,
      screenings: sheet.count(total(mine)),
      positive: sheet.count(total(mine, isPositive)),
    };
    sheet.subset(row.screenings, row.positive);
    return row;
  });
  sheet.table(screenings, Object.values(byRole));
  sheet.table(screenings, Object.values(byBand));
  sheet.table(
    screenings,
    bySource.map((row) => row.screenings),
  );
  sheet.table(
    positive,
    bySource.map((row) => row.positive),
  );
  // positive = moderate + high + (low with item 10 positive).
  sheet.table(positive, [byBand.moderate, byBand.high]);
  sheet.subsets(screenings, [positive, item10Positive]);
  return {
    screenings,
    bySource,
    byRole,
    byBand,
    item10Positive,
    positive,
    positiveRate: rate(sheet, positive, screenings),
  };
}

export function contactRequestIndicators(
  sheet: DisclosureSheet,
  facts: readonly ContactRequestFact[],
  median: MedianFact,
): ReportContactRequestIndicators {
  const requests = sheet.count(total(facts));
  const byChannel = byKey(CONTACT_REQUEST_CHANNELS, (channel) =>
    sheet.count(total(facts, (fact) => fact.channel === channel)),
  );
  const byOrigin = byKey(REPORT_CONTACT_ORIGINS, (origin) =>
    sheet.count(total(facts, (fact) => fact.origin === origin)),
  );
  const screened = facts.filter((fact) => fact.origin === 'self_screening');
  const bySource = sourcesOf(screened).map(({ source, name }) => ({
    source,
    name,
    requests: sheet.count(total(screened, (fact) => fact.source === source)),
  }));
  const reached = sheet.count(total(facts, (fact) => fact.reached));
  const enrolled = sheet.count(total(facts, (fact) => fact.enrolled));
  const inCare = sheet.count(total(facts, (fact) => fact.inCare));
  sheet.table(requests, Object.values(byChannel));
  sheet.table(requests, Object.values(byOrigin));
  sheet.table(
    byOrigin.self_screening,
    bySource.map((row) => row.requests),
  );
  sheet.subsets(requests, [reached, enrolled, inCare]);
  return {
    requests,
    byChannel,
    byOrigin,
    bySource,
    reached,
    medianMinutesToFirstContact: medianMinutes(median),
    enrolled,
    inCare,
    enrolledRate: rate(sheet, enrolled, requests),
    inCareRate: rate(sheet, inCare, requests),
  };
}

function cascadeCounts(sheet: DisclosureSheet, fact: CascadeFact): ReportCascadeCounts {
  const screened = sheet.count(fact.screened);
  const positive = sheet.count(fact.positive);
  const reached = sheet.count(fact.reached);
  const referred = sheet.count(fact.referred);
  const inCare = sheet.count(fact.inCare);
  const reachedWithinDeadline = sheet.count(fact.withinDeadline);
  sheet.funnel([screened, positive, reached, referred, inCare]);
  sheet.subset(reached, reachedWithinDeadline);
  return {
    screened,
    positive,
    reached,
    referred,
    inCare,
    reachedWithinDeadline,
    reachedWithinDeadlineRate: rate(sheet, reachedWithinDeadline, positive),
    medianMinutes: {
      positiveToReached: medianMinutes(fact.positiveToReached),
      reachedToReferred: medianMinutes(fact.reachedToReferred),
      referredToInCare: medianMinutes(fact.referredToInCare),
    },
  };
}

const CASCADE_COUNTS = [
  'screened',
  'positive',
  'reached',
  'referred',
  'inCare',
  'reachedWithinDeadline',
] as const;

export function careCascade(sheet: DisclosureSheet, facts: ScreeningFacts['cascade']): ReportCareCascade {
  const all = cascadeCounts(sheet, facts.all ?? NO_CASCADE);
  const byRole = byKey(PARENT_ROLES, (role) => cascadeCounts(sheet, facts[role] ?? NO_CASCADE));
  for (const name of CASCADE_COUNTS) {
    sheet.table(
      all[name],
      PARENT_ROLES.map((role) => byRole[role][name]),
    );
  }
  return { ...all, byRole };
}
