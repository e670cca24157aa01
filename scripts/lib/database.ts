import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import knexFactory from 'knex';
import { dataDir, withDatabase } from '@mms/platform';
import { processAlive, runningPostmaster, startEmbeddedPostgres, type EmbeddedDatabase } from '@mms/platform/src/embedded-postgres';

export const appDatabase = process.env.MMS_DATABASE ?? 'mms';

const postgresDir = () => path.join(dataDir, 'postgres');
/** Who started the embedded server now running (npm start, or a command while no npm start ran): its pid. */
const ownerFile = () => path.join(dataDir, 'postgres.owner');
/** The running npm start: `{ pid, graphql }`, so that a second one (and the commands) can find it. */
const instanceFile = () => path.join(dataDir, 'instance.json');

export interface Database {
  url: string;
  embedded: boolean;
  /** The embedded server this process started (npm start supervises it). */
  server?: EmbeddedDatabase;
  /** Set when the embedded server was already running (npm start's, or another command's): used, never stopped. */
  sharedWith?: string;
  /** Stops what this process started, and nothing else. */
  stop: () => Promise<void>;
}

/**
 * The admin URL to work with: `DATABASE_URL` when the user gave one; otherwise the embedded PostgreSQL under
 * .data/postgres: the running one when there is one (a running npm start's: used, left running), else one started
 * here and stopped by the returned `stop`.
 *
 * `forStart` (npm start): a server still running from a hard-killed npm start is stopped and started again under
 * supervision; one that a live command started is left alone (the start fails, saying so).
 */
export async function ensureDatabase(options: { forStart?: boolean } = {}): Promise<Database> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  const running = runningPostmaster(postgresDir());
  const owner = readPid(ownerFile());
  if (running && (!options.forStart || otherOwner() !== undefined)) {
    if (options.forStart) throw inUse();
    await waitForServer(running.url);
    await createDatabaseIfMissing(running.url, appDatabase);
    const url = withDatabase(running.url, appDatabase);
    process.env.DATABASE_URL = url;
    const instance = runningInstance();
    return { url, embedded: true, sharedWith: instance ? `npm start (pid ${instance.pid})` : `process ${owner ?? running.pid}`, stop: async () => {} };
  }
  const server = await startEmbedded();
  await createDatabaseIfMissing(server.url, appDatabase);
  const url = withDatabase(server.url, appDatabase);
  process.env.DATABASE_URL = url;
  return { url, embedded: true, server, stop: server.stop };
}

/** The live process other than this one that started the embedded server now running, if any. */
export function otherOwner(): number | undefined {
  const owner = readPid(ownerFile());
  return owner !== undefined && owner !== process.pid && processAlive(owner) && runningPostmaster(postgresDir()) ? owner : undefined;
}

export function inUse(): Error {
  return new Error(`The embedded PostgreSQL in ${path.relative(process.cwd(), postgresDir()) || '.'} is in use by process ${otherOwner()} (a command such as npm run migrate); start again when it has finished.`);
}

/** The embedded PostgreSQL under .data/postgres (again after a crash: npm start restarts it with the same data). */
export async function startEmbedded(): Promise<EmbeddedDatabase> {
  const server = await startEmbeddedPostgres({
    databaseDir: postgresDir(),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 54320),
    persistent: true,
  });
  fs.writeFileSync(ownerFile(), `${process.pid}\n`);
  return {
    ...server,
    stop: async () => {
      await server.stop();
      if (readPid(ownerFile()) === process.pid) fs.rmSync(ownerFile(), { force: true });
    },
  };
}

/** The npm start running on this data directory, if any. */
export function runningInstance(): { pid: number; graphql: string } | undefined {
  try {
    const instance = JSON.parse(fs.readFileSync(instanceFile(), 'utf8')) as { pid: number; graphql: string };
    return processAlive(instance.pid) ? instance : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Claims the data directory for this npm start: returns the instance already running instead when there is one
 * (a stale file of a killed one is replaced). Exclusive creation: of two starting at once, one wins.
 */
export function claimInstance(graphql: string): { pid: number; graphql: string } | undefined {
  fs.mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      fs.writeFileSync(instanceFile(), JSON.stringify({ pid: process.pid, graphql }), { flag: 'wx' });
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const running = runningInstance();
      if (running) return running;
      fs.rmSync(instanceFile(), { force: true });
    }
  }
  throw new Error(`cannot claim ${instanceFile()}`);
}

export function releaseInstance(): void {
  if (runningInstance()?.pid === process.pid) fs.rmSync(instanceFile(), { force: true });
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A server whose postmaster.pid exists may still be starting (or restarting under npm start): wait up to 15 s. */
async function waitForServer(url: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
    try {
      await admin.raw('select 1');
      return;
    } catch (error) {
      if (attempt >= 150) throw error;
    } finally {
      await admin.destroy();
    }
    await sleep(100);
  }
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
