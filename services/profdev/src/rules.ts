import { addYears, badInput, conflict } from '@mms/platform';
import type { GraphQLError } from 'graphql';

/**
 * The tricky rules of professional development as plain functions, testable without a database:
 * deficit derivation and score scales, the route lifecycle and progress, publication frequency, and term overlaps.
 */

// ---- diagnostics ----

export interface Scale {
  id: string;
  code: string;
  scaleMin: number;
  scaleMax: number;
  threshold: number;
}

/** A deficit is a competency scored strictly below its threshold; a score at the threshold is not one. */
export function isDeficit(score: { score: number; threshold: number }): boolean {
  return score.score < score.threshold;
}

/** The deficits among a diagnostic's scores. */
export function deficitsOf<T extends { score: number; threshold: number }>(scores: readonly T[]): T[] {
  return scores.filter(isDeficit);
}

/**
 * Why a diagnostic's scores cannot be recorded, or null: every competency known, scored once, within its scale.
 * `competencies` are the framework's rows for the ids given (unknown ids are missing from it).
 */
export function scoresProblem(scores: readonly { competencyId: string; score: number }[], competencies: ReadonlyMap<string, Scale>): GraphQLError | null {
  if (!scores.length) return badInput('a diagnostic needs at least one score', 'input.scores');
  const seen = new Set<string>();
  for (const [i, s] of scores.entries()) {
    const field = `input.scores.${i}`;
    const competency = competencies.get(s.competencyId);
    if (!competency) return badInput(`competency ${s.competencyId} is not in the framework`, `${field}.competencyId`);
    if (seen.has(s.competencyId)) return badInput(`competency ${competency.code} is scored twice`, `${field}.competencyId`);
    seen.add(s.competencyId);
    if (!Number.isFinite(s.score) || s.score < competency.scaleMin || s.score > competency.scaleMax) {
      return badInput(`score ${s.score} of ${competency.code} is outside its scale ${competency.scaleMin}–${competency.scaleMax}`, `${field}.score`);
    }
  }
  return null;
}

/** Change between two diagnostics, rounded as the scores are stored (two decimals). */
export function scoreChange(score: number, previous: number | null): number | null {
  return previous === null ? null : Math.round((score - previous) * 100) / 100;
}

// ---- development routes ----

export type RouteStatus = 'draft' | 'active' | 'completed' | 'abandoned';
export type RouteAction = 'activate' | 'complete' | 'abandon';

export interface ItemState {
  doneOn: string | null;
  isDropped: boolean;
}

const targets: Record<RouteAction, { from: RouteStatus[]; to: RouteStatus }> = {
  activate: { from: ['draft'], to: 'active' },
  complete: { from: ['active'], to: 'completed' },
  abandon: { from: ['draft', 'active'], to: 'abandoned' },
};

/**
 * Why a route cannot take a lifecycle step, or null: draft → active needs at least one item; active → completed needs
 * every item done or dropped; draft or active → abandoned; completed and abandoned routes are final.
 */
export function transitionProblem(route: { status: string }, items: readonly ItemState[], action: RouteAction, on: string): GraphQLError | null {
  const { from, to } = targets[action];
  if (!from.includes(route.status as RouteStatus)) {
    return conflict(`a ${route.status} route cannot become ${to} (only a ${from.join(' or ')} route can)`, 'status');
  }
  if (action === 'activate' && items.length === 0) return conflict('a route is activated only with at least one item', 'items');
  if (action === 'complete') {
    const open = items.filter((item) => item.doneOn === null && !item.isDropped).length;
    if (open) return conflict(`a route completes only when every item is done or dropped: ${open} still open`, 'items');
    const lastDone = items.reduce<string | null>((max, item) => (item.doneOn && (!max || item.doneOn > max) ? item.doneOn : max), null);
    if (lastDone && on < lastDone) return badInput(`a route cannot complete (${on}) before its last item was done (${lastDone})`, 'on');
  }
  return null;
}

/** Why items cannot change, or null: items are added to draft and active routes, and done or dropped in active ones. */
export function itemChangeProblem(routeStatus: string, change: 'add' | 'done' | 'drop', item?: ItemState): GraphQLError | null {
  if (change === 'add') {
    return routeStatus === 'draft' || routeStatus === 'active' ? null : conflict(`items cannot be added to a ${routeStatus} route`, 'routeId');
  }
  if (routeStatus !== 'active') return conflict(`items are ${change === 'done' ? 'marked done' : 'dropped'} only in an active route, this one is ${routeStatus}`, 'id');
  if (item?.doneOn) return conflict(`the item is already done (${item.doneOn})`, 'id');
  if (item?.isDropped) return conflict('the item is already dropped', 'id');
  return null;
}

export interface Progress {
  total: number;
  done: number;
  dropped: number;
  open: number;
  share: number;
}

/** Done items among those not dropped; a route whose items are all dropped (or that has none) counts as 1. */
export function routeProgress(items: readonly ItemState[]): Progress {
  const dropped = items.filter((i) => i.isDropped).length;
  const done = items.filter((i) => i.doneOn !== null).length;
  const kept = items.length - dropped;
  return { total: items.length, done, dropped, open: kept - done, share: kept === 0 ? 1 : Math.round((done / kept) * 1000) / 1000 };
}

// ---- terms ----

export interface Term {
  from: string;
  to: string | null;
}

/** Two terms share at least one day; an open term runs on forever. */
export function termsOverlap(a: Term, b: Term): boolean {
  return a.from <= (b.to ?? '9999-12-31') && b.from <= (a.to ?? '9999-12-31');
}

/** Upskilling is overdue on `day` when the last one was completed more than `years` years before, or never. */
export function isUpskillingOverdue(lastCompletedOn: string | null, day: string, years: number): boolean {
  return lastCompletedOn === null || lastCompletedOn < addYears(day, -years);
}

// ---- publications ----

/** The calendar months a period touches, written 2025-01. */
export function monthsOf(period: { from: string; to: string }): string[] {
  const months: string[] = [];
  let [year, month] = period.from.slice(0, 7).split('-').map(Number);
  const last = period.to.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > last) return months;
    months.push(current);
    month += 1;
    if (month > 12) { month = 1; year += 1; }
  }
}

/**
 * Seed 000, 4.3: an association publishes at least once a month. Over a period, the months it touches with no
 * publication dated inside the period; empty when the rule held.
 */
export function monthsWithoutPublication(publishedOn: readonly string[], period: { from: string; to: string }): string[] {
  const published = new Set(publishedOn.filter((day) => day >= period.from && day <= period.to).map((day) => day.slice(0, 7)));
  return monthsOf(period).filter((month) => !published.has(month));
}
