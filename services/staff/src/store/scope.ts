import type { Knex } from 'knex';
import type { Scope } from '@mms/platform';

/**
 * Which educators a scope covers, as SQL: an educator belongs to a municipality or organization while they have
 * (or once had) an employment there. `educatorId` is the column holding the educator's id in the outer query.
 */
export function whereEducatorInScope(query: Knex.QueryBuilder, scope: Scope, educatorId: string): Knex.QueryBuilder {
  switch (scope.kind) {
    case 'region':
      return query;
    case 'educator':
      return query.where(educatorId, scope.educatorId);
    case 'organization':
      return query.whereExists((sub) => sub.select(sub.client.raw('1')).from('employment as scope_e')
        .whereRaw('scope_e.educator_id = ??', [educatorId]).where('scope_e.organization_id', scope.organizationId));
    case 'municipality':
      return query.whereExists((sub) => sub.select(sub.client.raw('1')).from('employment as scope_e')
        .join('organization as scope_o', 'scope_o.id', 'scope_e.organization_id')
        .whereRaw('scope_e.educator_id = ??', [educatorId]).where('scope_o.municipality_id', scope.municipalityId));
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
