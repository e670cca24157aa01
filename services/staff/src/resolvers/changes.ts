import type { Resolvers } from '../generated/graphql';

/** The change feed and the merging of duplicate educators. */
export const changeResolvers: Resolvers = {};
