import { authorize, can, forbidden, groupLoader, parseId, parseInput, readScope, today } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import type { Context } from '../loaders';
import { date } from '../validate';
import { createRequest, dataRequestInput, isLate, listRequests, submissionInput, submit, targetsByRequests } from './data-requests';

/** Data requests to organizations (issue 20): queries, mutations and the module's loader. */

function makeLoaders(ctx: Context) {
  return { targetsOfRequest: groupLoader((keys) => targetsByRequests(ctx.db, readScope(ctx.viewer), keys), (row) => row.requestId) };
}
const cache = new WeakMap<object, ReturnType<typeof makeLoaders>>();
const loaders = (ctx: Context) => {
  let found = cache.get(ctx);
  if (!found) cache.set(ctx, (found = makeLoaders(ctx)));
  return found;
};

/** The part of the region whose data requests the caller reads; FORBIDDEN for a role that neither writes nor submits them. */
export function dataRequestReadScope(ctx: Context) {
  const scope = readScope(ctx.viewer);
  if (!can(ctx.viewer, 'data-request:write') && !can(ctx.viewer, 'data-request:submit')) throw forbidden(`role ${ctx.viewer.role} may not read data requests`);
  return scope;
}

export const dataRequestResolvers: Resolvers = {
  Query: {
    dataRequests: (_, { municipalityId }, ctx) => {
      const scope = dataRequestReadScope(ctx);
      return listRequests(ctx.db, scope, municipalityId ? parseId(municipalityId, 'municipalityId') : null, 200);
    },
  },
  Mutation: {
    createDataRequest: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'data-request:write');
      const valid = parseInput(dataRequestInput, input);
      return ctx.transaction((trx) => createRequest(trx, scope, valid, today()));
    },
    submitDataRequest: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'data-request:submit');
      const valid = parseInput(submissionInput, input);
      return ctx.transaction((trx) => submit(trx, scope, valid, today()));
    },
  },
  DataRequest: {
    targetCount: async (d, _, ctx) => (await loaders(ctx).targetsOfRequest.load(d.id)).length,
    submittedCount: async (d, _, ctx) => (await loaders(ctx).targetsOfRequest.load(d.id)).filter((t) => t.submittedOn).length,
    targets: (d, _, ctx) => loaders(ctx).targetsOfRequest.load(d.id),
    late: async (d, { on }, ctx) => {
      const day = parseInput(z.object({ on: date.nullish() }), { on }, 'args').on ?? today();
      return (await loaders(ctx).targetsOfRequest.load(d.id)).filter((t) => isLate(t, day));
    },
  },
  DataRequestTarget: {
    organization: (t) => ({ id: t.organizationId }),
    isLate: (t) => isLate(t, today()),
    figures: (t) => t.figures ?? [],
  },
};
