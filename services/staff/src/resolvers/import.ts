import type { Resolvers } from '../generated/graphql';

/** Bulk upsert of a municipality's educators and employments. */
export const importResolvers: Resolvers = {};
