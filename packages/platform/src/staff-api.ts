import type { Knex } from 'knex';
import { appError, notFound } from './errors';
import type { Scope } from './scope';

/**
 * What every subgraph needs from the staff registry at request time without reading its tables (ARCHITECTURE.md,
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
  const known = db('staff_api.educator as e').select('e.id').whereIn('e.id', wanted);
  const inScope = scope ? whereEducatorInScope(db('staff_api.educator as e').select('e.id').whereIn('e.id', wanted), scope, 'e.id') : null;
  const [found, covered, merged] = await Promise.all([
    known.then((rows: { id: string }[]) => new Set(rows.map((r) => r.id))),
    inScope ? inScope.then((rows: { id: string }[]) => new Set(rows.map((r) => r.id))) : null,
    db('staff_api.educator_merge').select('duplicate_id', 'survivor_id').whereIn('duplicate_id', wanted)
      .then((rows: { duplicate_id: string; survivor_id: string }[]) => new Map(rows.map((r) => [r.duplicate_id, r.survivor_id]))),
  ]);
  for (const id of wanted) {
    if (!found.has(id)) {
      const survivor = merged.get(id);
      if (survivor) throw appError('NOT_FOUND', `educator ${id} was merged into educator ${survivor}`, { id, field, survivorId: survivor });
      throw appError('NOT_FOUND', `educator ${id} does not exist`, { id, field });
    }
    if (covered && !covered.has(id)) throw appError('FORBIDDEN', `educator ${id} is outside your scope`, { id, field });
  }
}

export interface PublishedOrganization { id: string; municipalityId: string; kind: string; name: string; shortName: string | null }

/** Organizations by id from staff_api.organization; NOT_FOUND for an unknown id. */
export async function requireOrganizations(db: Knex, ids: readonly string[]): Promise<Map<string, PublishedOrganization>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows: PublishedOrganization[] = await db('staff_api.organization')
    .select('id', 'municipality_id as municipalityId', 'kind', 'name', 'short_name as shortName').whereIn('id', wanted);
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const id of wanted) if (!byId.has(id)) throw notFound('organization', id);
  return byId;
}

export interface PublishedMunicipality { id: string; name: string; oktmo: string; timeZone: string }

/** Municipalities by id from staff_api.municipality; NOT_FOUND for an unknown id. */
export async function requireMunicipalities(db: Knex, ids: readonly string[]): Promise<Map<string, PublishedMunicipality>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows: PublishedMunicipality[] = await db('staff_api.municipality')
    .select('id', 'name', 'oktmo', 'time_zone as timeZone').whereIn('id', wanted);
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const id of wanted) if (!byId.has(id)) throw notFound('municipality', id);
  return byId;
}
