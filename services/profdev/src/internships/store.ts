import type { Knex } from 'knex';
import { type PageRequest, type Scope } from '@mms/platform';
import { whereEducatorInScope, whereMunicipalityInScope } from '../store/scope';
import { ownerSql } from '../store/scope';

/** Internships at internship sites (tables internship, internship_participant, route_item_internship). */

export interface InternshipRow {
  id: string;
  organizationId: string;
  municipalityId: string;
  programTitle: string;
  form: string;
  teamOrganizationId: string | null;
  startsOn: string;
  endsOn: string;
  outcome: string | null;
  completedOn: string | null;
}

const columns = ['i.id', 'i.organization_id as organizationId', 'i.municipality_id as municipalityId', 'i.program_title as programTitle', 'i.form',
  'i.team_organization_id as teamOrganizationId', 'i.starts_on as startsOn', 'i.ends_on as endsOn', 'i.outcome', 'i.completed_on as completedOn'];

/**
 * The internships a scope reads: those at sites of its municipality (a municipality; an organization: its own
 * municipality's, as for associations), the region's for the region; an educator their own.
 */
function inScope(db: Knex, scope: Scope): Knex.QueryBuilder {
  const query = db('internship as i');
  if (scope.kind === 'educator') {
    return query.whereExists((sub) => whereEducatorInScope(sub.select(db.raw('1')).from('internship_participant as ip').whereRaw('ip.internship_id = i.id'), scope, 'ip.educator_id'));
  }
  return whereMunicipalityInScope(query, scope, 'i.municipality_id');
}

export async function internshipsByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<InternshipRow[]> {
  return inScope(db, scope).select(columns).whereIn('i.id', ids);
}

export interface InternshipFilter {
  organizationId?: string | null;
  municipalityId?: string | null;
  from?: string | null;
  to?: string | null;
}

function filtered(db: Knex, scope: Scope, filter: InternshipFilter) {
  const query = inScope(db, scope);
  if (filter.organizationId) query.where('i.organization_id', filter.organizationId);
  if (filter.municipalityId) query.where('i.municipality_id', filter.municipalityId);
  if (filter.from) query.where('i.ends_on', '>=', filter.from);
  if (filter.to) query.where('i.starts_on', '<=', filter.to);
  return query;
}

export async function listInternships(db: Knex, scope: Scope, filter: InternshipFilter, page: PageRequest): Promise<InternshipRow[]> {
  const query = filtered(db, scope, filter).select(columns).orderBy([{ column: 'i.starts_on' }, { column: 'i.id' }]).limit(page.limit);
  if (page.after) query.whereRaw('(i.starts_on, i.id) > (?::date, ?::uuid)', page.after as [string, string]);
  return query;
}

export async function countInternships(db: Knex, scope: Scope, filter: InternshipFilter): Promise<number> {
  const [{ count }] = await filtered(db, scope, filter).count({ count: '*' });
  return Number(count);
}

export const internshipCursor = (row: InternshipRow) => [row.startsOn, row.id];

/** Participants of many internships in one statement, only those the scope covers. */
export async function participantsByInternships(db: Knex, scope: Scope, ids: readonly string[]): Promise<{ internshipId: string; educatorId: string }[]> {
  return whereEducatorInScope(db('internship_participant as ip').select(['ip.internship_id as internshipId', db.raw(`${ownerSql('ip.educator_id')} as "educatorId"`)])
    .whereIn('ip.internship_id', ids), scope, 'ip.educator_id').orderBy('ip.educator_id');
}

export async function participantIds(db: Knex, internshipId: string): Promise<string[]> {
  const rows: { educatorId: string }[] = await db('internship_participant as ip').select(db.raw(`${ownerSql('ip.educator_id')} as "educatorId"`)).where('ip.internship_id', internshipId);
  return rows.map((r) => r.educatorId);
}

/** Whether the organization holds the internship site status for every day of [from, to] (one term covering them). */
export async function isSiteThroughout(db: Knex, organizationId: string, from: string, to: string): Promise<boolean> {
  const row = await db('staff_api.organization_status').where({ organization_id: organizationId, kind: 'internship_site' })
    .where('valid_from', '<=', from).where((q) => q.whereNull('valid_to').orWhere('valid_to', '>=', to)).first('id');
  return Boolean(row);
}

export async function insertInternship(db: Knex, input: Omit<InternshipRow, 'id' | 'outcome' | 'completedOn'>, participants: readonly string[]): Promise<string> {
  const [{ id }] = await db('internship').insert({
    organization_id: input.organizationId, municipality_id: input.municipalityId, program_title: input.programTitle, form: input.form,
    team_organization_id: input.teamOrganizationId, starts_on: input.startsOn, ends_on: input.endsOn,
  }).returning('id');
  await db('internship_participant').insert(participants.map((educatorId) => ({ internship_id: id, educator_id: educatorId })));
  return id;
}

export async function findInternship(db: Knex, id: string): Promise<InternshipRow | undefined> {
  return db('internship as i').select(columns).where('i.id', id).forUpdate().first();
}

export async function setOutcome(db: Knex, id: string, completedOn: string, outcome: string): Promise<void> {
  await db('internship').where('id', id).update({ completed_on: completedOn, outcome });
}

export async function linkItem(db: Knex, itemId: string, internshipId: string): Promise<void> {
  await db('route_item_internship').insert({ route_item_id: itemId, internship_id: internshipId })
    .onConflict('route_item_id').merge(['internship_id']);
}

/** The internship each route item is carried out as (scope-filtered). */
export async function internshipsByItems(db: Knex, scope: Scope, itemIds: readonly string[]): Promise<(InternshipRow & { itemId: string })[]> {
  return inScope(db, scope).join('route_item_internship as ri', 'ri.internship_id', 'i.id').select(['ri.route_item_id as itemId', ...columns])
    .whereIn('ri.route_item_id', itemIds);
}
