import type { GraphQLResolveInfo } from 'graphql';
import { isUuid, readScope, rowLoader } from '@mms/platform';
import type { Context } from '../loaders';
import type { Resolvers } from '../generated/graphql';
import { associationResolvers } from '../resolvers/associations';
import { helpResolvers } from '../help/resolvers';
import { internshipResolvers } from '../internships/resolvers';
import { surveyResolvers } from '../surveys/resolvers';
import { helpLoaders } from '../help/resolvers';
import { applicationsByIds } from '../courses/store';
import { dataRequestReadScope } from '../surveys/data-requests-resolvers';
import { requestsByIds } from '../surveys/data-requests';
import { plansByIds } from '../upskilling-plan/store';
import { associationPlansByIds, complaintsByIds, councilsByIds, meetingsByIds, membersInScopeByIds, planItemsByIds, publicationsByIds } from '../store/associations';
import { completionsInScopeByIds } from '../store/completions';
import { routeItemsByIds, visibleTemplatesByIds } from '../store/routes';
import { mentorshipsInScopeByIds, supportInScopeByIds } from '../store/people';
import { requireMunicipalityScope } from '../upskilling-plan/resolvers';
import { diagnosticResolvers } from '../resolvers/diagnostics';
import { programResolvers } from '../resolvers/programs';
import { routeResolvers } from '../resolvers/routes';

type ById = (parent: unknown, args: { id: string }, ctx: unknown, info: GraphQLResolveInfo) => unknown;

/**
 * The entity resolver of a Node type is its own by-id query (`program(id:)`, …): `node(id:)` (the staff subgraph
 * tells the type, the gateway asks here) gives exactly what that query gives the caller, scope included.
 */
const asEntity = (resolvers: Resolvers, field: string) => {
  const byId = (resolvers.Query as Record<string, ById>)[field];
  return ((ref: { id: string }, ctx: unknown, info: GraphQLResolveInfo) => byId(null, { id: ref.id }, ctx, info)) as never;
};

/**
 * By-id loaders of the Node types that have no by-id query, per request (kept beside its context), each with the rule
 * of the list that shows the type: one statement per type, whatever the number of ids.
 */
function createLoaders(ctx: Context) {
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  return {
    // `CourseRun.applications`: the applications of educators in the caller's scope.
    CourseApplication: rowLoader((keys) => applicationsByIds(ctx.db, readScope(ctx.viewer), ids(keys)), (row) => row.id),
    // `dataRequests`: the requests with a target the caller sees; FORBIDDEN to a role that neither writes nor submits them.
    DataRequest: rowLoader((keys) => requestsByIds(ctx.db, dataRequestReadScope(ctx), ids(keys)), (row) => row.id),
    // `upskillingPlan(municipalityId:, academicYear:)`: the scope is checked on the plan's municipality, below.
    UpskillingPlan: rowLoader((keys) => plansByIds(ctx.db, ids(keys)), (row) => row.id),
    // `methodCouncils` and their `meetings`, `complaints`: the caller's scope.
    MethodCouncil: rowLoader((keys) => councilsByIds(ctx.db, readScope(ctx.viewer), ids(keys)), (row) => row.id),
    CouncilMeeting: rowLoader((keys) => meetingsByIds(ctx.db, readScope(ctx.viewer), ids(keys)), (row) => row.id),
    Complaint: rowLoader((keys) => complaintsByIds(ctx.db, readScope(ctx.viewer), ids(keys)), (row) => row.id),
    // `completions` (educators of the caller's scope) and `routeTemplates` (the region's and the caller's municipality's).
    ProgramCompletion: rowLoader((keys) => completionsInScopeByIds(ctx.db, readScope(ctx.viewer), ids(keys)), (row) => row.id),
    RouteTemplate: rowLoader((keys) => visibleTemplatesByIds(ctx.db, readScope(ctx.viewer), ids(keys)), (row) => row.id),
    // `mentorships` (the mentee in the caller's scope) and `supportGiven` (the educator in the caller's scope).
    Mentorship: rowLoader((keys) => mentorshipsInScopeByIds(ctx.db, readScope(ctx.viewer), ids(keys)), (row) => row.id),
    Support: rowLoader((keys) => supportInScopeByIds(ctx.db, readScope(ctx.viewer), ids(keys)), (row) => row.id),
    // An association's members (the educator in the caller's scope), plans and publications: shown with the
    // association (below), as `MethodAssociation.members`, `plans` and `publications` show them.
    AssociationMember: rowLoader((keys) => membersInScopeByIds(ctx.db, readScope(ctx.viewer), ids(keys)), (row) => row.id),
    AssociationPlan: rowLoader((keys) => associationPlansByIds(ctx.db, ids(keys)), (row) => row.id),
    Publication: rowLoader((keys) => publicationsByIds(ctx.db, ids(keys)), (row) => row.id),
    // Shown with their route (`developmentRoute(id:)`) and their plan's association.
    RouteItem: rowLoader((keys) => routeItemsByIds(ctx.db, ids(keys)), (row) => row.id),
    AssociationPlanItem: rowLoader((keys) => planItemsByIds(ctx.db, ids(keys)), (row) => row.id),
  };
}
const loaders = new WeakMap<object, ReturnType<typeof createLoaders>>();
const byLoader = (type: keyof ReturnType<typeof createLoaders>, check: (ctx: Context) => unknown = (ctx) => readScope(ctx.viewer)) => ((ref: { id: string }, ctx: Context) => {
  check(ctx);
  let mine = loaders.get(ctx);
  if (!mine) {
    mine = createLoaders(ctx);
    loaders.set(ctx, mine);
  }
  return mine[type].load(ref.id);
}) as never;

/** A record of an association: null unless the association is one the caller sees (`methodAssociation(id:)`). */
const ofAssociation = (type: 'AssociationMember' | 'AssociationPlan' | 'Publication') => (async (ref: { id: string }, ctx: Context) => {
  const row = await (byLoader(type) as (ref: { id: string }, ctx: Context) => Promise<{ associationId: string } | undefined>)(ref, ctx);
  if (!row) return null;
  return (await ctx.loaders.association.load(row.associationId)) ? row : null;
}) as never;

/** A route's item: null unless the route is one the caller sees (`developmentRoute(id:)`). */
const resolveRouteItem = (async (ref: { id: string }, ctx: Context) => {
  const item = await (byLoader('RouteItem') as (ref: { id: string }, ctx: Context) => Promise<{ routeId: string } | undefined>)(ref, ctx);
  if (!item) return null;
  return (await ctx.loaders.route.load(item.routeId)) ? item : null;
}) as never;

/** An item of an association's plan: null unless the plan's association is one the caller sees. */
const resolvePlanItem = (async (ref: { id: string }, ctx: Context) => {
  const item = await (byLoader('AssociationPlanItem') as (ref: { id: string }, ctx: Context) => Promise<{ planId: string } | undefined>)(ref, ctx);
  if (!item) return null;
  const plan = await (ofAssociation('AssociationPlan') as (ref: { id: string }, ctx: Context) => Promise<unknown>)({ id: item.planId }, ctx);
  return plan ? item : null;
}) as never;

/** Relay: the entity resolvers of profdev's Node types. */
export const relayResolvers: Resolvers = {
  Program: { __resolveReference: asEntity(programResolvers, 'program') },
  // The framework has no by-id query: its list (`competencies`) is every signed-in caller's, so is one of them.
  Competency: { __resolveReference: ((ref: { id: string }, ctx: Context) => { readScope(ctx.viewer); return ctx.loaders.competency.load(ref.id); }) as never },
  Diagnostic: { __resolveReference: asEntity(diagnosticResolvers, 'diagnostic') },
  DevelopmentRoute: { __resolveReference: asEntity(routeResolvers, 'developmentRoute') },
  MethodAssociation: { __resolveReference: asEntity(associationResolvers, 'methodAssociation') },
  // ---- more nodes (issue 17) ----
  // CourseRun's entity resolver is in courses/resolvers.ts: the loader `courseRun(id:)` reads through.
  Internship: { __resolveReference: asEntity(internshipResolvers, 'internship') },
  HelpRequest: { __resolveReference: asEntity(helpResolvers, 'helpRequest') },
  Survey: { __resolveReference: asEntity(surveyResolvers, 'survey') },
  // No by-id queries of their own: each as the list that shows it (`supportSessions`, readScope alone, scoped in SQL).
  SupportSession: { __resolveReference: ((ref: { id: string }, ctx: Context) => { readScope(ctx.viewer); return helpLoaders(ctx).session.load(ref.id); }) as never },
  CourseApplication: { __resolveReference: byLoader('CourseApplication') },
  DataRequest: { __resolveReference: byLoader('DataRequest', dataRequestReadScope) },
  MethodCouncil: { __resolveReference: byLoader('MethodCouncil') },
  CouncilMeeting: { __resolveReference: byLoader('CouncilMeeting') },
  Complaint: { __resolveReference: byLoader('Complaint') },
  ProgramCompletion: { __resolveReference: byLoader('ProgramCompletion') },
  RouteTemplate: { __resolveReference: byLoader('RouteTemplate') },
  Mentorship: { __resolveReference: byLoader('Mentorship') },
  AssociationMember: { __resolveReference: ofAssociation('AssociationMember') },
  AssociationPlan: { __resolveReference: ofAssociation('AssociationPlan') },
  Publication: { __resolveReference: ofAssociation('Publication') },
  RouteItem: { __resolveReference: resolveRouteItem },
  AssociationPlanItem: { __resolveReference: resolvePlanItem },
  Support: { __resolveReference: byLoader('Support') },
  // `Educator.selfEducation`: the records of educators in the caller's scope.
  SelfEducation: { __resolveReference: ((ref: { id: string }, ctx: Context) => { readScope(ctx.viewer); return ctx.loaders.selfEducation.load(ref.id); }) as never },
  // As upskillingPlan(municipalityId:, academicYear:): FORBIDDEN for another municipality's plan (the region sees all).
  UpskillingPlan: {
    __resolveReference: (async (ref: { id: string }, ctx: Context) => {
      const scope = readScope(ctx.viewer);
      const plan = await (byLoader('UpskillingPlan') as (ref: { id: string }, ctx: Context) => Promise<{ municipalityId: string } | undefined>)(ref, ctx);
      if (!plan) return null;
      requireMunicipalityScope(scope, plan.municipalityId);
      return plan;
    }) as never,
  },
};
