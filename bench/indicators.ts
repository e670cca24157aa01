/**
 * npm run bench:indicators: how long the 15 indicators take at the scale of one region (docs/architecture.md, "Scale").
 *
 * A throwaway embedded PostgreSQL, migrated as `npm start` does; the region of bench/region.ts (30 municipalities,
 * 1,500 organizations, 60,000 educators, 5 years of employments) as the staff role, plus regional methodists and their
 * assignments; then each other subgraph's tables filled directly as its own role with multi-row set-based inserts
 * (bench/indicators-data.ts: diagnostics, completions, routes, mentorships, support, associations with plans,
 * complaints; networked events with participations, competition applications), five years of each. VACUUM ANALYZE.
 *
 * Then, through the indicators subgraph's own schema in this process (its resolvers, loaders and SQL; no HTTP), for
 * the last complete academic year: the region's table (all 15 indicators), the same with the municipality breakdown,
 * each run 5 times (median and best), each indicator alone, and the EXPLAIN (ANALYZE, BUFFERS) summary of the slowest.
 * Stops itself at 280 s. See bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { runBenchmark } from './supervisor';

const deadlineSeconds = 280;
const startedAt = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${line}`);

const releases: { name: string; release: () => Promise<unknown> }[] = [];
let shuttingDown: Promise<void> | undefined;
const onShutdown = (name: string, release: () => Promise<unknown>) => releases.push({ name, release });
function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    for (const { name, release } of releases.reverse()) {
      await Promise.race([release(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())])
        .catch((error) => console.error(`bench: could not stop ${name}: ${error instanceof Error ? error.message : error}`));
    }
  })();
  return shuttingDown;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value.toFixed(0)} ms`;

// ---- what bench/run.ts reuses: loaded lazily, after the caller has set the environment ----
export const indicatorQueries = {
  table: `query ($year: AcademicYear!) { indicatorValues(scope: { region: true }, academicYear: $year) { indicator { code } numerator denominator value reason } }`,
  withBreakdown: `query ($year: AcademicYear!) { indicatorValues(scope: { region: true }, academicYear: $year) { indicator { code } numerator denominator value reason
    breakdown { scope { municipality { id } } numerator denominator value reason } } }`,
  /** Statistics (issue 22): educators by municipality × category in force (the year's 1 September), the bench row's request. */
  statistics: `query ($year: AcademicYear!) { statistics(subject: EDUCATORS, measures: [EDUCATORS], groupBy: [MUNICIPALITY, CATEGORY], academicYear: $year) {
    rows { values educators } total { educators } } }`,
  scoped: (scope: string) => `query ($year: AcademicYear!) { indicatorValues(scope: ${scope}, academicYear: $year) { indicator { code } numerator denominator value reason
    breakdown { numerator denominator value reason } } }`,
};

export interface IndicatorAnswer {
  statistics?: { rows: { values: (string | null)[]; educators: number }[]; total: { educators: number } };
  indicatorValues: { indicator: { code: string }; numerator: number | null; denominator: number | null; value: number | null; reason: string | null; breakdown?: unknown[] }[];
}

/** Runs a query through the indicators subgraph's own schema in this process (resolvers, loaders, SQL; no HTTP) as the region admin. */
export async function indicatorRunner(indicatorsDb: Knex, academicYear: string) {
  const platform = require('@mms/platform') as typeof import('@mms/platform');
  const { indicatorsSubgraph } = require('@mms/indicators') as typeof import('@mms/indicators');
  const { execute, parse } = require('graphql') as typeof import('graphql');
  const token = await platform.mintDevToken({ role: 'region_admin', subject: 'bench' });
  const schema = platform.subgraphSchema(indicatorsSubgraph);
  return async (query: string) => {
    const contextValue = await platform.subgraphContext(indicatorsSubgraph, (name) => (name === 'authorization' ? `Bearer ${token}` : undefined), indicatorsDb);
    const started = performance.now();
    const result = await execute({ schema, document: parse(query), variableValues: { year: academicYear }, contextValue });
    const elapsed = performance.now() - started;
    if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
    return { elapsed, data: result.data as unknown as IndicatorAnswer };
  };
}

/** Wall times in ms of `runs` runs of one query. */
export async function timeQuery(run: Awaited<ReturnType<typeof indicatorRunner>>, query: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push((await run(query)).elapsed);
  return times;
}

/** Each indicator's own statement for the region, slowest first: [code, median ms of `runs`]. */
export async function eachIndicatorAlone(indicatorsDb: Knex, academicYear: string, runs = 3) {
  const { catalog } = require('@mms/indicators/src/catalog') as typeof import('@mms/indicators/src/catalog');
  const { computeValues } = require('@mms/indicators/src/store/values') as typeof import('@mms/indicators/src/store/values');
  const region = [{ scope: { kind: 'region' as const }, academicYear }];
  const alone: [(typeof catalog)[number]['code'], number][] = [];
  for (const { code } of catalog) {
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      // A statement that runs away is stopped (and reported) rather than holding the run to its deadline.
      const [value] = await indicatorsDb.transaction(async (trx) => {
        await trx.raw("set local statement_timeout = '30s'");
        return computeValues(trx, code, region);
      }).catch((error: Error) => { console.log(`  ${code}: ${error.message.split(' - ').at(-1)}`); return [null]; });
      times.push(performance.now() - started);
      if (!value) break;
    }
    alone.push([code, median(times)]);
  }
  return alone.sort((a, b) => b[1] - a[1]);
}

/** EXPLAIN (ANALYZE, BUFFERS) of one indicator's statement for the region: the plan, its 12 costliest nodes, the summary lines. */
export async function explainIndicator(indicatorsDb: Knex, code: string, academicYear: string) {
  const platform = require('@mms/platform') as typeof import('@mms/platform');
  const { catalog } = require('@mms/indicators/src/catalog') as typeof import('@mms/indicators/src/catalog');
  const { valuesStatement } = require('@mms/indicators/src/store/indicator-sql') as typeof import('@mms/indicators/src/store/indicator-sql');
  const definition = catalog.find((d) => d.code === code)!;
  const period = platform.academicYearPeriod(academicYear);
  const asked = JSON.stringify([{ k: '0', kind: 'region', id: '00000000-0000-0000-0000-000000000000', y: academicYear, f: period.from, t: period.to, after_id: null, lim: null }]);
  const { rows } = await indicatorsDb.raw(`explain (analyze, buffers) ${valuesStatement(definition.code, definition.kind)}`, [asked]);
  const plan: string[] = rows.map((row: Record<string, string>) => row['QUERY PLAN']);
  const timed = plan.map((line) => ({ line, time: Number(/actual time=[\d.]+\.\.([\d.]+)/.exec(line)?.[1] ?? 0) }));
  return {
    plan,
    costliest: timed.filter((t) => t.time > 0).sort((a, b) => b.time - a.time).slice(0, 12).map(({ line }) => line.trim().slice(0, 180)),
    summary: plan.filter((l) => /^(Planning|Execution)|^\s*Buffers/.test(l)).slice(-4).map((l) => l.trim()),
  };
}

async function main(): Promise<number> {
  for (const name of ['DATABASE_URL', 'AUTH_JWKS_URL']) delete process.env[name];
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mms-bench-indicators-'));
  process.send?.({ workDir });
  onShutdown('the temporary directory', async () => fs.rmSync(workDir, { recursive: true, force: true }));
  process.env.AUTH_DEV_KEY_FILE = path.join(workDir, 'dev-signing-key.json');
  process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';

  // Loaded only now, after the environment is set (they read the configuration when imported).
  const platform = require('@mms/platform') as typeof import('@mms/platform');
  const { startEmbeddedPostgres } = require('@mms/platform/src/embedded-postgres') as typeof import('@mms/platform/src/embedded-postgres');
  const { createDatabaseIfMissing } = require('../scripts/lib/database') as typeof import('../scripts/lib/database');
  const { generateRegion } = require('./region') as typeof import('./region');
  const data = require('./indicators-data') as typeof import('./indicators-data');

  say(`bench:indicators: ${os.cpus().length} cores, Node ${process.version}, temp dir ${workDir}`);
  const server = await startEmbeddedPostgres({ databaseDir: path.join(workDir, 'postgres'), port: await platform.freePort(), persistent: false });
  onShutdown('PostgreSQL', () => server.stop());
  await createDatabaseIfMissing(server.url, 'mms_bench_indicators');
  const adminUrl = platform.withDatabase(server.url, 'mms_bench_indicators');
  await platform.runMigrations('up', undefined, adminUrl);
  const knexOf = (name: string) => {
    const knex = platform.subgraphKnex(name, platform.subgraphDatabaseUrl(name, adminUrl), { min: 0, max: 4 });
    onShutdown(`the ${name} knex pool`, () => knex.destroy());
    return knex;
  };
  const staffDb = knexOf('staff');
  const indicatorsDb = knexOf('indicators');
  say(`PostgreSQL ${(await staffDb.raw('show server_version')).rows[0].server_version}`);

  const counts = await generateRegion(staffDb);
  say(`region: ${counts.municipalities} municipalities, ${counts.organizations} organizations, ${counts.educators} educators, ${counts.employments} employments`);
  say(`regional methodists: ${JSON.stringify(await data.fillRegionalMethodists(staffDb))}`);
  say(await data.fillProfdev(knexOf('profdev')));
  say(await data.fillEvents(knexOf('events')));
  const admin = platform.adminKnex(adminUrl);
  onShutdown('the admin knex', () => admin.destroy());
  await admin.raw('vacuum analyze');
  say('vacuum analyze done');

  const academicYear = platform.academicYearOf(platform.addDays(platform.today(), -365));
  const alone = await eachIndicatorAlone(indicatorsDb, academicYear);
  console.log('\nEach indicator alone for the region (median of 3):');
  for (const [code, time] of alone) console.log(`  ${code.padEnd(42)} ${ms(time)}`);

  console.log(`\nAcademic year ${academicYear}, the region (${counts.educators.toLocaleString('en')} educators):`);
  const run = await indicatorRunner(indicatorsDb, academicYear);
  const first = await run(indicatorQueries.table);
  for (const value of first.data.indicatorValues) {
    console.log(`  ${value.indicator.code.padEnd(42)} ${String(value.numerator).padStart(7)} / ${String(value.denominator).padStart(7)} = ${String(value.value ?? value.reason)}`);
  }
  const [{ id: biggest }] = (await staffDb.raw(`select municipality_id as id from staff_api.employment group by 1 order by count(*) desc limit 1`)).rows;
  const [{ id: school }] = (await staffDb.raw(`select organization_id as id, count(*) from staff_api.employment group by 1 order by count(*) desc limit 1`)).rows;
  const figures: [string, number[]][] = [];
  for (const [label, query] of [['region table (15 indicators)', indicatorQueries.table], ['region table + municipality breakdown', indicatorQueries.withBreakdown],
    ['biggest municipality + its organizations', indicatorQueries.scoped(`{ municipalityId: "${biggest}" }`)], ['biggest organization', indicatorQueries.scoped(`{ organizationId: "${school}" }`)]] as const) {
    figures.push([label, await timeQuery(run, query, 5)]);
  }
  const breakdownData = await run(indicatorQueries.withBreakdown);
  console.log(`  breakdown rows per indicator: ${breakdownData.data.indicatorValues[0].breakdown?.length}`);
  console.log('\nTimes (5 runs each, through the subgraph\'s resolvers and loaders, 15 statements in parallel on a pool of 4):');
  for (const [label, times] of figures) console.log(`  ${label.padEnd(42)} median ${ms(median(times))}, best ${ms(Math.min(...times))}`);

  const [slowest] = alone[0];
  const { plan, costliest, summary } = await explainIndicator(indicatorsDb, slowest, academicYear);
  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the slowest, ${slowest}: ${plan.length} plan lines; the costliest nodes and the summary:`);
  for (const line of costliest) console.log(`  ${line}`);
  for (const line of summary) console.log(`  ${line}`);
  if (process.env.BENCH_SHOW_PLAN === '1') console.log(plan.join('\n'));

  console.log(`\nbench:indicators: done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  return 0;
}

runBenchmark(module, 'bench:indicators', deadlineSeconds, main, shutdown);
