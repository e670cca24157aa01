import type { Knex } from 'knex';
import type { Period, Scope } from '@mms/platform';
import { educatorKeys, employedOn, ownerSql, whereEducatorInScope, type Narrowing } from './scope';

/** Diagnostics and their scores (tables diagnostic, diagnostic_score): written once, never updated. */

export interface DiagnosticRow {
  id: string;
  /** The live educator (the survivor, when the diagnostic was recorded for a merged duplicate). */
  educatorId: string;
  takenOn: string;
  instrument: string;
  providerName: string | null;
  createdAt: Date;
}

export interface ScoreRow {
  diagnosticId: string;
  competencyId: string;
  score: number;
  threshold: number;
  previousScore: number | null;
}

export interface DeficitRow {
  diagnosticId: string;
  educatorId: string;
  competencyId: string;
  score: number;
  threshold: number;
  takenOn: string;
}

const columns = ['d.id', 'd.taken_on as takenOn', 'd.instrument', 'd.provider_name as providerName', 'd.created_at as createdAt'];
/** Latest first: by day, and a diagnostic recorded later on the same day after the earlier one. */
const latestFirst = [{ column: 'd.taken_on', order: 'desc' }, { column: 'd.created_at', order: 'desc' }, { column: 'd.id', order: 'desc' }] as const;

/** Diagnostics of the educators the scope covers, latest first. */
export async function diagnosticsByEducators(db: Knex, scope: Scope, educatorIds: readonly string[]): Promise<DiagnosticRow[]> {
  return db('diagnostic as d').join(educatorKeys(db, educatorIds, scope).as('k'), 'k.educator_id', 'd.educator_id')
    .select(['k.key as educatorId', ...columns]).orderBy([...latestFirst]);
}

/** Diagnostics by id whose educator the scope covers. */
export async function diagnosticsByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<DiagnosticRow[]> {
  const query = db('diagnostic as d').select([db.raw(`${ownerSql('d.educator_id')} as "educatorId"`), ...columns]).whereIn('d.id', ids);
  return whereEducatorInScope(query, scope, 'd.educator_id');
}

/**
 * Scores of diagnostics by competency code, each with the same competency's score in the educator's previous
 * diagnostic (the one before it in latestFirst order), so a profile shows how scores moved.
 */
export async function scoresByDiagnostics(db: Knex, diagnosticIds: readonly string[]): Promise<ScoreRow[]> {
  // Every diagnostic of the educators concerned (a merged duplicate's included) is read once through the
  // (educator_id, taken_on) index, and lag() walks each educator's scores of one competency in time order. A
  // correlated subquery per score, comparing owners through the merge table, read every diagnostic of the region
  // per score instead (bench/: 686 ms for one profile at 60,000 educators).
  const { rows } = await db.raw(`
    with asked as (
      select distinct coalesce(mg.survivor_id, d.educator_id) as owner
      from diagnostic d left join staff_api.educator_merge mg on mg.duplicate_id = d.educator_id
      where d.id = any(?::uuid[])
    ),
    family as (
      select a.owner, a.owner as educator_id from asked a
      union all
      select a.owner, mg.duplicate_id from asked a join staff_api.educator_merge mg on mg.survivor_id = a.owner
    ),
    history as (
      select s.diagnostic_id, s.competency_id, s.score, s.threshold,
             lag(s.score) over (partition by f.owner, s.competency_id order by d.taken_on, d.created_at, d.id) as previous_score
      from family f
      join diagnostic d on d.educator_id = f.educator_id
      join diagnostic_score s on s.diagnostic_id = d.id
    )
    select h.diagnostic_id as "diagnosticId", h.competency_id as "competencyId", h.score, h.threshold, h.previous_score as "previousScore"
    from history h join competency c on c.id = h.competency_id
    where h.diagnostic_id = any(?::uuid[])
    order by c.code`, [[...diagnosticIds], [...diagnosticIds]]);
  return rows;
}

/** Current deficits: those of each educator's latest diagnostic, by competency code. */
export async function currentDeficitsByEducators(db: Knex, scope: Scope | null, educatorIds: readonly string[]): Promise<DeficitRow[]> {
  const latest = db('diagnostic as d').join(educatorKeys(db, educatorIds, scope).as('k'), 'k.educator_id', 'd.educator_id')
    .distinctOn('k.key').select('k.key', 'd.id', 'd.taken_on').orderBy([{ column: 'k.key' }, ...latestFirst]);
  return db.with('latest', latest).from('latest as l')
    .join('diagnostic_score as s', 's.diagnostic_id', 'l.id').join('competency as c', 'c.id', 's.competency_id')
    .whereRaw('s.score < s.threshold')
    .select(['s.diagnostic_id as diagnosticId', 'l.key as educatorId', 's.competency_id as competencyId', 's.score', 's.threshold', 'l.taken_on as takenOn'])
    .orderBy([{ column: 'l.key' }, { column: 'c.code' }]);
}

/** The deficits shown by diagnostics, by diagnostic. */
export async function deficitsByDiagnostics(db: Knex, diagnosticIds: readonly string[]): Promise<DeficitRow[]> {
  return db('diagnostic_score as s').join('diagnostic as d', 'd.id', 's.diagnostic_id').join('competency as c', 'c.id', 's.competency_id')
    .whereRaw('s.score < s.threshold').whereIn('s.diagnostic_id', diagnosticIds)
    .select(['s.diagnostic_id as diagnosticId', db.raw(`${ownerSql('d.educator_id')} as "educatorId"`), 's.competency_id as competencyId',
      's.score', 's.threshold', 'd.taken_on as takenOn'])
    .orderBy([{ column: 'c.code' }]);
}

export async function insertDiagnostic(db: Knex, input: {
  educatorId: string; takenOn: string; instrument: string; providerName?: string | null;
  scores: { competencyId: string; score: number; threshold: number; scaleMin: number; scaleMax: number }[];
}): Promise<DiagnosticRow> {
  const [{ id }] = await db('diagnostic').insert({
    educator_id: input.educatorId, taken_on: input.takenOn, instrument: input.instrument, provider_name: input.providerName ?? null,
  }).returning('id');
  await db('diagnostic_score').insert(input.scores.map((s) => ({
    diagnostic_id: id, competency_id: s.competencyId, score: s.score, threshold: s.threshold, scale_min: s.scaleMin, scale_max: s.scaleMax,
  })));
  return (await diagnosticsByIds(db, { kind: 'region' }, [id]))[0];
}

export interface GrowthPointRow {
  /** The organization or municipality asked about. */
  key: string;
  competencyId: string;
  educatorCount: number;
  diagnosedCount: number;
}

/**
 * Growth points of organizations (or municipalities) in a period: among the educators employed there during the period
 * (staff_api.employed_during), the latest diagnostic each took during the period; per competency, how many of them it
 * shows below threshold, most frequent first. One statement for any number of keys.
 */
export async function growthPoints(db: Knex, scope: Scope, by: 'organization_id' | 'municipality_id', keys: readonly string[], period: Period): Promise<GrowthPointRow[]> {
  // aggregates of the scope only: a municipality's, an organization's; an educator gets none
  const [scopeCondition, scopeBindings] = scope.kind === 'region' ? ['true', []]
    : scope.kind === 'municipality' ? ['p.municipality_id = ?', [scope.municipalityId]]
      : scope.kind === 'organization' ? ['p.organization_id = ?', [scope.organizationId]] : ['false', []];
  const { rows } = await db.raw(`
    with population as (
      select distinct p.${by} as key, p.educator_id
      from staff_api.employed_during(?::date, ?::date) p where p.${by} = any(?::uuid[]) and ${scopeCondition}
    ), latest as (
      select distinct on (po.key, po.educator_id) po.key, po.educator_id, d.id as diagnostic_id
      from population po join profdev_api.diagnostic d on d.educator_id = po.educator_id
      join diagnostic dd on dd.id = d.id
      where d.taken_on between ?::date and ?::date
      order by po.key, po.educator_id, d.taken_on desc, dd.created_at desc, d.id desc
    ), diagnosed as (
      select key, count(*)::integer as diagnosed_count from latest group by key
    )
    select l.key, s.competency_id as "competencyId", count(*)::integer as "educatorCount", dg.diagnosed_count as "diagnosedCount"
    from latest l join diagnostic_score s on s.diagnostic_id = l.diagnostic_id and s.score < s.threshold
    join diagnosed dg on dg.key = l.key
    join competency c on c.id = s.competency_id
    group by l.key, s.competency_id, dg.diagnosed_count, c.code
    order by l.key, count(*) desc, c.code
  `, [period.from, period.to, [...keys], ...scopeBindings, period.from, period.to]);
  return rows;
}

/**
 * Current deficits (of the latest diagnostic) of educators employed on `day` in the scope and narrowing, that no item
 * of a draft or active route of theirs addresses.
 */
export async function unaddressedDeficits(db: Knex, scope: Scope, narrowing: Narrowing, day: string): Promise<DeficitRow[]> {
  const employed = employedOn(db, scope, narrowing, day);
  const latest = db('profdev_api.diagnostic as d').join('diagnostic as dd', 'dd.id', 'd.id')
    .whereIn('d.educator_id', employed).distinctOn('d.educator_id').select('d.educator_id', 'd.id', 'd.taken_on')
    .orderBy([{ column: 'd.educator_id' }, { column: 'd.taken_on', order: 'desc' }, { column: 'dd.created_at', order: 'desc' }, { column: 'd.id', order: 'desc' }]);
  return db.with('latest', latest).from('latest as l')
    .join('diagnostic_score as s', 's.diagnostic_id', 'l.id').join('competency as c', 'c.id', 's.competency_id')
    .whereRaw('s.score < s.threshold')
    .whereNotExists((sub) => sub.select(db.raw('1')).from('profdev_api.route_item as i').join('development_route as r', 'r.id', 'i.route_id')
      .whereRaw('i.educator_id = l.educator_id').whereRaw('i.competency_id = s.competency_id').whereIn('r.status', ['draft', 'active'])
      .where('i.is_dropped', false))
    .select(['s.diagnostic_id as diagnosticId', 'l.educator_id as educatorId', 's.competency_id as competencyId', 's.score', 's.threshold', 'l.taken_on as takenOn'])
    .orderBy([{ column: 'l.educator_id' }, { column: 'c.code' }]);
}
