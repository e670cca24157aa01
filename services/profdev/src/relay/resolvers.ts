import type { GraphQLResolveInfo } from 'graphql';
import { readScope } from '@mms/platform';
import type { Context } from '../loaders';
import type { Resolvers } from '../generated/graphql';
import { associationResolvers } from '../resolvers/associations';
import { helpResolvers } from '../help/resolvers';
import { internshipResolvers } from '../internships/resolvers';
import { surveyResolvers } from '../surveys/resolvers';
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
};
