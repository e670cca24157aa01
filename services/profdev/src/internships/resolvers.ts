import { authorize, cappedList, isUuid, maxListSize, pageRequest, parseId, parseInput, readScope, toConnection } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import { required } from '../resolvers/required';
import { date, id, text } from '../validate';
import * as store from './store';
import * as writes from './writes';

const filter = z.object({ organizationId: id.nullish(), municipalityId: id.nullish(), from: date.nullish(), to: date.nullish() }).nullish().transform((f) => f ?? {});
const internshipInput = z.object({
  organizationId: id,
  programTitle: text(1000),
  form: z.enum(['individual', 'team']),
  teamOrganizationId: id.nullish(),
  startsOn: date,
  endsOn: date,
  participantIds: z.array(id).min(1, 'at least one participant').max(200),
}).refine((i) => i.endsOn >= i.startsOn, { message: 'must not be before startsOn', path: ['endsOn'] })
  .refine((i) => i.form === 'team' || !i.teamOrganizationId, { message: 'only a TEAM internship names a team\'s school', path: ['teamOrganizationId'] });
const isDateAndIdKey = (key: unknown[]) => key.length === 2 && typeof key[0] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(key[0]) && isUuid(key[1]);

/** Internships at internship sites (issue 24). */
export const internshipResolvers: Resolvers = {
  Query: {
    internships: async (_, args, ctx) => {
      const scope = readScope(ctx.viewer);
      const valid = parseInput(filter, args.filter, 'filter');
      const page = pageRequest('profdev.internships', args.first, args.after, isDateAndIdKey);
      const rows = await store.listInternships(ctx.db, scope, valid, page);
      return toConnection(rows, page, store.internshipCursor, () => store.countInternships(ctx.db, scope, valid));
    },
    internship: (_, args, ctx) => {
      readScope(ctx.viewer);
      return ctx.loaders.internship.load(parseId(args.id));
    },
  },
  Mutation: {
    createInternship: async (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'internship:write');
      const valid = parseInput(internshipInput, input);
      const internshipId = await ctx.transaction((trx) => writes.createInternship(trx, scope, valid));
      return ctx.loaders.internship.load(internshipId).then(required);
    },
    recordInternshipOutcome: async (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'internship:write');
      const internshipId = parseId(args.id);
      const completedOn = parseInput(date, args.completedOn, 'completedOn');
      const outcome = parseInput(text(5000), args.outcome, 'outcome');
      await ctx.transaction((trx) => writes.recordOutcome(trx, scope, internshipId, completedOn, outcome));
      return ctx.loaders.internship.load(internshipId).then(required);
    },
    linkRouteItemToInternship: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'route:write');
      const itemId = parseId(args.itemId, 'itemId');
      const internshipId = parseId(args.internshipId, 'internshipId');
      return ctx.transaction((trx) => writes.linkRouteItem(trx, scope, itemId, internshipId));
    },
  },
  Internship: {
    organization: (row) => ({ id: row.organizationId }),
    teamOrganization: (row) => (row.teamOrganizationId ? { id: row.teamOrganizationId } : null),
    participants: async (row, { first }, ctx) => cappedList(await ctx.loaders.participantsOfInternship.load(row.id), first, maxListSize),
  },
  RouteItem: {
    internship: (item, _, ctx) => ctx.loaders.internshipOfRouteItem.load(item.id),
  },
};
