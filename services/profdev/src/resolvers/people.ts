import { addYears, authorize, parseInput, periodOf, readScope, today } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import * as community from '../community';
import { earlyCareerWithoutMentor, listMentorships, listSupport } from '../store/people';
import { date, id, mentorshipInput, periodArgs, scopeInput, supportInput, text } from '../validate';

const endArgs = z.object({ id, endedOn: date, outcome: text(4000) });

export const peopleResolvers: Resolvers = {
  Query: {
    earlyCareerWithoutMentor: async (_, { scope: narrowing, on }, ctx) => {
      const scope = readScope(ctx.viewer);
      const day = periodOf({ on }, today()).from;
      const ids = await earlyCareerWithoutMentor(ctx.db, scope, parseInput(scopeInput, narrowing, 'scope'), day, addYears(day, -3));
      return ids.map((educatorId) => ({ educatorId }));
    },
    mentorships: (_, { scope: narrowing, on }, ctx) => {
      const scope = readScope(ctx.viewer);
      return listMentorships(ctx.db, scope, parseInput(scopeInput, narrowing, 'scope'), periodOf({ on }, today()).from);
    },
    supportGiven: (_, { scope: narrowing, from, to }, ctx) => {
      const scope = readScope(ctx.viewer);
      return listSupport(ctx.db, scope, parseInput(scopeInput, narrowing, 'scope'), parseInput(periodArgs, { from, to }, 'args'));
    },
  },
  Mutation: {
    startMentorship: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'mentorship:write');
      const valid = parseInput(mentorshipInput, input);
      return ctx.transaction((trx) => community.startMentorship(trx, scope, valid));
    },
    endMentorship: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'mentorship:write');
      const valid = parseInput(endArgs, args, 'args');
      return ctx.transaction((trx) => community.endMentorship(trx, scope, valid.id, valid.endedOn, valid.outcome));
    },
    recordSupport: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'support:write');
      const valid = parseInput(supportInput, input);
      return ctx.transaction((trx) => community.recordSupport(trx, scope, valid));
    },
  },
  EducatorRef: {
    educator: (row) => ({ id: row.educatorId }),
  },
  Mentorship: {
    mentor: (m) => ({ id: m.mentorId }),
    mentee: (m) => ({ id: m.menteeId }),
  },
  Support: {
    methodist: (s) => ({ id: s.methodistId }),
    educator: (s) => ({ id: s.educatorId }),
  },
};
