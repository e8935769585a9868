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

interface Entry {
  raw: number;
  state: State;
  equations: Equation[];
  /** Cells hidden whenever this one is (a value computed from it). */
  dependents: ReportCell[];
}

/** total − Σ parts = 0. */
interface Equation {
  total: ReportCell;
  parts: ReportCell[];
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
    const equation: Equation = { total, parts: members };
    this.equations.push(equation);
    for (const cell of [total, ...members]) this.entry(cell).equations.push(equation);
  }

  /** `part` counts some of what `whole` counts ("of which"): whole = part + the rest. */
  subset(whole: ReportCell, part: ReportCell): void {
    this.table(whole, [part]);
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
    const pending = new Set<Equation>(this.equations);
    const hide = (cell: ReportCell, state: 'small' | 'complementary') => {
      const entry = this.entry(cell);
      if (entry.state !== 'shown') return;
      entry.state = state;
      for (const equation of entry.equations) pending.add(equation);
      for (const dependent of entry.dependents) hide(dependent, 'complementary');
    };
    for (const [cell, entry] of this.entries) if (isSmallCell(entry.raw)) hide(cell, 'small');

    while (pending.size > 0) {
      const equation: Equation = pending.values().next().value!;
      pending.delete(equation);
      if (!this.disclosesAHiddenCell(equation)) continue;
      const candidate = this.complementaryCandidate(equation);
      if (!candidate) continue;
      hide(candidate, 'complementary');
      pending.add(equation);
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
   * published) matter only when they hold 1 to 4.
   */
  private disclosesAHiddenCell(equation: Equation): boolean {
    const terms = [{ cell: equation.total, sign: 1 }, ...equation.parts.map((cell) => ({ cell, sign: -1 }))];
    let constant = 0;
    let hiddenSum = 0;
    const unknowns: { sign: number; lo: number; hi: number; sensitive: boolean }[] = [];
    for (const { cell, sign } of terms) {
      const entry = this.entry(cell);
      if (entry.state === 'shown') {
        constant -= sign * entry.raw;
        continue;
      }
      hiddenSum += entry.raw;
      const [lo, hi] = BOUNDS[entry.state];
      unknowns.push({ sign, lo, hi, sensitive: entry.state !== 'virtual' || isSmallCell(entry.raw) });
    }
    // Beside a shown total, the hidden parts together (total − shown parts) must not be a small count either.
    if (this.entry(equation.total).state === 'shown' && isSmallCell(hiddenSum)) return true;
    // Σ sign·x = constant. The others' contribution ranges over [low, high]; infinities counted apart.
    let lowFinite = 0;
    let lowInfinite = 0;
    let highFinite = 0;
    let highInfinite = 0;
    const contributions = unknowns.map(({ sign, lo, hi }) => {
      const low = sign > 0 ? lo : -hi;
      const high = sign > 0 ? hi : -lo;
      if (Number.isFinite(low)) lowFinite += low;
      else lowInfinite += 1;
      if (Number.isFinite(high)) highFinite += high;
      else highInfinite += 1;
      return { low, high };
    });
    return unknowns.some((unknown, index) => {
      if (!unknown.sensitive) return false;
      const own = contributions[index]!;
      const othersLow =
        lowInfinite - (Number.isFinite(own.low) ? 0 : 1) > 0
          ? -Infinity
          : lowFinite - (Number.isFinite(own.low) ? own.low : 0);
      const othersHigh =
        highInfinite - (Number.isFinite(own.high) ? 0 : 1) > 0
          ? Infinity
          : highFinite - (Number.isFinite(own.high) ? own.high : 0);
      // sign·x = constant − others
      const [from, to] =
        unknown.sign > 0
          ? [constant - othersHigh, constant - othersLow]
          : [othersLow - constant, othersHigh - constant];
      const lo = Math.max(from, unknown.lo);
      const hi = Math.min(to, unknown.hi);
      return Number.isFinite(lo) && lo === hi;
    });
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

/**
 * Every count of an indicators object by path ("alerts.bySeverity.high", "invitations.byWave[day7].sent"),
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
      for (const item of node) walk(item, `${at}[${String((item as { wave?: string }).wave)}]`);
      return;
    }
    for (const [key, child] of Object.entries(node)) walk(child, at ? `${at}.${key}` : key);
  };
  walk(value, path);
  return cells;
}
