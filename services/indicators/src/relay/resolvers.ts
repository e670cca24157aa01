import type { GraphQLResolveInfo } from 'graphql';
import { isUuid, rowLoader } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import type { Context } from '../loaders';
import { reportResolvers } from '../resolvers/report';
import { targetReaderMunicipality } from '../resolvers/target';
import { targetsByIds } from '../store/targets';

type ById = (parent: unknown, args: { id: string }, ctx: unknown, info: GraphQLResolveInfo) => unknown;
const byId = (reportResolvers.Query as Record<string, ById>).indicatorReport;

/** Targets by id, per request (kept beside its context): one statement whatever the number of ids. */
const targetLoaders = new WeakMap<object, ReturnType<typeof createTargetLoader>>();
function createTargetLoader(ctx: Context) {
  return rowLoader((keys) => targetsByIds(ctx.db, keys.filter(isUuid)), (row) => row.id);
}

/**
 * A target as `indicatorTargets` shows it: the region's to every reader of indicators, a municipality's to the region
 * and that municipality (and its organizations' admins); null otherwise, as the list leaves it out. FORBIDDEN without
 * indicator:read.
 */
async function resolveTarget(ref: { id: string }, ctx: Context) {
  const own = await targetReaderMunicipality(ctx);
  let loader = targetLoaders.get(ctx);
  if (!loader) targetLoaders.set(ctx, (loader = createTargetLoader(ctx)));
  const target = await loader.load(ref.id);
  if (!target) return null;
  return target.municipalityId === null || own === null || own === target.municipalityId ? target : null;
}

/** Relay: a frozen report's entity resolver is `indicatorReport(id:)`, so `node(id:)` gives what it gives, scope included. */
export const relayResolvers: Resolvers = {
  IndicatorReport: {
    __resolveReference: ((ref: { id: string }, ctx: unknown, info: GraphQLResolveInfo) => byId(null, { id: ref.id }, ctx, info)) as never,
  },
  // ---- more nodes (issue 17) ----
  IndicatorTarget: { __resolveReference: resolveTarget as never },
};
