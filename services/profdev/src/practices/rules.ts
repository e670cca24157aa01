import { appError } from '@mms/platform';

/**
 * The rules of the bank of practices, without SQL: the lifecycle's order and the review's weighted score.
 *
 * SUBMITTED → UNDER_STUDY → GENERALISED → RECOMMENDED, one step at a time and never backwards; DECLINED from any
 * stage before RECOMMENDED. A RECOMMENDED or DECLINED practice moves no more.
 */
export const stageOrder = ['submitted', 'under_study', 'generalised', 'recommended'] as const;

export function transitionProblem(from: string, to: string): string | null {
  if (from === 'recommended' || from === 'declined') return `the practice is ${from}: it moves no more`;
  if (to === 'declined') return null;
  const current = stageOrder.indexOf(from as (typeof stageOrder)[number]);
  const next = stageOrder.indexOf(to as (typeof stageOrder)[number]);
  if (next <= current) return `a practice never moves back: it is ${from}, ${to} is not after it`;
  if (next > current + 1) return `a practice moves one stage at a time: from ${from} the next stage is ${stageOrder[current + 1]}, not ${to}`;
  return null;
}

/** CONFLICT with reason STAGE_ORDER when `to` is not the next stage of `from` (or DECLINED). */
export function checkTransition(from: string, to: string): void {
  const problem = transitionProblem(from, to);
  if (problem) throw appError('CONFLICT', problem, { reason: 'STAGE_ORDER', field: 'input.stage', from: from.toUpperCase(), to: to.toUpperCase() });
}

/** Stages whose step must rest on a decision (an order or the council's). */
export const needsDecision = (stage: string) => stage === 'generalised' || stage === 'recommended';

export interface Scored { reviewerId: string; criterionId: string; score: number }
export interface Criterion { id: string; weight: number; maxScore: number }

/**
 * A review's weighted score, 0–100: each reviewer who scored every criterion gives Σ weight·score/max ÷ Σ weight,
 * and the review is the mean of those; null when nobody scored every criterion.
 */
export function weightedScore(criteria: readonly Criterion[], scores: readonly Scored[]): number | null {
  if (!criteria.length) return null;
  const totalWeight = criteria.reduce((sum, c) => sum + c.weight, 0);
  const byReviewer = new Map<string, Map<string, number>>();
  for (const s of scores) {
    if (!byReviewer.has(s.reviewerId)) byReviewer.set(s.reviewerId, new Map());
    byReviewer.get(s.reviewerId)!.set(s.criterionId, s.score);
  }
  const perReviewer = [...byReviewer.values()].filter((own) => criteria.every((c) => own.has(c.id)))
    .map((own) => criteria.reduce((sum, c) => sum + (c.weight * own.get(c.id)!) / c.maxScore, 0) / totalWeight);
  if (!perReviewer.length) return null;
  return Math.round((perReviewer.reduce((a, b) => a + b, 0) / perReviewer.length) * 10000) / 100;
}
