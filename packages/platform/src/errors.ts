import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { z } from 'zod';
import { logger } from './logger';

/** The codes a client may see in `extensions.code` (ARCHITECTURE.md, rule 6). */
export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT';

export function appError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}
export const badInput = (message: string, field?: string) =>
  appError('BAD_USER_INPUT', message, field ? { field } : {});
export const notFound = (what: string, id: string) => appError('NOT_FOUND', `${what} ${id} does not exist`, { id });
export const forbidden = (message: string) => appError('FORBIDDEN', message);
export const conflict = (message: string, field?: string) => appError('CONFLICT', message, field ? { field } : {});
export const unauthenticated = (message: string) => appError('UNAUTHENTICATED', message);

/** Parses input with a zod schema; the first issue becomes a BAD_USER_INPUT naming the field, all issues are listed. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, root = 'input'): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: [root, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const [first] = issues;
  return throwing(appError('BAD_USER_INPUT', `${first.field}: ${first.message}`, { field: first.field, issues }));
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every id in the graph is a PostgreSQL uuid; anything else would reach SQL as an error of the database's. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuidPattern.test(value);
}

/** An id argument, checked before it reaches SQL: BAD_USER_INPUT naming the argument otherwise. */
export function parseId(value: string, field = 'id'): string {
  if (!isUuid(value)) throw appError('BAD_USER_INPUT', `${field} is not an id of this graph`, { field });
  return value;
}

function throwing(error: Error): never {
  throw error;
}

const knownCodes = new Set<string>(['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'CONFLICT',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'SUBGRAPH_TIMEOUT', 'PERSISTED_QUERY_NOT_FOUND', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE',
  'RESPONSE_TOO_LARGE']);

/**
 * Apollo Server `formatError`: errors we raised on purpose pass as they are; anything else (SQL, bugs) is logged
 * with its stack and reaches the client as a bare INTERNAL_SERVER_ERROR, without SQL, stack or internal URLs.
 */
export function maskUnexpectedError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && knownCodes.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error({ err: error }, 'unexpected error');
  return { message: 'Internal server error', path: formatted.path, locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
