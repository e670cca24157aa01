import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../generated/graphql';
import { reportResolvers } from '../resolvers/report';

type ById = (parent: unknown, args: { id: string }, ctx: unknown, info: GraphQLResolveInfo) => unknown;
const byId = (reportResolvers.Query as Record<string, ById>).indicatorReport;

/** Relay: a frozen report's entity resolver is `indicatorReport(id:)`, so `node(id:)` gives what it gives, scope included. */
export const relayResolvers: Resolvers = {
  IndicatorReport: {
    __resolveReference: ((ref: { id: string }, ctx: unknown, info: GraphQLResolveInfo) => byId(null, { id: ref.id }, ctx, info)) as never,
  },
};
