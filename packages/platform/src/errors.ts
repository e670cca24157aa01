import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { z } from 'zod';
import { logger } from './logger';

/** The codes a client may see in `extensions.code` (docs/architecture.md, rule 6). */
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
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'DATABASE_UNAVAILABLE', 'SUBGRAPH_TIMEOUT', 'SUBGRAPH_UNAVAILABLE', 'PERSISTED_QUERY_NOT_FOUND', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE',
  // Issue 14: work stopped at its deadline or because its caller left (cancel.ts), and the fair-share limiter.
  'TIMEOUT', 'REQUEST_CANCELLED', 'RATE_LIMITED',
  // Issue 14: an answer over LIMIT_MAX_ROWS (response-limit.ts).
  'RESPONSE_TOO_LARGE',
  // Issue 17: the trusted-documents mode (gateway/src/trusted-documents.ts).
  'PERSISTED_DOCUMENT_REQUIRED']);

/** Node's and PostgreSQL's codes (SQLSTATE class 08, 57P0x) of a database that is down, restarting or unreachable. */
const databaseDownCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const databaseDownMessages = /^(Connection terminated|Connection ended unexpectedly|timeout exceeded when trying to connect|Knex: Timeout acquiring a connection)/;

/** Whether an error (or one it wraps) says the database cannot be reached right now: not a bug, a fault to wait out. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && typeof cause === 'object' && depth < 6; depth += 1) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && databaseDownCodes.has(code)) return true;
    if (typeof message === 'string' && databaseDownMessages.test(message)) return true;
    // GraphQLError.originalError; graphql-js's NonErrorThrown.thrownValue (knex rejects with what pg gave it); Error.cause.
    const next = cause as { originalError?: unknown; thrownValue?: unknown; cause?: unknown };
    cause = next.originalError ?? next.thrownValue ?? next.cause;
  }
  return false;
}

/** PostgreSQL's query_canceled: a statement stopped by statement_timeout (the backstop) or pg_cancel_backend. */
function isStatementCancelled(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = (cause as { originalError?: unknown }).originalError as Error | undefined) {
    if ((cause as { code?: unknown }).code === '57014') return true;
  }
  return false;
}

/**
 * Apollo Server `formatError`: errors we raised on purpose pass as they are; a database that cannot be reached is
 * DATABASE_UNAVAILABLE (the service reconnects by itself once it is back); anything else (SQL, bugs) is logged with
 * its stack and reaches the client as a bare INTERNAL_SERVER_ERROR, without SQL, stack or internal URLs.
 */
export function maskUnexpectedError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && knownCodes.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (isStatementCancelled(error)) {
    logger.warn({ err: error }, 'statement cancelled');
    return { message: 'the request took too long and was stopped; narrow the query or try later', path: formatted.path,
      locations: formatted.locations, extensions: { code: 'TIMEOUT' } };
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error }, 'database unavailable');
    return { message: 'the database is unavailable; try again shortly', path: formatted.path, locations: formatted.locations,
      extensions: { code: 'DATABASE_UNAVAILABLE' } };
  }
  logger.error({ err: error }, 'unexpected error');
  return { message: 'Internal server error', path: formatted.path, locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
