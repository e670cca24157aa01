import type { Knex } from 'knex';
import { whereEducatorInScope, whereTermOverlaps, type Scope } from '@mms/platform';

/**
 * Who may see what, in SQL, over staff's published views (the rules live in the platform: every subgraph applies the
 * same ones), plus the two this subgraph adds: rows keyed by educator through merges, and rows of a municipality.
 */
export { educatorKeys, organizationInScope, whereEducatorInScope } from '@mms/platform';

/** The live educator a stored id names: itself, or the survivor it was merged into. */
export const ownerSql = (column: string) =>
  `coalesce((select mg.survivor_id from staff_api.educator_merge mg where mg.duplicate_id = ${column}), ${column})`;

/** Rows of a municipality (associations, councils, complaints) that the scope covers. */
export function whereMunicipalityInScope(query: Knex.QueryBuilder, scope: Scope, column: string): Knex.QueryBuilder {
  switch (scope.kind) {
    case 'region':
      return query;
    case 'municipality':
      return query.where(column, scope.municipalityId);
    case 'organization':
      return query.whereIn(column, (sub) => sub.select('municipality_id').from('staff_api.organization').where('id', scope.organizationId));
    case 'educator':
      return query.whereIn(column, (sub) => sub.select('municipality_id').from('staff_api.employment').where('educator_id', scope.educatorId));
  }
}

/** Narrowing of a list to a municipality or an organization (ScopeInput): educators employed there during the period. */
export interface Narrowing {
  municipalityId?: string | null;
  organizationId?: string | null;
}

export function whereEmployedIn(query: Knex.QueryBuilder, educatorColumn: string, narrowing: Narrowing, period: { from: string; to: string }): Knex.QueryBuilder {
  if (!narrowing.municipalityId && !narrowing.organizationId) return query;
  return query.whereExists((sub) => {
    sub.select(sub.client.raw('1')).from('staff_api.employment as n').whereRaw('n.educator_id = ??', [educatorColumn]);
    whereTermOverlaps(sub, 'n.started_on', 'n.ended_on', period);
    if (narrowing.municipalityId) sub.where('n.municipality_id', narrowing.municipalityId);
    if (narrowing.organizationId) sub.where('n.organization_id', narrowing.organizationId);
  });
}

/** The educators employed on `day` in the scope and narrowing, as a query of one column `e.educator_id`. */
export function employedOn(db: Knex, scope: Scope, narrowing: Narrowing, day: string): Knex.QueryBuilder {
  const query = whereTermOverlaps(db('staff_api.employment as e').distinct('e.educator_id'), 'e.started_on', 'e.ended_on', { from: day, to: day });
  if (narrowing.municipalityId) query.where('e.municipality_id', narrowing.municipalityId);
  if (narrowing.organizationId) query.where('e.organization_id', narrowing.organizationId);
  return whereEducatorInScope(query, scope, 'e.educator_id');
}

/** An entity of another subgraph (Educator, Organization): its id is all we hold. */
export interface EntityRef {
  id: string;
}

/** A row of a list of people. */
export interface EducatorRefRow {
  educatorId: string;
}
