import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { isBulkOperation, mintDevToken, startSubgraphServer, type RunningServer } from '@mms/platform';
import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { batchesOf, httpSender, ImportInterrupted, importInBatches, ImportRequestError } from '../../../scripts/lib/bulk-import';
import { staffSubgraph } from '../src';
import { snilsFor } from '../src/validate';
import { createMunicipality, createOrganization, runImportCommand } from './fixtures';

/**
 * Issue 14, "imports tell the truth": a batch whose answer is lost (the gateway's SUBGRAPH_TIMEOUT while the
 * transaction goes on and commits, a connection that breaks after the work was done, a proxy's 504 before anything
 * was sent) is never reported the opposite of what happened. The command re-checks with dry runs and reports what
 * really landed, with the exit code to match; re-sending stays a no-op.
 */
let graph: TestGraph;
let staff: RunningServer;
/** A gateway that gives up on the subgraph after 250 ms: an import batch outlasts it, its dry runs can be split to fit. */
let hurried: RunningServer;
let gateway: RunningServer;
let proxy: http.Server;
let proxyUrl: string;
let proxyMode: 'break-after-answer' | 'gateway-timeout' = 'break-after-answer';
let municipality: { id: string };
let school: { inn: string };
let dir: string;
let token: string;

beforeAll(async () => {
  graph = await createTestGraph();
  const admin = graph.as(regionAdmin);
  municipality = await createMunicipality(admin);
  school = await createOrganization(admin, municipality.id);
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  const supergraphSdl = composeSupergraph(subgraphs);
  hurried = await startGatewayServer({ supergraphSdl, buildService: httpDataSources(() => `${staff.url}/graphql`, { timeoutMs: 250, bulkTimeoutMs: 250 }), port: 0 });
  gateway = await startGatewayServer({ supergraphSdl, buildService: httpDataSources(() => `${staff.url}/graphql`), port: 0 });
  // In front of the normal gateway: real imports (not dry runs) either reach it and then lose their answer (the
  // socket is cut once the gateway has answered), or get a proxy's 504 without reaching it. Dry runs pass.
  proxy = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const real = body.includes('"dryRun":false');
    if (real && proxyMode === 'gateway-timeout') return void res.writeHead(504, { 'content-type': 'text/html' }).end('<html>504 Gateway Time-out</html>');
    const upstream = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' }, body });
    const answer = await upstream.text();
    if (real) return void req.socket.destroy();
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(answer);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mms-import-truth-'));
  token = await mintDevToken(regionAdmin);
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await hurried.stop();
  await gateway.stop();
  await staff.stop();
  await graph.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const educators = async () => Number((await graph.db.staff('educator').count({ n: '*' }))[0].n);

/** A CSV of `count` educators, each with an employment, numbered from `from`. */
function csvFile(name: string, from: number, count: number): string {
  const lines = ['СНИЛС;Фамилия;Имя;Отчество;Дата рождения;ИНН ОО;Должность;Категория должности;Ставка;Основное место работы;Дата приема'];
  for (let n = from; n < from + count; n += 1) {
    lines.push(`${snilsFor(814_000_000 + n)};Правдина;Вера;Ивановна;12.12.1980;${school.inn};учитель;педагогический;1;да;01.09.2005`);
  }
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

const run = runImportCommand;

test('SUBGRAPH_TIMEOUT while the batch commits: the command re-checks, reports the rows written and exits 0; sending again is a no-op', async () => {
  // 2,400 rows: far more than the gateway's 250 ms on any machine seen (600 once answered within it on a quiet one).
  const file = csvFile('timeout.csv', 10_000, 2400);
  const before = await educators();
  const args = [file, '--municipality', municipality.id, '--token', token, '--batch', '2400', '--recheck-seconds', '60'];
  const started = Date.now();
  const result = await run([...args, '--url', `${hurried.url}/graphql`]);
  const seconds = (Date.now() - started) / 1000;
  expect(result.stderr).toContain('rows 2–2401: the answer was lost (SUBGRAPH_TIMEOUT: the staff subgraph did not answer within 250 ms');
  expect(result.stderr).toContain('rows 2–2401: a re-check finds every row written; going on');
  expect(result.stdout.trim()).toBe('educators: 2400 rows: 0 created, 0 updated, 0 unchanged, 0 rejected; 2400 of them in batches whose answer was lost, '
    + 'found written by a re-check (created, updated or already so)');
  expect(result.code).toBe(0);
  expect(await educators()).toBe(before + 2400);
  expect(seconds).toBeLessThan(60);

  const again = await run([...args, '--url', `${gateway.url}/graphql`]);
  expect({ code: again.code, stdout: again.stdout.trim() }).toEqual({ code: 0, stdout: 'educators: 2400 rows: 0 created, 0 updated, 2400 unchanged, 0 rejected' });
  expect(await educators()).toBe(before + 2400);
}, 120_000);

test('a bulk import has a gateway timeout of its own (SUBGRAPH_BULK_TIMEOUT_MS): a batch slower than the read timeout answers', async () => {
  // The read timeout of this gateway is 250 ms, far below what 2,400 rows take; the bulk timeout is the default (120 s).
  const patient = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => `${staff.url}/graphql`, { timeoutMs: 250 }), port: 0 });
  try {
    const file = csvFile('bulk-timeout.csv', 5000, 2400);
    const before = await educators();
    const result = await run([file, '--municipality', municipality.id, '--token', token, '--batch', '2400', '--url', `${patient.url}/graphql`]);
    expect(result.stderr).not.toContain('the answer was lost');
    expect({ code: result.code, stdout: result.stdout.trim() }).toEqual({ code: 0, stdout: 'educators: 2400 rows: 2400 created, 0 updated, 0 unchanged, 0 rejected' });
    expect(await educators()).toBe(before + 2400);
    // A read through the same gateway still has the 250 ms timeout: the longer limit is for the bulk mutation only.
    expect(isBulkOperation('mutation ($i: EducatorImportInput!) { upsertEducators(input: $i) { total } }')).toBe(true);
    expect(isBulkOperation('{ educators(first: 1) { totalCount } }')).toBe(false);
    expect(isBulkOperation('{ upsertEducators }')).toBe(false);
  } finally {
    await patient.stop();
  }
}, 120_000);

test('a connection broken after the batch was written: the later batches go on, the report counts the lost one as written', async () => {
  proxyMode = 'break-after-answer';
  const file = csvFile('broken.csv', 1000, 30);
  const before = await educators();
  const result = await run([file, '--municipality', municipality.id, '--token', token, '--batch', '10', '--url', proxyUrl]);
  // Every batch's answer is cut off here; each is found written.
  expect(result.stderr).toContain('rows 2–11: the answer was lost (the connection broke');
  expect(result.stderr).toContain('rows 22–31: a re-check finds every row written; going on');
  expect(result.stdout.trim()).toMatch(/^educators: 30 rows: 0 created, 0 updated, 0 unchanged, 0 rejected; 30 of them in batches whose answer was lost/);
  expect(result.code).toBe(0);
  expect(await educators()).toBe(before + 30);
}, 120_000);

test('a 504 before the batch reached the graph: the re-check finds it not written, and the command says so and exits 2', async () => {
  proxyMode = 'gateway-timeout';
  const file = csvFile('refused.csv', 2000, 12);
  const before = await educators();
  const result = await run([file, '--municipality', municipality.id, '--token', token, '--batch', '12', '--recheck-seconds', '2', '--url', proxyUrl]);
  expect(result.stderr).toContain('rows 2–13: the answer was lost (the server answered HTTP 504');
  expect(result.stderr).toMatch(/import stopped after 0 rows: rows 2–13: the server answered HTTP 504: .*; a re-check \d+ s later still finds 12 of its rows not written, so the batch was not written/);
  expect(result.code).toBe(2);
  expect(await educators()).toBe(before);
}, 60_000);

test('importInBatches: a lost answer without a re-check stays an interruption; a refusal is never re-checked', async () => {
  const rows = [{ rowNumber: 2, snils: snilsFor(814_003_000), lastName: 'Честная', firstName: 'Анна', birthDate: '01.02.1990', organizationInn: school.inn,
    position: 'учитель', staffCategory: 'педагогический', rate: '1', isMainJob: 'да', startedOn: '01.09.2015' }];
  const dryRun = httpSender({ url: `${gateway.url}/graphql`, token, municipalityId: municipality.id, dryRun: true });
  const lost = async () => { throw new ImportRequestError('SUBGRAPH_TIMEOUT: no answer', true); };
  await expect(importInBatches(batchesOf(rows), lost)).rejects.toBeInstanceOf(ImportInterrupted);
  let checks = 0;
  const refused = async () => { throw new ImportRequestError('FORBIDDEN: no', false); };
  await expect(importInBatches(batchesOf(rows), refused, undefined, { dryRun: async (r) => { checks += 1; return dryRun(r); } }))
    .rejects.toThrow('FORBIDDEN: no');
  expect(checks).toBe(0);
  const error = await importInBatches(batchesOf(rows), lost, undefined, { dryRun, patienceMs: 0 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ImportInterrupted);
  expect((error as ImportInterrupted).message).toMatch(/still finds 1 of its rows not written/);
});
