import { authorize, cappedList, isUuid, maxListSize, pageRequest, parseId, parseInput, readScope, toConnection } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import { required } from '../resolvers/required';
import { date, id } from '../validate';
import * as store from './store';
import { orderInput, outcomesInput, runInput } from './validate';
import * as writes from './writes';

const runFilter = z.object({
  status: z.string().nullish(), municipalityId: id.nullish(), programId: id.nullish(), providerKind: z.string().nullish(),
  startsFrom: date.nullish(), startsTo: date.nullish(),
}).nullish().transform((f) => f ?? {});
const isDateAndIdKey = (key: unknown[]) => key.length === 2 && typeof key[0] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(key[0]) && isUuid(key[1]);
const order = (number: string | null, day: string | null) => (number && day ? { number, date: day } : null);

/** Course runs, applications and nominations (issue 24). */
export const courseResolvers: Resolvers = {
  Query: {
    // Open to anonymous callers, who see the runs open for applications only (the public list of opportunities).
    courseRuns: async (_, { filter, first, after }, ctx) => {
      const valid = parseInput(runFilter, filter, 'filter');
      const effective = ctx.viewer.role === 'anonymous' ? { ...valid, status: 'open' } : valid;
      const page = pageRequest(`profdev.courseRuns${ctx.viewer.role === 'anonymous' ? ' open' : ''}`, first, after, isDateAndIdKey);
      const rows = await store.listRuns(ctx.db, effective, page);
      return toConnection(rows, page, store.runCursor, () => store.countRuns(ctx.db, effective));
    },
    courseRun: (_, args, ctx) => ctx.loaders.courseRun.load(parseId(args.id)),
  },
  Mutation: {
    createCourseRun: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'course:write');
      const valid = parseInput(runInput, input);
      return ctx.transaction((trx) => writes.createRun(trx, scope, valid));
    },
    openCourseRun: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'course:write');
      const runId = parseId(args.id);
      const valid = parseInput(orderInput, args.order, 'order');
      return ctx.transaction((trx) => writes.openRun(trx, scope, runId, valid));
    },
    startCourseRun: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'course:write');
      const runId = parseId(args.id);
      const valid = parseInput(orderInput, args.enrolmentOrder, 'enrolmentOrder');
      return ctx.transaction((trx) => writes.startRun(trx, scope, runId, valid));
    },
    cancelCourseRun: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'course:write');
      const runId = parseId(args.id);
      const on = parseInput(date.nullish(), args.on, 'on');
      return ctx.transaction((trx) => writes.cancelRun(trx, scope, runId, on));
    },
    applyForCourseRun: (_, args, ctx) => {
      authorize(ctx.viewer, 'course:apply-own');
      const runId = parseId(args.runId, 'runId');
      return ctx.transaction((trx) => writes.apply(trx, ctx.viewer, runId));
    },
    nominateForCourseRun: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'course:nominate');
      const runId = parseId(args.runId, 'runId');
      const educatorId = parseId(args.educatorId, 'educatorId');
      return ctx.transaction((trx) => writes.nominate(trx, scope, runId, educatorId));
    },
    enrolInCourseRun: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'course:write');
      const runId = parseId(args.runId, 'runId');
      const educatorId = parseId(args.educatorId, 'educatorId');
      return ctx.transaction((trx) => writes.enrol(trx, scope, runId, educatorId));
    },
    withdrawCourseApplication: (_, args, ctx) => {
      const scope = readScope(ctx.viewer);
      const applicationId = parseId(args.id);
      return ctx.transaction((trx) => writes.withdraw(trx, ctx.viewer, scope, applicationId));
    },
    finishCourseRun: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'course:write');
      const runId = parseId(args.runId, 'runId');
      const finishedOn = parseInput(date.nullish(), args.finishedOn, 'finishedOn');
      const outcomes = parseInput(outcomesInput, args.outcomes, 'outcomes');
      return ctx.transaction((trx) => writes.finish(trx, scope, runId, finishedOn, outcomes));
    },
  },
  CourseRun: {
    __resolveReference: (ref, ctx) => ctx.loaders.courseRun.load(ref.id),
    program: (run, _, ctx) => ctx.loaders.program.load(run.programId).then(required),
    providerOrganization: (run) => (run.providerOrganizationId ? { id: run.providerOrganizationId } : null),
    openingOrder: (run) => order(run.openingOrderNumber, run.openingOrderDate),
    enrolmentOrder: (run) => order(run.enrolmentOrderNumber, run.enrolmentOrderDate),
    applications: async (run, { first }, ctx) => cappedList(await ctx.loaders.applicationsOfRun.load(run.id), first, maxListSize),
  },
  CourseApplication: {
    run: (application, _, ctx) => ctx.loaders.courseRun.load(application.runId).then(required),
    educator: (application) => ({ id: application.educatorId }),
    nominatedBy: (application) => (application.nominatedByOrganizationId ? { id: application.nominatedByOrganizationId } : null),
    appliedAt: (application) => new Date(application.appliedAt).toISOString(),
    completion: (application, _, ctx) => (application.completionId ? ctx.loaders.completionOfApplication.load(application.completionId) : null),
  },
};
