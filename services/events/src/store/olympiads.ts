import type { Knex } from 'knex';

/** Olympiads: SQL of olympiad, olympiad_venue, olympiad_task. */
export interface OlympiadRow {
  id: string; subject: string; stage: string; academicYear: string; municipalityId: string; startsOn: string; endsOn: string; description: string | null;
}
export interface OlympiadVenueRow { olympiadId: string; organizationId: string }
export interface OlympiadTaskRow { id: string; olympiadId: string; title: string; responsibleId: string | null; dueOn: string | null; doneOn: string | null }

const columns = ['o.id', 'o.subject', 'o.stage', 'o.academic_year as academicYear', 'o.municipality_id as municipalityId', 'o.starts_on as startsOn',
  'o.ends_on as endsOn', 'o.description'];
const taskColumns = ['t.id', 't.olympiad_id as olympiadId', 't.title', 't.responsible_id as responsibleId', 't.due_on as dueOn', 't.done_on as doneOn'];

export async function listOlympiads(db: Knex, academicYear: string, municipalityId?: string | null): Promise<OlympiadRow[]> {
  const query = db('olympiad as o').select(columns).where('o.academic_year', academicYear).orderBy(['o.starts_on', 'o.subject', 'o.id']);
  if (municipalityId) query.where('o.municipality_id', municipalityId);
  return query;
}
export const olympiadById = async (db: Knex, id: string): Promise<OlympiadRow | undefined> => db('olympiad as o').first(columns).where('o.id', id);
export const venuesByOlympiads = async (db: Knex, ids: readonly string[]): Promise<OlympiadVenueRow[]> =>
  db('olympiad_venue').select('olympiad_id as olympiadId', 'organization_id as organizationId').whereIn('olympiad_id', ids).orderBy('id');
export const tasksByOlympiads = async (db: Knex, ids: readonly string[]): Promise<OlympiadTaskRow[]> =>
  db('olympiad_task as t').select(taskColumns).whereIn('t.olympiad_id', ids).orderByRaw('t.due_on nulls last, t.title, t.id');
export const taskById = async (db: Knex, id: string): Promise<(OlympiadTaskRow & { municipalityId: string }) | undefined> =>
  db('olympiad_task as t').join('olympiad as o', 'o.id', 't.olympiad_id').first(...taskColumns, 'o.municipality_id as municipalityId').where('t.id', id);
/** Olympiads by id, in one statement (Relay's node(id:)). */
export const olympiadsByIds = async (db: Knex, ids: readonly string[]): Promise<OlympiadRow[]> => db('olympiad as o').select(columns).whereIn('o.id', ids);
/** Olympiad tasks by id, in one statement (Relay's node(id:)). */
export const tasksByIds = async (db: Knex, ids: readonly string[]): Promise<OlympiadTaskRow[]> => db('olympiad_task as t').select(taskColumns).whereIn('t.id', ids);
