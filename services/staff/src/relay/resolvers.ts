import type { GraphQLResolveInfo } from 'graphql';
import { badInput, forbidden, isUuid, readScope, rowLoader } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import type { Context } from '../loaders';
import { educatorResolvers } from '../resolvers/educator';
import { municipalityResolvers } from '../resolvers/municipality';
import { organizationResolvers } from '../resolvers/organization';
import { nodeTypesByIds } from './store';
import { attestationsByIds, categoryAwardsByIds } from '../store/attestations';
import { employmentsByIds } from '../store/employments';
import { assignmentsByIds, educatorStatusesByIds, organizationStatusesByIds } from '../store/statuses';

/** The most ids `nodes(ids:)` takes (query-limits.ts counts them in the cost). */
export const maxNodeIds = 100;

type ById = (parent: unknown, args: { id: string }, ctx: Context, info: GraphQLResolveInfo) => unknown;
const byIdQuery = (resolvers: Resolvers, field: string): ById => (resolvers.Query as Record<string, ById>)[field];

/** The loaders of node(id:) of a request, kept beside its context: one statement per type, whatever the number of ids. */
function createNodeLoaders(ctx: Context) {
  const { db } = ctx;
  return {
    types: rowLoader((ids) => nodeTypesByIds(db, ids), (row) => row.id),
    Employment: rowLoader((ids) => employmentsByIds(db, ids), (row) => row.id),
    CategoryAward: rowLoader((ids) => categoryAwardsByIds(db, ids), (row) => row.id),
    Attestation: rowLoader((ids) => attestationsByIds(db, ids), (row) => row.id),
    EducatorStatus: rowLoader((ids) => educatorStatusesByIds(db, ids), (row) => row.id),
    OrganizationStatus: rowLoader((ids) => organizationStatusesByIds(db, ids), (row) => row.id),
    RegionalMethodistAssignment: rowLoader((ids) => assignmentsByIds(db, ids), (row) => row.id),
  };
}
const nodeLoaders = new WeakMap<object, ReturnType<typeof createNodeLoaders>>();
function loadersOf(ctx: Context) {
  let loaders = nodeLoaders.get(ctx);
  if (!loaders) {
    loaders = createNodeLoaders(ctx);
    nodeLoaders.set(ctx, loaders);
  }
  return loaders;
}

/**
 * A record of an educator (employment, category award, attestation request, status term) has no query of its own: it
 * is read on its educator (`Educator.employments`, …). So it is shown exactly when its educator is, and refused as
 * `educator(id:)` refuses (FORBIDDEN outside the caller's scope).
 */
const ofEducator = (type: 'Employment' | 'CategoryAward' | 'Attestation' | 'EducatorStatus'): ById => async (_, { id }, ctx) => {
  const row = await loadersOf(ctx)[type].load(id);
  if (!row) return null;
  if (!(await ctx.loaders.educator.load(row.educatorId))) throw forbidden('this record\'s educator is outside your scope');
  return row;
};

/**
 * Nodes of this subgraph's own types load as their own by-id queries load them (scope and FORBIDDEN alike); the
 * others are references the gateway completes from their owner, whose entity resolver applies its scope.
 */
const ownTypes: Record<string, ById> = {
  Educator: byIdQuery(educatorResolvers, 'educator'),
  Organization: byIdQuery(organizationResolvers, 'organization'),
  Municipality: byIdQuery(municipalityResolvers, 'municipality'),
  Employment: ofEducator('Employment'),
  CategoryAward: ofEducator('CategoryAward'),
  Attestation: ofEducator('Attestation'),
  EducatorStatus: ofEducator('EducatorStatus'),
  // Organizations and their statuses are directory data for every signed-in caller (organizationStatuses).
  OrganizationStatus: ((_, { id }, ctx) => {
    readScope(ctx.viewer);
    return loadersOf(ctx).OrganizationStatus.load(id);
  }) as ById,
};

/**
 * A regional methodist's assignment is read on the methodist (`assignedEducators`, of educators in scope) or on the
 * educator (`regionalMethodists`, of methodists in scope): so it is shown exactly when both are, FORBIDDEN otherwise
 * (as an educator's records are).
 */
const assignment: ById = async (_, { id }, ctx) => {
  const row = await loadersOf(ctx).RegionalMethodistAssignment.load(id);
  if (!row) return null;
  const [methodist, educator] = await Promise.all([ctx.loaders.educator.load(row.methodistId), ctx.loaders.educator.load(row.educatorId)]);
  if (!methodist || !educator) throw forbidden('this assignment\'s methodist or educator is outside your scope');
  return row;
};
ownTypes.RegionalMethodistAssignment = assignment;

/** The object a global id names, with its `__typename`, or null (no such id, or not a Node, or out of scope). */
export async function resolveNode(id: string, ctx: Context, info: GraphQLResolveInfo): Promise<Record<string, unknown> | null> {
  readScope(ctx.viewer);
  if (!isUuid(id)) return null;
  const found = await loadersOf(ctx).types.load(id.toLowerCase());
  if (!found) return null;
  const own = ownTypes[found.type];
  if (!own) return { __typename: found.type, id: found.id };
  const row = await own(null, { id: found.id }, ctx, info);
  return row ? { ...(row as object), __typename: found.type } : null;
}

export const relayResolvers: Resolvers = {
  Query: {
    node: (_, { id }, ctx, info) => resolveNode(id, ctx, info) as never,
    nodes: (_, { ids }, ctx, info) => {
      readScope(ctx.viewer);
      if (ids.length > maxNodeIds) throw badInput(`ids takes at most ${maxNodeIds} ids`, 'ids');
      // Each id answers on its own: one out of scope is null with its FORBIDDEN error, the others still answer.
      return ids.map((id) => resolveNode(id, ctx, info)) as never;
    },
  },
  Node: {
    // The gateway asks for a Node by id when another subgraph returns one (their Node is an @interfaceObject).
    __resolveReference: ((ref: { id: string }, ctx: Context, info: GraphQLResolveInfo) => resolveNode(ref.id, ctx, info)) as never,
    __resolveType: (node) => (node as unknown as { __typename: string }).__typename as never,
  },
  // Entities only because Node is a keyed interface (composition wants its key on every implementation): resolved as
  // node(id:) resolves them, scope included.
  ...Object.fromEntries((['Employment', 'CategoryAward', 'Attestation', 'EducatorStatus', 'OrganizationStatus', 'RegionalMethodistAssignment'] as const).map((type) => [type, {
    __resolveReference: ((ref: { id: string }, ctx: Context, info: GraphQLResolveInfo) => (isUuid(ref.id) ? ownTypes[type](null, { id: ref.id }, ctx, info) : null)) as never,
  }])),
  ChangeConnection: {
    edges: (connection) => connection.nodes.map((node) => ({ cursor: node.cursor, node })),
  },
};
