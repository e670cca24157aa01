import { randomBytes } from 'node:crypto';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { ApolloServer } from '@apollo/server';
import { execute, GraphQLError, parse, validate, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import knexFactory, { type Knex } from 'knex';
import {
  countQueries, limits as configuredLimits, maskUnexpectedError, mintDevToken, subgraphContext, subgraphDatabaseUrl, subgraphKnex, subgraphSchema,
  withDatabase, type Limits, type SubgraphDefinition, type TokenRequest,
} from '@mms/platform';
import { composeSupergraph, createApolloServer, createGateway, forwardedHeaders, gatewayContext, subgraphs, type GatewayContext } from '@mms/gateway';

/**
 * The whole supergraph in one process against a real PostgreSQL: the pattern of Apollo's own gateway tests
 * (ApolloGateway with a local data source per subgraph). Each test file gets a database of its own, cloned from the
 * migrated template that the global setup made. Tokens are verified by the gateway and every subgraph, as over HTTP.
 */
export interface GraphResult<T = any> {
  data?: T | null;
  errors?: readonly GraphQLFormattedError[];
}

export interface Client {
  /** Runs an operation through the gateway; returns data and errors as a client would see them. */
  run<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphResult<T>>;
  /** Runs an operation and fails the test if it returned errors. */
  data<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Runs an operation that must fail; returns its first error's code and message. */
  error(query: string, variables?: Record<string, unknown>): Promise<{ code: string; message: string; error: GraphQLFormattedError }>;
}

export interface TestGraph {
  database: string;
  /** The knex of each subgraph, connected as its role. */
  db: Record<string, Knex>;
  /** A client with a dev token for the given role and scope; `anonymous()` sends none. */
  as(token: TokenRequest): Client;
  anonymous(): Client;
  /** A client of one subgraph alone, bypassing the gateway: for what only the gateway sends (`_entities`). */
  subgraph(name: string, token: TokenRequest): Client;
  /** SQL statements sent by all subgraphs while `work` ran. */
  countSql(work: () => Promise<unknown>): Promise<number>;
  close(): Promise<void>;
}

/** Runs a subgraph's schema in this process, building its context from the headers the gateway forwards. */
class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(private readonly definition: SubgraphDefinition<any>, private readonly schema: GraphQLSchema, private readonly db: Knex) {}

  async process({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const headers = forwardedHeaders(context);
    let contextValue;
    try {
      contextValue = await subgraphContext(this.definition, (name) => headers[name.toLowerCase()], this.db);
    } catch (error) {
      return { errors: [format(error)] };
    }
    // Parsed and validated as the subgraph's HTTP server would, so a bad literal is a validation error here too.
    const document = parse(request.query!);
    const invalid = validate(this.schema, document);
    if (invalid.length) {
      return { errors: invalid.map((error) => ({ ...error.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) };
    }
    const result = await execute({
      schema: this.schema, document, variableValues: request.variables,
      operationName: request.operationName, contextValue,
    });
    // Through JSON, as over HTTP: what a subgraph sends is exactly what the gateway gets.
    return JSON.parse(JSON.stringify({ data: result.data, errors: result.errors?.map(format) }));
  }
}

function format(error: unknown): GraphQLFormattedError {
  const graphqlError = error instanceof GraphQLError ? error : new GraphQLError(String(error), { originalError: error as Error });
  return maskUnexpectedError(graphqlError.toJSON(), error);
}

let supergraph: string | undefined;

/** `limits`: the gateway's query limits, when a test needs others than configured (e.g. no cost limit). */
export async function createTestGraph(options: { limits?: Partial<Limits> } = {}): Promise<TestGraph> {
  const serverUrl = process.env.MMS_TEST_SERVER_URL;
  const template = process.env.MMS_TEST_TEMPLATE;
  if (!serverUrl || !template) throw new Error('run the tests with jest (its global setup starts PostgreSQL)');
  const database = `mms_test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database "${database}" template "${template}"`);
  await admin.destroy();

  const databaseUrl = withDatabase(serverUrl, database);
  const db: Record<string, Knex> = {};
  const counters: { count: number; reset(): void }[] = [];
  const sources = new Map<string, GraphQLDataSource>();
  for (const definition of subgraphs) {
    const knex = subgraphKnex(definition.name, subgraphDatabaseUrl(definition.name, databaseUrl), { min: 0, max: 4 });
    db[definition.name] = knex;
    counters.push(countQueries(knex));
    sources.set(definition.name, new InProcessDataSource(definition, subgraphSchema(definition), knex));
  }
  supergraph ??= composeSupergraph(subgraphs);
  const server: ApolloServer<GatewayContext> = createApolloServer(createGateway(supergraph, ({ name }) => sources.get(name)!),
    { ...configuredLimits, ...options.limits });
  await server.start();

  const throughGateway = (authorization: () => Promise<string | undefined>) => async (query: string, variables?: Record<string, unknown>) => {
    const header = await authorization();
    let contextValue: GatewayContext;
    try {
      contextValue = await gatewayContext((name) => (name === 'authorization' ? header : undefined));
    } catch (error) {
      return { errors: [format(error)] };
    }
    const response = await server.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not used here');
    const { data, errors } = response.body.singleResult;
    return JSON.parse(JSON.stringify({ data, errors })) as GraphResult;
  };
  const tokenOnce = (token: TokenRequest) => {
    let minted: Promise<string> | undefined;
    return async () => `Bearer ${await (minted ??= mintDevToken(token))}`;
  };

  const client = (run: (query: string, variables?: Record<string, unknown>) => Promise<GraphResult>): Client => {
    return {
      run,
      async data(query, variables) {
        const result = await run(query, variables);
        if (result.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(result.errors, null, 2)}`);
        return result.data;
      },
      async error(query, variables) {
        const result = await run(query, variables);
        const [error] = result.errors ?? [];
        if (!error) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
        return { code: String(error.extensions?.code), message: error.message, error };
      },
    };
  };

  return {
    database,
    db,
    as: (token) => client(throughGateway(tokenOnce(token))),
    anonymous: () => client(throughGateway(async () => undefined)),
    subgraph: (name, token) => {
      const source = sources.get(name)!;
      const authorization = tokenOnce(token);
      return client(async (query, variables) => source.process({
        kind: 'UNKNOWN' as never, request: { query, variables },
        context: { authorization: await authorization() } as GatewayContext,
      } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>) as Promise<GraphResult>);
    },
    async countSql(work) {
      counters.forEach((c) => c.reset());
      await work();
      return counters.reduce((sum, c) => sum + c.count, 0);
    },
    async close() {
      await server.stop();
      await Promise.all(Object.values(db).map((knex) => knex.destroy()));
      const dropper = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
      await dropper.raw(`drop database if exists "${database}" with (force)`).finally(() => dropper.destroy());
    },
  };
}

export const regionAdmin: TokenRequest = { role: 'region_admin', subject: 'test-region-admin' };
export * from './proxy';
