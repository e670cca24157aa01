import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express from 'express';
import { GraphQLError, Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Knex } from 'knex';
import { baseContext, type BaseContext, type HeaderGetter } from './context';
import { limits } from './config';
import { maskUnexpectedError } from './errors';
import { refuseNulCharacters } from './nul';
import { logger } from './logger';
import { scalarResolvers } from './scalars';

/** Everything the plumbing needs to know about one subgraph. Each `services/<name>/src/index.ts` exports one. */
export interface SubgraphDefinition<C extends BaseContext = BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  /** The SDL as written, for composition. */
  sdl: string;
  resolvers: GraphQLResolverMap<C>;
  /** Adds the subgraph's per-request DataLoaders to the base context. */
  createContext(base: BaseContext): C;
  /** The demo data `npm start` loads into an empty database; run in `subgraphs` order, so later ones find staff's. */
  demoSeed?: DemoSeed;
}

export interface DemoSeed {
  /** Whether the subgraph's own tables hold no data yet (a seed never touches data somebody entered). */
  isEmpty(db: Knex): Promise<boolean>;
  /** Loads the demo data in one transaction, as the subgraph's own role; returns a line for the console. */
  seed(trx: Knex): Promise<string>;
}

export function subgraphSchema(definition: SubgraphDefinition<any>): GraphQLSchema {
  const declared = new Set(definition.typeDefs.definitions.flatMap((d) => (d.kind === Kind.SCALAR_TYPE_DEFINITION ? [d.name.value] : [])));
  const scalars = Object.fromEntries(Object.entries(scalarResolvers).filter(([name]) => declared.has(name)));
  const resolvers = { ...scalars, ...enumResolvers(definition.typeDefs), ...definition.resolvers };
  return buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }]);
}

/** Enum values are SCREAMING_CASE in GraphQL and snake_case in SQL: resolvers and SQL see the snake_case value. */
export function enumResolvers(typeDefs: DocumentNode): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = {};
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION) continue;
    result[definition.name.value] = Object.fromEntries(
      (definition.values ?? []).map((value) => [value.name.value, value.name.value.toLowerCase()]));
  }
  return result;
}

export async function subgraphContext<C extends BaseContext>(definition: SubgraphDefinition<C>, header: HeaderGetter, db: Knex): Promise<C> {
  return definition.createContext(await baseContext(header, db, definition.name));
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Serves a subgraph over HTTP: `/graphql` and `/health` (which also checks the database). */
export async function startSubgraphServer<C extends BaseContext>(definition: SubgraphDefinition<C>, db: Knex, port: number): Promise<RunningServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const server = new ApolloServer<C>({
    schema: subgraphSchema(definition),
    formatError: maskUnexpectedError,
    includeStacktraceInErrorResponses: false,
    // No CDN landing page; no inline traces (nobody reads them without Apollo's cloud, and they cost on every request).
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), refuseNulCharacters()],
  });
  await server.start();
  app.get('/health', async (_req, res) => {
    try {
      await db.raw('select 1');
      res.json({ status: 'ok', service: definition.name });
    } catch {
      res.status(503).json({ status: 'unavailable', service: definition.name });
    }
  });
  app.use('/graphql', express.json({ limit: limits.maxBodyBytes }), expressMiddleware(server, {
    context: async ({ req }) => {
      try {
        return await subgraphContext(definition, (name) => req.header(name), db);
      } catch (error) {
        if (error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED') {
          throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 401 } } });
        }
        throw error;
      }
    },
  }));
  return listen(httpServer, port, async () => { await server.stop(); }, definition.name);
}

/** Listens (port 0 picks a free one) and gives back a stop that closes the server and then its resources. */
export async function listen(httpServer: http.Server, port: number, cleanup: () => Promise<void>, name: string): Promise<RunningServer> {
  // Idle keep-alive connections outlive the gateway's: otherwise a subgraph may close one just as the gateway reuses
  // it (ECONNRESET under load, seen in bench/). Load balancers use 60 s; we stay above it.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    // Loopback unless told otherwise: a container sets HOST=0.0.0.0 to be reachable from its network.
    httpServer.listen(port, process.env.HOST ?? '127.0.0.1', resolve);
  });
  const actual = (httpServer.address() as AddressInfo).port;
  logger.info({ port: actual }, `${name} listening`);
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    stop: async () => {
      await new Promise<void>((resolve) => { httpServer.close(() => resolve()); httpServer.closeAllConnections(); });
      await cleanup();
    },
  };
}

/** Merges per-entity resolver maps: each entity's Query and Mutation fields live in the entity's own file. */
export function mergeResolvers<R extends object>(...maps: R[]): R {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) merged[type] = { ...merged[type], ...(fields as object) };
  }
  return merged as R;
}
