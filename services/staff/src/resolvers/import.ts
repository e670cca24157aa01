import { authorize } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { upsertEducators } from '../imports';

/** Bulk upsert of a municipality's educators and employments. */
export const importResolvers: Resolvers = {
  Mutation: {
    upsertEducators: (_, { input }, ctx) => upsertEducators(ctx, authorize(ctx.viewer, 'bulk:write'), input, ctx.log),
  },
};
