import fs from 'node:fs';
import knexFactory from 'knex';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __mmsPostgres?: { stop(): Promise<void> } }).__mmsPostgres;
  if (server) {
    await server.stop();
  } else if (process.env.MMS_TEST_SERVER_URL && process.env.MMS_TEST_TEMPLATE) {
    // A server of the user's: leave it as it was.
    const admin = knexFactory({ client: 'pg', connection: process.env.MMS_TEST_SERVER_URL, pool: { min: 0, max: 1 } });
    await admin.raw(`drop database if exists "${process.env.MMS_TEST_TEMPLATE}"`).finally(() => admin.destroy());
  }
  if (process.env.MMS_TEST_DIR) fs.rmSync(process.env.MMS_TEST_DIR, { recursive: true, force: true });
}
