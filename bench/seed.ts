/**
 * npm run bench:seed -- --educators 60000 [--seed N] [--replace]: fills the database `npm start` uses (DATABASE_URL
 * when set, else the embedded PostgreSQL under .data/, or MMS_DATA_DIR) with a generated region: bench/seed-region.ts,
 * each subgraph's part as its own role, set-based SQL. Migrates first, as `npm start` does. Refuses (exit 2) when any
 * subgraph already holds data, unless --replace (then each subgraph's tables are emptied first). `npm start` then
 * serves the region: its demo seed runs only into empty tables. See bench/README.md.
 */
import { parseArgs } from 'node:util';

const usage = 'usage: npm run bench:seed -- --educators 60000 [--seed 1] [--replace]';

async function main(): Promise<number> {
  let values: { educators?: string; seed?: string; replace?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { educators: { type: 'string' }, seed: { type: 'string' }, replace: { type: 'boolean' }, help: { type: 'boolean' } } }));
  } catch (error) {
    console.error(`bench:seed: ${error instanceof Error ? error.message : error}\n${usage}`);
    return 2;
  }
  if (values.help) { console.log(usage); return 0; }
  const educators = Number(values.educators ?? 60_000);
  const seed = Number(values.seed ?? 1);
  if (!Number.isInteger(educators) || educators < 50 || educators > 2_000_000 || !Number.isInteger(seed)) {
    console.error(`bench:seed: --educators must be a whole number from 50 to 2,000,000 and --seed a whole number\n${usage}`);
    return 2;
  }
  const started = performance.now();
  const say = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);

  // Loaded only now: they read the configuration (MMS_DATA_DIR, DATABASE_URL) when imported.
  const platform = require('@mms/platform') as typeof import('@mms/platform');
  const { ensureDatabase } = require('../scripts/lib/database') as typeof import('../scripts/lib/database');
  const { seedRegion, subgraphsWithData, truncateSubgraph } = require('./seed-region') as typeof import('./seed-region');
  const { isValidSnils } = require('@mms/staff/src/validate') as typeof import('@mms/staff/src/validate');

  const database = await ensureDatabase();
  const stops: (() => Promise<unknown>)[] = [database.stop];
  let stopping = false;
  const stop = async () => { for (const release of stops.reverse()) await release().catch(() => {}); };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => { if (stopping) return; stopping = true; console.error(`bench:seed: ${signal}, stopping (nothing is committed half-way: each step is one transaction)`); void stop().then(() => process.exit(130)); });
  }
  try {
    say(database.sharedWith ? `PostgreSQL: the running one of ${database.sharedWith}, left running` : database.embedded ? `PostgreSQL: embedded, data in ${platform.dataDir}/postgres` : 'PostgreSQL: DATABASE_URL');
    for (const line of await platform.runMigrations('up')) say(`migrations: ${line}`);
    const dbs = Object.fromEntries(['staff', 'profdev', 'events', 'indicators'].map((name) => [name, platform.subgraphKnex(name, undefined, { min: 0, max: 2 })])) as import('./seed-region').SubgraphKnexes;
    stops.push(async () => { for (const db of Object.values(dbs)) await db.destroy(); });

    const filled = await subgraphsWithData(dbs);
    if (filled.length && !values.replace) {
      console.error(`bench:seed: the database already holds data (${filled.join(', ')}); nothing was changed.\n`
        + 'Run with --replace to empty those subgraphs\' tables first (the registry and everything recorded in it is lost), '
        + 'or point DATABASE_URL / MMS_DATA_DIR elsewhere.');
      return 2;
    }
    if (values.replace) {
      for (const [name, db] of Object.entries(dbs)) say(`--replace: ${name}: ${await truncateSubgraph(db, name)} tables emptied (as svc_${name})`);
    }

    const result = await seedRegion(dbs, { educators, seed, report: say });
    const snils: string[] = await dbs.staff('educator').pluck('snils');
    const bad = snils.filter((s) => !isValidSnils(s)).length + (snils.length - new Set(snils).size);
    if (bad) throw new Error(`${bad} generated SNILS are invalid or repeated`);

    console.log(`\nbench:seed --educators ${educators} --seed ${seed}: ${result.seconds.toFixed(1)} s in all; `
      + `${result.size.municipalities} municipalities, ${result.size.organizations} organizations (SNILS all valid and unique)`);
    const rows = Object.entries(result.rows).flatMap(([name, tables]) => Object.entries(tables).filter(([, n]) => n > 0).map(([table, n]) => [`${name}.${table}`, n] as const));
    const width = Math.max(...rows.map(([t]) => t.length));
    for (const [table, n] of rows) console.log(`  ${table.padEnd(width)} ${n.toLocaleString('en').padStart(10)}`);
    console.log(`  ${'total rows'.padEnd(width)} ${rows.reduce((sum, [, n]) => sum + n, 0).toLocaleString('en').padStart(10)}`);
    console.log('\n`npm start` now serves this region (its demo seed leaves non-empty tables as they are).');
    return 0;
  } finally {
    if (!stopping) await stop();
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(`bench:seed failed: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
