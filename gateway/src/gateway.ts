import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import { authenticate, listen, logger, maskUnexpectedError, requestIdHeader, type Logger, type RunningServer, type Viewer } from '@mms/platform';
import { graphiqlRouter } from './graphiql';

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

class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    for (const [name, value] of Object.entries(forwardedHeaders(context))) request.http?.headers.set(name, value);
  }
}

export type DataSourceFactory = (subgraph: { name: string; url?: string }) => GraphQLDataSource;

export const httpDataSources = (urlOf: (name: string) => string): DataSourceFactory =>
  ({ name }) => new ForwardingDataSource({ url: urlOf(name) });

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

export function createApolloServer(gateway: ApolloGateway): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    gateway,
    formatError: maskUnexpectedError,
    includeStacktraceInErrorResponses: false,
    // Apollo's default landing page loads Sandbox from a CDN; these machines have no internet. GraphiQL is ours.
    plugins: [ApolloServerPluginLandingPageDisabled(), {
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

/** The gateway over HTTP: GraphiQL at `/`, GraphQL at `/graphql` (and POST `/`), `/health`. */
export async function startGatewayServer(options: { supergraphSdl: string; buildService: DataSourceFactory; port: number }): Promise<RunningServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const server = createApolloServer(createGateway(options.supergraphSdl, options.buildService));
  await server.start();
  app.get('/health', (_req, res) => { res.json({ status: 'ok', service: 'gateway' }); });
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
  app.use(['/graphql', '/'], express.json({ limit: '1mb' }), graphql);
  return listen(httpServer, options.port, () => server.stop(), 'gateway');
}
