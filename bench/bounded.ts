/**
 * npm run bench:bounded: the queries of issue 14 against the database `npm start` uses (fill it first with
 * `npm run bench:seed -- --educators 60000`), each subgraph and the gateway a process of its own, as `npm start` runs
 * them. For each query: the answer (status, code, limit and figures), the time, and the staff (or events, indicators)
 * process's resident memory before and at its peak during the query (Linux: VmRSS and VmHWM of /proc/<pid>/status,
 * the peak reset before each query through /proc/<pid>/clear_refs). A second staff process runs with the cost limit
 * lifted, so that the row limit (LIMIT_MAX_ROWS) is what stops the cycle there. Ports: BENCH_PORT_BASE (4170) and up (not 4190: fetch refuses it, the sieve port).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const children: ChildProcess[] = [];
const launched = new Map<string, ChildProcess>();
let stopping = false;

async function main() {
  const platform = require('@mms/platform') as typeof import('@mms/platform');
  const { ensureDatabase } = require('../scripts/lib/database') as typeof import('../scripts/lib/database');
  await platform.ensureDevKey();
  const database = await ensureDatabase();
  const base = Number(process.env.BENCH_PORT_BASE ?? 4170);
  const ports: Record<string, number> = { gateway: base, staff: base + 1, profdev: base + 2, events: base + 3, indicators: base + 4, staffUncosted: base + 5 };
  try {
    const subgraphEnv: Record<string, string> = {};
    for (const name of platform.subgraphNames) {
      launch(name, `services/${name}/src/main.ts`, { PORT: String(ports[name]), [platform.subgraphUrlVariable(name)]: platform.subgraphDatabaseUrl(name), DATABASE_URL: '' });
      subgraphEnv[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${ports[name]}/graphql`;
    }
    launch('staffUncosted', 'services/staff/src/main.ts', { PORT: String(ports.staffUncosted), STAFF_DATABASE_URL: platform.subgraphDatabaseUrl('staff'),
      DATABASE_URL: '', LIMIT_MAX_COST: String(Number.MAX_SAFE_INTEGER) });
    for (const name of [...platform.subgraphNames, 'staffUncosted']) await waitForHealth(`http://127.0.0.1:${ports[name]}`);
    launch('gateway', 'gateway/src/main.ts', { PORT: String(ports.gateway), ...subgraphEnv, DATABASE_URL: '' });
    await waitForHealth(`http://127.0.0.1:${ports.gateway}`);
    const pidOf = (name: string) => launched.get(name)!.pid!;

    const analyst = await platform.mintDevToken({ role: 'analyst' });
    const admin = await platform.mintDevToken({ role: 'region_admin' });
    const years = Array.from({ length: 10 }, (_, i) => `${2016 + i}/${2017 + i}`);
    const cycle = '{ municipalities { organizations { municipality { organizations { municipality { organizations { municipality { organizations { id } } } } } } } } }';
    const nested = (levels: number) => `{ ${Array.from({ length: levels - 1 }, (_, i) => (i === 0 ? 'municipalities' : i % 2 ? 'organizations' : 'municipality')).join(' { ')} { id${' }'.repeat(levels - 1)} }`;
    const trends = `query ($years: [AcademicYear!]!) { ${Array.from({ length: 15 }, (_, i) => `t${i}: indicatorTrend(code: DIAGNOSTICS_SHARE,
      scope: { region: true }, academicYears: $years) { value breakdown { value breakdown { value } } }`).join(' ')} }`;
    const eventsCycle = '{ events { participations { educator { participations { event { participations { id } } } } } } }';
    const cases: { name: string; to: string; watch: string; query: string; variables?: Record<string, unknown>; token?: string }[] = [
      { name: 'cycle, depth 9, analyst, through the gateway', to: 'gateway', watch: 'staff', query: cycle },
      { name: 'cycle, depth 9, straight to the staff subgraph', to: 'staff', watch: 'staff', query: cycle },
      { name: 'depth 14, straight to the staff subgraph', to: 'staff', watch: 'staff', query: nested(14) },
      { name: 'cycle at a staff subgraph without the cost limit (row limit)', to: 'staffUncosted', watch: 'staffUncosted', query: cycle },
      { name: '15 aliased trends × 10 years × 2 breakdowns, analyst, gateway', to: 'gateway', watch: 'indicators', query: trends, variables: { years } },
      { name: 'the same, straight to the indicators subgraph', to: 'indicators', watch: 'indicators', query: trends, variables: { years } },
      { name: 'events ↔ participations cycle, region_admin, gateway', to: 'gateway', watch: 'events', query: eventsCycle, token: admin },
      { name: 'the same, straight to the events subgraph', to: 'events', watch: 'events', query: eventsCycle, token: admin },
      { name: 'subscription, gateway', to: 'gateway', watch: 'staff', query: 'subscription { municipalities { id } }' },
      { name: 'subscription, staff subgraph', to: 'staff', watch: 'staff', query: 'subscription { municipalities { id } }' },
      { name: 'two unnamed operations, gateway', to: 'gateway', watch: 'staff', query: '{ municipalities { id } } { municipalities { name } }' },
      { name: 'two unnamed operations, staff subgraph', to: 'staff', watch: 'staff', query: '{ municipalities { id } } { municipalities { name } }' },
      { name: 'README indicators example, analyst, gateway', to: 'gateway', watch: 'indicators', query: `{ indicatorValues(scope: { region: true }, academicYear: "2025/2026") {
        indicator { number title unit } numerator denominator value target isTargetMet reason breakdown { scope { municipality { name } } value } } }` },
    ];
    console.log('| request | sent to | answer | ms | RSS of the watched process before → peak (MB) | next query |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const item of cases) {
      const pid = pidOf(item.watch);
      fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
      const before = memory(pid).rss;
      const started = performance.now();
      const response = await fetch(`http://127.0.0.1:${ports[item.to]}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${item.token ?? analyst}` },
        body: JSON.stringify({ query: item.query, variables: item.variables }),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      const peak = memory(pid).hwm;
      const body = JSON.parse(text);
      const error = body.errors?.[0];
      const answer = error ? `${response.status} ${error.extensions?.code}${error.extensions?.limit ? ` ${error.extensions.limit} ${error.extensions.found} > ${error.extensions.max}` : ''}${error.extensions?.reason ? ` ${error.extensions.reason}` : ''}`
        : `${response.status} data, ${(text.length / 1024).toFixed(0)} KB`;
      // An ordinary query of the same server afterwards: a list it owns.
      const [field, ordinary] = item.to === 'events' ? ['events', '{ events { id } }'] : item.to === 'indicators' ? ['indicators', '{ indicators { code } }']
        : ['municipalities', '{ municipalities { id } }'];
      const next = await fetch(`http://127.0.0.1:${ports[item.to]}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}` }, body: JSON.stringify({ query: ordinary }),
      });
      const nextBody = await next.json() as { data?: Record<string, unknown[] | undefined> };
      console.log(`| ${item.name} | ${item.to} | ${answer} | ${ms.toFixed(0)} | ${item.watch}: ${before} → ${peak} | ${next.status}, ${nextBody.data?.[field]?.length ?? '-'} ${field} |`);
    }
  } finally {
    stopping = true;
    await Promise.all(children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    })));
    await database.stop();
  }
}

function memory(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), hwm: Math.round(kb('VmHWM') / 1024) };
}

function launch(name: string, entry: string, env: Record<string, string>) {
  const repoRoot = path.resolve(__dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, entry)], {
    cwd: repoRoot, env: { ...process.env, ...env, MMS_SERVICE: name, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' }, stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => { if (!stopping) console.error(`${name} exited (${signal ?? code})`); });
  children.push(child);
  launched.set(name, child);
}

async function waitForHealth(url: string) {
  for (let attempt = 0; attempt < 1800; attempt += 1) {
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  throw new Error(`${url}/health did not answer within 180 s`);
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
