import path from 'node:path';
import knexFactory from 'knex';
import { dataDir, withDatabase } from '@mms/platform';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@mms/platform/src/embedded-postgres';

export const appDatabase = process.env.MMS_DATABASE ?? 'mms';

/**
 * The admin URL to work with: `DATABASE_URL` when the user gave one, otherwise the embedded PostgreSQL under
 * .data/postgres (started here, and stopped by the returned `stop`).
 */
export async function ensureDatabase(): Promise<{ url: string; embedded: boolean; server?: EmbeddedDatabase; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  const server = await startEmbedded();
  await createDatabaseIfMissing(server.url, appDatabase);
  const url = withDatabase(server.url, appDatabase);
  process.env.DATABASE_URL = url;
  return { url, embedded: true, server, stop: server.stop };
}

/** The embedded PostgreSQL under .data/postgres (again after a crash: npm start restarts it with the same data). */
export function startEmbedded(): Promise<EmbeddedDatabase> {
  return startEmbeddedPostgres({
    databaseDir: path.join(dataDir, 'postgres'),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 54320),
    persistent: true,
  });
}

export async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  try {
    const { rows } = await admin.raw('select 1 from pg_database where datname = ?', [name]);
    if (rows.length === 0) await admin.raw(`create database "${name}"`);
  } finally {
    await admin.destroy();
  }
}
