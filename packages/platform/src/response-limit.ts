import type { ApolloServerPlugin } from '@apollo/server';
import { defaultFieldResolver, getNullableType, GraphQLError, isListType, isObjectType, type GraphQLSchema } from 'graphql';

/**
 * The rows of one answer, counted where they are produced: every item of every list a subgraph resolves for one
 * request counts one row (an `_entities` call counts its representations). The list that crosses `maxRows` (env
 * LIMIT_MAX_ROWS) fails with RESPONSE_TOO_LARGE, and every list resolved after it is empty without its resolver being
 * called, so the rest of the execution ends at once instead of building an answer that grows the heap (one error, not
 * one per list: thousands of lists may still be on their way, and each error's stack costs more than a field). The
 * server then answers with that error alone and no data (`responseLimit`). The cost estimate (query-limits.ts)
 * refuses most such queries before they run; this is the fence for the estimate being wrong (a municipality far
 * larger than its estimate, say).
 */
export class ResponseTooLargeError extends GraphQLError {
  constructor(readonly maxRows: number) {
    super(`the answer would hold more than ${maxRows} rows: ask for fewer items (first), fewer fields or fewer levels`,
      { extensions: { code: 'RESPONSE_TOO_LARGE', max: maxRows } });
  }
}

interface RowCount {
  rows: number;
  max: number;
  /** Set once over the limit: the request's one error. */
  error?: ResponseTooLargeError;
}

/** Per request, keyed by its context object: a subgraph's context is created once per request. */
const counts = new WeakMap<object, RowCount>();

/** What one request may still produce; the counter starts the first time a list of the request is resolved. */
function countFor(context: unknown, maxRows: number): RowCount | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  let count = counts.get(context);
  if (!count) {
    count = { rows: 0, max: maxRows };
    counts.set(context, count);
  }
  return count;
}

function counted(count: RowCount | undefined, list: unknown): unknown {
  if (!count || !Array.isArray(list)) return list;
  if (count.error) return [];
  count.rows += list.length;
  if (count.rows > count.max) throw (count.error = new ResponseTooLargeError(count.max));
  return list;
}

/**
 * Wraps the resolver of every list field of the schema (only those: a scalar field's resolver stays as it was, so
 * the ordinary path costs nothing more) with the row count of its request. `maxRows` is read per request from the
 * function, so a server started with its own limits counts against them.
 */
export function countListRows(schema: GraphQLSchema, maxRows: (context: unknown) => number): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isListType(getNullableType(field.type))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const count = countFor(context, maxRows(context));
        if (count?.error) return [];
        const result = resolve(source, args, context, info);
        return result instanceof Promise ? result.then((list) => counted(count, list)) : counted(count, result);
      };
    }
  }
  return schema;
}

/** The limit a context was given by `responseLimit`, if any. */
const limitOf = new WeakMap<object, number>();

/** The row limit of a request's context: the one its server set, else the configured default. */
export const rowLimitOf = (fallback: number) => (context: unknown): number =>
  (typeof context === 'object' && context !== null ? limitOf.get(context) : undefined) ?? fallback;

/**
 * The Apollo Server plugin of a subgraph: gives each request its row limit, and when a request went over it, answers
 * with the RESPONSE_TOO_LARGE error alone (HTTP 200 as a GraphQL error of execution; no partial data: the point is
 * not to send, nor keep, the part already built).
 */
export function responseLimit<C extends object>(maxRows: number): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      limitOf.set(contextValue, maxRows);
      return {
        async willSendResponse({ response }) {
          const count = counts.get(contextValue);
          if (!count?.error || response.body.kind !== 'single') return;
          const { message, extensions } = count.error;
          response.body.singleResult = { data: null, errors: [{ message, extensions }] };
        },
      };
    },
  };
}
