import type { Knex } from 'knex';
import { badInput, forbidden, parseId, requireMunicipalities, requireOrganizations, type Scope } from '@mms/platform';

/** The part of the region a value is computed for. An organization carries its municipality (targets, access). */
export type ValueScope =
  | { kind: 'region' }
  | { kind: 'municipality'; id: string }
  | { kind: 'organization'; id: string; municipalityId: string };

export interface ScopeInput {
  region?: boolean | null;
  municipalityId?: string | null;
  organizationId?: string | null;
}

/** A stable text key of a scope, for loaders. */
export const scopeKey = (scope: ValueScope) => (scope.kind === 'region' ? 'region' : `${scope.kind}:${scope.id}`);

/** Whether the caller's scope (from their token) covers a value scope. */
export function covers(viewer: Scope, scope: ValueScope): boolean {
  switch (viewer.kind) {
    case 'region': return true;
    case 'municipality':
      return (scope.kind === 'municipality' && scope.id === viewer.municipalityId)
        || (scope.kind === 'organization' && scope.municipalityId === viewer.municipalityId);
    case 'organization': return scope.kind === 'organization' && scope.id === viewer.organizationId;
    case 'educator': return false;
  }
}

export function requireCovered(viewer: Scope, scope: ValueScope): ValueScope {
  if (!covers(viewer, scope)) throw forbidden(`the ${scope.kind === 'region' ? 'region' : `${scope.kind} ${(scope as { id: string }).id}`} lies outside your scope`);
  return scope;
}

/**
 * Reads an IndicatorScopeInput (exactly one of region, municipalityId, organizationId): BAD_USER_INPUT otherwise,
 * NOT_FOUND for an unknown municipality or organization (read from staff_api).
 */
export async function resolveScope(db: Knex, input: ScopeInput, field = 'scope'): Promise<ValueScope> {
  const given = [input.region === true, Boolean(input.municipalityId), Boolean(input.organizationId)].filter(Boolean).length;
  if (given !== 1 || input.region === false) throw badInput(`${field}: give exactly one of region: true, municipalityId, organizationId`, field);
  if (input.region) return { kind: 'region' };
  if (input.municipalityId) {
    const id = parseId(input.municipalityId, `${field}.municipalityId`);
    await requireMunicipalities(db, [id]);
    return { kind: 'municipality', id };
  }
  const id = parseId(input.organizationId!, `${field}.organizationId`);
  const organization = (await requireOrganizations(db, [id])).get(id)!;
  return { kind: 'organization', id, municipalityId: organization.municipalityId };
}

/** The caller's own scope as a value scope (the default of lists), or null for an educator. */
export function viewerValueScope(viewer: Scope): { kind: 'region' } | { kind: 'municipality'; id: string } | { kind: 'organization'; id: string } | null {
  switch (viewer.kind) {
    case 'region': return { kind: 'region' };
    case 'municipality': return { kind: 'municipality', id: viewer.municipalityId };
    case 'organization': return { kind: 'organization', id: viewer.organizationId };
    case 'educator': return null;
  }
}
