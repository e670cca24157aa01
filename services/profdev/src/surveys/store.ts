import type { Knex } from 'knex';
import { whereEducatorInScope, type Scope } from '@mms/platform';

/**
 * Surveys (tables survey, survey_question, survey_respondent, survey_response, survey_answer). Nothing here joins
 * survey_respondent to survey_response: who answered and what was answered are never read together.
 */

export interface SurveyRow {
  id: string;
  title: string;
  description: string | null;
  municipalityId: string | null;
  organizationId: string | null;
  associationId: string | null;
  earlyCareerOnly: boolean;
  staffCategory: string | null;
  isAnonymous: boolean;
  opensOn: string;
  closesOn: string;
  closedOn: string | null;
}

export interface QuestionRow {
  id: string;
  surveyId: string;
  position: number;
  kind: string;
  text: string;
  options: string[];
  scaleMin: number | null;
  scaleMax: number | null;
  isUpskillingDirection: boolean;
}

export interface OptionCountRow { option: string; competencyId: string | null; count: number }
export interface DirectionCountRow extends OptionCountRow { rank: number; direction: string }
export interface QuestionResult { question: QuestionRow; answerCount: number; counts: OptionCountRow[]; average: number | null; texts: string[] | null }
export interface ResultGroup { municipalityId: string | null; responseCount: number | null; isSuppressed: boolean; questions: QuestionResult[]; topDirections: DirectionCountRow[] }
export interface Receipt { surveyId: string; submittedOn: string }

const surveyColumns = ['s.id', 's.title', 's.description', 's.municipality_id as municipalityId', 's.organization_id as organizationId',
  's.association_id as associationId', 's.early_career_only as earlyCareerOnly', 's.staff_category as staffCategory', 's.is_anonymous as isAnonymous', 's.opens_on as opensOn',
  's.closes_on as closesOn', 's.closed_on as closedOn'];
const questionColumns = ['q.id', 'q.survey_id as surveyId', 'q.position', 'q.kind', 'q.text', 'q.options', 'q.scale_min as scaleMin',
  'q.scale_max as scaleMax', 'q.is_upskilling_direction as isUpskillingDirection'];

/**
 * The SQL condition "the educator is in the survey's audience on the day" (alias s): employed that day in its
 * municipality (and organization), early-career that day when it asks for them, of its staff category that day (an
 * employment of that category there), a member of its association that day.
 */
export function audienceSql(db: Knex, educatorId: string, day: string) {
  return db.raw(`exists (select 1 from staff_api.employed_during(?::date, ?::date) e where e.educator_id = ?
      and (s.municipality_id is null or e.municipality_id = s.municipality_id)
      and (s.organization_id is null or e.organization_id = s.organization_id)
      and (not s.early_career_only or e.is_early_career)
      and (s.staff_category is null or (s.staff_category = 'pedagogical' and e.is_pedagogical) or (s.staff_category = 'managerial' and e.is_managerial)))
    and (s.association_id is null or exists (select 1 from association_member m where m.association_id = s.association_id
      and m.educator_id = ? and m.joined_on <= ?::date and (m.left_on is null or m.left_on >= ?::date)))`, [day, day, educatorId, educatorId, day, day]);
}

/** Which surveys a scope sees: the region all; a municipality's staff the region's and their municipality's; an educator those addressed to them today. */
function whereSurveyVisible(db: Knex, query: Knex.QueryBuilder, scope: Scope, day: string): Knex.QueryBuilder {
  switch (scope.kind) {
    case 'region':
      return query;
    case 'municipality':
      return query.where((q) => q.whereNull('s.municipality_id').orWhere('s.municipality_id', scope.municipalityId));
    case 'organization':
      return query.where((q) => q.whereNull('s.municipality_id').orWhere('s.organization_id', scope.organizationId)
        .orWhere((o) => o.whereNull('s.organization_id').whereIn('s.municipality_id', (sub) => sub.select('municipality_id').from('staff_api.organization').where('id', scope.organizationId))));
    case 'educator':
      return query.where(audienceSql(db, scope.educatorId, day));
  }
}

export function surveysByIds(db: Knex, scope: Scope, ids: readonly string[], day: string): Promise<SurveyRow[]> {
  return whereSurveyVisible(db, db('survey as s').select(surveyColumns).whereIn('s.id', [...ids]), scope, day);
}

export function listSurveys(db: Knex, scope: Scope, day: string, openOn: string | null, limit: number): Promise<SurveyRow[]> {
  const query = whereSurveyVisible(db, db('survey as s').select(surveyColumns), scope, day)
    .orderBy([{ column: 's.opens_on', order: 'desc' }, { column: 's.id' }]).limit(limit);
  if (openOn) query.where('s.opens_on', '<=', openOn).where('s.closes_on', '>=', openOn).where((q) => q.whereNull('s.closed_on').orWhere('s.closed_on', '>', openOn));
  return query;
}

export function findSurvey(db: Knex, id: string, options: { forShare?: boolean } = {}): Promise<SurveyRow | undefined> {
  const query = db('survey as s').select(surveyColumns).where('s.id', id).first();
  if (options.forShare) query.forShare();
  return query;
}

export function questionsBySurveys(db: Knex, ids: readonly string[]): Promise<QuestionRow[]> {
  return db('survey_question as q').select(questionColumns).whereIn('q.survey_id', [...ids]).orderBy([{ column: 'q.survey_id' }, { column: 'q.position' }]);
}

export function responseCounts(db: Knex, ids: readonly string[]): Promise<{ surveyId: string; count: number }[]> {
  return db('survey_response').whereIn('survey_id', [...ids]).groupBy('survey_id').select('survey_id as surveyId', db.raw('count(*)::int as count'));
}

export async function insertSurvey(db: Knex, survey: Record<string, unknown>, questions: Record<string, unknown>[]): Promise<string> {
  const [{ id }] = await db('survey').insert(survey).returning('id');
  await db('survey_question').insert(questions.map((q, i) => ({ ...q, survey_id: id, position: i + 1 })));
  return id;
}

export async function isInAudience(db: Knex, surveyId: string, educatorId: string, day: string): Promise<boolean> {
  return Boolean(await db('survey as s').select(db.raw('1')).where('s.id', surveyId).where(audienceSql(db, educatorId, day)).first());
}

export async function hasAnswered(db: Knex, surveyId: string, educatorId: string): Promise<boolean> {
  return Boolean(await db('survey_respondent').where({ survey_id: surveyId, educator_id: educatorId }).first());
}

/** The municipality an answer is counted in: the survey's, or the one the educator works in that day (the first by id). */
export async function respondentMunicipality(db: Knex, survey: SurveyRow, educatorId: string, day: string): Promise<string | null> {
  if (survey.municipalityId) return survey.municipalityId;
  const row = await db('staff_api.employment').select('municipality_id as id').orderBy('municipality_id').where('educator_id', educatorId).where('started_on', '<=', day)
    .where((q) => q.whereNull('ended_on').orWhere('ended_on', '>=', day)).first();
  return row?.id ?? null;
}

/**
 * Stores an answer: who answered (survey_respondent) and what (survey_response, survey_answer) in two unrelated rows;
 * for an anonymous survey the response carries no educator id. The response's id is not returned.
 */
export async function insertAnswer(db: Knex, survey: SurveyRow, educatorId: string, municipalityId: string, day: string, rows: object[]): Promise<void> {
  await db('survey_respondent').insert({ survey_id: survey.id, educator_id: educatorId });
  const [{ id }] = await db('survey_response').insert({
    survey_id: survey.id, is_anonymous: survey.isAnonymous, educator_id: survey.isAnonymous ? null : educatorId, municipality_id: municipalityId, submitted_on: day,
  }).returning('id');
  await db('survey_answer').insert(rows.map((row) => ({ ...row, response_id: id })));
}

export function respondents(db: Knex, scope: Scope, surveyId: string, limit: number): Promise<{ educatorId: string }[]> {
  const query = db('survey_respondent as r').where('r.survey_id', surveyId).select('r.educator_id as educatorId').orderBy('r.educator_id').limit(limit);
  return whereEducatorInScope(query, scope, 'r.educator_id');
}

// ---- results: four statements, whatever the number of answers ----

export async function groupSizes(db: Knex, surveyId: string, municipalityIds: string[] | null): Promise<{ municipalityId: string; count: number }[]> {
  const query = db('survey_response').where('survey_id', surveyId).groupBy('municipality_id').orderBy('municipality_id')
    .select('municipality_id as municipalityId', db.raw('count(*)::int as count'));
  if (municipalityIds) query.whereIn('municipality_id', municipalityIds);
  return query;
}

export interface AnswerAggregate {
  municipalityId: string;
  questionId: string;
  answerCount: number;
  scaleSum: number | null;
}

export function answerAggregates(db: Knex, surveyId: string, municipalityIds: string[]): Promise<AnswerAggregate[]> {
  return db('survey_answer as a').join('survey_response as r', 'r.id', 'a.response_id').where('r.survey_id', surveyId).whereIn('r.municipality_id', municipalityIds)
    .groupBy('r.municipality_id', 'a.question_id')
    .select('r.municipality_id as municipalityId', 'a.question_id as questionId', db.raw('count(*)::int as "answerCount"'), db.raw('sum(a.scale_value)::float as "scaleSum"'));
}

export function choiceCounts(db: Knex, surveyId: string, municipalityIds: string[]): Promise<{ municipalityId: string; questionId: string; option: string | null; competencyId: string | null; count: number }[]> {
  return db.select('x.municipalityId', 'x.questionId', 'x.option', 'x.competencyId', db.raw('count(*)::int as count')).from(db.raw(`(
      select r.municipality_id as "municipalityId", a.question_id as "questionId", c.option, null::uuid as "competencyId"
      from survey_answer a join survey_response r on r.id = a.response_id cross join unnest(a.choices) as c(option)
      where r.survey_id = ? and r.municipality_id = any(?::uuid[])
      union all
      select r.municipality_id, a.question_id, null, c.competency_id
      from survey_answer a join survey_response r on r.id = a.response_id cross join unnest(a.competency_ids) as c(competency_id)
      where r.survey_id = ? and r.municipality_id = any(?::uuid[])
    ) x`, [surveyId, municipalityIds, surveyId, municipalityIds]))
    .groupBy('x.municipalityId', 'x.questionId', 'x.option', 'x.competencyId');
}

export function texts(db: Knex, surveyId: string, municipalityIds: string[], perGroup: number): Promise<{ municipalityId: string; questionId: string; text: string }[]> {
  return db.select('t.municipalityId', 't.questionId', 't.text').from(db.raw(`(
      select r.municipality_id as "municipalityId", a.question_id as "questionId", a.text_value as text,
             row_number() over (partition by r.municipality_id, a.question_id order by a.text_value) as n
      from survey_answer a join survey_response r on r.id = a.response_id
      where r.survey_id = ? and r.municipality_id = any(?::uuid[]) and a.text_value is not null
    ) t`, [surveyId, municipalityIds])).where('t.n', '<=', perGroup).orderBy(['t.municipalityId', 't.questionId', 't.text']);
}

/** Competency titles by id (for directions picked from the framework). */
export function competencyTitles(db: Knex, ids: string[]): Promise<{ id: string; title: string }[]> {
  return db('competency').whereIn('id', ids).select('id', 'title');
}
