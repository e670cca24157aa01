import type { Knex } from 'knex';
import { appError, isUuid, notFound } from './errors';
import type { Scope } from './scope';

/**
 * What every subgraph needs from the staff registry at request time without reading its tables (docs/architecture.md,
 * rule 3): which educators a scope covers, and whether a referenced educator or organization exists. All of it goes
 * through the published views of schema `staff_api` (services/staff/README.md), which every subgraph's role may read.
 */

/**
 * Which educators a scope covers, as SQL on `query`: an educator belongs to a municipality or organization while they
 * have (or once had) an employment there. `educatorId` is the column holding the educator's id in the outer query.
 */
export function whereEducatorInScope(query: Knex.QueryBuilder, scope: Scope, educatorId: string): Knex.QueryBuilder {
  switch (scope.kind) {
    case 'region':
      return query;
    case 'educator':
      return query.where(educatorId, scope.educatorId);
    case 'organization':
      return query.whereExists((sub) => sub.select(sub.client.raw('1')).from('staff_api.employment as scope_e')
        .whereRaw('scope_e.educator_id = ??', [educatorId]).where('scope_e.organization_id', scope.organizationId));
    case 'municipality':
      return query.whereExists((sub) => sub.select(sub.client.raw('1')).from('staff_api.employment as scope_e')
        .whereRaw('scope_e.educator_id = ??', [educatorId]).where('scope_e.municipality_id', scope.municipalityId));
  }
}

/**
 * The educator ids a batch asks for, with the ids of records merged into them (staff_api.educator_merge): rows a
 * subgraph wrote for a duplicate belong to its survivor. Columns `key` (the asked id) and `educator_id` (the id
 * stored in the rows). With a scope, only the asked ids the scope covers. Joined on `educator_id`, it reaches the
 * rows through their educator_id index.
 */
export function educatorKeys(db: Knex, ids: readonly string[], scope?: Scope | null): Knex.QueryBuilder {
  const query = db.select('u.key', 'u.educator_id').from(db.raw(`(
    select k.id as key, k.id as educator_id from unnest(?::uuid[]) as k(id)
    union all
    select mg.survivor_id, mg.duplicate_id from staff_api.educator_merge mg where mg.survivor_id = any(?::uuid[])
  ) as u`, [[...ids], [...ids]]));
  return scope ? whereEducatorInScope(query, scope, 'u.key') : query;
}

/** Whether a write to an organization's data is within the writer's scope. */
export function organizationInScope(scope: Scope, organization: { id: string; municipalityId: string }): boolean {
  switch (scope.kind) {
    case 'region': return true;
    case 'municipality': return organization.municipalityId === scope.municipalityId;
    case 'organization': return organization.id === scope.organizationId;
    case 'educator': return false;
  }
}

/**
 * Checks that every id names a live educator, in one statement: NOT_FOUND for an unknown id, and for a record merged
 * into another (staff_api.educator_merge) a NOT_FOUND that names the survivor, so a client can retry with it.
 * With a scope, an educator outside it is FORBIDDEN (writes about people of another municipality).
 */
export async function requireEducators(db: Knex, ids: readonly string[], scope?: Scope, field = 'educatorId'): Promise<void> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return;
  const malformed = wanted.find((id) => !isUuid(id));
  if (malformed !== undefined) throw appError('BAD_USER_INPUT', `${field} is not an id of this graph`, { field });
  // One statement: it often runs inside a mutation's transaction, whose single connection takes one query at a time.
  const covered = scope
    ? whereEducatorInScope(db.select(db.raw('1')).from('staff_api.educator as s').whereRaw('s.id = w.id'), scope, 's.id')
    : null;
  const rows: { id: string; found: boolean; survivor_id: string | null; covered: boolean }[] = await db
    .select('w.id', db.raw('e.id is not null as found'), 'mg.survivor_id', covered ? db.raw('exists (?) as covered', [covered]) : db.raw('true as covered'))
    .from(db.raw('unnest(?::uuid[]) as w(id)', [wanted]))
    .leftJoin('staff_api.educator as e', 'e.id', 'w.id')
    .leftJoin('staff_api.educator_merge as mg', 'mg.duplicate_id', 'w.id');
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const id of wanted) {
    const row = byId.get(id)!;
    if (!row.found) {
      if (row.survivor_id) throw appError('NOT_FOUND', `educator ${id} was merged into educator ${row.survivor_id}`, { id, field, survivorId: row.survivor_id });
      throw appError('NOT_FOUND', `educator ${id} does not exist`, { id, field });
    }
    if (!row.covered) throw appError('FORBIDDEN', `educator ${id} is outside your scope`, { id, field });
  }
}

export interface PublishedOrganization { id: string; municipalityId: string; kind: string; name: string; shortName: string | null }

/** Organizations by id from staff_api.organization; NOT_FOUND for an unknown id. */
export function requireOrganizations(db: Knex, ids: readonly string[]): Promise<Map<string, PublishedOrganization>> {
  return requireRows(db('staff_api.organization').select('id', 'municipality_id as municipalityId', 'kind', 'name', 'short_name as shortName'), ids, 'organization');
}

export interface PublishedMunicipality { id: string; name: string; oktmo: string; timeZone: string }

/** Municipalities by id from staff_api.municipality; NOT_FOUND for an unknown id. */
export function requireMunicipalities(db: Knex, ids: readonly string[]): Promise<Map<string, PublishedMunicipality>> {
  return requireRows(db('staff_api.municipality').select('id', 'name', 'oktmo', 'time_zone as timeZone'), ids, 'municipality');
}

/** The rows of `query` with the given ids, by id, in one statement; NOT_FOUND naming the first id missing. */
async function requireRows<T extends { id: string }>(query: Knex.QueryBuilder, ids: readonly string[], what: string): Promise<Map<string, T>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows: T[] = await query.whereIn('id', wanted);
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const id of wanted) if (!byId.has(id)) throw notFound(what, id);
  return byId;
}
