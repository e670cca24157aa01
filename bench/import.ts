/**
 * npm run bench:import: the throughput of the bulk import (issue 9) on this machine. A throwaway embedded PostgreSQL,
 * one municipality with 300 organizations, the staff subgraph and the gateway over HTTP on 127.0.0.1 (as `npm run
 * import` reaches them), then 10,000 and 50,000 rows of educators with an employment each, sent the way the command
 * sends them (batches of 500 rows, the command's default, under 3.8 MB), each size three times: all new, the same rows again (nothing to
 * write), and again with 10% of the rows changed. Prints rows/s and the ratio of the no-op to the new rows.
 * Every report is checked (counts, no rejection); the run stops itself at 170 s. See bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { EducatorImportRow } from '@mms/staff/src/generated/graphql';
import { batchesOf, httpSender, importInBatches, type ImportReport } from '../scripts/lib/bulk-import';
import { readCsv } from '../scripts/lib/spreadsheet';
import { runBenchmark } from './supervisor';

const deadlineSeconds = 170;
const sizes = (process.env.BENCH_IMPORT_SIZES ?? '10000,50000').split(',').map(Number);
const organizations = 300;

const startedAt = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${line}`);

// ---- shutdown: resources released last-in first-out, once, also on a signal or at the deadline ----
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

const ru = (iso: string) => iso.split('-').reverse().join('.');

/**
 * A spreadsheet row as municipalities send it: text cells, Russian dates, a comma in the rate. Educator n's SNILS is
 * built on `snilsBase + n` (9 digits); the organization is one of `inns`. bench/run.ts reuses it.
 */
export function spreadsheetRow(n: number, rowNumber: number, changed: boolean, inns: readonly string[], snilsBase = 500_000_000): EducatorImportRow {
  const { snilsFor } = require('@mms/staff/src/validate') as typeof import('@mms/staff/src/validate');
  const year = 1960 + (n % 40);
  return {
    rowNumber, externalId: `E${n}`, snils: snilsFor(snilsBase + n), lastName: 'Кузнецова', firstName: 'Ольга', patronymic: 'Петровна',
    birthDate: ru(`${year}-0${1 + (n % 9)}-1${n % 10}`), email: changed ? `o${n}@new.example` : `o${n}@school.example`, phone: `+7 423 ${String(2_000_000 + n).slice(-7)}`,
    pedagogicalWorkStartedOn: ru(`${year + 22}-09-01`), educationLevel: 'высшее – бакалавриат', organizationInn: inns[n % inns.length],
    position: n % 10 ? 'учитель' : 'педагог-психолог', staffCategory: 'педагогический', rate: n % 3 ? '1' : '0,5', isMainJob: 'да',
    startedOn: ru(`${year + 25}-09-01`),
  };
}

interface Scenario {
  size: number;
  what: string;
  rows: number;
  seconds: number;
  expected: Partial<ImportReport>;
}

async function main(): Promise<number> {
  for (const name of ['DATABASE_URL', 'STAFF_DATABASE_URL', 'AUTH_JWKS_URL', 'STAFF_URL']) delete process.env[name];
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mms-bench-import-'));
  process.send?.({ workDir });
  onShutdown('the temporary directory', async () => fs.rmSync(workDir, { recursive: true, force: true }));
  process.env.AUTH_DEV_KEY_FILE = path.join(workDir, 'dev-signing-key.json');
  process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';

  // Loaded only now, after the environment is set (they read the configuration when imported).
  const platform = require('@mms/platform') as typeof import('@mms/platform');
  const { startEmbeddedPostgres } = require('@mms/platform/src/embedded-postgres') as typeof import('@mms/platform/src/embedded-postgres');
  const { createDatabaseIfMissing } = require('../scripts/lib/database') as typeof import('../scripts/lib/database');
  const { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } = require('@mms/gateway') as typeof import('@mms/gateway');
  const { staffSubgraph } = require('@mms/staff') as typeof import('@mms/staff');
  const { innFor } = require('@mms/staff/src/validate') as typeof import('@mms/staff/src/validate');

  say(`bench:import: ${os.cpus().length} cores, Node ${process.version}, temp dir ${workDir}`);
  const server = await startEmbeddedPostgres({ databaseDir: path.join(workDir, 'postgres'), port: await platform.freePort(), persistent: false });
  onShutdown('PostgreSQL', () => server.stop());
  await createDatabaseIfMissing(server.url, 'mms_bench_import');
  const adminUrl = platform.withDatabase(server.url, 'mms_bench_import');
  await platform.runMigrations('up', undefined, adminUrl);
  const db = platform.subgraphKnex('staff', platform.subgraphDatabaseUrl('staff', adminUrl));
  onShutdown('the staff knex pool', () => db.destroy());

  const [{ id: municipalityId }] = await db('municipality').insert({ name: 'Бенчмарковский муниципальный округ', oktmo: '05999000' }).returning('id');
  const inns = Array.from({ length: organizations }, (_, i) => innFor(250_000_000 + i));
  await db('organization').insert(inns.map((inn, i) => ({ municipality_id: municipalityId, name: `Школа № ${i + 1}`, kind: 'school', inn, code: `S${i + 1}` })));
  say(`PostgreSQL ${(await db.raw('show server_version')).rows[0].server_version}; 1 municipality, ${organizations} organizations`);

  const staff = await platform.startSubgraphServer(staffSubgraph, db, 0);
  onShutdown('the staff subgraph', () => staff.stop());
  const gateway = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => `${staff.url}/graphql`), port: 0 });
  onShutdown('the gateway', () => gateway.stop());
  const token = await platform.mintDevToken({ role: 'region_admin', subject: 'bench-import' });
  const send = httpSender({ url: `${gateway.url}/graphql`, token, municipalityId, source: 'bench' });
  say(`gateway ${gateway.url} → staff subgraph ${staff.url}, one Node process`);

  const row = (n: number, rowNumber: number, changed: boolean) => spreadsheetRow(n, rowNumber, changed, inns);

  const scenarios: Scenario[] = [];
  const run = async (size: number, what: string, rows: EducatorImportRow[], expected: Partial<ImportReport>) => {
    const started = process.hrtime.bigint();
    const report = await importInBatches(batchesOf(rows), send);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const counts = { total: report.total, created: report.created, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected };
    const wrong = Object.entries(expected).filter(([key, value]) => counts[key as keyof typeof counts] !== value);
    if (wrong.length) throw new Error(`${size} ${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(counts)}; first rejection: ${JSON.stringify(report.rejections[0])}`);
    scenarios.push({ size, what, rows: rows.length, seconds, expected });
    say(`${size.toLocaleString('en')} rows, ${what}: ${seconds.toFixed(1)} s, ${Math.round(rows.length / seconds).toLocaleString('en')} rows/s`);
  };

  let offset = 0;
  for (const size of sizes) {
    const numbers = Array.from({ length: size }, (_, i) => offset + i);
    offset += size;
    const fresh = numbers.map((n, i) => row(n, i + 2, false));
    await run(size, 'new', fresh, { total: size, created: size });
    await run(size, 'the same again (no-op)', fresh, { total: size, unchanged: size });
    const changed = numbers.map((n, i) => row(n, i + 2, i % 10 === 0));
    await run(size, '10% changed', changed, { total: size, updated: Math.ceil(size / 10), unchanged: size - Math.ceil(size / 10) });
  }

  // Reading the file is the command's other half: the biggest size as a Windows-1251 CSV, `;`-separated.
  const biggest = Math.max(...sizes);
  const fields = Object.keys(row(0, 0, false)).filter((key) => key !== 'rowNumber') as (keyof EducatorImportRow)[];
  const csv = [fields.join(';'), ...Array.from({ length: biggest }, (_, i) => fields.map((f) => row(i, 0, false)[f]).join(';'))].join('\r\n');
  const bytes = iconv.encode(csv, 'win1251');
  const parseStarted = process.hrtime.bigint();
  const read = readCsv(bytes);
  const parseSeconds = Number(process.hrtime.bigint() - parseStarted) / 1e9;
  if (read.rows.length !== biggest || read.encoding !== 'windows-1251') throw new Error(`the CSV read back as ${read.rows.length} rows in ${read.encoding}`);

  console.log('\nrows sent through the gateway over HTTP as `npm run import` sends them; each size on top of the previous ones\n');
  const table = [['rows', 'scenario', 'seconds', 'rows/s']];
  for (const s of scenarios) table.push([s.size.toLocaleString('en'), s.what, s.seconds.toFixed(1), Math.round(s.rows / s.seconds).toLocaleString('en')]);
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const [i, line] of table.entries()) {
    console.log(line.map((cell, c) => (c === 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log('');
  for (const size of sizes) {
    const of = (what: string) => scenarios.find((s) => s.size === size && s.what === what)!;
    const rate = (s: Scenario) => s.rows / s.seconds;
    console.log(`${size.toLocaleString('en')} rows: no-op / new = ${(rate(of('the same again (no-op)')) / rate(of('new'))).toFixed(1)}×, `
      + `10% changed / new = ${(rate(of('10% changed')) / rate(of('new'))).toFixed(1)}×`);
  }
  console.log(`reading a ${(bytes.length / 1e6).toFixed(1)} MB Windows-1251 CSV of ${biggest.toLocaleString('en')} rows: ${parseSeconds.toFixed(2)} s `
    + `(${Math.round(biggest / parseSeconds).toLocaleString('en')} rows/s)`);
  console.log(`\nbench:import: done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  return 0;
}

runBenchmark(module, 'bench:import', deadlineSeconds, main, shutdown);
