import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { writeOnce } from './auth';
import { cursors as cursorConfig } from './config';
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
  /** The list the cursors belong to, with its order: e.g. `staff.educators by name`. */
  list: string;
  /** Rows to fetch: one more than asked, to learn whether there is another page (a next one, or a previous one backward). */
  limit: number;
  /** The page size asked for (`first`, or `last` when paging backward). */
  first: number;
  /** The sort key of the last row already seen, or null for the first page. */
  after: unknown[] | null;
  /** Paging backward (`last`/`before`): the sort key of the first row already seen, or null for the last page. */
  before: unknown[] | null;
  /** `last` or `before` was given: the rows are read in the reverse order, and turned round by toConnection. */
  backward: boolean;
}

/** A connection field's paging arguments (https://relay.dev/graphql/connections.htm#sec-Arguments). */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** The usual sort key: a text column and the row's uuid, e.g. (sort_name, id). */
export const isTextAndIdKey = (key: unknown[]) => key.length === 2 && typeof key[0] === 'string' && isUuid(key[1]);
/** The row's uuid alone: the neutral order of a list of people for a caller who may not read their names. */
export const isIdKey = (key: unknown[]) => key.length === 1 && isUuid(key[0]);

/**
 * Reads `first`/`after` (forward) or `last`/`before` (backward). `list` names the list and its order, and a cursor is
 * accepted only by the list (and order) that made it, whichever direction it is used in. `isKey` checks the decoded
 * sort key has this list's shape, so that a cursor of an older release is BAD_USER_INPUT, never a SQL error.
 *
 * Backward: `last` items before `before` (the end of the list without `before`). `first` usually carries the schema's
 * default, so it cannot tell a client's choice from the default: `last` wins when both are given, and `first` sizes a
 * page that has `before` without `last`. `after` and `before` together are BAD_USER_INPUT (one window at a time).
 */
export function pageRequest(list: string, first: number | null | undefined | PageArgs, after?: string | null,
  isKey: (key: unknown[]) => boolean = isTextAndIdKey, defaultSize = 50): PageRequest {
  const args: PageArgs = typeof first === 'object' && first !== null ? first : { first: first as number | null | undefined, after };
  const backward = args.last != null || args.before != null;
  const field = args.last != null ? 'last' : 'first';
  const size = args.last ?? args.first ?? defaultSize;
  if (!Number.isInteger(size) || size < 0 || size > maxPageSize) throw badInput(`${field} must be between 0 and ${maxPageSize}`, field);
  if (args.after && args.before) throw badInput('after and before cannot be combined: page forward with first/after or backward with last/before', 'before');
  if (backward && args.after) throw badInput('after pages forward: use before with last', 'after');
  const open = (cursor: string | null | undefined, name: 'after' | 'before') => {
    if (!cursor) return null;
    const key = decodeCursor(list, cursor, undefined, name);
    if (!isKey(key)) throw notACursor(name);
    return key;
  };
  return { list, first: size, limit: size + 1, after: open(args.after, 'after'), before: open(args.before, 'before'), backward };
}

/**
 * Orders a keyset query and cuts it at the cursor: `columns` are the sort key (all in one direction, ascending unless
 * `descending`), with their SQL casts for the cursor's values (`uuid`, `date`). Backward, the order is reversed and
 * the rows are those before `before`; toConnection turns them round.
 */
export function keysetPage(query: Knex.QueryBuilder, page: PageRequest, columns: string[],
  options: { descending?: boolean; casts?: (string | null)[] } = {}): Knex.QueryBuilder {
  const descending = Boolean(options.descending) !== page.backward;
  query.orderBy(columns.map((column) => ({ column, order: descending ? 'desc' : 'asc' }))).limit(page.limit);
  const key = page.backward ? page.before : page.after;
  if (key) {
    const values = key.map((_, i) => (options.casts?.[i] ? `?::${options.casts[i]}` : '?')).join(', ');
    query.whereRaw(`(${columns.map(() => '??').join(', ')}) ${descending ? '<' : '>'} (${values})`, [...columns, ...key] as Knex.RawBinding[]);
  }
  return query;
}

// ---- cursors ------------------------------------------------------------------------------------------------------
//
// A cursor is the sort key of a row (e.g. the educator's sort_name and id), which may be a person's name: so it is
// sealed, never merely encoded. AES-256-GCM under a key of the deployment (CURSOR_SECRET), with the list's name (and
// its order) as additional authenticated data: a cursor reads as noise, carries nothing a client can decode, cannot
// be forged or edited (the tag fails), and is refused by any other list or order. The sort key is padded to a multiple
// of 128 bytes before sealing, so that a cursor's length does not tell a name's: every name of up to ~40 letters with
// its id seals to the same length. The IV is synthetic, an HMAC of the list and the padded key under a second key
// (as in SIV): the same row gives the same cursor on every read (a change feed entry keeps its cursor), an IV repeats
// only with the very same plaintext, and equal cursors tell only that they point at the same row, whose id the caller
// sees anyway. Every failure is the same BAD_USER_INPUT on `after`, so nothing is learned from which check refused.

const ivBytes = 12;
const tagBytes = 16;
const padTo = 128;
/** Far longer than any cursor made here (a 300-character name seals to ~1 KB); refused before any work. */
const maxCursorLength = 2048;

/** One secret's two keys: one seals, the other makes the IV. */
export interface CursorKey { seal: Buffer; iv: Buffer }

let processKeys: CursorKey[] | undefined;

/** The cursor keys of this process: the first seals, every one opens (while CURSOR_SECRET is being rotated). */
function cursorKeys(): CursorKey[] {
  processKeys ??= cursorKeysFrom(cursorConfig);
  return processKeys;
}

/** At a service's start: a production run without CURSOR_SECRET stops here rather than at its first list. */
export function prepareCursorKeys(): void {
  cursorKeys();
}

/**
 * The keys `CURSOR_SECRET` names (several, separated by spaces or commas, while rotating); without it, a dev key made
 * once next to the dev signing key, so that cursors survive a restart and every process of the embedded run shares it.
 * A production run without it is refused: a key of each process's own would make page 2 fail whenever another
 * replica (or the same one after a restart) serves it, and would invalidate the change feed cursors regional systems
 * store, intermittently and silently; a service that does not start says what is missing at once.
 */
export function cursorKeysFrom(config: { secret?: string; production: boolean; devKeyFile: string }): CursorKey[] {
  const secrets = (config.secret ?? '').split(/[\s,]+/).filter(Boolean);
  if (!secrets.length) {
    if (config.production) throw new Error('CURSOR_SECRET must be set in production (AUTH_JWKS_URL or NODE_ENV=production): the same secret for every replica of a subgraph, e.g. `openssl rand -base64 32`');
    secrets.push(writeOnce(config.devKeyFile, crypto.randomBytes(32).toString('base64url')).trim());
  }
  for (const secret of secrets) {
    if (secret.length < 32) throw new Error('CURSOR_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)');
  }
  const derive = (secret: string, use: string) => Buffer.from(crypto.hkdfSync('sha256', secret, 'mms-cursor', use, 32));
  return secrets.map((secret) => ({ seal: derive(secret, 'aes-256-gcm'), iv: derive(secret, 'synthetic-iv') }));
}

const notACursor = (argument: 'after' | 'before' = 'after') => badInput(`${argument} is not a cursor this list returned`, argument);

/** Seals a row's sort key into a cursor of `list` (under this process's key unless `keys` are given). */
export function encodeCursor(list: string, key: unknown[], keys = cursorKeys()): string {
  const json = JSON.stringify(key);
  const plain = Buffer.alloc(Math.max(1, Math.ceil(Buffer.byteLength(json) / padTo)) * padTo, ' ');
  plain.write(json);
  const iv = crypto.createHmac('sha256', keys[0].iv).update(list).update('\0').update(plain).digest().subarray(0, ivBytes);
  const cipher = crypto.createCipheriv('aes-256-gcm', keys[0].seal, iv);
  cipher.setAAD(Buffer.from(list));
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** Opens a cursor of `list`; anything else (another list's or order's, edited, forged, garbage) is BAD_USER_INPUT. */
export function decodeCursor(list: string, cursor: string, keys = cursorKeys(), argument: 'after' | 'before' = 'after'): unknown[] {
  if (cursor.length > maxCursorLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw notACursor(argument);
  const raw = Buffer.from(cursor, 'base64url');
  if (raw.length < ivBytes + padTo + tagBytes) throw notACursor(argument);
  const iv = raw.subarray(0, ivBytes);
  const sealed = raw.subarray(ivBytes, raw.length - tagBytes);
  const tag = raw.subarray(raw.length - tagBytes);
  for (const secret of keys) {
    let plain: string;
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', secret.seal, iv, { authTagLength: tagBytes });
      decipher.setAAD(Buffer.from(list));
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
    } catch {
      continue; // not this key's, or not genuine
    }
    try {
      const sortKey: unknown = JSON.parse(plain);
      if (Array.isArray(sortKey)) return sortKey;
    } catch { /* fall through */ }
    break;
  }
  throw notACursor(argument);
}

/**
 * One page as a connection. An edge's cursor is sealed only when the client reads it (a getter graphql-js's default
 * resolver calls): sealing costs microseconds, and most pages are read for their nodes and endCursor alone.
 */
export function toConnection<T>(rows: T[], page: PageRequest, keyOf: (row: T) => unknown[], totalCount: () => Promise<number>): Connection<T> {
  const taken = rows.slice(0, page.first);
  // Backward, the rows came in the reverse order (keysetPage): nearest to `before` first.
  const nodes = page.backward ? taken.reverse() : taken;
  const edges = nodes.map((node) => ({ node, get cursor() { return encodeCursor(page.list, keyOf(node)); } }));
  const more = rows.length > page.first;
  return {
    edges,
    nodes,
    pageInfo: {
      // Forward, a previous page exists when `after` was given; backward, a next one when `before` was (the rows
      // beyond a cursor are not counted again: the spec allows it, https://relay.dev/graphql/connections.htm#sec-undefined.PageInfo).
      hasNextPage: page.backward ? page.before !== null : more,
      hasPreviousPage: page.backward ? more : page.after !== null,
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
