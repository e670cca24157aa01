import type { GraphQLResolveInfo } from 'graphql';
import { badInput, isUuid, readScope, rowLoader } from '@mms/platform';
import type DataLoader from 'dataloader';
import type { Resolvers } from '../generated/graphql';
import type { Context } from '../loaders';
import { educatorResolvers } from '../resolvers/educator';
import { municipalityResolvers } from '../resolvers/municipality';
import { organizationResolvers } from '../resolvers/organization';
import { nodeTypesByIds } from './store';

/** The most ids `nodes(ids:)` takes (query-limits.ts counts them in the cost). */
export const maxNodeIds = 100;

type ById = (parent: unknown, args: { id: string }, ctx: Context, info: GraphQLResolveInfo) => unknown;
const byIdQuery = (resolvers: Resolvers, field: string): ById => (resolvers.Query as Record<string, ById>)[field];

/**
 * Nodes of this subgraph's own types load as their own by-id queries load them (scope and FORBIDDEN alike); the
 * others are references the gateway completes from their owner, whose entity resolver applies its scope.
 */
const ownTypes: Record<string, ById> = {
  Educator: byIdQuery(educatorResolvers, 'educator'),
  Organization: byIdQuery(organizationResolvers, 'organization'),
  Municipality: byIdQuery(municipalityResolvers, 'municipality'),
};

/** One type look-up per request, whatever the number of ids (a loader kept beside the request's context). */
const typeLoaders = new WeakMap<object, DataLoader<string, { id: string; type: string } | null>>();
function nodeTypes(ctx: Context) {
  let loader = typeLoaders.get(ctx);
  if (!loader) {
    loader = rowLoader((ids) => nodeTypesByIds(ctx.db, ids), (row) => row.id);
    typeLoaders.set(ctx, loader);
  }
  return loader;
}

/** The object a global id names, with its `__typename`, or null (no such id, or not a Node, or out of scope). */
export async function resolveNode(id: string, ctx: Context, info: GraphQLResolveInfo): Promise<Record<string, unknown> | null> {
  readScope(ctx.viewer);
  if (!isUuid(id)) return null;
  const found = await nodeTypes(ctx).load(id.toLowerCase());
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
  ChangeConnection: {
    edges: (connection) => connection.nodes.map((node) => ({ cursor: node.cursor, node })),
  },
};
