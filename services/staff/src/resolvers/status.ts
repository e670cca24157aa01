import type { Resolvers } from '../generated/graphql';

/** Statuses with terms and regional-methodist assignments. */
export const statusResolvers: Resolvers = {};
