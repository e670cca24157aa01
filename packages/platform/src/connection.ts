import { badInput, isUuid } from './errors';

/** Relay connection (https://relay.dev/graphql/connections.htm), paged by keyset, never by OFFSET. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Resolved only when the client asks for it: graphql-js calls a function-valued field. */
  totalCount: () => Promise<number>;
}

export const maxPageSize = 200;

export interface PageRequest {
  /** Rows to fetch: one more than asked, to learn whether there is a next page. */
  limit: number;
  first: number;
  /** The sort key of the last row already seen, or null for the first page. */
  after: unknown[] | null;
}

/** The usual sort key: a text column and the row's uuid, e.g. (sort_name, id). */
export const isTextAndIdKey = (key: unknown[]) => key.length === 2 && typeof key[0] === 'string' && isUuid(key[1]);

/**
 * Reads `first`/`after`. `isKey` checks a decoded cursor has the shape this connection's sort key has, so that a
 * cursor from another connection (or a forged one) is BAD_USER_INPUT, never a SQL error.
 */
export function pageRequest(first: number | null | undefined, after: string | null | undefined,
  isKey: (key: unknown[]) => boolean = isTextAndIdKey, defaultSize = 50): PageRequest {
  const size = first ?? defaultSize;
  if (!Number.isInteger(size) || size < 0 || size > maxPageSize) throw badInput(`first must be between 0 and ${maxPageSize}`, 'first');
  const key = after ? decodeCursor(after) : null;
  if (key && !isKey(key)) throw badInput('after is not a cursor of this list', 'after');
  return { first: size, limit: size + 1, after: key };
}

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): unknown[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key)) return key;
  } catch { /* fall through */ }
  throw badInput('after is not a cursor this API returned', 'after');
}

export function toConnection<T>(rows: T[], page: PageRequest, keyOf: (row: T) => unknown[], totalCount: () => Promise<number>): Connection<T> {
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: rows.length > page.first,
      hasPreviousPage: page.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/**
 * A list that is not a connection but can be walked in a cycle (a municipality's organizations, an event's
 * participations, an educator's participations): its `first` argument has a default and a maximum, and the list is
 * cut after `first` items, in its own order. The field keeps its list type, so existing front ends do not change;
 * the default is above what a real parent holds, so nothing is cut for them either. BAD_USER_INPUT beyond `max`.
 */
export function cappedList<T>(list: readonly T[], first: number | null | undefined, max: number, field = 'first'): T[] {
  const size = first ?? max;
  if (!Number.isInteger(size) || size < 0 || size > max) throw badInput(`${field} must be between 0 and ${max}`, field);
  return list.length > size ? list.slice(0, size) : [...list];
}

/** The largest `first` of a capped list (cappedList). */
export const maxListSize = 1000;
