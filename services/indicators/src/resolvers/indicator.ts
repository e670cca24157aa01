import { readScope } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { catalog, indicatorOf } from '../catalog';

export const indicatorResolvers: Resolvers = {
  Query: {
    indicators: (_, __, ctx) => {
      readScope(ctx.viewer);
      return [...catalog];
    },
    indicator: (_, { code }, ctx) => {
      readScope(ctx.viewer);
      return indicatorOf(code);
    },
  },
};
