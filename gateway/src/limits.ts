/**
 * The gateway's fences against runaway and hostile requests (issue 8): limits on the shape and cost of a query (the
 * platform's query-limits.ts, shared with every subgraph; refused with HTTP 400 before any subgraph is called),
 * introspection for signed-in callers only, a timeout on every subgraph call, and body errors that are GraphQL-shaped
 * JSON.
 */
import { isUtf8 } from 'node:buffer';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ErrorRequestHandler } from 'express';
import { GraphQLError, Kind, type FragmentDefinitionNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import { maskUnexpectedError, tokenLimitRefusal, type Viewer } from '@mms/platform';

// The limits on a query's shape and cost are shared with every subgraph: packages/platform/src/query-limits.ts.
export { countTokens, limitError, limitRules, type QueryLimit } from '@mms/platform';

/** A subgraph that did not answer within the gateway's timeout: named, but never by its URL, host or port. */
export class SubgraphTimeoutError extends GraphQLError {
  constructor(readonly service: string, readonly timeoutMs: number) {
    super(`the ${service} subgraph did not answer within ${timeoutMs} ms; try again, or narrow the query`,
      { extensions: { code: 'SUBGRAPH_TIMEOUT', service } });
  }
}

/**
 * The gateway's `formatError`: its own refusals (the token limit, a subgraph timeout) in their final shape, and
 * everything else through the platform's mask, which lets errors raised on purpose pass and hides the rest.
 */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const tokens = tokenLimitRefusal(error);
  if (tokens) return tokens;
  for (let cause = error; cause instanceof Error; cause = (cause as GraphQLError).originalError) {
    if (cause instanceof SubgraphTimeoutError) {
      return { message: cause.message, path: formatted.path, locations: formatted.locations, extensions: { code: 'SUBGRAPH_TIMEOUT', service: cause.service } };
    }
    if (!(cause instanceof GraphQLError)) break;
  }
  return maskUnexpectedError(formatted, error);
}

/**
 * Gives a data source's fetcher a deadline: the request and the reading of its answer must end within `timeoutMs`
 * (AbortSignal.timeout), so a stuck subgraph costs a caller an error after the timeout, not a hanging request.
 */
export function withTimeout(fetcher: RemoteGraphQLDataSource['fetcher'], timeoutMs: (body: unknown) => number): RemoteGraphQLDataSource['fetcher'] {
  return (url, init) => fetcher(url, { ...init, signal: AbortSignal.timeout(timeoutMs(init?.body)) });
}

/** Whether an error thrown by a data source is our deadline (undici's TimeoutError, or an AbortError). */
export function isTimeout(error: unknown): boolean {
  // By name, not instanceof Error: undici's DOMException may come from another realm (Jest's sandbox, a worker).
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'AbortError' || name === 'TimeoutError';
}

/** Whether the operation asks for the schema (`__schema`, `__type`), looking through fragments. */
export function asksForSchema(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): boolean {
  return selectionSet.selections.some((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return selection.name.value === '__schema' || selection.name.value === '__type'
          || (selection.selectionSet !== undefined && asksForSchema(selection.selectionSet, fragments, seen));
      case Kind.INLINE_FRAGMENT:
        return asksForSchema(selection.selectionSet, fragments, seen);
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        if (seen.has(name) || !fragments[name]) return false;
        seen.add(name);
        return asksForSchema(fragments[name].selectionSet, fragments, seen);
      }
    }
  });
}

/**
 * Introspection is for signed-in callers (every role may read the schema it works with); an anonymous caller, who
 * may read only the public calendar, gets UNAUTHENTICATED for `__schema` and `__type` (`__typename` is not
 * introspection of the schema and stays open). The check runs on every request, after the operation is known:
 * Apollo caches validated documents, so a validation rule would see a query only the first time, whoever sent it.
 * Anonymous callers also lose graphql-js's "Did you mean …?" suggestions, which would otherwise spell the schema out
 * field by field.
 */
export function introspectionForSignedIn<C extends { viewer: Viewer }>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.viewer.role !== 'anonymous') return;
      return {
        async didResolveOperation({ operation, document }) {
          if (!operation) return;
          const fragments = Object.fromEntries(document.definitions
            .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
          if (asksForSchema(operation.selectionSet, fragments)) {
            throw new GraphQLError('sign in to read the schema: introspection is open to signed-in users only', {
              extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
            });
          }
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = error.message.replace(/ ?Did you mean .*\?$/, '');
        },
      };
    },
  };
}

/** Body sizes as people write them: 1 MB, 512 KB, 1000 bytes. */
export function describeBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/**
 * express.json()'s `verify`: refuses a body that is not UTF-8 (RFC 8259 requires it) instead of letting the decoder
 * turn the bad bytes into U+FFFD and answer as if they had been sent. body-parser keeps the status and type given here.
 */
export function verifyUtf8(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(body)) {
    throw Object.assign(new Error('request body is not valid UTF-8'), { status: 400, type: 'encoding.invalid' });
  }
}

/**
 * What express.json() refuses, as a GraphQL-style JSON error instead of express's HTML page: 413 for a body over the
 * limit, 400 for JSON that does not parse or bytes that are not UTF-8, the parser's own status and words for the rest
 * (an unsupported charset, an aborted upload). Anything that is not a body-parser refusal goes on to express.
 */
export function bodyErrors(maxBodyBytes: number): ErrorRequestHandler {
  return (error, _req, res, next) => {
    const status = Number(error?.status ?? error?.statusCode);
    if (res.headersSent || !(status >= 400 && status < 500) || typeof error?.type !== 'string') {
      next(error);
      return;
    }
    // body-parser refuses JSON that is not an object or an array (`"{ … }"`, `42`) with the same type as broken JSON.
    const scalar = typeof error.body === 'string' && /^\s*[^\s{[]/.test(error.body);
    const message = error.type === 'entity.too.large' ? `request body exceeds ${describeBytes(maxBodyBytes)}`
      : error.type === 'entity.parse.failed' ? (scalar ? 'request body must be a JSON object: { "query": "…", "variables": {…} }' : 'request body is not valid JSON')
        : String(error.message);
    res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
  };
}
