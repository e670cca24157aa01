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
 * - cost (graphql-armor's estimate: 1 per scalar, 2 per object, ×1.5 per level, × a literal `first`): 362 in the
 *   tests, but 6,395 for bench/'s school staff page at `first: 50` and 25,581 at the largest page (`first: 200`,
 *   the subgraphs' maxPageSize). Limit 50,000: the largest page of the deepest screen passes with room, and a query
 *   that multiplies big pages and deep selections does not. 5,000 would refuse a page the front end already uses.
 * - body 4 MB: a query and its variables, the largest being a bulk import of 5,000 spreadsheet rows (~2.5 MB as JSON).
 * - subgraph timeout 10 s: a page of the region-scale bench is a handful of indexed statements, orders of magnitude
 *   faster; a subgraph silent for 10 s is stuck, and the caller should get an error, not a hanging request.
 */
export const limits = {
  maxDepth: positiveIntegerFromEnv('LIMIT_MAX_DEPTH', 12),
  maxAliases: positiveIntegerFromEnv('LIMIT_MAX_ALIASES', 30),
  maxDirectives: positiveIntegerFromEnv('LIMIT_MAX_DIRECTIVES', 20),
  maxTokens: positiveIntegerFromEnv('LIMIT_MAX_TOKENS', 2000),
  maxCost: positiveIntegerFromEnv('LIMIT_MAX_COST', 50_000),
  maxRows: positiveIntegerFromEnv('LIMIT_MAX_ROWS', 20_000),
  maxBodyBytes: positiveIntegerFromEnv('LIMIT_MAX_BODY_BYTES', 4 * 1024 * 1024),
  subgraphTimeoutMs: positiveIntegerFromEnv('SUBGRAPH_TIMEOUT_MS', 10_000),
};
export type Limits = typeof limits;

function positiveIntegerFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new Error(`${name} must be a positive integer, not "${value}"`);
  return parsed;
}
