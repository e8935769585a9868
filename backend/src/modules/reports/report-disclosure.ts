import {
  REPORT_ROUNDING_BASE,
  SMALL_CELL_THRESHOLD,
  hiddenCell,
  isSmallCell,
  roundToBase,
  type ReportCell,
  type ReportPeriodUnit,
} from '@lien/shared';
import type { AccessScope } from '../../common/auth/scope.js';

/**
 * Statistical secrecy of a report ("secret statistique", README "Report secrecy"): the one place that
 * decides which counts a caller sees. The summary and the CSV are both rendered from its output.
 *
 * 1. Primary secrecy: a count from 1 to 4 is hidden (`small_count`).
 * 2. Secondary (complementary) secrecy: every table is an equation (a total equals the sum of its parts;
 *    a count equals a count it contains plus the rest). While some equation lets a caller work out a hidden
 *    count exactly (the bounds every hidden cell is known to have: 1–4 for "<5", 5 or more for "s"), the
 *    smallest shown non-zero part of it is hidden too (`complementary`), or its total when no part is left.
 * 3. Coordinators and organisation admins: shown counts are rounded to the nearest multiple of 5 and the
 *    period is widened to whole calendar months: any sum or difference of what they can ask is then a
 *    multiple of 5, never a count from 1 to 4.
 * 4. Rates and derived figures are computed afterwards, from the counts as published.
 */
export interface DisclosurePolicy {
  periodUnit: ReportPeriodUnit;
  /** 1: exact counts. */
  roundingBase: number;
}

export function disclosurePolicy(access: AccessScope): DisclosurePolicy {
  return access.kind === 'platform'
    ? { periodUnit: 'day', roundingBase: 1 }
    : { periodUnit: 'month', roundingBase: REPORT_ROUNDING_BASE };
}

type State = 'shown' | 'small' | 'complementary' | 'virtual';

type HiddenState = Exclude<State, 'shown'>;
const HIDDEN_STATES: readonly HiddenState[] = ['small', 'complementary', 'virtual'];

interface Entry {
  raw: number;
  state: State;
  /** The equations the cell is in, with its sign there (+1 the total, −1 a part). */
  equations: { equation: Equation; sign: 1 | -1 }[];
  /** Cells hidden whenever this one is (a value computed from it). */
  dependents: ReportCell[];
}

/**
 * total − Σ parts = 0, with running sums kept up to date as cells are hidden (a report by organisation has
 * equations of a thousand parts: they are checked in constant time, not by reading every part again).
 */
interface Equation {
  total: ReportCell;
  parts: ReportCell[];
  /** −Σ sign·raw over the shown cells: what Σ sign·x over the hidden cells must equal. */
  constant: number;
  /** Σ raw over the hidden cells. */
  hiddenSum: number;
  /** Hidden cells by state and sign ([state][0] the total, [state][1] parts). */
  hidden: Record<HiddenState, [number, number]>;
  /** Virtual cells holding 1 to 4, by sign: the only virtual cells worth protecting. */
  smallVirtual: [number, number];
}

/** What a caller knows of a hidden cell: "<5" is 1–4, "s" is 5 or more, an unpublished rest is 0 or more. */
const BOUNDS: Record<Exclude<State, 'shown'>, [number, number]> = {
  small: [1, SMALL_CELL_THRESHOLD - 1],
  complementary: [SMALL_CELL_THRESHOLD, Infinity],
  virtual: [0, Infinity],
};

/**
 * The counts of one report before protection: every cell registered with its true value, the equations
 * that link them, and the figures to compute once the counts are final. `protect()` writes the cells in place.
 */
export class DisclosureSheet {
  private readonly entries = new Map<ReportCell, Entry>();
  private readonly equations: Equation[] = [];
  private readonly derivations: (() => void)[] = [];

  /** A published count. */
  count(raw: number): ReportCell {
    const cell: ReportCell = { value: raw, suppressed: false };
    this.entries.set(cell, { raw, state: 'shown', equations: [], dependents: [] });
    return cell;
  }

  isCount(cell: ReportCell): boolean {
    const entry = this.entries.get(cell);
    return entry !== undefined && entry.state !== 'virtual';
  }

  /** `total` is the sum of `parts`; a remainder (parts that are not published) becomes a hidden unknown. */
  table(total: ReportCell, parts: readonly ReportCell[]): void {
    const rest = this.raw(total) - parts.reduce((sum, part) => sum + this.raw(part), 0);
    if (rest < 0) return;
    const members = rest > 0 ? [...parts, this.virtual(rest)] : [...parts];
    const equation: Equation = {
      total,
      parts: members,
      constant: 0,
      hiddenSum: 0,
      hidden: { small: [0, 0], complementary: [0, 0], virtual: [0, 0] },
      smallVirtual: [0, 0],
    };
    this.equations.push(equation);
    const add = (cell: ReportCell, sign: 1 | -1) => {
      const entry = this.entry(cell);
      entry.equations.push({ equation, sign });
      account(equation, entry, sign, 1);
    };
    add(total, 1);
    for (const part of members) add(part, -1);
  }

  /** `part` counts some of what `whole` counts ("of which"): whole = part + the rest. */
  subset(whole: ReportCell, part: ReportCell): void {
    this.table(whole, [part]);
  }

  /** Each of `parts` counts some of what `whole` counts, each on its own (they may overlap). */
  subsets(whole: ReportCell, parts: readonly ReportCell[]): void {
    for (const part of parts) this.subset(whole, part);
  }

  /** A funnel: each step counts some of what the step before it counts. */
  funnel(steps: readonly ReportCell[]): void {
    steps.slice(1).forEach((step, index) => this.subset(steps[index]!, step));
  }

  /** `dependent` is computed from `source` and must be hidden whenever it is. */
  follows(dependent: ReportCell, source: ReportCell): void {
    this.entry(source).dependents.push(dependent);
  }

  /** Runs after protection, with the counts as published (rates). */
  derive(compute: () => void): void {
    this.derivations.push(compute);
  }

  /** Applies primary and complementary secrecy, then rounding, then the derivations; cells change in place. */
  protect(policy: DisclosurePolicy): void {
    // A first-in first-out work list (array, head index and membership set): equations are settled in the
    // order they were declared, small tables before the groups. Reading the first item of a Set with many
    // deletions would be slow.
    const queue: Equation[] = [...this.equations];
    const queued = new Set<Equation>(queue);
    const enqueue = (equation: Equation) => {
      if (queued.has(equation)) return;
      queued.add(equation);
      queue.push(equation);
    };
    const hide = (cell: ReportCell, state: 'small' | 'complementary') => {
      const entry = this.entry(cell);
      if (entry.state !== 'shown') return;
      for (const { equation, sign } of entry.equations) account(equation, entry, sign, -1);
      entry.state = state;
      for (const { equation, sign } of entry.equations) {
        account(equation, entry, sign, 1);
        enqueue(equation);
      }
      for (const dependent of entry.dependents) hide(dependent, 'complementary');
    };
    for (const [cell, entry] of this.entries) if (isSmallCell(entry.raw)) hide(cell, 'small');

    for (let head = 0; head < queue.length; head += 1) {
      const equation = queue[head]!;
      queued.delete(equation);
      if (!this.disclosesAHiddenCell(equation)) continue;
      const candidate = this.complementaryCandidate(equation);
      if (!candidate) continue;
      hide(candidate, 'complementary');
      enqueue(equation);
    }

    for (const [cell, entry] of this.entries) {
      if (entry.state === 'virtual') continue;
      if (entry.state === 'shown') {
        cell.value = roundToBase(entry.raw, policy.roundingBase);
        cell.suppressed = false;
        delete cell.reason;
      } else {
        Object.assign(cell, hiddenCell(entry.state === 'small' ? 'small_count' : 'complementary'));
      }
    }
    for (const compute of this.derivations) compute();
  }

  private virtual(raw: number): ReportCell {
    const cell: ReportCell = { value: null, suppressed: true };
    this.entries.set(cell, { raw, state: 'virtual', equations: [], dependents: [] });
    return cell;
  }

  private entry(cell: ReportCell): Entry {
    const entry = this.entries.get(cell);
    if (!entry) throw new Error('report cell not registered');
    return entry;
  }

  private raw(cell: ReportCell): number {
    return this.entry(cell).raw;
  }

  /**
   * Whether the equation gives a small count away: the hidden parts beside a shown total add up to 1–4, or
   * the bounds every hidden cell is known to have pin one of them to a single value. Virtual cells (never
   * published) matter only when they hold 1 to 4. Hidden cells of one state and sign share their bounds, so
   * each such class is checked once.
   */
  private disclosesAHiddenCell(equation: Equation): boolean {
    const { hidden, smallVirtual, constant } = equation;
    // The range of Σ sign·x over every hidden cell; infinite ends counted apart. No allocation: this runs
    // for every equation each time one of its cells is hidden.
    let any = false;
    let lowFinite = 0;
    let lowInfinite = 0;
    let highFinite = 0;
    let highInfinite = 0;
    for (const state of HIDDEN_STATES) {
      const [lo, hi] = BOUNDS[state];
      for (let side = 0; side < 2; side += 1) {
        const count = hidden[state][side]!;
        if (count === 0) continue;
        any = true;
        const low = side === 0 ? lo : -hi;
        const high = side === 0 ? hi : -lo;
        if (Number.isFinite(low)) lowFinite += low * count;
        else lowInfinite += count;
        if (Number.isFinite(high)) highFinite += high * count;
        else highInfinite += count;
      }
    }
    if (!any) return false;
    // Beside a shown total, the hidden parts together (total − shown parts) must not be a small count either.
    if (this.entry(equation.total).state === 'shown' && isSmallCell(equation.hiddenSum)) return true;
    for (const state of HIDDEN_STATES) {
      const [lo, hi] = BOUNDS[state];
      for (let side = 0; side < 2; side += 1) {
        const sensitive = state === 'virtual' ? smallVirtual[side]! > 0 : hidden[state][side]! > 0;
        if (!sensitive) continue;
        const low = side === 0 ? lo : -hi;
        const high = side === 0 ? hi : -lo;
        // What the other hidden cells add up to, at least and at most.
        const othersLow =
          lowInfinite - (Number.isFinite(low) ? 0 : 1) > 0
            ? -Infinity
            : lowFinite - (Number.isFinite(low) ? low : 0);
        const othersHigh =
          highInfinite - (Number.isFinite(high) ? 0 : 1) > 0
            ? Infinity
            : highFinite - (Number.isFinite(high) ? high : 0);
        // sign·x = constant − others
        const from = side === 0 ? constant - othersHigh : othersLow - constant;
        const to = side === 0 ? constant - othersLow : othersHigh - constant;
        const least = Math.max(from, lo);
        const most = Math.min(to, hi);
        if (Number.isFinite(least) && least === most) return true;
      }
    }
    return false;
  }

  /** The smallest shown non-zero part; the total only when no part is left. */
  private complementaryCandidate(equation: Equation): ReportCell | undefined {
    let best: ReportCell | undefined;
    let bestRaw = Infinity;
    for (const cell of equation.parts) {
      const entry = this.entry(cell);
      if (entry.state === 'shown' && entry.raw > 0 && entry.raw < bestRaw) {
        best = cell;
        bestRaw = entry.raw;
      }
    }
    if (best) return best;
    const total = this.entry(equation.total);
    return total.state === 'shown' && total.raw > 0 ? equation.total : undefined;
  }
}

/** Adds (`times` 1) or removes (−1) one cell's share of an equation's running sums. */
function account(equation: Equation, entry: Entry, sign: 1 | -1, times: 1 | -1): void {
  if (entry.state === 'shown') {
    equation.constant -= times * sign * entry.raw;
    return;
  }
  const side = sign > 0 ? 0 : 1;
  equation.hiddenSum += times * entry.raw;
  equation.hidden[entry.state][side] += times;
  if (entry.state === 'virtual' && isSmallCell(entry.raw)) equation.smallVirtual[side] += times;
}

/**
 * Every count of an indicators object by path ("alerts.bySeverity.high", "invitations.byWave[day7].sent",
 * "selfScreenings.bySource[caf62].screenings"),
 * so that a group's cells can be lined up with the total's.
 */
export function countCellsByPath(value: unknown, sheet: DisclosureSheet, path = ''): Map<string, ReportCell> {
  const cells = new Map<string, ReportCell>();
  const walk = (node: unknown, at: string) => {
    if (node === null || typeof node !== 'object') return;
    if (sheet.isCount(node as ReportCell)) {
      cells.set(at, node as ReportCell);
      return;
    }
    if (Array.isArray(node)) {
      // Lines of a list are matched by their key: a wave, or a self-screening source.
      for (const item of node) {
        const line = item as { wave?: string; source?: string };
        walk(item, `${at}[${String(line.wave ?? line.source)}]`);
      }
      return;
    }
    for (const [key, child] of Object.entries(node)) walk(child, at ? `${at}.${key}` : key);
  };
  walk(value, path);
  return cells;
}
