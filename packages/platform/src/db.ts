import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { integerFromEnv, repoRoot, subgraphUrlVariable } from './config';
import { logger } from './logger';

// Dates stay 'YYYY-MM-DD' strings end to end (a JS Date would shift them by the server's time zone);
// numeric (rates, scores) and bigint (count(*)) come back as numbers.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/** Knex's own warnings go to the service log, not to the console. */
const knexLog = {
  warn: (message: unknown) => logger.warn({ knex: message }, 'knex warning'),
  error: (message: unknown) => logger.error({ knex: message }, 'knex error'),
  deprecate: (message: unknown) => logger.warn({ knex: message }, 'knex deprecation'),
  debug: () => {},
};

/** The database role a subgraph connects as. It owns `<name>` and `<name>_api` and may write nowhere else. */
export const roleName = (subgraph: string) => `svc_${subgraph}`;

/** The role's password: from `SVC_<NAME>_PASSWORD`, or a dev default for the embedded run. */
export const rolePassword = (subgraph: string) =>
  process.env[`SVC_${subgraph.toUpperCase()}_PASSWORD`] ?? `${roleName(subgraph)}_dev`;

/** The admin connection (creates roles and schemas). Set by the embedded run, or by the user. */
export function adminDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded PostgreSQL)');
  return url;
}

/** The subgraph's own connection: `<NAME>_DATABASE_URL`, or `DATABASE_URL` with the subgraph's role swapped in. */
export function subgraphDatabaseUrl(subgraph: string, adminUrl = process.env.DATABASE_URL): string {
  const own = process.env[subgraphUrlVariable(subgraph)];
  if (own) return own;
  if (!adminUrl) throw new Error(`neither ${subgraphUrlVariable(subgraph)} nor DATABASE_URL is set`);
  return withCredentials(adminUrl, roleName(subgraph), rolePassword(subgraph));
}

export function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * The connection pool of a running subgraph: `<NAME>_DB_POOL_MAX` or `DB_POOL_MAX` (10), `DB_POOL_MIN` (0). Size it
 * against PostgreSQL's max_connections (100 by default) over every replica of every subgraph: four subgraphs of two
 * replicas at 10 each already hold 80. A request holds a connection for one statement at a time (DataLoader batches),
 * so 10 serve far more than 10 concurrent requests.
 */
export function poolSize(subgraph: string): { min: number; max: number } {
  const read = (name: string, fallback: number) => integerFromEnv(name, fallback);
  const max = Math.max(1, read(`${subgraph.toUpperCase()}_DB_POOL_MAX`, read('DB_POOL_MAX', 10)));
  return { min: Math.min(max, read('DB_POOL_MIN', 0)), max };
}

/**
 * The backstop of a running subgraph's connections (issue 14): PostgreSQL stops any statement running longer than
 * `DB_STATEMENT_TIMEOUT_MS` (60 s; 0 turns it off), should a request's cancel (cancel.ts) ever be lost. Only the
 * servers' pools get it (runSubgraph): migrations, seeds and the bench's generator run long statements on purpose.
 */
export function statementTimeoutMs(): number {
  return integerFromEnv('DB_STATEMENT_TIMEOUT_MS', 60_000);
}

/** A knex instance for one subgraph: its role, its schema first on the search path; `statementTimeoutMs` on each connection when given. */
export function subgraphKnex(subgraph: string, url = subgraphDatabaseUrl(subgraph), pool = poolSize(subgraph), options: { statementTimeoutMs?: number } = {}): Knex {
  return knexFactory({
    client: 'pg',
    connection: options.statementTimeoutMs ? { connectionString: url, statement_timeout: options.statementTimeoutMs } : url,
    searchPath: [subgraph, `${subgraph}_api`],
    pool,
    migrations: migrationConfig(subgraph),
    log: knexLog,
  });
}

export function adminKnex(url = adminDatabaseUrl()): Knex {
  return knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 2 }, log: knexLog });
}

/** Each subgraph's migrations keep their bookkeeping inside its own schema (docs/architecture.md, rule 1). */
export function migrationConfig(subgraph: string): Knex.MigratorConfig {
  return {
    directory: `${repoRoot}/db-migrations/${subgraph}`,
    schemaName: subgraph,
    tableName: 'knex_migrations',
    loadExtensions: ['.ts'],
  };
}

/** Counts the SQL statements a knex instance sends: the N+1 tests read it around one GraphQL request. */
export function countQueries(knex: Knex): { readonly count: number; reset(): void } {
  let count = 0;
  knex.on('query', () => { count += 1; });
  return { get count() { return count; }, reset() { count = 0; } };
}
