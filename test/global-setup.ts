import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDevKey, freePort, runMigrations, withDatabase } from '@mms/platform';
import { startEmbeddedPostgres } from '@mms/platform/src/embedded-postgres';
import { createDatabaseIfMissing } from '../scripts/lib/database';

/**
 * Starts a throwaway embedded PostgreSQL for the run (or uses TEST_DATABASE_URL, a server of the user's choice;
 * never DATABASE_URL, which may be the user's real database), migrates the template database every test file clones, and makes a dev signing key.
 * Workers inherit the environment set here.
 */
export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mms-test-'));
  process.env.MMS_TEST_DIR = workDir;
  process.env.AUTH_DEV_KEY_FILE = path.join(workDir, 'dev-signing-key.json');
  process.env.AUTH_JWKS_URL = '';
  await ensureDevKey(process.env.AUTH_DEV_KEY_FILE);

  // DATABASE_URL (npm start's, or a real database) is never used, and not passed on to the workers either.
  delete process.env.DATABASE_URL;
  let serverUrl = process.env.TEST_DATABASE_URL || undefined;
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({ databaseDir: path.join(workDir, 'postgres'), port: await freePort(), persistent: false });
    (globalThis as { __mmsPostgres?: typeof server }).__mmsPostgres = server;
    serverUrl = server.url;
  }
  const template = `mms_template_${process.pid}`;
  process.env.MMS_TEST_SERVER_URL = serverUrl;
  process.env.MMS_TEST_TEMPLATE = template;
  await createDatabaseIfMissing(serverUrl, template);
  await runMigrations('up', undefined, withDatabase(serverUrl, template));
}

