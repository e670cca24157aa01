import { authorize, parseId, parseInput, readScope, today } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import * as development from '../development';
import { routeProgress } from '../rules';
import { listTemplates, routesByIds } from '../store/routes';
import { addItemInput, assignTemplateInput, date, draftFromDiagnosticInput, id, routeInput, templateInput, text } from '../validate';

const itemDoneArgs = z.object({ id, doneOn: date });
const itemDropArgs = z.object({ id, reason: text(2000) });
const moveArgs = z.object({ id, on: date.nullish(), reason: text(2000).nullish() });

export const routeResolvers: Resolvers = {
  Query: {
    developmentRoute: (_, args, ctx) => {
      readScope(ctx.viewer);
      return ctx.loaders.route.load(parseId(args.id));
    },
    routeTemplates: (_, __, ctx) => listTemplates(ctx.db, readScope(ctx.viewer)),
  },
  Mutation: {
    createRoute: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'route:write');
      const valid = parseInput(routeInput, input);
      return ctx.transaction((trx) => development.createRoute(trx, scope, valid));
    },
    draftRouteFromDiagnostic: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'route:write');
      const valid = parseInput(draftFromDiagnosticInput, input);
      return ctx.transaction((trx) => development.draftRouteFromDiagnostic(trx, scope, valid));
    },
    addRouteItem: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'route:write');
      const valid = parseInput(addItemInput, input);
      return ctx.transaction((trx) => development.addRouteItem(trx, scope, valid.routeId, valid.item));
    },
    markRouteItemDone: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'route:write');
      const valid = parseInput(itemDoneArgs, args, 'args');
      return ctx.transaction((trx) => development.changeRouteItem(trx, scope, valid.id, { done: valid.doneOn }));
    },
    dropRouteItem: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'route:write');
      const valid = parseInput(itemDropArgs, args, 'args');
      return ctx.transaction((trx) => development.changeRouteItem(trx, scope, valid.id, { drop: valid.reason }));
    },
    activateRoute: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'route:write');
      const valid = parseInput(moveArgs, args, 'args');
      return ctx.transaction((trx) => development.moveRoute(trx, scope, valid.id, 'activate', valid.on ?? today()));
    },
    completeRoute: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'route:write');
      const valid = parseInput(moveArgs, args, 'args');
      return ctx.transaction((trx) => development.moveRoute(trx, scope, valid.id, 'complete', valid.on ?? today()));
    },
    abandonRoute: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'route:write');
      const valid = parseInput(moveArgs, args, 'args');
      return ctx.transaction((trx) => development.moveRoute(trx, scope, valid.id, 'abandon', valid.on ?? today(), valid.reason ?? undefined));
    },
    createRouteTemplate: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'route:write');
      const valid = parseInput(templateInput, input);
      return ctx.transaction((trx) => development.createRouteTemplate(trx, scope, valid));
    },
    assignRouteTemplate: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'route:write');
      const valid = parseInput(assignTemplateInput, input);
      return ctx.transaction((trx) => development.assignRouteTemplate(trx, scope, valid));
    },
  },
  DevelopmentRoute: {
    educator: (route) => ({ id: route.educatorId }),
    diagnostic: (route, _, ctx) => (route.diagnosticId ? ctx.loaders.diagnostic.load(route.diagnosticId) : null),
    template: (route, _, ctx) => (route.templateId ? ctx.loaders.template.load(route.templateId) : null),
    items: (route, _, ctx) => ctx.loaders.itemsOfRoute.load(route.id),
    progress: async (route, _, ctx) => routeProgress(await ctx.loaders.itemsOfRoute.load(route.id)),
    createdAt: (route) => route.createdAt.toISOString(),
  },
  RouteItem: {
    competency: (item, _, ctx) => (item.competencyId ? ctx.loaders.competency.load(item.competencyId) : null),
    program: (item, _, ctx) => (item.programId ? ctx.loaders.program.load(item.programId) : null),
  },
  RouteTemplate: {
    items: (template, _, ctx) => ctx.loaders.itemsOfTemplate.load(template.id),
  },
  RouteTemplateItem: {
    program: (item, _, ctx) => (item.programId ? ctx.loaders.program.load(item.programId) : null),
  },
  RouteAssignment: {
    created: (result, _, ctx) => (result.createdIds.length ? routesByIds(ctx.db, readScope(ctx.viewer), result.createdIds) : []),
  },
};
