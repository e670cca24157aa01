import type { Knex } from 'knex';
import { whereTermOverlaps, type PersonOrder, type Scope } from '@mms/platform';
import type { EmploymentFields } from '../validate';
import { whereEducatorInScope } from './scope';

export interface EmploymentRow {
  id: string;
  educatorId: string;
  organizationId: string;
  position: string;
  staffCategory: string;
  rate: number;
  isMainJob: boolean;
  startedOn: string;
  endedOn: string | null;
}

const columns = [
  'm.id', 'm.educator_id as educatorId', 'm.organization_id as organizationId', 'm.position',
  'm.staff_category as staffCategory', 'm.rate', 'm.is_main_job as isMainJob', 'm.started_on as startedOn', 'm.ended_on as endedOn',
];

/** An employment is in force on a day from its first day to its last, both included. */
function activeOn(query: Knex.QueryBuilder, day: string | null | undefined): Knex.QueryBuilder {
  if (!day) return query;
  return whereTermOverlaps(query, 'm.started_on', 'm.ended_on', { from: day, to: day });
}

/** Employments of the given educators, latest first (the educators were already checked against the scope). */
export async function employmentsByEducators(db: Knex, educatorIds: readonly string[], day?: string | null): Promise<EmploymentRow[]> {
  return activeOn(db('employment as m').select(columns).whereIn('m.educator_id', educatorIds), day)
    .orderBy([{ column: 'm.started_on', order: 'desc' }, { column: 'm.id' }]);
}

/**
 * Employments in the given organizations of the educators the scope covers, by the educator's name (or, for a caller
 * who may not read names, by the educator's id).
 */
export async function employmentsByOrganizations(db: Knex, scope: Scope, organizationIds: readonly string[], day: string | null | undefined, order: PersonOrder): Promise<EmploymentRow[]> {
  const query = db('employment as m').select(columns).join('educator as e', 'e.id', 'm.educator_id')
    .whereIn('m.organization_id', organizationIds)
    .orderBy([{ column: order === 'name' ? 'e.sort_name' : 'e.id' }, { column: 'm.started_on', order: 'desc' }, { column: 'm.id' }]);
  return activeOn(whereEducatorInScope(query, scope, 'm.educator_id'), day);
}

export async function findEmployment(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<EmploymentRow | undefined> {
  const query = db('employment as m').select(columns).where('m.id', id).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

/** Employments by id, in one statement (Relay's node(id:)). */
export async function employmentsByIds(db: Knex, ids: readonly string[]): Promise<EmploymentRow[]> {
  return db('employment as m').select(columns).whereIn('m.id', ids);
}

/** Employments of one educator overlapping [startedOn, endedOn] (null: open-ended), except `exceptId`. */
export async function overlappingEmployments(db: Knex, educatorId: string, startedOn: string, endedOn: string | null | undefined, exceptId?: string): Promise<EmploymentRow[]> {
  const query = db('employment as m').select(columns).where('m.educator_id', educatorId)
    .where((q) => q.whereNull('m.ended_on').orWhere('m.ended_on', '>=', startedOn));
  if (endedOn) query.where('m.started_on', '<=', endedOn);
  if (exceptId) query.whereNot('m.id', exceptId);
  return query;
}

export async function insertEmployment(db: Knex, educatorId: string, input: EmploymentFields): Promise<EmploymentRow> {
  const [{ id }] = await db('employment').insert({
    educator_id: educatorId, organization_id: input.organizationId, position: input.position,
    staff_category: input.staffCategory, rate: input.rate, is_main_job: input.isMainJob,
    started_on: input.startedOn, ended_on: input.endedOn ?? null,
  }).returning('id');
  return (await findEmployment(db, id))!;
}

export async function setEmploymentEnd(db: Knex, id: string, endedOn: string): Promise<EmploymentRow> {
  await db('employment').where({ id }).update({ ended_on: endedOn, updated_at: db.fn.now() });
  return (await findEmployment(db, id))!;
}
