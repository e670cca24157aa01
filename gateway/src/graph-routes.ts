/**
 * What the gateway's plain-HTTP routes share (the educator and indicator exports, the iCalendar feed): each answers
 * by running one GraphQL operation through the gateway's own Apollo Server, with the context the GraphQL route builds,
 * so the subgraphs decide who sees what exactly as for any query. Refusals are GraphQL-style JSON with an HTTP status.
 */
import type { ApolloServer } from '@apollo/server';
import type { Request, Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { logger, RateLimitedError, requestIdHeader, type FairShare } from '@mms/platform';
import { sendRateLimited } from './fair-share';
import type { GatewayContext } from './gateway';

export interface GraphRouteOptions {
  /** The gateway's Apollo Server: the route runs its operation through it. */
  server: ApolloServer<GatewayContext>;
  /** The GraphQL route's context function (gatewayContext): the token is verified the same way. */
  context: (header: (name: string) => string | undefined) => Promise<GatewayContext>;
  /** The limiter of expensive work (issue 14), for a route that limits a part of its work itself (the calendar's build). */
  fairShare?: FairShare;
}

/** A refusal sent as `{ errors }` JSON with `status`, before any byte of a file. */
export class Refusal extends Error {
  constructor(readonly status: number, readonly errors: readonly GraphQLFormattedError[]) {
    super(errors[0]?.message ?? 'refused');
  }
}

export const refusal = (status: number, code: string, message: string, extensions: Record<string, unknown> = {}) =>
  new Refusal(status, [{ message, extensions: { code, ...extensions } }]);

/** The HTTP status of a GraphQL error that stops a route before it answers. */
export function statusOf(code: unknown): number {
  switch (code) {
    case 'BAD_USER_INPUT': case 'GRAPHQL_VALIDATION_FAILED': case 'GRAPHQL_PARSE_FAILED': case 'BAD_REQUEST': return 400;
    case 'UNAUTHENTICATED': return 401;
    case 'FORBIDDEN': return 403;
    case 'NOT_FOUND': return 404;
    case 'SUBGRAPH_TIMEOUT': case 'TIMEOUT': return 504;
    case 'RATE_LIMITED': return 429;
    default: return 500;
  }
}

/** Runs one operation through the gateway and gives back its data and errors (never incremental delivery). */
export async function runOperation<T>(server: GraphRouteOptions['server'], contextValue: GatewayContext,
  request: { query: string; variables: Record<string, unknown>; operationName: string }): Promise<{ data: T | null | undefined; errors: readonly GraphQLFormattedError[] }> {
  const response = await server.executeOperation<T & Record<string, unknown>>(request, { contextValue });
  if (response.body.kind !== 'single') throw new Error(`incremental delivery is not used by ${request.operationName}`);
  const { data, errors } = response.body.singleResult;
  return { data, errors: errors ?? [] };
}

/** The caller's context, for a route that needs a signed-in caller: 401 for a bad or missing token. */
export async function signedInContext(options: GraphRouteOptions, req: Request, res: Response, what: string): Promise<GatewayContext> {
  let contextValue: GatewayContext;
  try {
    contextValue = await options.context((name) => req.header(name));
  } catch (error) {
    if (error instanceof GraphQLError) throw refusal(401, 'UNAUTHENTICATED', error.message);
    throw error;
  }
  res.setHeader(requestIdHeader, contextValue.requestId);
  if (contextValue.viewer.role === 'anonymous') throw refusal(401, 'UNAUTHENTICATED', `sign in to ${what}: send Authorization: Bearer <token>`);
  return contextValue;
}

/** Sends a refusal (with `WWW-Authenticate` on a 401). */
export function sendRefusal(res: Response, error: Refusal): void {
  if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  const retryAfter = error.errors[0]?.extensions?.retryAfter;
  if (error.status === 429 && typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
  res.status(error.status).json({ errors: error.errors });
}

/** Answers a public route's failure: 429 for the limiter, the refusal as it is, else a logged 500 (`what` failed). */
export function sendRouteError(res: Response, error: unknown, what: string): void {
  if (error instanceof RateLimitedError) {
    sendRateLimited(res, error);
    return;
  }
  if (error instanceof Refusal) {
    sendRefusal(res, error);
    return;
  }
  logger.error({ err: error, service: 'gateway' }, `${what} failed`);
  res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}
