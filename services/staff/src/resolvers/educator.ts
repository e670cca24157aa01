import { badInput, forbidden, fullYearsBetween, pageRequest, personOrder, today, parseId, parseInput, readScope, toConnection, authorize } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import * as registry from '../registry';
import { countEducators, earlyCareerSince, educatorOrders, findEducator, isEducatorInScope, listEducators, under35Since } from '../store/educators';
import { educatorAfterPatch, educatorFilter, educatorInput, educatorPatch, formatSnils, normalizeSnils } from '../validate';


export const educatorResolvers: Resolvers = {
  Query: {
    educator: async (_, args, ctx) => {
      const id = parseId(args.id);
      const educator = await ctx.loaders.educator.load(id);
      if (educator) return educator;
      // Out of scope and nonexistent differ: the first is refused, the second is simply not there.
      if (await findEducator(ctx.db, { id })) throw forbidden('this educator is outside your scope');
      return null;
    },
    educatorBySnils: async (_, { snils }, ctx) => {
      const scope = readScope(ctx.viewer);
      const digits = normalizeSnils(snils);
      if (!/^\d{11}$/.test(digits)) throw badInput('snils must have 11 digits', 'snils');
      const found = await findEducator(ctx.db, { snils: digits });
      if (!found) return null;
      if (!(await isEducatorInScope(ctx.db, scope, found.id))) throw forbidden('this educator is outside your scope');
      return found;
    },
    educators: async (_, { filter, first, after, last, before }, ctx) => {
      const scope = readScope(ctx.viewer);
      // By name for a caller who may read names; by id (telling nothing of names) for one who may not.
      const order = personOrder(ctx.viewer);
      const { list, isKey, keyOf } = educatorOrders[order];
      const page = pageRequest(list, { first, after, last, before }, undefined, isKey);
      const valid = parseInput(educatorFilter, filter, 'filter');
      const rows = await listEducators(ctx.db, scope, valid, page, order);
      return toConnection(rows, page, keyOf, () => countEducators(ctx.db, scope, valid));
    },
  },
  Mutation: {
    createEducator: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'employment:write');
      const valid = parseInput(educatorInput, input);
      return ctx.transaction((trx) => registry.createEducator(trx, scope, valid));
    },
    updateEducator: (_, { id, input }, ctx) => {
      const scope = authorize(ctx.viewer, 'educator:write');
      parseId(id);
      const valid = parseInput(educatorPatch, input);
      return ctx.transaction(async (trx) => {
        const educator = await registry.updateEducator(trx, scope, id, valid);
        parseInput(educatorAfterPatch, educator); // throws, and the transaction rolls back
        return educator;
      });
    },
  },
  Educator: {
    __resolveReference: (ref, ctx) => ctx.loaders.educator.load(ref.id),
    // Personal fields (names, birth date, SNILS, contacts, age) are guarded by the classification table
    // (../classification.ts), enforced by the platform on every resolver of the schema.
    fullName: (e) => [e.lastName, e.firstName, e.patronymic].filter(Boolean).join(' '),
    snils: (e) => (e.snils === null ? null : formatSnils(e.snils)),
    employments: (educator, { activeOn }, ctx) => ctx.loaders.employmentsOfEducator(activeOn).load(educator.id),
    experienceYears: (e, { on }) => (e.pedagogicalWorkStartedOn ? Math.max(0, fullYearsBetween(e.pedagogicalWorkStartedOn, on ?? today())) : null),
    age: (e, { on }) => fullYearsBetween(e.birthDate, on ?? today()),
    isEarlyCareer: (e, { on }) => e.pedagogicalWorkStartedOn !== null && e.pedagogicalWorkStartedOn > earlyCareerSince(on ?? today()),
    isUnder35: (e, { on }) => e.birthDate > under35Since(on ?? today()),
    createdAt: (e) => e.createdAt.toISOString(),
    updatedAt: (e) => e.updatedAt.toISOString(),
  },
};
