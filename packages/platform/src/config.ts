import path from 'node:path';

/** The repository root: every default path (.data/, db-migrations/) is relative to it. */
export const repoRoot = path.resolve(__dirname, '../../..');

/** Where the embedded run keeps its state: the Postgres cluster and the dev signing key. */
export const dataDir = process.env.MMS_DATA_DIR ?? path.join(repoRoot, '.data');

/** The subgraphs, in the order they are migrated and started. Each owns `db-migrations/<name>/` and schema `<name>`. */
export const subgraphNames = ['staff', 'profdev', 'events', 'indicators'] as const;
export type SubgraphName = (typeof subgraphNames)[number];

/** Default ports of the embedded run: the gateway first, then one per subgraph in `subgraphNames` order. */
export const defaultPorts: Record<string, number> = { gateway: 4000, staff: 4001, profdev: 4002, events: 4003, indicators: 4004 };

export const auth = {
  issuer: process.env.AUTH_ISSUER ?? 'mms',
  audience: process.env.AUTH_AUDIENCE ?? 'mms-graph',
  /** Production: the identity provider's key set. Without it, the dev key file of the embedded run is used. */
  jwksUrl: process.env.AUTH_JWKS_URL,
  devKeyFile: process.env.AUTH_DEV_KEY_FILE ?? path.join(dataDir, 'dev-signing-key.json'),
};

/**
 * The key of the lists' cursors (see connection.ts). `CURSOR_SECRET`: one secret, or several separated by spaces or
 * commas while rotating (the first makes cursors, every one reads them). Without it, a dev key kept next to the dev
 * signing key; a production run (AUTH_JWKS_URL set, or NODE_ENV=production) refuses to start without it.
 */
export const cursors = {
  secret: process.env.CURSOR_SECRET,
  production: Boolean(auth.jwksUrl) || process.env.NODE_ENV === 'production',
  devKeyFile: path.join(path.dirname(auth.devKeyFile), 'dev-cursor-key'),
};

/** `STAFF_DATABASE_URL`-style variable naming the connection of one subgraph's own role. */
export function subgraphUrlVariable(name: string): string {
  return `${name.toUpperCase()}_DATABASE_URL`;
}

/**
 * What one request to the gateway may ask for: analysts write ad-hoc queries, and a runaway one must be stopped
 * before any subgraph is called, without stopping the queries people actually write. Each figure can be changed
 * by its environment variable; an unreadable value stops the process at start rather than silently lifting a limit.
 *
 * Measured, not guessed: the whole test suite was run with every limit reporting what it saw, and so were the
 * bench's page queries and GraphiQL's introspection query. Largest legitimate figures, and the limit chosen:
 * - depth 8 (educators → edges → node → employments → organization → municipality → organizations → name):
 *   limit 12, four levels of room. Field nesting only: fragments do not add levels.
 * - aliases 5 (a dashboard query of the staff tests): limit 30, room for one field asked for many periods or scopes.
 * - directives 0 in every test: limit 20, an @include/@skip on each field of a large screen.
 * - tokens 106 in the tests, 183 for the full introspection query: limit 2000, a screenful of GraphQL; the parser
 *   stops at the first token over it, so a multi-megabyte document costs nothing to refuse.
 * - cost (query-limits.ts: the values an answer will hold, lists counted at their page or estimated size, an
 *   indicator value weighing 6; issue 14): the README's examples 1,202 to 4,740, bench/'s journeys 108 to 100,402
 *   (100 full educator profiles across four subgraphs; gateway/test/cost.test.ts), and the largest query of the
 *   tests, every indicator of the region broken down to its 1,500 organizations, 389,385. Limit 500,000: those pass,
 *   while the municipality ↔ organizations cycle (383 million), 15 indicator trends over 10 years with two levels
 *   of breakdown (1.6 million) and events ↔ participations (3.7 million) are refused.
 * - rows of one answer in a subgraph (every item of every list it resolves for one request): the largest legitimate
 *   answers are pages of 200 and imports of 5,000 rows. Limit 20,000: past it the subgraph stops (RESPONSE_TOO_LARGE)
 *   instead of building an answer of gigabytes; it fences what the cost estimate got wrong.
 * - body 4 MB: a query and its variables, the largest being a bulk import of 5,000 spreadsheet rows (~2.5 MB as JSON).
 * - subgraph timeout 10 s: a page of the region-scale bench is a handful of indexed statements, orders of magnitude
 *   faster; a subgraph silent for 10 s is stuck, and the caller should get an error, not a hanging request.
 */
export const limits = {
  maxDepth: positiveIntegerFromEnv('LIMIT_MAX_DEPTH', 12),
  maxAliases: positiveIntegerFromEnv('LIMIT_MAX_ALIASES', 30),
  maxDirectives: positiveIntegerFromEnv('LIMIT_MAX_DIRECTIVES', 20),
  maxTokens: positiveIntegerFromEnv('LIMIT_MAX_TOKENS', 2000),
  maxCost: positiveIntegerFromEnv('LIMIT_MAX_COST', 500_000),
  maxRows: positiveIntegerFromEnv('LIMIT_MAX_ROWS', 20_000),
  maxBodyBytes: positiveIntegerFromEnv('LIMIT_MAX_BODY_BYTES', 4 * 1024 * 1024),
  subgraphTimeoutMs: positiveIntegerFromEnv('SUBGRAPH_TIMEOUT_MS', 10_000),
  /**
   * The gateway's timeout for a bulk import mutation (`upsertEducators`, up to 5,000 rows: ~20 s measured here): a
   * batch answers within it instead of being cut off at 10 s and rolled back (issue 14). Below the subgraph's own
   * SUBGRAPH_BULK_DEADLINE_MS (300 s).
   */
  subgraphBulkTimeoutMs: positiveIntegerFromEnv('SUBGRAPH_BULK_TIMEOUT_MS', 120_000),
};
export type Limits = typeof limits;

/**
 * A whole number from the environment, or `fallback` when unset or blank; anything else below `min` stops the process
 * with the variable named (a typo in a deployment is an error at start, not a silent default).
 */
export function integerFromEnv(name: string, fallback: number, min = 0): number {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < min) throw new Error(`${name} must be a ${min > 0 ? 'positive integer' : 'whole number'}, not "${value}"`);
  return parsed;
}

function positiveIntegerFromEnv(name: string, fallback: number): number {
  return integerFromEnv(name, fallback, 1);
}
