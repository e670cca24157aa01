import type { Knex } from 'knex';
import { academicYearPeriod, addYears, keysetPage, type PageRequest, type Scope } from '@mms/platform';
import { educatorKeys, employedOn, ownerSql, whereEducatorInScope, whereEmployedIn } from './scope';

/** Program completions (table program_completion): the course training database of seed 003. */

export interface CompletionRow {
  id: string;
  educatorId: string;
  programId: string;
  startedOn: string;
  completedOn: string;
  certificateNumber: string | null;
  diagnosticId: string | null;
}

const columns = ['c.id', 'c.program_id as programId', 'c.started_on as startedOn', 'c.completed_on as completedOn',
  'c.certificate_number as certificateNumber', 'c.diagnostic_id as diagnosticId'];
const latestFirst = [{ column: 'c.completed_on', order: 'desc' }, { column: 'c.id', order: 'desc' }] as const;

/** Completions of the educators the scope covers, latest first. */
export async function completionsByEducators(db: Knex, scope: Scope, educatorIds: readonly string[]): Promise<CompletionRow[]> {
  return db('program_completion as c').join(educatorKeys(db, educatorIds, scope).as('k'), 'k.educator_id', 'c.educator_id')
    .select(['k.key as educatorId', ...columns]).orderBy([...latestFirst]);
}

export async function completionById(db: Knex, id: string): Promise<CompletionRow> {
  return db('program_completion as c').select([db.raw(`${ownerSql('c.educator_id')} as "educatorId"`), ...columns]).where('c.id', id).first();
}

export interface CompletionFilter {
  municipalityId?: string | null;
  organizationId?: string | null;
  academicYear?: string | null;
  programId?: string | null;
  kind?: string | null;
  fromDiagnosticOnly?: boolean | null;
  federalRegistryOnly?: boolean | null;
}

function filtered(db: Knex, scope: Scope, filter: CompletionFilter): Knex.QueryBuilder {
  const query = whereEducatorInScope(db('program_completion as c').join('program as p', 'p.id', 'c.program_id'), scope, 'c.educator_id');
  const period = filter.academicYear ? academicYearPeriod(filter.academicYear, 'filter.academicYear') : null;
  if (period) query.whereBetween('c.completed_on', [period.from, period.to]);
  // "where the educator worked": employed there during the year asked, or at some time when no year is asked
  whereEmployedIn(query, 'c.educator_id', filter, period ?? { from: '0001-01-01', to: '9999-12-31' });
  if (filter.programId) query.where('c.program_id', filter.programId);
  if (filter.kind) query.where('p.kind', filter.kind);
  if (filter.fromDiagnosticOnly) query.whereNotNull('c.diagnostic_id');
  if (filter.federalRegistryOnly) query.where('p.is_federal_registry', true);
  return query;
}

/** Completions by id as `completions` shows them (educators of the caller's scope): Relay's node(id:). */
export async function completionsInScopeByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<CompletionRow[]> {
  return filtered(db, scope, {}).select([db.raw(`${ownerSql('c.educator_id')} as "educatorId"`), ...columns]).whereIn('c.id', [...ids]);
}

/** A page of completions, latest first; the cursor is (completed_on, id). */
export async function listCompletions(db: Knex, scope: Scope, filter: CompletionFilter, page: PageRequest): Promise<CompletionRow[]> {
  const query = filtered(db, scope, filter).select([db.raw(`${ownerSql('c.educator_id')} as "educatorId"`), ...columns]);
  return keysetPage(query, page, ['c.completed_on', 'c.id'], { descending: true, casts: ['date', 'uuid'] });
}

export async function countCompletions(db: Knex, scope: Scope, filter: CompletionFilter): Promise<number> {
  const [{ count }] = await filtered(db, scope, filter).count({ count: '*' });
  return Number(count);
}

export const completionCursor = (row: CompletionRow) => [row.completedOn, row.id];

export async function insertCompletion(db: Knex, input: Omit<CompletionRow, 'id' | 'certificateNumber' | 'diagnosticId'> & { certificateNumber?: string | null; diagnosticId?: string | null }): Promise<CompletionRow> {
  const [{ id }] = await db('program_completion').insert({
    educator_id: input.educatorId, program_id: input.programId, started_on: input.startedOn, completed_on: input.completedOn,
    certificate_number: input.certificateNumber ?? null, diagnostic_id: input.diagnosticId ?? null,
  }).returning('id');
  return completionById(db, id);
}

export interface UpskillingDueRow {
  educatorId: string;
  lastCompletionId: string | null;
  lastCompletedOn: string | null;
}

/**
 * Educators employed on `day` in the scope (and narrowing) whose last completion ended before `day − years`, or
 * who have none: never first, then the longest gap.
 */
export async function upskillingDue(db: Knex, scope: Scope, narrowing: { municipalityId?: string | null; organizationId?: string | null }, day: string, years: number): Promise<UpskillingDueRow[]> {
  const employed = employedOn(db, scope, narrowing, day);
  const { rows } = await db.raw(`
    with employed as (${employed.toQuery()}),
    last as (
      select distinct on (c.educator_id) c.educator_id, c.id, c.completed_on
      from profdev_api.program_completion c join employed em on em.educator_id = c.educator_id
      where c.completed_on <= ?::date
      order by c.educator_id, c.completed_on desc, c.id desc
    )
    select em.educator_id as "educatorId", l.id as "lastCompletionId", l.completed_on as "lastCompletedOn"
    from employed em left join last l on l.educator_id = em.educator_id
    where l.completed_on is null or l.completed_on < ?::date
    order by l.completed_on nulls first, em.educator_id
  `, [day, addYears(day, -years)]);
  return rows;
}
