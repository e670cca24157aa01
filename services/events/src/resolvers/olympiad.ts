import { authorize, parseId, parseInput, readScope } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import * as olympiads from '../olympiads';
import * as plans from '../plans';
import { listOlympiads } from '../store/olympiads';
import { planFor } from '../store/plans';
import { createAnnualPlanInput, createOlympiadInput, id, planActivityInput } from '../validate';
import { required } from './required';

export const olympiadResolvers: Resolvers = {
  Query: {
    olympiads: (_, args, ctx) => {
      readScope(ctx.viewer);
      const valid = parseInput(z.object({ academicYear: z.string(), municipalityId: id.nullish() }), args, 'args');
      return listOlympiads(ctx.db, valid.academicYear, valid.municipalityId);
    },
    annualPlan: async (_, args, ctx) => {
      readScope(ctx.viewer);
      return (await planFor(ctx.db, parseId(args.municipalityId, 'municipalityId'), args.academicYear)) ?? null;
    },
  },
  Mutation: {
    createOlympiad: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'olympiad:write');
      const valid = parseInput(createOlympiadInput, input);
      return ctx.transaction((trx) => olympiads.createOlympiad(trx, scope, valid));
    },
    completeOlympiadTask: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'olympiad:write');
      const taskId = parseId(args.id);
      return ctx.transaction((trx) => olympiads.completeOlympiadTask(trx, scope, taskId, args.doneOn));
    },
    createAnnualPlan: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'plan:write');
      const valid = parseInput(createAnnualPlanInput, input);
      return ctx.transaction((trx) => plans.createAnnualPlan(trx, scope, valid));
    },
    addPlanActivity: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'plan:write');
      const planId = parseId(args.planId, 'planId');
      const valid = parseInput(planActivityInput, args.input);
      return ctx.transaction((trx) => plans.addPlanActivity(trx, scope, planId, valid));
    },
    linkActivityEvent: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'plan:write');
      const activityId = parseId(args.activityId, 'activityId');
      const eventId = parseId(args.eventId, 'eventId');
      return ctx.transaction((trx) => plans.linkActivityEvent(trx, scope, activityId, eventId));
    },
  },
  Olympiad: {
    municipality: (olympiad) => ({ id: olympiad.municipalityId }),
    venues: async (olympiad, _, ctx) => (await ctx.loaders.venuesOfOlympiad.load(olympiad.id)).map((v) => ({ id: v.organizationId })),
    tasks: (olympiad, _, ctx) => ctx.loaders.tasksOfOlympiad.load(olympiad.id),
  },
  OlympiadTask: {
    responsible: (task) => (task.responsibleId ? { id: task.responsibleId } : null),
    isDone: (task) => task.doneOn !== null,
  },
  AnnualPlan: {
    municipality: (plan) => ({ id: plan.municipalityId }),
    activities: (plan, _, ctx) => ctx.loaders.activitiesOfPlan.load(plan.id),
    completionShare: (plan) => (plan.activitiesTotal ? Math.round((plan.activitiesDone / plan.activitiesTotal) * 10_000) / 10_000 : 0),
  },
  PlanActivity: {
    month: (activity) => Number(activity.plannedMonth.slice(5, 7)),
    monthStartsOn: (activity) => activity.plannedMonth,
    responsible: (activity) => (activity.responsibleId ? { id: activity.responsibleId } : null),
    calendarEvent: (activity, _, ctx) => (activity.calendarEventId ? ctx.loaders.event.load(activity.calendarEventId) : null),
    events: async (activity, _, ctx) => {
      const links = await ctx.loaders.eventIdsOfActivity.load(activity.id);
      return Promise.all(links.map((link) => ctx.loaders.event.load(link.eventId).then(required)));
    },
  },
};
