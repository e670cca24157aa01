/**
 * npm run bench:overload: can five analysts starve everybody else (issue 14)?
 *
 * A throwaway embedded PostgreSQL with the generated region (bench/seed-region.ts, `BENCH_EDUCATORS`, 60,000), then
 * the four subgraphs and the gateway as processes of their own, as `npm start` runs them (pools of 10, the gateway's
 * 10 s SUBGRAPH_TIMEOUT), twice: with the fair-share limiter off (`FAIR_SHARE=0`) and on (its defaults). Each time,
 * for `BENCH_OVERLOAD_SECONDS` (60) after 5 s of warm-up:
 * - five analysts, each in a loop, send the most expensive query the gateway lets through: 15 aliased
 *   `indicatorTrend`s (every indicator) over 10 academic years, with two levels of breakdown (municipalities, then
 *   their organizations). Whatever the answer, the next is sent at once (after a refusal, 200 ms later);
 * - a municipality's methodist asks its ordinary indicator query (the 15 indicators of its municipality for the last
 *   complete academic year, no breakdown), one after another, 250 ms apart;
 * - a signed-in region admin asks `{ municipalities { id } }`, 100 ms apart.
 * Modes (`BENCH_OVERLOAD_MODES`, default alone,off,on): `alone` no analysts, limiter on; `off` FAIR_SHARE=0; `on`
 * the defaults (FAIR_SHARE_TOTAL=1); `on2` FAIR_SHARE_TOTAL=2; `calendar` no analysts but 20 anonymous clients
 * fetching /calendar.ics in a loop (the feed is cached until the data change).
 * Reported: the methodist's and the admin's p50, p95 and max, errors, and what the analysts got (answers,
 * RATE_LIMITED, SUBGRAPH_TIMEOUT, TIMEOUT, other). Cancellation (cancel.ts) is on in both runs: the limiter is what
 * is switched. Stops itself at 900 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { runBenchmark } from './supervisor';

const deadlineSeconds = 900;
const repoRoot = path.resolve(__dirname, '..');
const educatorCount = Number(process.env.BENCH_EDUCATORS ?? 60_000);
const seconds = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 60);
/**
 * `alone`: the limiter on and no analysts (what the others' figures are without any pressure); `off`: FAIR_SHARE=0;
 * `on`: the limiter's defaults; `on2`: on with FAIR_SHARE_TOTAL=2.
 */
const modes = (process.env.BENCH_OVERLOAD_MODES ?? 'alone,off,on').split(',');
const modeEnv: Record<string, Record<string, string>> = {
  alone: { FAIR_SHARE: '1' }, off: { FAIR_SHARE: '0' }, on: { FAIR_SHARE: '1' }, on2: { FAIR_SHARE: '1', FAIR_SHARE_TOTAL: '2' },
  calendar: { FAIR_SHARE: '1' },
};
const startedAt = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const releases: { name: string; release: () => Promise<unknown> }[] = [];
let shuttingDown: Promise<void> | undefined;
const onShutdown = (name: string, release: () => Promise<unknown>) => releases.push({ name, release });
function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    for (const { name, release } of releases.reverse()) {
      await Promise.race([release(), sleep(10_000)])
        .catch((error) => console.error(`bench: could not stop ${name}: ${error instanceof Error ? error.message : error}`));
    }
  })();
  return shuttingDown;
}

const codes = ['ASSOCIATION_ROADMAP', 'DIAGNOSTICS_SHARE', 'REGISTRY_PROGRAMS_FROM_DIAGNOSTICS_SHARE', 'DEVELOPMENT_ROUTES_SHARE',
  'REGIONAL_METHODISTS_SHARE', 'EDUCATORS_PER_REGIONAL_METHODIST', 'ROUTES_COMPLETED_SHARE', 'EARLY_CAREER_SUPPORTED_SHARE',
  'TARGETED_SUPPORT_COUNT', 'DIAGNOSTIC_BASED_UPSKILLING_COUNT', 'PROGRAMS_CARRIED_OUT_COUNT', 'MENTORING_COUNT',
  'NETWORKED_EVENTS_COUNT', 'NO_COMPLAINTS', 'COMPETITION_APPLICANTS_COUNT'];

/** The worst query an analyst may send: every indicator's trend over 10 years, two levels of breakdown. */
export function worstQuery(years: string[]): string {
  const list = years.map((y) => `"${y}"`).join(', ');
  return `query Worst { ${codes.map((code, i) => `t${i}: indicatorTrend(code: ${code}, scope: { region: true }, academicYears: [${list}]) {
    value numerator denominator breakdown { value numerator denominator breakdown { value } } }`).join('\n')} }`;
}

interface Sample { ms: number; ok: boolean; code?: string }

async function ask(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<Sample> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }),
    });
    const body = await response.json() as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    const code = body.errors?.[0]?.extensions?.code;
    return { ms: performance.now() - started, ok: !body.errors?.length && response.ok, code: code ?? (response.ok ? undefined : `HTTP ${response.status}`) };
  } catch (error) {
    return { ms: performance.now() - started, ok: false, code: error instanceof Error ? error.name : 'error' };
  }
}

const percentile = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const fmt = (ms: number) => (Number.isNaN(ms) ? '-' : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);

function summary(samples: Sample[]): string {
  const all = samples.map((s) => s.ms);
  const errors = samples.filter((s) => !s.ok);
  const byCode = Object.entries(errors.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.code ?? '?']: (acc[s.code ?? '?'] ?? 0) + 1 }), {}));
  return `${samples.length} requests, p50 ${fmt(percentile(all, 50))}, p95 ${fmt(percentile(all, 95))}, max ${fmt(Math.max(...all))}`
    + `, errors ${errors.length}${byCode.length ? ` (${byCode.map(([c, n]) => `${c} ${n}`).join(', ')})` : ''}`;
}

async function main(): Promise<number> {
  for (const name of ['DATABASE_URL', 'AUTH_JWKS_URL', 'MMS_DATA_DIR', 'FAIR_SHARE']) delete process.env[name];
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mms-bench-overload-'));
  process.send?.({ workDir });
  onShutdown('the temporary directory', async () => fs.rmSync(workDir, { recursive: true, force: true }));
  process.env.AUTH_DEV_KEY_FILE = path.join(workDir, 'dev-signing-key.json');
  process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'error';

  const platform = require('@mms/platform') as typeof import('@mms/platform');
  const { startEmbeddedPostgres } = require('@mms/platform/src/embedded-postgres') as typeof import('@mms/platform/src/embedded-postgres');
  const { createDatabaseIfMissing } = require('../scripts/lib/database') as typeof import('../scripts/lib/database');
  const { seedRegion } = require('./seed-region') as typeof import('./seed-region');

  say(`bench:overload: ${os.cpus().length} cores, Node ${process.version}; ${educatorCount.toLocaleString('en')} educators; ${seconds} s per mode (${modes.join(', ')})`);
  const server = await startEmbeddedPostgres({ databaseDir: path.join(workDir, 'postgres'), port: await platform.freePort(), persistent: false });
  onShutdown('PostgreSQL', () => server.stop());
  await createDatabaseIfMissing(server.url, 'mms_bench');
  const adminUrl = platform.withDatabase(server.url, 'mms_bench');
  for (const line of await platform.runMigrations('up', undefined, adminUrl)) say(`migrations: ${line}`);
  const names = ['staff', 'profdev', 'events', 'indicators'] as const;
  const dbs = Object.fromEntries(names.map((name) => [name, platform.subgraphKnex(name, platform.subgraphDatabaseUrl(name, adminUrl))])) as Record<(typeof names)[number], Knex>;
  const seeded = await seedRegion(dbs, { educators: educatorCount, scoredYears: 2, report: (line) => say(`  ${line}`) });
  say(`region generated in ${seeded.seconds.toFixed(1)} s`);
  const { rows: [municipality] } = await dbs.staff.raw(`select municipality_id as id, count(*) as n from organization
    group by municipality_id order by n desc, municipality_id limit 1`) as { rows: { id: string }[] };
  for (const db of Object.values(dbs)) await db.destroy();

  const current = platform.academicYearOf(platform.today());
  const firstYear = Number(current.slice(0, 4));
  const lastComplete = `${firstYear - 1}/${firstYear}`;
  const years = Array.from({ length: 10 }, (_, i) => `${firstYear - 10 + i}/${firstYear - 9 + i}`);
  const worst = worstQuery(years);
  const ordinary = `query MethodistTable($m: ID!, $y: AcademicYear!) { indicatorValues(scope: { municipalityId: $m }, academicYear: $y) {
    indicator { code title } numerator denominator value target isTargetMet reason } }`;
  const analysts = await Promise.all(Array.from({ length: 5 }, (_, i) => platform.mintDevToken({ role: 'analyst', subject: `bench-analyst-${i + 1}` })));
  const methodist = await platform.mintDevToken({ role: 'municipality_methodist', municipalityId: municipality.id, subject: 'bench-methodist' });
  const admin = await platform.mintDevToken({ role: 'region_admin', subject: 'bench-admin' });

  const results: string[] = [];
  for (const mode of modes) {
    const children: ChildProcess[] = [];
    const stopChildren = async () => {
      await Promise.all(children.map((child) => new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      })));
    };
    onShutdown(`the services (${mode})`, stopChildren);
    if (!modeEnv[mode]) throw new Error(`unknown mode ${mode}: one of ${Object.keys(modeEnv).join(', ')}`);
    const env = { ...modeEnv[mode], DATABASE_URL: '', LOG_LEVEL: process.env.LOG_LEVEL! };
    const launch = (name: string, entry: string, extra: Record<string, string>) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, entry)], {
        cwd: repoRoot, env: { ...process.env, ...env, ...extra, MMS_SERVICE: name }, stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
    };
    const healthy = async (url: string) => {
      for (let attempt = 0; attempt < 600; attempt += 1) {
        try { if ((await fetch(`${url}/health`)).ok) return; } catch { /* not yet */ }
        await sleep(100);
      }
      throw new Error(`${url} did not become healthy`);
    };
    const urls: Record<string, string> = {};
    for (const name of names) {
      const port = await platform.freePort();
      launch(name, `services/${name}/src/main.ts`, { PORT: String(port), [platform.subgraphUrlVariable(name)]: platform.subgraphDatabaseUrl(name, adminUrl) });
      urls[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}/graphql`;
      await healthy(`http://127.0.0.1:${port}`);
    }
    const gatewayPort = await platform.freePort();
    launch('gateway', 'gateway/src/main.ts', { PORT: String(gatewayPort), ...urls });
    const gateway = `http://127.0.0.1:${gatewayPort}`;
    await healthy(gateway);
    const graphql = `${gateway}/graphql`;

    const check = await ask(graphql, methodist, ordinary, { m: municipality.id, y: lastComplete });
    if (!check.ok) throw new Error(`the methodist's query failed: ${check.code}`);
    say(`${mode}: services up; the methodist's table alone takes ${fmt(check.ms)}`);

    let stop = false;
    let measuring = false;
    const analystSamples: Sample[] = [];
    const methodistSamples: Sample[] = [];
    const adminSamples: Sample[] = [];
    const calendarSamples: Sample[] = [];
    const feed = async (): Promise<Sample> => {
      const started = performance.now();
      try {
        const response = await fetch(`${gateway}/calendar.ics`);
        const text = await response.text();
        return { ms: performance.now() - started, ok: response.ok && text.startsWith('BEGIN:VCALENDAR'), code: response.ok ? undefined : `HTTP ${response.status}` };
      } catch (error) {
        return { ms: performance.now() - started, ok: false, code: error instanceof Error ? error.name : 'error' };
      }
    };
    const loops = [
      ...Array.from({ length: mode === 'calendar' ? 20 : 0 }, async () => {
        while (!stop) {
          const sample = await feed();
          if (measuring) calendarSamples.push(sample);
        }
      }),
      ...(mode === 'alone' || mode === 'calendar' ? [] : analysts).map(async (token) => {
        while (!stop) {
          const sample = await ask(graphql, token, worst);
          if (measuring) analystSamples.push(sample);
          if (sample.code === 'RATE_LIMITED') await sleep(200);
        }
      }),
      (async () => {
        while (!stop) {
          const sample = await ask(graphql, methodist, ordinary, { m: municipality.id, y: lastComplete });
          if (measuring) methodistSamples.push(sample);
          await sleep(250);
        }
      })(),
      (async () => {
        while (!stop) {
          const sample = await ask(graphql, admin, '{ municipalities { id } }');
          if (measuring) adminSamples.push(sample);
          await sleep(100);
        }
      })(),
    ];
    await sleep(5000);
    measuring = true;
    await sleep(seconds * 1000);
    measuring = false;
    stop = true;
    say(`${mode}: load stopped; waiting for the requests in flight`);
    await Promise.race([Promise.all(loops), sleep(30_000)]);
    const lines = [
      `${mode.padEnd(6)} methodist's indicator table:  ${summary(methodistSamples)}`,
      `${mode.padEnd(6)} { municipalities { id } }:     ${summary(adminSamples)}`,
      ...(mode === 'alone' || mode === 'calendar' ? [] : [`${mode.padEnd(6)} 5 analysts' worst query:       ${summary(analystSamples)}`]),
      ...(mode === 'calendar' ? [`${mode.padEnd(6)} 20 clients' /calendar.ics:     ${summary(calendarSamples)}`] : []),
    ];
    for (const line of lines) say(line);
    results.push(...lines);
    await stopChildren();
  }
  say('summary:');
  for (const line of results) say(`  ${line}`);
  return 0;
}

runBenchmark(module, 'bench:overload', deadlineSeconds, main, shutdown);
