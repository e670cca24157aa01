/**
 * npm start: the whole system on one machine. Starts (or reuses) the embedded PostgreSQL under .data/ unless
 * DATABASE_URL is set, creates each subgraph's role and schema, migrates, seeds the demo municipality into an empty
 * database, starts every subgraph and the gateway as processes of their own, and prints the URL with a dev token.
 * A subgraph, the gateway or the embedded PostgreSQL that dies is restarted with a back-off (scripts/lib/supervisor.ts),
 * and the console says so; the others keep serving. Ctrl+C (SIGINT, SIGTERM, SIGHUP) stops everything.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dataDir, defaultPorts, ensureDevKey, mintDevToken, prepareCursorKeys, runMigrations, subgraphDatabaseUrl, subgraphNames, subgraphUrlVariable } from '@mms/platform';
import { ensureDatabase, startEmbedded } from './lib/database';
import { serviceProcess, supervise, type Supervised } from './lib/supervisor';
import { seedIfEmpty } from './seed';

const services: Supervised[] = [];
let stopping = false;
let stopDatabase: () => Promise<void> = async () => {};

async function main() {
  const started = Date.now();
  await ensureDevKey();
  // The cursors' dev key (or CURSOR_SECRET checked), before the subgraphs that share it start.
  prepareCursorKeys();
  const database = await ensureDatabase();
  stopDatabase = database.stop;
  if (database.server) {
    // The embedded server under supervision too: restarted on the same data when it dies (the subgraphs reconnect).
    let first: typeof database.server | undefined = database.server;
    const postgres = await supervise('PostgreSQL', async () => {
      const server = first ?? await startEmbedded();
      first = undefined;
      return server;
    }, { shuttingDown: () => stopping });
    stopDatabase = () => postgres.stop();
  }
  console.log(database.embedded ? `PostgreSQL: embedded, data in ${path.relative(process.cwd(), path.join(dataDir, 'postgres')) || '.'}/` : 'PostgreSQL: DATABASE_URL');
  for (const line of await runMigrations('up')) console.log(`migrations: ${line}`);
  console.log(await seedIfEmpty());

  const subgraphEnv: Record<string, string> = {};
  for (const name of subgraphNames) {
    const port = Number(process.env[`${name.toUpperCase()}_PORT`] ?? defaultPorts[name]);
    const url = `http://127.0.0.1:${port}`;
    // A subgraph gets its own role's URL only, never the admin one.
    await launch(name, `services/${name}/src/main.ts`, { PORT: String(port), [subgraphUrlVariable(name)]: subgraphDatabaseUrl(name), DATABASE_URL: '' });
    subgraphEnv[`${name.toUpperCase()}_URL`] = `${url}/graphql`;
    await waitForHealth(name, url);
  }
  const gatewayPort = Number(process.env.GATEWAY_PORT ?? defaultPorts.gateway);
  await launch('gateway', 'gateway/src/main.ts', { PORT: String(gatewayPort), ...subgraphEnv, DATABASE_URL: '' });
  const gatewayUrl = `http://localhost:${gatewayPort}`;
  await waitForHealth('gateway', gatewayUrl);

  const token = await mintDevToken({ role: 'region_admin', subject: 'dev-region-admin' });
  console.log(`
Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.

  GraphiQL (signed in as region_admin):  ${gatewayUrl}/?token=${token}
  GraphQL endpoint:                      ${gatewayUrl}/graphql

  Dev token (region_admin, 12 h), for the header  Authorization: Bearer <token>
  ${token}

  Other roles: npm run token -- --role municipality_methodist --municipality <id>
Press Ctrl+C to stop.`);
}

async function launch(name: string, entry: string, env: Record<string, string>) {
  services.push(await supervise(name, serviceProcess(name, entry, env), { shuttingDown: () => stopping }));
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
  process.exit(code);
}

// npm does not forward SIGTERM to us reliably: we handle both signals here and take the children down ourselves.
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
});
