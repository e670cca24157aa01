import { authorize, can, groupLoader, isUuid, parseId, parseInput, readScope, rowLoader, today, type Scope } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import type { Context } from '../loaders';
import { date, id, periodArgs, text } from '../validate';
import { isOverdue } from './rules';
import * as store from './store';
import { answerHelpRequestInput, fileHelpRequestInput, helpFilter, rating, sessionInput } from './validate';
import * as writes from './writes';

/** Requests for help and support sessions (issue 20): queries, mutations and the per-request loaders of the module. */

const capped = (first: number | null | undefined, max: number) => Math.max(0, Math.min(first ?? 50, max));

function makeLoaders(ctx: Context) {
  const scope = () => readScope(ctx.viewer);
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  return {
    request: rowLoader((keys) => store.requestsByIds(ctx.db, scope(), ids(keys)), (row) => row.id),
    supportOfRequest: groupLoader((keys) => store.supportOfRequests(ctx.db, scope(), keys), (row) => row.helpRequestId),
    sessionsOfRequest: groupLoader((keys) => store.sessionsByRequests(ctx.db, scope(), keys), (row) => row.helpRequestId!),
    session: rowLoader((keys) => store.sessionsByIds(ctx.db, scope(), ids(keys)), (row) => row.id),
    sessionsOfEducator: groupLoader((keys) => store.sessionsByEducators(ctx.db, scope(), ids(keys)), (row) => row.educatorId),
    participantsOfSession: groupLoader((keys) => store.participantsBySessions(ctx.db, scope(), keys), (row) => row.sessionId),
  };
}
const cache = new WeakMap<object, ReturnType<typeof makeLoaders>>();
/** This module's loaders, one set per request (kept beside the context, not in the subgraph's shared loaders file). */
export function helpLoaders(ctx: Context) {
  let loaders = cache.get(ctx);
  if (!loaders) cache.set(ctx, (loaders = makeLoaders(ctx)));
  return loaders;
}

const optionalDay = z.object({ on: date.nullish() });
const municipalityOf = (scope: Scope, municipalityId: string | null | undefined) => {
  if (municipalityId) return [parseId(municipalityId, 'municipalityId')];
  return scope.kind === 'municipality' ? [scope.municipalityId] : null;
};

export const helpResolvers: Resolvers = {
  Query: {
    helpRequests: (_, { filter, first }, ctx) => {
      const scope = authorize(ctx.viewer, 'help-request:read');
      return store.listRequests(ctx.db, scope, parseInput(helpFilter, filter, 'filter'), capped(first, 200));
    },
    helpRequest: (_, args, ctx) => {
      authorize(ctx.viewer, 'help-request:read');
      return helpLoaders(ctx).request.load(parseId(args.id));
    },
    overdueHelpRequests: (_, { municipalityId, on }, ctx) => {
      const scope = authorize(ctx.viewer, 'help-request:read');
      const day = parseInput(optionalDay, { on }, 'args').on ?? today();
      return store.listOverdue(ctx.db, scope, municipalityId ? parseId(municipalityId, 'municipalityId') : null, day, 200);
    },
    helpQuality: async (_, { from, to, municipalityId }, ctx) => {
      const scope = authorize(ctx.viewer, 'indicator:read');
      const period = parseInput(periodArgs, { from, to }, 'args');
      let municipalities = municipalityOf(scope, municipalityId);
      if (scope.kind === 'municipality' && municipalities![0] !== scope.municipalityId) municipalities = [];
      if (scope.kind === 'organization' || scope.kind === 'educator') municipalities = [];
      return municipalities?.length === 0 ? [] : store.quality(ctx.db, municipalities, period, today());
    },
    supportSessions: (_, { from, to, municipalityId }, ctx) => {
      const scope = readScope(ctx.viewer);
      return store.listSessions(ctx.db, scope, municipalityId ? parseId(municipalityId, 'municipalityId') : null, parseInput(periodArgs, { from, to }, 'args'), 500);
    },
  },
  Mutation: {
    fileHelpRequest: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'help-request:file');
      const valid = parseInput(fileHelpRequestInput, input);
      return ctx.transaction((trx) => writes.fileRequest(trx, ctx.viewer, scope, valid, today()));
    },
    assignHelpRequest: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'help-request:handle');
      const valid = parseInput(z.object({ id, methodistId: id, on: date.nullish() }), args, 'args');
      return ctx.transaction((trx) => writes.assign(trx, scope, valid.id, valid.methodistId, valid.on ?? today()));
    },
    startHelpRequest: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'help-request:handle');
      return ctx.transaction((trx) => writes.start(trx, scope, parseId(args.id)));
    },
    answerHelpRequest: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'help-request:handle');
      const valid = parseInput(answerHelpRequestInput, input);
      return ctx.transaction((trx) => writes.answer(trx, scope, valid, today()));
    },
    closeHelpRequest: (_, args, ctx) => {
      if (!can(ctx.viewer, 'help-request:handle')) authorize(ctx.viewer, 'help-request:rate');
      const scope = readScope(ctx.viewer);
      const valid = parseInput(z.object({ id, on: date.nullish() }), args, 'args');
      return ctx.transaction((trx) => writes.close(trx, ctx.viewer, scope, valid.id, valid.on ?? today()));
    },
    declineHelpRequest: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'help-request:handle');
      const valid = parseInput(z.object({ id, reason: text(4000), on: date.nullish() }), args, 'args');
      return ctx.transaction((trx) => writes.decline(trx, scope, valid.id, valid.reason, valid.on ?? today()));
    },
    rateHelpRequest: (_, args, ctx) => {
      authorize(ctx.viewer, 'help-request:rate');
      const valid = parseInput(z.object({ id, rating }), args, 'args');
      return ctx.transaction((trx) => writes.rate(trx, ctx.viewer, valid.id, valid.rating, today()));
    },
    recordSupportSession: async (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'support:write');
      const valid = parseInput(sessionInput, input);
      const sessionId = await ctx.transaction((trx) => writes.recordSession(trx, scope, valid));
      return (await helpLoaders(ctx).session.load(sessionId))!;
    },
  },
  Educator: {
    supportSessions: (e, _, ctx) => helpLoaders(ctx).sessionsOfEducator.load(e.id),
  },
  HelpRequest: {
    requesterEducator: (r) => (r.requesterEducatorId ? { id: r.requesterEducatorId } : null),
    requesterOrganization: (r) => (r.requesterOrganizationId ? { id: r.requesterOrganizationId } : null),
    requesterAssociation: (r, _, ctx) => (r.requesterAssociationId ? ctx.loaders.association.load(r.requesterAssociationId) : null),
    methodist: (r) => (r.methodistId ? { id: r.methodistId } : null),
    isOverdue: (r) => isOverdue(r, today()),
    support: (r, _, ctx) => helpLoaders(ctx).supportOfRequest.load(r.id),
    supportSessions: (r, _, ctx) => helpLoaders(ctx).sessionsOfRequest.load(r.id),
  },
  HelpQuality: {
    onTimeShare: (q) => (q.answeredCount ? Math.round((q.answeredOnTimeCount / q.answeredCount) * 1000) / 1000 : null),
  },
  SupportSession: {
    methodist: (s) => ({ id: s.methodistId }),
    organization: (s) => (s.organizationId ? { id: s.organizationId } : null),
    participants: (s, _, ctx) => helpLoaders(ctx).participantsOfSession.load(s.id),
    helpRequest: (s, _, ctx) => (s.helpRequestId ? helpLoaders(ctx).request.load(s.helpRequestId) : null),
    association: (s, _, ctx) => (s.associationId ? ctx.loaders.association.load(s.associationId) : null),
  },
};
