import { pageRequest, parseId, parseInput, readScope, toConnection, authorize } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import * as registry from '../registry';
import { countOrganizations, listOrganizations, organizationCursor } from '../store/organizations';
import { organizationFilter, organizationInput, organizationPatch } from '../validate';


export const organizationResolvers: Resolvers = {
  Query: {
    organization: (_, { id }, ctx) => {
      readScope(ctx.viewer);
      return ctx.loaders.organization.load(parseId(id));
    },
    organizations: async (_, { filter, first, after, last, before }, ctx) => {
      readScope(ctx.viewer);
      const page = pageRequest('staff.organizations', { first, after, last, before });
      const valid = parseInput(organizationFilter, filter, 'filter');
      const rows = await listOrganizations(ctx.db, valid, page);
      return toConnection(rows, page, organizationCursor, () => countOrganizations(ctx.db, valid));
    },
  },
  Mutation: {
    createOrganization: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'organization:write');
      const valid = parseInput(organizationInput, input);
      return ctx.transaction((trx) => registry.createOrganization(trx, scope, valid));
    },
    updateOrganization: (_, { id, input }, ctx) => {
      const scope = authorize(ctx.viewer, 'organization:write');
      parseId(id);
      const valid = parseInput(organizationPatch, input);
      return ctx.transaction((trx) => registry.updateOrganization(trx, scope, id, valid));
    },
  },
  Organization: {
    __resolveReference: (ref, ctx) => ctx.loaders.organization.load(ref.id),
    municipality: (organization, _, ctx) => ctx.loaders.municipality.load(organization.municipalityId).then(required),
    employments: (organization, { activeOn }, ctx) => ctx.loaders.employmentsOfOrganization(activeOn).load(organization.id),
  },
};

/** A foreign key guarantees the row; a null here would be a bug worth an error, not a silent null. */
export function required<T>(row: T | null): T {
  if (row === null) throw new Error('a referenced row is missing');
  return row;
}
