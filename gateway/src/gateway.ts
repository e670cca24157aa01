import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import { authenticate, limits as configuredLimits, listen, logger, requestIdHeader, type Limits, type Logger, type RunningServer, type Viewer, refuseNulCharacters } from '@mms/platform';
import { calendarRouter } from './calendar';
import { exportRouter } from './export';
import { graphiqlRouter } from './graphiql';
import {
  bodyErrors, formatGatewayError, introspectionForSignedIn, isTimeout, limitRules, SubgraphTimeoutError, verifyUtf8, withTimeout,
} from './limits';

/** The gateway's per-request context: who asks (already verified) and the id that follows the request everywhere. */
export interface GatewayContext {
  requestId: string;
  authorization?: string;
  viewer: Viewer;
  log: Logger;
}

/** Headers every subgraph fetch carries: the caller's token (each subgraph verifies it again) and the request id. */
export function forwardedHeaders(context: Partial<GatewayContext>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (context.authorization) headers.authorization = context.authorization;
  if (context.requestId) headers[requestIdHeader] = context.requestId;
  return headers;
}

/** A subgraph over HTTP: forwards the caller's token and request id, and gives up after `timeoutMs`. */
class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly service: string, url: string, private readonly timeoutMs: number) {
    super({ url });
    // Apollo's own client (make-fetch-happen, tuned by bench/), with a deadline on each request and its answer.
    this.fetcher = withTimeout(this.fetcher, timeoutMs);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    for (const [name, value] of Object.entries(forwardedHeaders(context))) request.http?.headers.set(name, value);
  }

  override didEncounterError(error: Error): void {
    throw isTimeout(error) ? new SubgraphTimeoutError(this.service, this.timeoutMs) : error;
  }

  /**
   * A subgraph's non-2xx answer: a 400 for a variable its own scalars refuse (a Date that is no day: the gateway
   * cannot know), a 401 for a token it refuses. Apollo's default makes it "400: Bad Request" with the subgraph's URL
   * in `extensions.response`; the caller gets the subgraph's own first error instead, code and message, and no URL.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body: unknown = await this.parseBody(response).catch(() => undefined);
    const [first] = (body as { errors?: unknown[] } | undefined)?.errors ?? [];
    const { message, extensions } = (first ?? {}) as { message?: unknown; extensions?: { code?: unknown } };
    const code = typeof extensions?.code === 'string' ? extensions.code
      : response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : undefined;
    // Without a code the platform's mask makes it a bare INTERNAL_SERVER_ERROR (and logs it): nothing is known to say.
    return new GraphQLError(typeof message === 'string' ? message : `the ${this.service} subgraph answered HTTP ${response.status}`,
      { extensions: code ? { code, serviceName: this.service } : { serviceName: this.service } });
  }
}

export type DataSourceFactory = (subgraph: { name: string; url?: string }) => GraphQLDataSource;

/** Data sources over HTTP; `timeoutMs` (config `limits.subgraphTimeoutMs`, env SUBGRAPH_TIMEOUT_MS) bounds each call. */
export const httpDataSources = (urlOf: (name: string) => string, options: { timeoutMs?: number } = {}): DataSourceFactory =>
  ({ name }) => new ForwardingDataSource(name, urlOf(name), options.timeoutMs ?? configuredLimits.subgraphTimeoutMs);

export function createGateway(supergraphSdl: string, buildService: DataSourceFactory): ApolloGateway {
  return new ApolloGateway({ supergraphSdl, buildService, logger });
}

/** The context function: verifies the token once here so a bad one is refused before any subgraph is called. */
export async function gatewayContext(header: (name: string) => string | undefined): Promise<GatewayContext> {
  const incoming = header(requestIdHeader);
  const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  const authorization = header('authorization') ?? undefined;
  const viewer = await authenticate(authorization);
  return { requestId, authorization, viewer, log: logger.child({ requestId, service: 'gateway' }) };
}

/**
 * The gateway's Apollo Server. Every query is held to `limits` (depth, aliases, directives, tokens, cost: see
 * limits.ts) before any subgraph is called, and introspection is open to signed-in callers only.
 */
export function createApolloServer(gateway: ApolloGateway, limits: Limits = configuredLimits): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    gateway,
    formatError: formatGatewayError,
    includeStacktraceInErrorResponses: false,
    // graphql-js stops parsing at the first token over the limit; formatGatewayError words the refusal.
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: limitRules(limits),
    // On in every environment (Apollo turns it off under NODE_ENV=production); introspectionForSignedIn decides.
    introspection: true,
    // Apollo's default landing page loads Sandbox from a CDN; these machines have no internet. GraphiQL is ours.
    plugins: [ApolloServerPluginLandingPageDisabled(), introspectionForSignedIn<GatewayContext>(), refuseNulCharacters(), {
      async requestDidStart({ contextValue, request }) {
        const started = Date.now();
        return {
          async willSendResponse({ errors }) {
            contextValue.log.info({ operation: request.operationName, ms: Date.now() - started, errors: errors?.length ?? 0 }, 'graphql request');
          },
        };
      },
    }],
  });
}

export interface GatewayServerOptions {
  supergraphSdl: string;
  buildService: DataSourceFactory;
  port: number;
  /** Overrides of config's `limits` (query shape and body size); the subgraph timeout is `httpDataSources`'. */
  limits?: Partial<Limits>;
}

/** The gateway over HTTP: GraphiQL at `/`, GraphQL at `/graphql` (and POST `/`), `/health`. */
export async function startGatewayServer(options: GatewayServerOptions): Promise<RunningServer> {
  const limits: Limits = { ...configuredLimits, ...options.limits };
  const app = express();
  const httpServer = http.createServer(app);
  const server = createApolloServer(createGateway(options.supergraphSdl, options.buildService), limits);
  await server.start();
  app.get('/health', (_req, res) => { res.json({ status: 'ok', service: 'gateway' }); });
  app.use('/export', exportRouter({ server, context: gatewayContext }));
  app.use(calendarRouter({ server, context: gatewayContext }));
  app.use(graphiqlRouter({ endpoint: '/graphql' }));
  app.use('/graphql', graphiqlRouter({ endpoint: '/graphql' }));
  const graphql = expressMiddleware(server, {
    context: async ({ req, res }) => {
      try {
        const context = await gatewayContext((name) => req.header(name));
        res.setHeader(requestIdHeader, context.requestId);
        return context;
      } catch (error) {
        if (error instanceof GraphQLError) {
          throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 401 } } });
        }
        throw error;
      }
    },
  });
  app.use(['/graphql', '/'], express.json({ limit: limits.maxBodyBytes, verify: verifyUtf8 }), graphql, bodyErrors(limits.maxBodyBytes));
  return listen(httpServer, options.port, () => server.stop(), 'gateway');
}
