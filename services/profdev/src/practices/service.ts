import type { Knex } from 'knex';
import { z } from 'zod';
import { appError, badInput, forbidden, notFound, organizationInScope, requireEducators, requireOrganizations, today, type Scope, type Viewer } from '@mms/platform';
import { date, id, text } from '../validate';
import * as programs from '../store/programs';
import { checkTransition, needsDecision } from './rules';
import * as store from './store';

/**
 * The bank of practices' writes, each inside the caller's transaction, shared by the mutations and the demo seed.
 * Every check runs before anything is written; any error rolls the whole mutation back.
 */

const stage = z.enum(['submitted', 'under_study', 'generalised', 'recommended', 'declined']);

export const submitInput = z.object({
  title: text(500),
  organizationId: id,
  subjectArea: text(200),
  schoolLevel: z.enum(['preschool', 'primary', 'basic', 'secondary', 'vocational', 'additional']),
  competencyIds: z.array(id).max(20).nullish(),
  summary: text(20000),
  results: text(20000).nullish(),
  authors: z.array(z.object({ educatorId: id, organizationId: id.nullish() })).min(1, 'a practice has at least one author').max(20)
    .refine((list) => new Set(list.map((a) => a.educatorId)).size === list.length, 'lists an author twice'),
  submittedOn: date.nullish(),
});

export const advanceInput = z.object({
  stage,
  takenOn: date.nullish(),
  recommendationLevel: z.enum(['municipal', 'regional']).nullish(),
  decisionKind: z.enum(['order', 'council_decision']).nullish(),
  decisionNumber: text(100).nullish(),
  decisionOn: date.nullish(),
  note: text(5000).nullish(),
}).refine((v) => (v.stage === 'recommended') === Boolean(v.recommendationLevel), { message: 'is required for RECOMMENDED, and only for it', path: ['recommendationLevel'] })
  .refine((v) => !needsDecision(v.stage) || (v.decisionKind && v.decisionNumber), { message: 'GENERALISED and RECOMMENDED rest on a decision: give decisionKind and decisionNumber', path: ['decisionKind'] })
  .refine((v) => !v.decisionOn || !v.takenOn || v.decisionOn <= v.takenOn, { message: 'must not be after takenOn', path: ['decisionOn'] });

export const consentInput = z.object({
  consentToPublish: z.boolean(),
  publicName: text(300).nullish(),
}).refine((v) => !v.consentToPublish || Boolean(v.publicName), { message: 'is required to consent: the name to publish', path: ['publicName'] });

export const reviewInput = z.object({
  practiceId: id,
  openedOn: date.nullish(),
  criteria: z.array(z.object({ title: text(500), weight: z.number().positive().max(1000), maxScore: z.number().int().min(1).max(100) })).min(1).max(30),
});

export const scoresInput = z.object({
  reviewId: id,
  scores: z.array(z.object({ criterionId: id, score: z.number().int().min(0) })).min(1).max(30),
});

export const presentationInput = z.object({
  practiceId: id,
  eventId: id,
  role: z.enum(['speaker', 'master_class_host', 'open_lesson', 'exhibition']),
  educatorsReached: z.number().int().min(0).max(1_000_000).nullish(),
});

/** Who acts, as the steps record it. */
export interface Actor { role: string; subject: string | null; educatorId: string | null }
export const actorOf = (viewer: Viewer): Actor => ({ role: viewer.role, subject: viewer.subject ?? null, educatorId: viewer.educatorId ?? null });

async function requireCompetencies(db: Knex, ids: readonly string[]): Promise<void> {
  const found = new Set((await programs.competenciesByIds(db, ids)).map((c) => c.id));
  const missing = ids.find((c) => !found.has(c));
  if (missing) throw appError('NOT_FOUND', `competency ${missing} does not exist`, { id: missing, field: 'input.competencyIds' });
}

/** Whether each (educator, organization) pair is an employment of the registry (ended or not). */
async function employedAt(db: Knex, pairs: { educatorId: string; organizationId: string }[]): Promise<Set<string>> {
  if (!pairs.length) return new Set();
  const rows: { key: string }[] = await db('staff_api.employment')
    .select(db.raw(`educator_id::text || '/' || organization_id::text as key`))
    .whereIn(['educator_id', 'organization_id'], pairs.map((p) => [p.educatorId, p.organizationId]));
  return new Set(rows.map((r) => r.key));
}

export async function submitPractice(trx: Knex, scope: Scope, actor: Actor, input: z.infer<typeof submitInput>): Promise<string> {
  const organizations = await requireOrganizations(trx, [input.organizationId, ...input.authors.flatMap((a) => (a.organizationId ? [a.organizationId] : []))]);
  const organization = organizations.get(input.organizationId)!;
  const authors = input.authors.map((a) => ({ educatorId: a.educatorId, organizationId: a.organizationId ?? input.organizationId }));
  await requireEducators(trx, authors.map((a) => a.educatorId), undefined, 'input.authors');
  if (scope.kind === 'educator') {
    if (!authors.some((a) => a.educatorId === scope.educatorId)) throw forbidden('an educator submits their own practices: list yourself among the authors');
  } else if (!organizationInScope(scope, organization)) {
    throw forbidden(`organization ${organization.id} is outside your scope`);
  }
  const employed = await employedAt(trx, authors);
  const stranger = authors.findIndex((a) => !employed.has(`${a.educatorId}/${a.organizationId}`));
  if (stranger >= 0) throw badInput(`author ${authors[stranger].educatorId} has never worked in organization ${authors[stranger].organizationId}: name the author's own organization`, `input.authors.${stranger}.organizationId`);
  if (input.competencyIds?.length) await requireCompetencies(trx, input.competencyIds);
  const practiceId = await store.insertPractice(trx, { ...input, municipalityId: organization.municipalityId });
  await store.insertAuthors(trx, practiceId, authors);
  await store.insertCompetencies(trx, practiceId, [...new Set(input.competencyIds ?? [])]);
  await store.insertStep(trx, {
    practiceId, stage: 'submitted', takenOn: input.submittedOn ?? today(), actorRole: actor.role, actorSubject: actor.subject, actorEducatorId: actor.educatorId,
    decisionKind: null, decisionNumber: null, decisionOn: null, note: null,
  });
  return practiceId;
}

/** A practice for a write of `scope` (a methodist: their municipality's); NOT_FOUND or FORBIDDEN otherwise. */
async function practiceToStudy(trx: Knex, scope: Scope, practiceId: string): Promise<store.PracticeRow> {
  const practice = await store.lockPractice(trx, practiceId);
  if (!practice) throw notFound('practice', practiceId);
  if (scope.kind === 'municipality' && practice.municipalityId !== scope.municipalityId) throw forbidden(`practice ${practiceId} is outside your municipality`);
  if (scope.kind === 'organization' || scope.kind === 'educator') throw forbidden('only methodists study practices');
  return practice;
}

export async function advancePractice(trx: Knex, scope: Scope, actor: Actor, practiceId: string, input: z.infer<typeof advanceInput>): Promise<void> {
  const practice = await practiceToStudy(trx, scope, practiceId);
  checkTransition(practice.stage, input.stage);
  const takenOn = input.takenOn ?? today();
  const [last] = (await store.stepsByPractices(trx, [practiceId])).slice(-1);
  if (last && takenOn < last.takenOn) throw badInput(`must not be before the previous step (${last.takenOn})`, 'input.takenOn');
  if (await store.openReviewOf(trx, practiceId)) {
    throw appError('CONFLICT', 'an expert review of the practice is open: close it first', { reason: 'REVIEW_OPEN', field: 'input.stage' });
  }
  await store.setStage(trx, practiceId, input.stage, input.recommendationLevel ?? null);
  await store.insertStep(trx, {
    practiceId, stage: input.stage, takenOn, actorRole: actor.role, actorSubject: actor.subject, actorEducatorId: null,
    decisionKind: input.decisionKind ?? null, decisionNumber: input.decisionNumber ?? null, decisionOn: input.decisionOn ?? null, note: input.note ?? null,
  });
}

export async function setConsent(trx: Knex, educatorId: string, practiceId: string, input: z.infer<typeof consentInput>): Promise<void> {
  if (!(await store.lockPractice(trx, practiceId))) throw notFound('practice', practiceId);
  const changed = await store.setConsent(trx, practiceId, educatorId, input.consentToPublish, input.publicName ?? null);
  if (!changed) throw forbidden('only an author consents to publishing their own name');
}

export async function openReview(trx: Knex, scope: Scope, input: z.infer<typeof reviewInput>): Promise<string> {
  const practice = await practiceToStudy(trx, scope, input.practiceId);
  if (practice.stage !== 'under_study') {
    throw appError('CONFLICT', `a practice is reviewed while UNDER_STUDY; it is ${practice.stage.toUpperCase()}`, { reason: 'STAGE_ORDER', field: 'input.practiceId' });
  }
  if (await store.openReviewOf(trx, practice.id)) throw appError('CONFLICT', 'the practice already has an open review', { reason: 'REVIEW_OPEN', field: 'input.practiceId' });
  return store.insertReview(trx, { practiceId: practice.id, openedOn: input.openedOn ?? today(), criteria: input.criteria });
}

async function reviewToRun(trx: Knex, scope: Scope, reviewId: string): Promise<store.ReviewRow> {
  const review = await store.findReview(trx, reviewId, { forUpdate: true });
  if (!review) throw notFound('review', reviewId);
  await practiceToStudy(trx, scope, review.practiceId);
  if (review.closedOn) throw appError('CONFLICT', `the review closed on ${review.closedOn}`, { reason: 'REVIEW_CLOSED', field: 'reviewId' });
  return review;
}

/**
 * Adds a reviewer. Refused (CONFLICT, reason REVIEWER_CONFLICT) when the educator is an author or works (on the day
 * the review opened, or later) in the practice's organization or an author's organization.
 */
export async function addReviewer(trx: Knex, scope: Scope, reviewId: string, educatorId: string): Promise<void> {
  const review = await reviewToRun(trx, scope, reviewId);
  await requireEducators(trx, [educatorId], undefined, 'educatorId');
  const practice = (await store.practicesByIds(trx, null, [review.practiceId]))[0];
  const authors = await store.authorsByPractices(trx, [review.practiceId]);
  if (authors.some((a) => a.educatorId === educatorId)) {
    throw appError('CONFLICT', 'an author cannot review their own practice', { reason: 'REVIEWER_CONFLICT', field: 'educatorId' });
  }
  const authorOrganizations = new Set([practice.organizationId, ...authors.flatMap((a) => (a.organizationId ? [a.organizationId] : []))]);
  const shared = (await store.organizationsOfEducator(trx, educatorId, review.openedOn)).find((o) => authorOrganizations.has(o));
  if (shared) {
    throw appError('CONFLICT', `the reviewer works in organization ${shared}, an author's organization: a reviewer cannot judge their own organization's practice`,
      { reason: 'REVIEWER_CONFLICT', field: 'educatorId', organizationId: shared });
  }
  if (await store.reviewerOf(trx, reviewId, educatorId)) throw appError('CONFLICT', 'already a reviewer of this review', { reason: 'DUPLICATE', field: 'educatorId' });
  await store.insertReviewer(trx, reviewId, educatorId);
}

/** A reviewer's own scores, while the review is open. */
export async function score(trx: Knex, educatorId: string, input: z.infer<typeof scoresInput>): Promise<void> {
  const review = await store.findReview(trx, input.reviewId, { forUpdate: true });
  if (!review) throw notFound('review', input.reviewId);
  const reviewer = await store.reviewerOf(trx, review.id, educatorId);
  if (!reviewer) throw forbidden('only a reviewer of this review scores it');
  if (review.closedOn) throw appError('CONFLICT', `the review closed on ${review.closedOn}`, { reason: 'REVIEW_CLOSED', field: 'input.reviewId' });
  const criteria = new Map((await store.criteriaByReviews(trx, [review.id])).map((c) => [c.id, c]));
  for (const [i, s] of input.scores.entries()) {
    const criterion = criteria.get(s.criterionId);
    if (!criterion) throw badInput('is not a criterion of this review', `input.scores.${i}.criterionId`);
    if (s.score > criterion.maxScore) throw badInput(`must be at most ${criterion.maxScore}`, `input.scores.${i}.score`);
  }
  await store.upsertScores(trx, reviewer.id, input.scores);
}

export async function closeReview(trx: Knex, scope: Scope, reviewId: string, closedOn: string | null | undefined): Promise<void> {
  const review = await reviewToRun(trx, scope, reviewId);
  const day = closedOn ?? today();
  if (day < review.openedOn) throw badInput(`must not be before the review opened (${review.openedOn})`, 'closedOn');
  await store.closeReview(trx, reviewId, day);
}

export async function recordPresentation(trx: Knex, scope: Scope, input: z.infer<typeof presentationInput>): Promise<void> {
  await practiceToStudy(trx, scope, input.practiceId);
  if (!(await store.findEvent(trx, input.eventId))) throw appError('NOT_FOUND', `event ${input.eventId} does not exist`, { id: input.eventId, field: 'input.eventId' });
  await store.insertPresentation(trx, input);
}
