import type { Knex } from 'knex';
import { whereEducatorInScope, type PersonOrder, type Scope } from '@mms/platform';
import { withSurvivor } from './sources';

/** Competitions: SQL of competition, nomination, stage, criterion, jury_member, application, conflict_declaration, score, stage_result. */

export interface CompetitionRow { id: string; title: string; level: string; municipalityId: string; year: number; description: string | null }
export interface NominationRow { id: string; competitionId: string; title: string }
export interface StageRow {
  id: string; competitionId: string; ordinal: number; title: string; startsOn: string; endsOn: string; applicationDeadline: string | null;
  winnerPlaces: number; prizeWinnerPlaces: number; advanceCount: number | null; closedAt: Date | null;
}
export interface CriterionRow { id: string; stageId: string; ordinal: number; title: string; scaleMin: number; scaleMax: number; weight: number }
export interface JuryMemberRow {
  id: string; stageId: string; educatorId: string | null; subject: string | null; fullName: string | null; organizationId: string | null; isChair: boolean;
}
export interface ApplicationRow {
  id: string; competitionId: string; nominationId: string; educatorId: string; organizationId: string; title: string | null; filedOn: string; status: string;
}
export interface ScoreRow { id: string; stageId: string; juryMemberId: string; applicationId: string; criterionId: string; value: number; scoredAt: Date }
export interface ConflictRow { id: string; stageId: string; juryMemberId: string; applicationId: string; reason: string; declaredAt: Date }
export interface ResultRow {
  stageId: string; competitionId: string; stageOrdinal: number; applicationId: string; nominationId: string; educatorId: string; organizationId: string;
  score: number | null; place: number | null; outcome: string; isAdvanced: boolean; jurorsCounted: number;
}

/** Who a juror is in a token: a registry educator (educator_id claim) and/or an identity-provider subject (sub). */
export interface JurorIdentity { educatorId?: string; subject?: string }

export function whereJuror(query: Knex.QueryBuilder, alias: string, who: JurorIdentity): Knex.QueryBuilder {
  return query.where((q) => {
    if (who.educatorId) q.orWhere(`${alias}.educator_id`, who.educatorId);
    if (who.subject) q.orWhere(`${alias}.subject`, who.subject);
    if (!who.educatorId && !who.subject) q.whereRaw('false');
  });
}

const competitionColumns = ['c.id', 'c.title', 'c.level', 'c.municipality_id as municipalityId', 'c.year', 'c.description'];
const stageColumns = ['s.id', 's.competition_id as competitionId', 's.ordinal', 's.title', 's.starts_on as startsOn', 's.ends_on as endsOn',
  's.application_deadline as applicationDeadline', 's.winner_places as winnerPlaces', 's.prize_winner_places as prizeWinnerPlaces',
  's.advance_count as advanceCount', 's.closed_at as closedAt'];
const juryColumns = ['j.id', 'j.stage_id as stageId', 'j.educator_id as educatorId', 'j.subject', 'j.full_name as fullName',
  'j.organization_id as organizationId', 'j.is_chair as isChair'];
const applicationInner = ['t.id', 't.competition_id', 't.nomination_id', 't.organization_id', 't.title', 't.filed_on', 't.status', 't.created_at'];
const applicationOut = ['a.id', 'a.competition_id as competitionId', 'a.nomination_id as nominationId', 'a.current_educator_id as educatorId',
  'a.organization_id as organizationId', 'a.title', 'a.filed_on as filedOn', 'a.status'];

export const competitionsByIds = async (db: Knex, ids: readonly string[]): Promise<CompetitionRow[]> =>
  (ids.length ? db('competition as c').select(competitionColumns).whereIn('c.id', ids) : Promise.resolve([])) as Promise<CompetitionRow[]>;

export async function listCompetitions(db: Knex, filter: { municipalityId?: string | null; year?: number | null }): Promise<CompetitionRow[]> {
  const query = db('competition as c').select(competitionColumns).orderBy([{ column: 'c.year', order: 'desc' }, { column: 'c.title' }, { column: 'c.id' }]);
  if (filter.municipalityId) query.where('c.municipality_id', filter.municipalityId);
  if (filter.year) query.where('c.year', filter.year);
  return query.limit(500);
}

export const nominationsByCompetitions = async (db: Knex, ids: readonly string[]): Promise<NominationRow[]> =>
  db('nomination as n').select('n.id', 'n.competition_id as competitionId', 'n.title').whereIn('n.competition_id', ids).orderBy(['n.title', 'n.id']);
export const nominationsByIds = async (db: Knex, ids: readonly string[]): Promise<NominationRow[]> =>
  db('nomination as n').select('n.id', 'n.competition_id as competitionId', 'n.title').whereIn('n.id', ids);

export const stagesByCompetitions = async (db: Knex, ids: readonly string[]): Promise<StageRow[]> =>
  db('stage as s').select(stageColumns).whereIn('s.competition_id', ids).orderBy('s.ordinal');
export const stagesByIds = async (db: Knex, ids: readonly string[]): Promise<StageRow[]> =>
  db('stage as s').select(stageColumns).whereIn('s.id', ids);
/** Locks a stage for the rest of the transaction: scores and closing are serialized per stage. */
export async function lockStage(db: Knex, id: string): Promise<StageRow | undefined> {
  await db('stage').where('id', id).forUpdate().first('id');
  return db('stage as s').first(stageColumns).where('s.id', id);
}

export const criteriaByStages = async (db: Knex, ids: readonly string[]): Promise<CriterionRow[]> =>
  db('criterion as c').select('c.id', 'c.stage_id as stageId', 'c.ordinal', 'c.title', 'c.scale_min as scaleMin', 'c.scale_max as scaleMax', 'c.weight')
    .whereIn('c.stage_id', ids).orderBy(['c.ordinal', 'c.id']);
export const criteriaByIds = async (db: Knex, ids: readonly string[]): Promise<CriterionRow[]> =>
  db('criterion as c').select('c.id', 'c.stage_id as stageId', 'c.ordinal', 'c.title', 'c.scale_min as scaleMin', 'c.scale_max as scaleMax', 'c.weight')
    .whereIn('c.id', ids);

/** A stage's jury, the chair first, then by the outside jurors' names (by id for a caller who may not read names). */
export const juryByStages = async (db: Knex, ids: readonly string[], order: PersonOrder): Promise<JuryMemberRow[]> =>
  db('jury_member as j').select(juryColumns).whereIn('j.stage_id', ids)
    .orderBy([{ column: 'j.is_chair', order: 'desc' }, ...(order === 'name' ? [{ column: 'j.full_name' }] : []), { column: 'j.id' }]);
export const juryByIds = async (db: Knex, ids: readonly string[]): Promise<JuryMemberRow[]> =>
  db('jury_member as j').select(juryColumns).whereIn('j.id', ids);
export const jurorOfStage = async (db: Knex, stageId: string, who: JurorIdentity): Promise<JuryMemberRow | undefined> =>
  whereJuror(db('jury_member as j').first(juryColumns).where('j.stage_id', stageId), 'j', who);

/**
 * Applications the caller may see: those of educators in their scope, and, for a juror, those of the competitions
 * whose jury they sit on (a juror must read what they score).
 */
function whereApplicationVisible(db: Knex, query: Knex.QueryBuilder, scope: Scope, who: JurorIdentity): Knex.QueryBuilder {
  if (scope.kind === 'region') return query;
  return query.where((q) => {
    q.where((inner) => { whereEducatorInScope(inner, scope, 'a.current_educator_id'); });
    if (who.educatorId || who.subject) {
      q.orWhereExists(whereJuror(db('jury_member as vj').join('stage as vs', 'vs.id', 'vj.stage_id').select(db.raw('1'))
        .whereRaw('vs.competition_id = a.competition_id'), 'vj', who));
    }
  });
}

function applications(db: Knex, educatorIds?: readonly string[]): Knex.QueryBuilder {
  return db.from(withSurvivor(db, 'application', applicationInner, educatorIds).as('a'));
}

export const applicationsByIdsUnscoped = async (db: Knex, ids: readonly string[]): Promise<ApplicationRow[]> =>
  applications(db).select(applicationOut).whereIn('a.id', ids);

export const applicationsByIds = async (db: Knex, scope: Scope, who: JurorIdentity, ids: readonly string[]): Promise<ApplicationRow[]> =>
  whereApplicationVisible(db, applications(db).select(applicationOut).whereIn('a.id', ids), scope, who);

export const applicationsByCompetitions = async (db: Knex, scope: Scope, who: JurorIdentity, ids: readonly string[]): Promise<ApplicationRow[]> =>
  whereApplicationVisible(db, applications(db).select(applicationOut).whereIn('a.competition_id', ids), scope, who)
    .orderBy(['a.nomination_id', 'a.filed_on', 'a.id']);

export const applicationsByEducators = async (db: Knex, scope: Scope, ids: readonly string[]): Promise<ApplicationRow[]> =>
  whereEducatorInScope(applications(db, ids).select(applicationOut), scope, 'a.current_educator_id')
    .orderBy([{ column: 'a.filed_on', order: 'desc' }, { column: 'a.id' }]);

/**
 * Entrants of stages: accepted applications in the first stage; later, the accepted applications that advanced in the
 * previous stage's frozen results. Unscoped (the rules need them all); callers filter what they show.
 */
export function entrantsQuery(db: Knex, stageIds: readonly string[]): Knex.QueryBuilder {
  return applications(db).join('stage as es', 'es.competition_id', 'a.competition_id')
    .select(...applicationOut, 'es.id as stageId')
    .whereIn('es.id', stageIds).where('a.status', 'accepted')
    .where((q) => q.where('es.ordinal', 1).orWhereExists(db('stage_result as r').join('stage as p', 'p.id', 'r.stage_id').select(db.raw('1'))
      .whereRaw('p.competition_id = es.competition_id and p.ordinal = es.ordinal - 1 and r.application_id = a.id and r.is_advanced')))
    .orderBy(['a.nomination_id', 'a.filed_on', 'a.id']);
}

export const entrantsByStages = async (db: Knex, scope: Scope, who: JurorIdentity, stageIds: readonly string[]): Promise<(ApplicationRow & { stageId: string })[]> =>
  whereApplicationVisible(db, entrantsQuery(db, stageIds), scope, who);

/**
 * Scores of stages as the caller may see them: organizers of the competition (`organizerScope`) see all; a juror
 * sees their own, and every score of the stage once it is closed; anyone else sees, once the stage is closed, the
 * scores of applications of educators in their scope.
 */
export async function scoresByStages(db: Knex, stageIds: readonly string[], viewer: { scope: Scope | null; organizerScope: Scope | null; who: JurorIdentity }): Promise<ScoreRow[]> {
  const query = db('score as sc').join('criterion as cr', 'cr.id', 'sc.criterion_id').join('stage as st', 'st.id', 'cr.stage_id')
    .join('jury_member as jm', 'jm.id', 'sc.jury_member_id').join('competition as co', 'co.id', 'st.competition_id')
    .select('sc.id', 'cr.stage_id as stageId', 'sc.jury_member_id as juryMemberId', 'sc.application_id as applicationId',
      'sc.criterion_id as criterionId', 'sc.value', 'sc.scored_at as scoredAt')
    .whereIn('cr.stage_id', stageIds)
    .orderBy(['sc.application_id', 'jm.id', 'cr.ordinal']);
  const { organizerScope, scope, who } = viewer;
  return query.where((q) => {
    if (organizerScope?.kind === 'region') q.orWhereRaw('true');
    else if (organizerScope?.kind === 'municipality') q.orWhere('co.municipality_id', organizerScope.municipalityId);
    if (who.educatorId || who.subject) {
      q.orWhere((own) => whereJuror(own, 'jm', who));
      q.orWhere((closed) => closed.whereNotNull('st.closed_at')
        .whereExists(whereJuror(db('jury_member as oj').select(db.raw('1')).whereRaw('oj.stage_id = st.id'), 'oj', who)));
    }
    if (scope) {
      q.orWhere((closed) => {
        closed.whereNotNull('st.closed_at').whereExists((sub) => {
          sub.select(db.raw('1')).from(withSurvivor(db, 'application', ['t.id']).as('sa')).whereRaw('sa.id = sc.application_id');
          whereEducatorInScope(sub, scope, 'sa.current_educator_id');
        });
      });
    }
    q.orWhereRaw('false');
  });
}

/** Every score of a stage (the rules; inside the closing transaction). */
export const allScoresOfStage = async (db: Knex, stageId: string): Promise<ScoreRow[]> =>
  db('score as sc').join('criterion as cr', 'cr.id', 'sc.criterion_id').where('cr.stage_id', stageId)
    .select('sc.id', 'cr.stage_id as stageId', 'sc.jury_member_id as juryMemberId', 'sc.application_id as applicationId',
      'sc.criterion_id as criterionId', 'sc.value', 'sc.scored_at as scoredAt');

export const conflictsByStages = async (db: Knex, ids: readonly string[]): Promise<ConflictRow[]> =>
  db('conflict_declaration as d').join('jury_member as j', 'j.id', 'd.jury_member_id').whereIn('j.stage_id', ids)
    .select('d.id', 'j.stage_id as stageId', 'd.jury_member_id as juryMemberId', 'd.application_id as applicationId', 'd.reason', 'd.declared_at as declaredAt')
    .orderBy('d.declared_at');

/**
 * Pairs (juror, application) of a stage where the juror shares the application's organization: an employment of a
 * registry juror there during the stage (staff_api.employment), or the organization recorded for an outside juror.
 */
export async function ownOrganizationPairs(db: Knex, stageId: string, applicationIds?: readonly string[]): Promise<{ juryMemberId: string; applicationId: string }[]> {
  const query = db('jury_member as j').join('stage as s', 's.id', 'j.stage_id').join('application as a', 'a.competition_id', 's.competition_id')
    .where('j.stage_id', stageId)
    .where((q) => q.whereRaw('j.organization_id = a.organization_id').orWhereExists(db('staff_api.employment as e').select(db.raw('1'))
      .whereRaw('e.educator_id = j.educator_id and e.organization_id = a.organization_id and e.started_on <= s.ends_on and (e.ended_on is null or e.ended_on >= s.starts_on)')))
    .select('j.id as juryMemberId', 'a.id as applicationId');
  if (applicationIds) query.whereIn('a.id', applicationIds);
  return query;
}

const resultColumns = ['r.stage_id as stageId', 'st.competition_id as competitionId', 'st.ordinal as stageOrdinal', 'r.application_id as applicationId',
  'r.nomination_id as nominationId', 'r.current_educator_id as educatorId', 'ap.organization_id as organizationId', 'r.score', 'r.place', 'r.outcome',
  'r.is_advanced as isAdvanced', 'r.jurors_counted as jurorsCounted'];

function results(db: Knex, educatorIds?: readonly string[]): Knex.QueryBuilder {
  return db.from(withSurvivor(db, 'stage_result', ['t.stage_id', 't.application_id', 't.nomination_id', 't.score', 't.place', 't.outcome',
    't.is_advanced', 't.jurors_counted'], educatorIds).as('r'))
    .join('stage as st', 'st.id', 'r.stage_id').join('application as ap', 'ap.id', 'r.application_id')
    .join('nomination as nm', 'nm.id', 'r.nomination_id')
    .whereNotNull('st.closed_at')
    .select(resultColumns);
}

/** Results of closed stages, of educators the scope covers, by nomination and place. */
export const resultsByStages = async (db: Knex, scope: Scope, ids: readonly string[]): Promise<ResultRow[]> =>
  whereEducatorInScope(results(db), scope, 'r.current_educator_id').whereIn('r.stage_id', ids).orderByRaw('nm.title, r.place nulls last, r.application_id');

/** The results of each competition's last stage, once it is closed, of educators the scope covers. */
export const finalResultsByCompetitions = async (db: Knex, scope: Scope, ids: readonly string[]): Promise<ResultRow[]> =>
  whereEducatorInScope(results(db), scope, 'r.current_educator_id').whereIn('st.competition_id', ids)
    .whereRaw('st.ordinal = (select max(x.ordinal) from events.stage x where x.competition_id = st.competition_id)')
    .orderByRaw('nm.title, r.place nulls last, r.application_id');

export const resultsByEducators = async (db: Knex, scope: Scope, ids: readonly string[]): Promise<ResultRow[]> =>
  whereEducatorInScope(results(db, ids), scope, 'r.current_educator_id').orderBy([{ column: 'st.ends_on', order: 'desc' }, { column: 'r.application_id' }]);
