import { parseId, parseInput, readScope, authorize } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { createMunicipality, listMunicipalities } from '../store/municipalities';
import { municipalityInput } from '../validate';

export const municipalityResolvers: Resolvers = {
  Query: {
    municipalities: (_, __, ctx) => {
      readScope(ctx.viewer);
      return listMunicipalities(ctx.db);
    },
    municipality: (_, { id }, ctx) => {
      readScope(ctx.viewer);
      return ctx.loaders.municipality.load(parseId(id));
    },
  },
  Mutation: {
    createMunicipality: (_, { input }, ctx) => {
      authorize(ctx.viewer, 'municipality:write');
      const valid = parseInput(municipalityInput, input);
      return ctx.transaction((trx) => createMunicipality(trx, valid));
    },
  },
  Municipality: {
    __resolveReference: (ref, ctx) => ctx.loaders.municipality.load(ref.id),
    organizations: (municipality, { kind }, ctx) => ctx.loaders.organizationsOfMunicipality(kind).load(municipality.id),
  },
};
