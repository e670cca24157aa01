import type { Knex } from 'knex';
import type { PageRequest, Viewer } from '@mms/platform';
import { ownerSql } from '../store/scope';

/**
 * The bank of practices (issue 19): practices, their authors, competencies, lifecycle steps, presentations at
 * events and expert reviews. Who sees a practice is decided in SQL (`whereVisible`): a RECOMMENDED practice is
 * public; the rest is seen by the region, the practice's municipality, its organization (or an author's), its authors
 * and its reviewers.
 */

export interface PracticeRow {
  id: string;
  title: string;
  organizationId: string;
  municipalityId: string;
  subjectArea: string;
  schoolLevel: string;
  summary: string;
  results: string | null;
  stage: string;
  recommendationLevel: string | null;
}

/** An authorship of a practice or a material. */
export interface Authorship {
  educatorId: string;
  organizationId: string | null;
  consentToPublish: boolean;
  publicName: string | null;
}

export interface AuthorRow extends Authorship {
  practiceId: string;
}

export interface StepRow {
  id: string;
  practiceId: string;
  stage: string;
  takenOn: string;
  actorRole: string;
  actorEducatorId: string | null;
  decisionKind: string | null;
  decisionNumber: string | null;
  decisionOn: string | null;
  note: string | null;
}

export interface PresentationRow {
  practiceId: string;
  eventId: string;
  eventTitle: string;
  eventStartsOn: string;
  role: string;
  educatorsReached: number | null;
  attendedCount: number;
}

export interface ReviewRow {
  id: string;
  practiceId: string;
  openedOn: string;
  closedOn: string | null;
}

export interface CriterionRow {
  id: string;
  reviewId: string;
  title: string;
  weight: number;
  maxScore: number;
}

export interface ReviewerRow {
  id: string;
  reviewId: string;
  educatorId: string;
  scoredCount: number;
}

export interface ReviewScoreRow {
  reviewId: string;
  reviewerId: string;
  reviewerEducatorId: string;
  criterionId: string;
  score: number;
}

const practiceColumns = ['p.id', 'p.title', 'p.organization_id as organizationId', 'p.municipality_id as municipalityId', 'p.subject_area as subjectArea',
  'p.education_level as schoolLevel', 'p.summary', 'p.results', 'p.stage', 'p.recommended_level as recommendationLevel'];

/** The practices `viewer` may read, as a condition on alias `p`. Anonymous: RECOMMENDED only. */
export function whereVisible(query: Knex.QueryBuilder, viewer: Viewer, alias = 'p'): Knex.QueryBuilder {
  const c = (column: string) => `${alias}.${column}`;
  switch (viewer.role) {
    case 'region_admin':
    case 'analyst':
      return query;
    case 'municipality_methodist':
    case 'integration':
      return query.where((q) => q.where(c('stage'), 'recommended').orWhere(c('municipality_id'), viewer.municipalityId!));
    case 'organization_admin':
      return query.where((q) => q.where(c('stage'), 'recommended').orWhere(c('organization_id'), viewer.organizationId!)
        .orWhereExists((sub) => sub.select(sub.client.raw('1')).from('practice_author as va').whereRaw('va.practice_id = ??', [c('id')])
          .where('va.organization_id', viewer.organizationId!)));
    case 'educator':
      return query.where((q) => q.where(c('stage'), 'recommended')
        .orWhereExists((sub) => sub.select(sub.client.raw('1')).from('practice_author as va').whereRaw('va.practice_id = ??', [c('id')])
          .whereRaw(`${ownerSql('va.educator_id')} = ?`, [viewer.educatorId!]))
        .orWhereExists((sub) => sub.select(sub.client.raw('1')).from('practice_reviewer as vr').join('practice_review as vv', 'vv.id', 'vr.review_id')
          .whereRaw('vv.practice_id = ??', [c('id')]).whereRaw(`${ownerSql('vr.educator_id')} = ?`, [viewer.educatorId!])));
    case 'anonymous':
    default:
      return query.where(c('stage'), 'recommended');
  }
}

export interface PracticeFilter {
  search?: string | null;
  subjectArea?: string | null;
  competencyId?: string | null;
  stage?: string | null;
  organizationId?: string | null;
  municipalityId?: string | null;
  authorId?: string | null;
  schoolLevel?: string | null;
}

function filtered(db: Knex, viewer: Viewer, filter: PracticeFilter): Knex.QueryBuilder {
  const query = whereVisible(db('practice as p'), viewer);
  // websearch_to_tsquery with the `russian` configuration: word forms match (наставничеству ~ наставничество)
  if (filter.search) query.whereRaw(`p.search @@ websearch_to_tsquery('russian', ?)`, [filter.search]);
  if (filter.subjectArea) query.where('p.subject_area', filter.subjectArea);
  if (filter.stage) query.where('p.stage', filter.stage);
  if (filter.organizationId) query.where('p.organization_id', filter.organizationId);
  if (filter.municipalityId) query.where('p.municipality_id', filter.municipalityId);
  if (filter.schoolLevel) query.where('p.education_level', filter.schoolLevel);
  if (filter.competencyId) {
    query.whereExists((sub) => sub.select(sub.client.raw('1')).from('practice_competency as fc').whereRaw('fc.practice_id = p.id').where('fc.competency_id', filter.competencyId!));
  }
  if (filter.authorId) {
    query.whereExists((sub) => sub.select(sub.client.raw('1')).from('practice_author as fa').whereRaw('fa.practice_id = p.id')
      .whereRaw(`${ownerSql('fa.educator_id')} = ?`, [filter.authorId!]));
  }
  return query;
}

/** A page of practices by title; the cursor is (title, id). */
export async function listPractices(db: Knex, viewer: Viewer, filter: PracticeFilter, page: PageRequest): Promise<PracticeRow[]> {
  const query = filtered(db, viewer, filter).select(practiceColumns).orderBy([{ column: 'p.title' }, { column: 'p.id' }]).limit(page.limit);
  if (page.after) query.whereRaw('(p.title, p.id) > (?, ?::uuid)', page.after as [string, string]);
  return query;
}

export async function countPractices(db: Knex, viewer: Viewer, filter: PracticeFilter): Promise<number> {
  const [{ count }] = await filtered(db, viewer, filter).count({ count: '*' });
  return Number(count);
}

/** Practices by id that `viewer` may read (null viewer: all, for writes). */
export async function practicesByIds(db: Knex, viewer: Viewer | null, ids: readonly string[]): Promise<PracticeRow[]> {
  const query = db('practice as p').select(practiceColumns).whereIn('p.id', ids);
  return viewer ? whereVisible(query, viewer) : query;
}

export async function lockPractice(db: Knex, id: string): Promise<PracticeRow | undefined> {
  await db('practice').where({ id }).forUpdate().first('id');
  return (await practicesByIds(db, null, [id]))[0];
}

export async function insertPractice(db: Knex, input: {
  title: string; organizationId: string; municipalityId: string; subjectArea: string; schoolLevel: string; summary: string; results?: string | null;
}): Promise<string> {
  const [{ id }] = await db('practice').insert({
    title: input.title, organization_id: input.organizationId, municipality_id: input.municipalityId, subject_area: input.subjectArea,
    education_level: input.schoolLevel, summary: input.summary, results: input.results ?? null,
  }).returning('id');
  return id;
}

export async function insertAuthors(db: Knex, practiceId: string, authors: { educatorId: string; organizationId: string }[]): Promise<void> {
  await db('practice_author').insert(authors.map((a, ordinal) => ({ practice_id: practiceId, educator_id: a.educatorId, organization_id: a.organizationId, ordinal })));
}

export async function insertCompetencies(db: Knex, practiceId: string, competencyIds: readonly string[]): Promise<void> {
  if (competencyIds.length) await db('practice_competency').insert(competencyIds.map((competencyId) => ({ practice_id: practiceId, competency_id: competencyId })));
}

export async function setStage(db: Knex, id: string, stage: string, recommendationLevel: string | null): Promise<void> {
  await db('practice').where({ id }).update({ stage, recommended_level: recommendationLevel, updated_at: db.fn.now() });
}

export async function insertStep(db: Knex, step: Omit<StepRow, 'id'> & { actorSubject: string | null }): Promise<void> {
  await db('practice_step').insert({
    practice_id: step.practiceId, stage: step.stage, taken_on: step.takenOn, actor_role: step.actorRole, actor_subject: step.actorSubject,
    actor_educator_id: step.actorEducatorId, decision_kind: step.decisionKind, decision_number: step.decisionNumber, decision_on: step.decisionOn, note: step.note,
  });
}

export async function authorsByPractices(db: Knex, practiceIds: readonly string[]): Promise<AuthorRow[]> {
  return db('practice_author as a').select('a.practice_id as practiceId', db.raw(`${ownerSql('a.educator_id')} as "educatorId"`), 'a.organization_id as organizationId',
    'a.consent_to_publish as consentToPublish', 'a.public_name as publicName').whereIn('a.practice_id', practiceIds).orderBy([{ column: 'a.ordinal' }]);
}

export async function setConsent(db: Knex, practiceId: string, educatorId: string, consent: boolean, publicName: string | null): Promise<number> {
  return db('practice_author').where({ practice_id: practiceId }).whereRaw(`${ownerSql('educator_id')} = ?`, [educatorId])
    .update({ consent_to_publish: consent, public_name: consent ? publicName : null });
}

export async function competencyIdsByPractices(db: Knex, practiceIds: readonly string[]): Promise<{ practiceId: string; competencyId: string }[]> {
  return db('practice_competency').select('practice_id as practiceId', 'competency_id as competencyId').whereIn('practice_id', practiceIds);
}

export async function stepsByPractices(db: Knex, practiceIds: readonly string[]): Promise<StepRow[]> {
  return db('practice_step as s').select('s.id', 's.practice_id as practiceId', 's.stage', 's.taken_on as takenOn', 's.actor_role as actorRole',
    db.raw(`case when s.actor_educator_id is null then null else ${ownerSql('s.actor_educator_id')} end as "actorEducatorId"`),
    's.decision_kind as decisionKind', 's.decision_number as decisionNumber', 's.decision_on as decisionOn', 's.note')
    .whereIn('s.practice_id', practiceIds).orderBy([{ column: 's.taken_on' }, { column: 's.created_at' }, { column: 's.id' }]);
}

export async function presentationsByPractices(db: Knex, practiceIds: readonly string[]): Promise<PresentationRow[]> {
  return db('practice_presentation as pp').join('events_api.event as e', 'e.id', 'pp.event_id')
    .select('pp.practice_id as practiceId', 'pp.event_id as eventId', 'e.title as eventTitle', 'e.starts_on as eventStartsOn', 'pp.role',
      'pp.educators_reached as educatorsReached',
      db.raw('(select count(*) from events_api.participation pa where pa.event_id = pp.event_id and pa.is_attended)::int as "attendedCount"'))
    .whereIn('pp.practice_id', practiceIds).orderBy([{ column: 'e.starts_on' }, { column: 'pp.id' }]);
}

export async function findEvent(db: Knex, id: string): Promise<{ id: string } | undefined> {
  return db('events_api.event').where({ id }).first('id');
}

export async function insertPresentation(db: Knex, input: { practiceId: string; eventId: string; role: string; educatorsReached?: number | null }): Promise<void> {
  await db('practice_presentation').insert({ practice_id: input.practiceId, event_id: input.eventId, role: input.role, educators_reached: input.educatorsReached ?? null })
    .onConflict(['practice_id', 'event_id', 'role']).merge(['educators_reached']);
}

// ---- reviews ----

const reviewColumns = ['r.id', 'r.practice_id as practiceId', 'r.opened_on as openedOn', 'r.closed_on as closedOn'];

export async function reviewsByPractices(db: Knex, practiceIds: readonly string[]): Promise<ReviewRow[]> {
  return db('practice_review as r').select(reviewColumns).whereIn('r.practice_id', practiceIds).orderBy([{ column: 'r.opened_on', order: 'desc' }, { column: 'r.created_at', order: 'desc' }]);
}

export async function findReview(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<ReviewRow | undefined> {
  const query = db('practice_review as r').select(reviewColumns).where('r.id', id).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

export async function openReviewOf(db: Knex, practiceId: string): Promise<ReviewRow | undefined> {
  return db('practice_review as r').select(reviewColumns).where('r.practice_id', practiceId).whereNull('r.closed_on').first();
}

export async function insertReview(db: Knex, input: { practiceId: string; openedOn: string; criteria: { title: string; weight: number; maxScore: number }[] }): Promise<string> {
  const [{ id }] = await db('practice_review').insert({ practice_id: input.practiceId, opened_on: input.openedOn }).returning('id');
  await db('practice_review_criterion').insert(input.criteria.map((c, ordinal) => ({ review_id: id, ordinal, title: c.title, weight: c.weight, max_score: c.maxScore })));
  return id;
}

export async function closeReview(db: Knex, id: string, closedOn: string): Promise<void> {
  await db('practice_review').where({ id }).update({ closed_on: closedOn });
}

export async function criteriaByReviews(db: Knex, reviewIds: readonly string[]): Promise<CriterionRow[]> {
  const rows = await db('practice_review_criterion as c').select('c.id', 'c.review_id as reviewId', 'c.title', 'c.weight', 'c.max_score as maxScore')
    .whereIn('c.review_id', reviewIds).orderBy([{ column: 'c.ordinal' }]);
  return rows.map((row: CriterionRow) => ({ ...row, weight: Number(row.weight) }));
}

export async function reviewersByReviews(db: Knex, reviewIds: readonly string[]): Promise<ReviewerRow[]> {
  const rows = await db('practice_reviewer as v').select('v.id', 'v.review_id as reviewId', db.raw(`${ownerSql('v.educator_id')} as "educatorId"`),
    db.raw('(select count(*) from practice_review_score s where s.reviewer_id = v.id)::int as "scoredCount"'))
    .whereIn('v.review_id', reviewIds).orderBy([{ column: 'v.id' }]);
  return rows;
}

export async function scoresByReviews(db: Knex, reviewIds: readonly string[]): Promise<ReviewScoreRow[]> {
  return db('practice_review_score as s').join('practice_reviewer as v', 'v.id', 's.reviewer_id').join('practice_review_criterion as c', 'c.id', 's.criterion_id')
    .select('v.review_id as reviewId', 's.reviewer_id as reviewerId', db.raw(`${ownerSql('v.educator_id')} as "reviewerEducatorId"`), 's.criterion_id as criterionId', 's.score')
    .whereIn('v.review_id', reviewIds).orderBy([{ column: 's.reviewer_id' }, { column: 'c.ordinal' }]);
}

export async function insertReviewer(db: Knex, reviewId: string, educatorId: string): Promise<void> {
  await db('practice_reviewer').insert({ review_id: reviewId, educator_id: educatorId });
}

/** The organizations `educatorId` works in (employments not ended before `on`). */
export async function organizationsOfEducator(db: Knex, educatorId: string, on: string): Promise<string[]> {
  const rows: { organization_id: string }[] = await db('staff_api.employment').distinct('organization_id').where('educator_id', educatorId)
    .where((q) => q.whereNull('ended_on').orWhere('ended_on', '>=', on));
  return rows.map((r) => r.organization_id);
}

export async function reviewerOf(db: Knex, reviewId: string, educatorId: string): Promise<{ id: string } | undefined> {
  return db('practice_reviewer as v').select('v.id').where('v.review_id', reviewId).whereRaw(`${ownerSql('v.educator_id')} = ?`, [educatorId]).first();
}

export async function upsertScores(db: Knex, reviewerId: string, scores: { criterionId: string; score: number }[]): Promise<void> {
  await db('practice_review_score').insert(scores.map((s) => ({ reviewer_id: reviewerId, criterion_id: s.criterionId, score: s.score })))
    .onConflict(['reviewer_id', 'criterion_id']).merge(['score']);
}

/** Open reviews whose reviewer is `educatorId`. */
export async function reviewsOfReviewer(db: Knex, educatorId: string): Promise<ReviewRow[]> {
  return db('practice_review as r').join('practice_reviewer as v', 'v.review_id', 'r.id').select(reviewColumns)
    .whereRaw(`${ownerSql('v.educator_id')} = ?`, [educatorId]).whereNull('r.closed_on').orderBy([{ column: 'r.opened_on' }]);
}
