import { authorize, badInput, maxPageSize, parseInput } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { changesPageSize, duplicateCandidates, mergeArguments, mergeEducators, narrowingScopes, readChanges } from '../changes';
import { statusScopeInput } from '../statuses';
import { required } from './organization';

/** The change feed and the merging of duplicate educators. */
export const changeResolvers: Resolvers = {
  Query: {
    changes: (_, { after, first }, ctx) => {
      const scope = authorize(ctx.viewer, 'changes:read');
      return readChanges(ctx.db, scope, changesPageSize(first), after);
    },
    duplicateCandidates: (_, { scope: narrowing, first }, ctx) => {
      const scope = authorize(ctx.viewer, 'educator:merge');
      const size = first ?? 50;
      if (size < 1 || size > maxPageSize) throw badInput(`first must be between 1 and ${maxPageSize}`, 'first');
      return duplicateCandidates(ctx.db, scope, narrowingScopes(parseInput(statusScopeInput, narrowing, 'scope')), size);
    },
  },
  Mutation: {
    mergeEducators: (_, args, ctx) => {
      authorize(ctx.viewer, 'educator:merge');
      const { survivorId, duplicateId } = mergeArguments(args);
      return ctx.transaction((trx) => mergeEducators(trx, ctx.viewer.subject ?? null, survivorId, duplicateId));
    },
  },
  Change: {
    at: (change) => change.at.toISOString(),
  },
  DuplicateCandidate: {
    survivor: (pair, _, ctx) => ctx.loaders.educator.load(pair.survivorId).then(required),
    duplicate: (pair, _, ctx) => ctx.loaders.educator.load(pair.duplicateId).then(required),
  },
};
