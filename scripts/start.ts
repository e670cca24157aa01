/**
 * npm start: the whole system on one machine. Starts (or reuses) the embedded PostgreSQL under .data/ unless
 * DATABASE_URL is set, creates each subgraph's role and schema, migrates, seeds the demo municipality into an empty
 * database, starts every subgraph and the gateway as processes of their own, and prints the URL with a dev token.
 * A subgraph, the gateway or the embedded PostgreSQL that dies is restarted with a back-off (scripts/lib/supervisor.ts),
 * and the console says so; the others keep serving. Ctrl+C (SIGINT, SIGTERM, SIGHUP) stops everything.
 *
 * `npm start -- --empty` (or MMS_DEMO=0): no demo data (`npm run demo:reset` loads it later).
 * One npm start per data directory (.data/instance.json): a second one names the running one and exits 1, touching
 * nothing; so does one whose ports are taken. The commands (migrate, seed, import, bench:seed) use the running
 * one's PostgreSQL and leave it running (scripts/lib/database.ts).
 */
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dataDir, defaultPorts, ensureDevKey, mintDevToken, prepareCursorKeys, runMigrations, subgraphDatabaseUrl, subgraphKnex, subgraphNames, subgraphUrlVariable } from '@mms/platform';
import { runningPostmaster } from '@mms/platform/src/embedded-postgres';
import { claimInstance, ensureDatabase, inUse, otherOwner, releaseInstance, startEmbedded } from './lib/database';
import { serviceProcess, supervise, type Supervised } from './lib/supervisor';
import { seedIfEmpty } from './seed';

const services: Supervised[] = [];
let stopping = false;
let stopDatabase: () => Promise<void> = async () => {};

const logLevel = process.env.LOG_LEVEL || 'warn';
const empty = process.argv.includes('--empty') || process.env.MMS_DEMO === '0';
const gatewayPort = Number(process.env.GATEWAY_PORT ?? defaultPorts.gateway);
const subgraphPorts = Object.fromEntries(subgraphNames.map((name) => [name, Number(process.env[`${name.toUpperCase()}_PORT`] ?? defaultPorts[name])]));

/** A refusal before anything started: one line, exit 1. */
class Refused extends Error {}

async function main() {
  const started = Date.now();
  const unknown = process.argv.slice(2).filter((arg) => arg !== '--empty');
  if (unknown.length) throw new Refused(`npm start: unknown option ${unknown.join(' ')} (the only one is --empty)`);
  const running = claimInstance(`http://localhost:${gatewayPort}/graphql`);
  if (running) throw new Refused(`npm start is already running (pid ${running.pid}) on this data directory: ${running.graphql}`);
  await refuseTakenPorts();
  await ensureDevKey();
  // The cursors' dev key (or CURSOR_SECRET checked), before the subgraphs that share it start.
  prepareCursorKeys();
  const database = await ensureDatabase({ forStart: true });
  stopDatabase = database.stop;
  if (database.server) {
    // The embedded server under supervision too: restarted on the same data when it dies (the subgraphs reconnect).
    let first: typeof database.server | undefined = database.server;
    const postgres = await supervise('PostgreSQL', async () => {
      if (!first && otherOwner() !== undefined) throw inUse(); // a command's server meanwhile: not ours to stop
      const server = first ?? await startEmbedded();
      first = undefined;
      return server;
    }, { shuttingDown: () => stopping });
    stopDatabase = () => postgres.stop();
  }
  const postgresDir = path.relative(process.cwd(), path.join(dataDir, 'postgres'));
  console.log(database.embedded ? `PostgreSQL: embedded, data in ${postgresDir.startsWith('..') ? path.join(dataDir, 'postgres') : postgresDir}/` : 'PostgreSQL: DATABASE_URL');
  // One line per subgraph: how many migrations ran (npm run migrate:status names them).
  for (const line of await runMigrations('up')) console.log(`migrations: ${line.replace(/batch \d+: (.*)$/, (_, files: string) => `${files.split(', ').length} applied`)}`);
  console.log(empty ? 'demo data: none (--empty); npm run demo:reset loads it' : await seedIfEmpty());

  const subgraphEnv: Record<string, string> = {};
  // The subgraphs start side by side. Each gets its own role's URL only, never the admin one; the dev-key warning
  // is the gateway's alone; their logs say only what needs attention (warnings, errors) unless LOG_LEVEL says more.
  await Promise.all(subgraphNames.map(async (name) => {
    const port = subgraphPorts[name];
    const url = `http://127.0.0.1:${port}`;
    await launch(name, `services/${name}/src/main.ts`, {
      PORT: String(port), [subgraphUrlVariable(name)]: subgraphDatabaseUrl(name), DATABASE_URL: '', MMS_DEV_KEY_WARNED: '1', LOG_LEVEL: logLevel,
    });
    subgraphEnv[`${name.toUpperCase()}_URL`] = `${url}/graphql`;
    await waitForHealth(name, url);
  }));
  await launch('gateway', 'gateway/src/main.ts', { PORT: String(gatewayPort), ...subgraphEnv, DATABASE_URL: '', LOG_LEVEL: logLevel });
  const gatewayUrl = `http://localhost:${gatewayPort}`;
  await waitForHealth('gateway', gatewayUrl);

  const token = await mintDevToken({ role: 'region_admin', subject: 'dev-region-admin' });
  const municipality = await firstMunicipality();
  console.log(`
Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.

  GraphiQL (signed in as region_admin):  ${gatewayUrl}/?token=${token}
  Dashboard (indicators, statistics):    ${gatewayUrl}/dashboard?token=${token}
  GraphQL endpoint:                      ${gatewayUrl}/graphql

  Dev token (region_admin, 12 h), for the header  Authorization: Bearer <token>
  ${token}

  Other roles: npm run token -- --role municipality_methodist --municipality ${municipality?.id ?? '<id>'}${municipality ? `\n               (${municipality.name})` : ''}
Press Ctrl+C to stop.`);
}

async function launch(name: string, entry: string, env: Record<string, string>) {
  services.push(await supervise(name, serviceProcess(name, entry, env), { shuttingDown: () => stopping }));
}

/** The first municipality of the registry (the demo's), for the hint on minting other roles' tokens. */
async function firstMunicipality(): Promise<{ id: string; name: string } | undefined> {
  const db = subgraphKnex('staff', undefined, { min: 0, max: 1 });
  try {
    return await db('municipality').select('id', 'name').orderBy('name').first();
  } catch {
    return undefined;
  } finally {
    await db.destroy();
  }
}

/** Every port we are about to listen on must be free: else say which and stop, before touching anything. */
async function refuseTakenPorts() {
  const host = process.env.HOST ?? '127.0.0.1';
  const wanted: [string, number][] = [['GATEWAY_PORT', gatewayPort], ...subgraphNames.map((name) => [`${name.toUpperCase()}_PORT`, subgraphPorts[name]] as [string, number])];
  const pgPort = Number(process.env.EMBEDDED_PG_PORT ?? 54320);
  if (!process.env.DATABASE_URL && !runningPostmaster(path.join(dataDir, 'postgres'))) wanted.push(['EMBEDDED_PG_PORT', pgPort]);
  for (const [variable, port] of wanted) {
    if (!(await portFree(port, variable === 'EMBEDDED_PG_PORT' ? '127.0.0.1' : host))) {
      throw new Refused(`npm start: port ${port} (${variable}) is in use, by another npm start or another program; stop it or set ${variable}`);
    }
  }
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function waitForHealth(name: string, url: string) {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  throw new Error(`${name} did not become healthy at ${url}/health within 30 s`);
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(services.map((service) => service.stop()));
  await stopDatabase().catch(() => {});
  releaseInstance();
  process.exit(code);
}

// npm does not forward SIGTERM to us reliably: we handle both signals here and take the children down ourselves.
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));

main().catch(async (error) => {
  if (error instanceof Refused) {
    console.error(error.message);
    releaseInstance();
    process.exit(1);
  }
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
});
