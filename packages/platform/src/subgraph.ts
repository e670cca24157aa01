import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express from 'express';
import { GraphQLError, Kind, parse, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Knex } from 'knex';
import { classificationProblems, enforceClassification, type Classification } from './classification';
import { cancelOnAbort, requestDeadline } from './cancel';
import { baseContext, type BaseContext, type HeaderGetter } from './context';
import { FairShare, fairSharePlugin } from './fair-share';
import { limits as configuredLimits, type Limits } from './config';
import { migrationConfig } from './db';
import { maskUnexpectedError } from './errors';
import { refuseNulCharacters } from './nul';
import { limitRules, operationShapeRule, queryLimits, tokenLimitRefusal } from './query-limits';
import { countListRows, responseLimit, rowLimitOf } from './response-limit';
import { logger } from './logger';
import { scalarResolvers } from './scalars';

/** Everything the plumbing needs to know about one subgraph. Each `services/<name>/src/index.ts` exports one. */
export interface SubgraphDefinition<C extends BaseContext = BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  /** The SDL as written, for composition. */
  sdl: string;
  resolvers: GraphQLResolverMap<C>;
  /** Every field, argument and input field of the schema as open, personal or about a person (classification.ts). */
  classification: Classification;
  /** Adds the subgraph's per-request DataLoaders to the base context. */
  createContext(base: BaseContext): C;
  /** The demo data `npm start` loads into an empty database; run in `subgraphs` order, so later ones find staff's. */
  demoSeed?: DemoSeed;
  /** Plain-HTTP routes the subgraph serves beside `/graphql` (profdev's `/files`, which the gateway proxies). */
  routes?: (app: express.Express, db: Knex) => void;
}

export interface DemoSeed {
  /** Whether the subgraph's own tables hold no data yet (a seed never touches data somebody entered). */
  isEmpty(db: Knex): Promise<boolean>;
  /** Loads the demo data in one transaction, as the subgraph's own role; returns a line for the console. */
  seed(trx: Knex): Promise<string>;
}

/**
 * A subgraph's definition from its folder: the SDL read from `schema.graphql` beside `src/` (the contract, schema
 * first), the resolvers (typed by codegen from that file), the per-request context and the demo seed.
 */
export function defineSubgraph<C extends BaseContext>(options: {
  name: string;
  /** The subgraph's `src` folder (`__dirname` of its index.ts). */
  srcDir: string;
  resolvers: unknown;
  /** The subgraph's classification table (`src/classification.ts`): the policy reads it for every field. */
  classification: Classification;
  createContext(base: BaseContext): C;
  demoSeed?: DemoSeed;
  routes?: (app: express.Express, db: Knex) => void;
}): SubgraphDefinition<C> {
  const sdl = fs.readFileSync(path.join(options.srcDir, '..', 'schema.graphql'), 'utf8');
  return {
    name: options.name,
    sdl,
    typeDefs: parse(sdl),
    resolvers: options.resolvers as GraphQLResolverMap<C>,
    classification: options.classification,
    createContext: options.createContext,
    demoSeed: options.demoSeed,
    routes: options.routes,
  };
}

/**
 * The executable schema of a subgraph, with its classification enforced on every field (personal data, 152-FZ):
 * a schema with an unclassified field, or a table naming a field it does not have, is not built.
 */
export function subgraphSchema(definition: SubgraphDefinition<any>): GraphQLSchema {
  const problems = classificationProblems(definition.typeDefs, definition.classification);
  if (problems.length) throw new Error(`the ${definition.name} subgraph's classification does not match its schema:\n  ${problems.join('\n  ')}`);
  const declared = new Set(definition.typeDefs.definitions.flatMap((d) => (d.kind === Kind.SCALAR_TYPE_DEFINITION ? [d.name.value] : [])));
  const scalars = Object.fromEntries(Object.entries(scalarResolvers).filter(([name]) => declared.has(name)));
  const resolvers = { ...scalars, ...enumResolvers(definition.typeDefs), ...definition.resolvers };
  const schema = buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }]);
  enforceClassification(schema, definition.classification);
  // Every list counts its rows against the request's limit (response-limit.ts): LIMIT_MAX_ROWS unless the server set one.
  return countListRows(schema, rowLimitOf(configuredLimits.maxRows));
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
  /** Stops taking connections, lets the requests in flight finish (up to `shutdownGraceMs`), then cleans up. */
  stop(): Promise<void>;
  /** True from the moment `stop` is called: readiness answers 503 so a load balancer stops sending work. */
  isDraining(): boolean;
}

/** A subgraph's `formatError`: the token limit's refusal in its final shape, everything else through the mask. */
export function formatSubgraphError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  return tokenLimitRefusal(error) ?? maskUnexpectedError(formatted, error);
}

export interface SubgraphServerOptions {
  /** Overrides of config's `limits` (query shape, cost, rows of an answer, body size). */
  limits?: Partial<Limits>;
  /** The limiter of expensive reads (fair-share.ts); one of its own by default. */
  fairShare?: FairShare;
}

/**
 * Serves a subgraph over HTTP: `/graphql` and `/health` (which also checks the database). A subgraph's port can be
 * reached without the gateway, so it holds every query to the gateway's limits itself (query-limits.ts: depth,
 * aliases, directives, tokens, cost, no subscriptions), and caps the rows of one answer (response-limit.ts).
 */
export async function startSubgraphServer<C extends BaseContext>(definition: SubgraphDefinition<C>, db: Knex, port: number,
  options: SubgraphServerOptions = {}): Promise<RunningServer> {
  const limits: Limits = { ...configuredLimits, ...options.limits };
  const fairShare = options.fairShare ?? new FairShare();
  // Issue 14: a request's SQL stops when its caller leaves or its deadline passes (cancel.ts); expensive reads are
  // limited per caller and in total, and capped in pool connections (fair-share.ts).
  cancelOnAbort(db);
  const app = express();
  const httpServer = http.createServer(app);
  const server = new ApolloServer<C>({
    schema: subgraphSchema(definition),
    formatError: formatSubgraphError,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [operationShapeRule, ...limitRules(limits)],
    // No CDN landing page; no inline traces (nobody reads them without Apollo's cloud, and they cost on every request);
    // no cache-control hints (nothing here is cacheable by a CDN): that plugin wraps every field resolver, and a
    // CPU profile of the staff page showed the wrapping at ~5% of the subgraph's busy time (issue 10 note).
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), refuseNulCharacters(),
      queryLimits<C>(limits), fairSharePlugin<C>(fairShare, { capConnections: true }), responseLimit<C>(limits.maxRows)],
  });
  await server.start();
  // Liveness: the process answers and reaches its database. Readiness (for a load balancer): also every migration
  // applied, and not draining for a shutdown. A probe failing sends traffic elsewhere, it does not restart anything.
  const readiness = readinessCheck(db, definition.name);
  app.get('/health', async (_req, res) => {
    try {
      await db.raw('select 1');
      res.json({ status: 'ok', service: definition.name });
    } catch {
      res.status(503).json({ status: 'unavailable', service: definition.name });
    }
  });
  app.get('/ready', readyRoute(definition.name, () => running?.isDraining() ?? false, readiness));
  definition.routes?.(app, db);
  app.use('/graphql', express.json({ limit: limits.maxBodyBytes }), requestDeadline(), expressMiddleware(server, {
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
  const running: RunningServer = await listen(httpServer, port, async () => { await server.stop(); }, definition.name);
  return running;
}

/**
 * The `/ready` handler of a service: 200 `{ status: 'ready' }`, or 503 with the reason (draining for a shutdown, or
 * what `check` says is missing).
 */
export function readyRoute(service: string, isDraining: () => boolean, check: () => Promise<string | null>): express.RequestHandler {
  return async (_req, res) => {
    const problem = isDraining() ? 'shutting down' : await check();
    res.status(problem ? 503 : 200).json({ status: problem ? 'not ready' : 'ready', service, ...(problem ? { reason: problem } : {}) });
  };
}

/**
 * Why the subgraph is not ready, or null: the database unreachable, or migrations pending (a new release whose
 * `npm run migrate` has not run yet would fail on its first query). Once every migration is seen applied that part
 * is not asked again: a running process's migrations folder does not change.
 */
export function readinessCheck(db: Knex, subgraph: string): () => Promise<string | null> {
  let migrated = false;
  return async () => {
    try {
      await db.raw('select 1');
    } catch {
      return 'database unreachable';
    }
    if (migrated) return null;
    try {
      const [, pending] = await db.migrate.list(migrationConfig(subgraph));
      if (pending.length) return `${pending.length} migration(s) pending: npm run migrate`;
    } catch {
      return 'migrations could not be read';
    }
    migrated = true;
    return null;
  };
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
  let draining = false;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    isDraining: () => draining,
    stop: async () => {
      if (draining) return;
      draining = true;
      await drain(httpServer, shutdownGraceMs());
      await cleanup();
      logger.info(`${name} stopped`);
    },
  };
}

/** How long a stopping server waits for requests in flight; env SHUTDOWN_GRACE_MS (a container's stop timeout is 10 s). */
const shutdownGraceMs = () => Number(process.env.SHUTDOWN_GRACE_MS ?? 8000);

/**
 * Graceful close: no new connections; idle keep-alive connections closed now and as soon as each busy one finishes
 * its response; after `graceMs` whatever is still open is cut. Requests in flight get their answers.
 */
async function drain(httpServer: http.Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
  httpServer.closeIdleConnections();
  const sweeper = setInterval(() => httpServer.closeIdleConnections(), 50);
  const deadline = setTimeout(() => httpServer.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearInterval(sweeper);
    clearTimeout(deadline);
  }
}

/** Merges per-entity resolver maps: each entity's Query and Mutation fields live in the entity's own file. */
export function mergeResolvers<R extends object>(...maps: R[]): R {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) merged[type] = { ...merged[type], ...(fields as object) };
  }
  return merged as R;
}
