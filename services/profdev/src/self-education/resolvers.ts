import { authorize, parseId, parseInput, unauthenticated } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import { required } from '../resolvers/required';
import { date, id, text } from '../validate';
import * as writes from './writes';

const recordInput = z.object({
  educatorId: id.nullish(), topic: text(1000), periodFrom: date, periodTo: date, result: text(5000).nullish(),
}).refine((r) => r.periodTo >= r.periodFrom, { message: 'must not be before periodFrom', path: ['periodTo'] });

/** Self-education records (issue 24). */
export const selfEducationResolvers: Resolvers = {
  Mutation: {
    recordSelfEducation: async (_, { input }, ctx) => {
      if (ctx.viewer.role === 'anonymous') throw unauthenticated('sign in: anonymous callers may not record self-education');
      const valid = parseInput(recordInput, input);
      const recordId = await ctx.transaction((trx) => writes.record(trx, ctx.viewer, valid));
      return ctx.loaders.selfEducation.load(recordId).then(required);
    },
    setSelfEducationResult: async (_, args, ctx) => {
      if (ctx.viewer.role === 'anonymous') throw unauthenticated('sign in: anonymous callers may not record self-education');
      const recordId = parseId(args.id);
      const result = parseInput(text(5000), args.result, 'result');
      await ctx.transaction((trx) => writes.setResult(trx, ctx.viewer, recordId, result));
      return ctx.loaders.selfEducation.load(recordId).then(required);
    },
    linkRouteItemToSelfEducation: (_, args, ctx) => {
      authorize(ctx.viewer, 'route:write');
      const itemId = parseId(args.itemId, 'itemId');
      const recordId = parseId(args.selfEducationId, 'selfEducationId');
      return ctx.transaction((trx) => writes.linkRouteItem(trx, ctx.viewer, itemId, recordId));
    },
  },
  SelfEducation: {
    educator: (row) => ({ id: row.educatorId }),
  },
  Educator: {
    selfEducation: (e, _, ctx) => ctx.loaders.selfEducationOfEducator.load(e.id),
  },
  RouteItem: {
    selfEducation: (item, _, ctx) => ctx.loaders.selfEducationOfRouteItem.load(item.id),
  },
};
