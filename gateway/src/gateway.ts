import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSource, type GraphQLDataSourceProcessOptions, type SupergraphManager } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import {
  abandonOnClose, authenticate, currentSignal, FairShare, isBulkOperation, requestScope, fairSharePlugin, limits as configuredLimits, limitRules, listen, logger, markAdmitted,
  operationShapeRule, queryLimits, readyRoute, requestIdHeader,
  type Limits, type Logger, type RunningServer, type Viewer, refuseNulCharacters,
} from '@mms/platform';
import { calendarRouter } from './calendar';
import { corsMiddleware, corsOrigins } from './cors';
import { exportRouter } from './export';
import { fairShareRoute } from './fair-share';
import { filesRouter } from './files';
import { feedRouter } from './feed';
import { indicatorExportRouter } from './export-indicators';
import { statisticsExportRouter } from './export-statistics';
import { importTemplateRouter } from './import-template';
import { subgraphFetcher } from './subgraph-client';
import { dashboardRouter } from './dashboard';
import { documentIdToApollo, markOwnOperation, trustedDocumentsFromEnv, trustedDocumentsPlugin, type TrustedDocuments } from './trusted-documents';
import { graphiqlRouter } from './graphiql';
import { isConnectionFailure, SubgraphUnavailableError, unavailableAnswer, unavailableStatuses } from './unavailable';
import {
  bodyErrors, formatGatewayError, introspectionForSignedIn, isTimeout, SubgraphTimeoutError, verifyUtf8, withTimeout,
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

/** What a data source answers (the gateway's own response type, not re-exported by @apollo/gateway). */
type GraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/**
 * A subgraph over HTTP: forwards the caller's token and request id, gives up after `timeoutMs`, and shares one
 * subgraph call among identical reads in flight at the same moment.
 */
class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly inFlight = new Map<string, { answer: Promise<GraphQLResponse>; sharedBy: number; left: number; abandon: AbortController }>();

  constructor(private readonly service: string, url: string, private readonly timeoutMs: number, fetcher: RemoteGraphQLDataSource['fetcher'],
    private readonly deduplicate: boolean, private readonly bulkTimeoutMs = configuredLimits.subgraphBulkTimeoutMs) {
    super({ url });
    this.fetcher = withTimeout(fetcher, (body) => this.timeoutFor(body));
  }

  /** A bulk import mutation gets SUBGRAPH_BULK_TIMEOUT_MS (a 5,000-row batch takes ~20 s); everything else `timeoutMs`. */
  private timeoutFor(body: unknown): number {
    if (typeof body !== 'string' || !body.includes('mutation')) return this.timeoutMs;
    try {
      const { query } = JSON.parse(body) as { query?: unknown };
      return typeof query === 'string' && isBulkOperation(query) ? Math.max(this.bulkTimeoutMs, this.timeoutMs) : this.timeoutMs;
    } catch {
      return this.timeoutMs;
    }
  }

  /**
   * In-flight deduplication: the same read (same subgraph document, variables and token) asked while an identical
   * one is on its way waits for that one's answer instead of calling the subgraph again — forty teachers opening
   * the same calendar page at nine o'clock cost one subgraph call. Only reads (never a mutation), only at the same
   * moment (nothing is cached once the answer is in), and only for the same token, so scope and personal-data rules
   * hold exactly. The gateway's executor merges into what it receives, so an answer that was shared is handed to
   * each caller as a copy of its own; one nobody else waited for (the usual case) is handed over as it is.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GraphQLResponse> {
    const { request, context } = options;
    // A mutation runs to its end even if its caller leaves (only the timeout stops it); a read is abandoned with its caller.
    if (request.query && /^\s*mutation\b/.test(request.query)) return requestScope.exit(() => this.send(options));
    if (!this.deduplicate || !request.query) return this.send(options);
    const key = JSON.stringify([request.query, request.variables ?? null, context.authorization ?? null]);
    let flight = this.inFlight.get(key);
    if (flight) {
      flight.sharedBy += 1;
    } else {
      // Removed from the map before any caller resumes: by then `sharedBy` is final. The call is abandoned (issue 14)
      // only when every caller sharing it has gone away, so it runs under a signal of its own.
      const abandon = new AbortController();
      const answer = requestScope.run({ signal: abandon.signal }, () => this.send(options)).finally(() => this.inFlight.delete(key));
      flight = { answer, sharedBy: 1, left: 0, abandon };
      this.inFlight.set(key, flight);
    }
    const shared = flight;
    currentSignal()?.addEventListener('abort', () => {
      shared.left += 1;
      if (shared.left < shared.sharedBy) return;
      if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
      shared.abandon.abort();
    }, { once: true });
    const response = await flight.answer;
    if (flight.sharedBy === 1) return response;
    return { data: structuredClone(response.data), errors: response.errors && structuredClone(response.errors), extensions: response.extensions };
  }

  /** One call of the subgraph; a subgraph that cannot be reached answers errors with paths (unavailable.ts), not a throw. */
  private send(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GraphQLResponse> {
    return super.process(options).catch((error: unknown) => {
      if (!(error instanceof SubgraphUnavailableError)) throw error;
      options.context.log?.warn({ subgraph: this.service, reason: error.reason }, 'subgraph unavailable');
      return unavailableAnswer(error, options);
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    for (const [name, value] of Object.entries(forwardedHeaders(context))) request.http?.headers.set(name, value);
  }

  override didEncounterError(error: Error): void {
    if (isTimeout(error)) throw new SubgraphTimeoutError(this.service, this.timeoutMs);
    if (isConnectionFailure(error)) throw new SubgraphUnavailableError(this.service, String((error as { cause?: { code?: unknown } }).cause?.code ?? (error as Error).message));
    throw error;
  }

  /**
   * A subgraph's non-2xx answer: a 400 for a variable its own scalars refuse (a Date that is no day: the gateway
   * cannot know), a 401 for a token it refuses. Apollo's default makes it "400: Bad Request" with the subgraph's URL
   * in `extensions.response`; the caller gets the subgraph's own first error instead, code and message, and no URL.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body: unknown = await this.parseBody(response).catch(() => undefined);
    const [first] = (body as { errors?: unknown[] } | undefined)?.errors ?? [];
    const { message, extensions } = (first ?? {}) as { message?: unknown; extensions?: { code?: unknown; retryAfter?: unknown } };
    const code = typeof extensions?.code === 'string' ? extensions.code
      : response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : undefined;
    if (!code && unavailableStatuses.has(response.status)) return new SubgraphUnavailableError(this.service, `HTTP ${response.status}`);
    // Without a code the platform's mask makes it a bare INTERNAL_SERVER_ERROR (and logs it): nothing is known to say.
    return new GraphQLError(typeof message === 'string' ? message : `the ${this.service} subgraph answered HTTP ${response.status}`,
      { extensions: code ? { code, serviceName: this.service, ...(typeof extensions?.retryAfter === 'number' ? { retryAfter: extensions.retryAfter } : {}) } : { serviceName: this.service } });
  }
}

export type DataSourceFactory = (subgraph: { name: string; url?: string }) => GraphQLDataSource;

export interface HttpDataSourceOptions {
  /** Bounds each subgraph call: config `limits.subgraphTimeoutMs` (env SUBGRAPH_TIMEOUT_MS) by default. */
  timeoutMs?: number;
  /** Bounds a bulk import mutation: `limits.subgraphBulkTimeoutMs` (env SUBGRAPH_BULK_TIMEOUT_MS) by default. */
  bulkTimeoutMs?: number;
  /** Share one call among identical reads in flight (default on; env GATEWAY_DEDUPLICATE=0 turns it off). */
  deduplicate?: boolean;
  /** Keep-alive connections per subgraph (default 64; env GATEWAY_SUBGRAPH_CONNECTIONS). */
  connections?: number;
}

/** Data sources over HTTP, one pool of keep-alive connections for all subgraphs of this gateway. */
export const httpDataSources = (urlOf: (name: string) => string, options: HttpDataSourceOptions = {}): DataSourceFactory => {
  const fetcher = subgraphFetcher({ connections: options.connections });
  const deduplicate = options.deduplicate ?? process.env.GATEWAY_DEDUPLICATE !== '0';
  return ({ name }) => new ForwardingDataSource(name, urlOf(name), options.timeoutMs ?? configuredLimits.subgraphTimeoutMs, fetcher, deduplicate,
    options.bulkTimeoutMs ?? configuredLimits.subgraphBulkTimeoutMs);
};

/** A static supergraph (tests, the composed file once), or a manager that reloads it (see supergraph-watch.ts). */
export type Supergraph = string | SupergraphManager;

export function createGateway(supergraph: Supergraph, buildService: DataSourceFactory): ApolloGateway {
  // @apollo/gateway otherwise sends usage metrics to Apollo and probes cloud metadata addresses (169.254.169.254) at
  // start: a municipal graph phones nobody. An operator may still opt in with APOLLO_TELEMETRY_DISABLED=false.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  return new ApolloGateway({ supergraphSdl: supergraph, buildService, logger });
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
 * The gateway's Apollo Server. Every query is held to `limits` (depth, aliases, directives, tokens, cost, no
 * subscriptions: the platform's query-limits.ts, which every subgraph applies too) before any subgraph is called, and introspection is open to signed-in callers only.
 */
export function createApolloServer(gateway: ApolloGateway, limits: Limits = configuredLimits, fairShare?: FairShare,
  trustedDocuments?: TrustedDocuments): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    gateway,
    formatError: formatGatewayError,
    includeStacktraceInErrorResponses: false,
    // graphql-js stops parsing at the first token over the limit; formatGatewayError words the refusal.
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [operationShapeRule, ...limitRules(limits)],
    // On in every environment (Apollo turns it off under NODE_ENV=production); introspectionForSignedIn decides.
    introspection: true,
    // CSRF (issue 17): Apollo refuses a request a browser could send cross-site without a preflight (a GET, or a POST
    // as text/plain or a form) unless it carries a header that forces one. The Authorization header forces one (it is
    // not CORS-safelisted), and it is the graph's only credential (no cookies: a browser never adds it by itself), so
    // it counts as such a header: a plain GET with a token answers (urql's and graphql-request's defaults), and a
    // request without one still needs Apollo's own headers or a JSON content type. Mutations over GET stay refused (405).
    csrfPrevention: { requestHeaders: ['authorization', 'x-apollo-operation-name', 'apollo-require-preflight'] },
    // Trusted documents (issue 17, trusted-documents.ts): with a manifest, APQ is off (nothing is ever registered) and
    // the plugin resolves ids from the manifest; without one, Apollo's APQ as before (its bounded in-memory cache).
    ...(trustedDocuments ? { persistedQueries: false as const } : {}),
    // Apollo's default landing page loads Sandbox from a CDN; these machines have no internet. GraphiQL is ours.
    // The trusted-documents plugin first: it may replace the request's document before any other plugin looks at it.
    plugins: [...(trustedDocuments ? [trustedDocumentsPlugin<GatewayContext>(trustedDocuments)] : []),
      ApolloServerPluginLandingPageDisabled(), introspectionForSignedIn<GatewayContext>(), refuseNulCharacters(), queryLimits<GatewayContext>(limits),
      // Expensive reads limited per caller and in total (issue 14; platform's fair-share.ts).
      ...(fairShare ? [fairSharePlugin<GatewayContext>(fairShare)] : []), {
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
  supergraphSdl: Supergraph;
  /** Each subgraph's readiness URL: the gateway is ready when all of them are (and it is not draining). */
  readinessUrls?: string[];
  buildService: DataSourceFactory;
  port: number;
  /** Overrides of config's `limits` (query shape and body size); the subgraph timeout is `httpDataSources`'. */
  limits?: Partial<Limits>;
  /** The limiter of expensive reads (issue 14): one from the FAIR_SHARE_* environment by default. */
  fairShare?: FairShare;
  /** Origins browsers may call from (CORS, see cors.ts): `CORS_ORIGINS` by default, none when unset. */
  corsOrigins?: string[];
  /**
   * The trusted-documents manifest (trusted-documents.ts): read from `PERSISTED_DOCUMENTS` by default; `null`: none
   * (every document allowed, APQ on), whatever the environment says.
   */
  trustedDocuments?: TrustedDocuments | null;
  /** The profdev subgraph's `/files` URL, which `/files` proxies to (issue 19); without it `/files` answers 503. */
  filesUrl?: string;
}

/** The gateway over HTTP: GraphiQL at `/`, GraphQL at `/graphql` (and POST `/`), `/health`. */
export async function startGatewayServer(options: GatewayServerOptions): Promise<RunningServer> {
  const limits: Limits = { ...configuredLimits, ...options.limits };
  const origins = options.corsOrigins ?? corsOrigins();
  const app = express();
  const httpServer = http.createServer(app);
  const fairShare = options.fairShare ?? new FairShare();
  const trustedDocuments = options.trustedDocuments === undefined ? trustedDocumentsFromEnv() : options.trustedDocuments ?? undefined;
  if (trustedDocuments) {
    logger.info({ service: 'gateway', manifest: trustedDocuments.source, documents: trustedDocuments.count },
      'trusted documents: front-end roles may send only the manifest\'s documents; APQ registration is off');
  }
  const server = createApolloServer(createGateway(options.supergraphSdl, options.buildService), limits, fairShare, trustedDocuments);
  await server.start();
  app.get('/health', (_req, res) => { res.json({ status: 'ok', service: 'gateway' }); });
  app.get('/ready', readyRoute('gateway', () => running?.isDraining() ?? false, () => unreadySubgraph(options.readinessUrls ?? [])));
  // Before every route it concerns, so that a preflight (OPTIONS) is answered here and each answer carries its headers.
  app.use(['/graphql', '/export', '/calendar.ics', '/files', '/feed.xml'], corsMiddleware(origins));
  // The file routes are limited as a whole (fairShareRoute, the calendar's build): their own operation is not counted again.
  // Their operations are the gateway's own fixed documents: not concerned by the trusted-documents manifest.
  const routes = { server, context: async (header: (name: string) => string | undefined) => markOwnOperation(markAdmitted(await gatewayContext(header))), fairShare };
  app.use(['/export/educators.csv', '/export/educators.xlsx', '/export/indicators.csv', '/export/indicators.xlsx', '/export/statistics.xlsx'], fairShareRoute(fairShare));
  app.use('/export', exportRouter(routes));
  app.use('/export', indicatorExportRouter(routes));
  app.use('/export', statisticsExportRouter(routes));
  app.use('/import', importTemplateRouter());
  app.use(calendarRouter(routes));
  app.use('/files', filesRouter(options.filesUrl));
  app.use(feedRouter(routes));
  app.use(graphiqlRouter({ endpoint: '/graphql' }));
  app.use(dashboardRouter({ endpoint: '/graphql' }));
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
  app.use(['/graphql', '/'], express.json({ limit: limits.maxBodyBytes, verify: verifyUtf8 }), abandonOnClose(), documentIdToApollo(), graphql, bodyErrors(limits.maxBodyBytes));
  const running: RunningServer = await listen(httpServer, options.port, () => server.stop(), 'gateway');
  return running;
}

/** The first subgraph that does not answer its readiness URL with 200 within 2 s, with its reason; null when all do. */
async function unreadySubgraph(urls: string[]): Promise<string | null> {
  const problems = await Promise.all(urls.map(async (url) => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return null;
      const body = await response.json().catch(() => ({})) as { service?: string; reason?: string };
      return `${body.service ?? url}: ${body.reason ?? `HTTP ${response.status}`}`;
    } catch {
      return `${url}: unreachable`;
    }
  }));
  return problems.find((problem) => problem !== null) ?? null;
}
