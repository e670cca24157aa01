import { authorize, cappedList, maxListSize, parseId, parseInput, readScope } from '@mms/platform';
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
    organizations: async (municipality, { kind, first }, ctx) =>
      cappedList(await ctx.loaders.organizationsOfMunicipality(kind).load(municipality.id), first, maxListSize),
  },
};
