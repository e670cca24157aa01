import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { mintDevToken, startSubgraphServer, type RunningServer } from '@mms/platform';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../services/staff/test/fixtures';

/**
 * The dashboard (issue 22) in a real headless Chromium (Debian's `chromium`, driven by puppeteer-core) over real
 * HTTP: gateway → the four subgraphs → PostgreSQL, with the demo data of every subgraph and a second municipality.
 * The page loads its script and ECharts from the gateway (no CDN), signs in with `?token=`, draws its charts (canvas),
 * and every number its tables show is the one the graph answers. A screenshot is saved to a temporary folder.
 */
let graph: TestGraph;
let admin: Client;
const servers: RunningServer[] = [];
let gateway: RunningServer;
let browser: Browser;
let token: string;
let second: string;
const executablePath = process.env.CHROMIUM_PATH ?? (() => {
  try { return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim(); } catch { return ''; }
})();
export const screenshotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-'));

/** The last complete academic year, as the page picks it. */
function lastCompleteYear(): string {
  const now = new Date();
  const start = now.getMonth() >= 8 ? now.getFullYear() - 1 : now.getFullYear() - 2;
  return `${start}/${start + 1}`;
}

beforeAll(async () => {
  if (!executablePath) throw new Error('this test needs a Chromium: `apt-get install -y chromium` (or set CHROMIUM_PATH)');
  graph = await createTestGraph();
  for (const { name, demoSeed } of subgraphs) {
    if (demoSeed) await graph.db[name].transaction((trx) => demoSeed.seed(trx));
  }
  admin = graph.as(regionAdmin);
  second = (await createMunicipality(admin, { name: 'Я-посёлок' })).id;
  const school = (await createOrganization(admin, second, { name: 'Я-школа' })).id;
  for (let i = 0; i < 6; i += 1) await createEducator(admin, school, {}, { startedOn: '2015-09-01' });
  const urls: Record<string, string> = {};
  for (const definition of subgraphs) {
    const server = await startSubgraphServer(definition, graph.db[definition.name], 0);
    servers.push(server);
    urls[definition.name] = `${server.url}/graphql`;
  }
  gateway = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources((name) => urls[name]), port: 0 });
  token = await mintDevToken({ role: 'region_admin' });
  browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  for (const server of servers) await server.stop();
  await graph?.close();
});

async function openDashboard(): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1800 });
  const failed: string[] = [];
  page.on('requestfailed', (request) => failed.push(request.url()));
  page.on('response', (response) => { if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`); });
  await page.goto(`${gateway.url}/dashboard?token=${token}`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-indicators="ready"][data-trend="ready"][data-statistics="ready"]', { timeout: 60_000 });
  expect(failed).toEqual([]);
  return page;
}

/** The first sheet's cells, row by row (numbers as numbers, empty cells null). */
async function readSheet(bytes: Buffer): Promise<(string | number | null)[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const width = sheet.getRow(1).cellCount;
  const rows: (string | number | null)[][] = [];
  sheet.eachRow((row) => rows.push(Array.from({ length: width }, (_, i) => (row.getCell(i + 1).value ?? null) as string | number | null)));
  return rows;
}

describe('the dashboard page', () => {
  test('is served by the gateway with its script and ECharts from node_modules, under a strict content security policy', async () => {
    const html = await fetch(`${gateway.url}/dashboard`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const body = await html.text();
    expect(body).not.toMatch(/https?:\/\//);
    const echarts = /src="([^"]*echarts\.min\.js[^"]*)"/.exec(body)![1];
    const script = await fetch(`${gateway.url}${echarts}`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(500_000);
    expect((await fetch(`${gateway.url}/dashboard/assets/nothing.js`)).status).toBe(404);
  });

  test('loads, draws its charts and shows the numbers the graph answers; the CSV and the XLSX are the builder\'s table', async () => {
    const page = await openDashboard();
    try {
      const year = lastCompleteYear();
      // The token has left the address bar.
      expect(page.url()).not.toContain('token=');
      // Charts: ECharts draws on canvas, one per chart.
      for (const id of ['indicators-chart', 'trend-chart', 'builder-chart']) {
        expect(await page.$eval(`#${id}`, (el) => el.querySelectorAll('canvas').length)).toBeGreaterThan(0);
      }

      const { indicatorValues } = await admin.data(`query ($y: AcademicYear!) { indicatorValues(scope: { region: true }, academicYear: $y) {
        indicator { code } value target breakdown { scope { municipality { id } } value } } }`, { y: year });
      const table = await page.$$eval('#indicators-table tbody tr', (rows) => rows.map((row) => ({
        code: row.getAttribute('data-code'), value: row.getAttribute('data-value'), shown: row.querySelector('td.value')!.textContent })));
      expect(table).toHaveLength(15);
      for (const value of indicatorValues as { indicator: { code: string }; value: number | null }[]) {
        const row = table.find((r) => r.code === value.indicator.code)!;
        expect(row.value).toBe(value.value === null ? '' : String(value.value));
      }
      expect(table.some((row) => row.value !== '')).toBe(true);

      // The heat map: one row per municipality, one coloured cell per indicator, each the breakdown's value.
      const heat = await page.$$eval('#heatmap tbody tr', (rows) => rows.map((row) => ({
        scope: row.getAttribute('data-scope'),
        cells: Array.from(row.querySelectorAll('td[data-code]')).map((td) => ({
          code: td.getAttribute('data-code'), value: td.getAttribute('data-value'), background: (td as HTMLElement).style.background })),
      })));
      expect(heat.map((row) => row.scope).sort()).toEqual((await admin.data('{ municipalities { id } }')).municipalities.map((m: { id: string }) => m.id).sort());
      for (const value of indicatorValues as { indicator: { code: string }; breakdown: { scope: { municipality: { id: string } }; value: number | null }[] }[]) {
        for (const child of value.breakdown) {
          const shown = heat.find((row) => row.scope === child.scope.municipality.id)!.cells.find((c) => c.code === value.indicator.code)!;
          expect(shown.value).toBe(child.value === null ? '' : String(child.value));
          if (child.value !== null) expect(shown.background).toMatch(/^rgb/);
        }
      }

      // The builder's default: educators by municipality × category in force, for the year.
      const { statistics } = await admin.data(`query ($y: AcademicYear!) { statistics(subject: EDUCATORS, measures: [EDUCATORS],
        groupBy: [MUNICIPALITY, CATEGORY], academicYear: $y) { rows { values educators } total { educators } } }`, { y: year });
      const built = await page.$$eval('#builder-table tbody tr', (rows) => rows.map((row) => ({
        values: JSON.parse(row.getAttribute('data-values')!), value: row.querySelector('td.value')!.getAttribute('data-value') })));
      expect(built).toEqual(statistics.rows.map((row: { values: string[]; educators: number }) => ({ values: row.values, value: String(row.educators) })));
      expect(await page.$eval('#builder-table tfoot td.value', (td) => td.getAttribute('data-value'))).toBe(String(statistics.total.educators));
      const csv = await page.evaluate(async () => (await fetch((document.getElementById('csv') as HTMLAnchorElement).href)).text());
      const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
      expect(lines[0]).toBe('Муниципалитет;MUNICIPALITY;Квалификационная категория;CATEGORY;EDUCATORS;SUPPRESSED');
      expect(lines).toHaveLength(statistics.rows.length + 1);
      expect(lines.slice(1).map((line) => Number(line.split(';')[4]))).toEqual(statistics.rows.map((row: { educators: number }) => row.educators));

      // The XLSX: the gateway's /export/statistics.xlsx for the same request, fetched as the page fetches it (with the
      // signed-in token); read back with exceljs, its numbers are the graph's.
      expect(await page.$eval('#xlsx', (el) => (el as HTMLElement).hidden)).toBe(false);
      const xlsx = await page.evaluate(async () => {
        const response = await fetch(document.getElementById('xlsx')!.getAttribute('data-href')!,
          { headers: { Authorization: `Bearer ${sessionStorage.getItem('mms-token')}` } });
        return { status: response.status, type: response.headers.get('content-type'), bytes: Array.from(new Uint8Array(await response.arrayBuffer())) };
      });
      expect(xlsx.status).toBe(200);
      expect(xlsx.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const sheet = await readSheet(Buffer.from(xlsx.bytes));
      expect(sheet[0]).toEqual(['Муниципалитет', 'MUNICIPALITY (значение)', 'Квалификационная категория', 'CATEGORY (значение)', 'Число педагогов', 'Скрыто']);
      expect(sheet).toHaveLength(statistics.rows.length + 2);
      expect(sheet.slice(1, -1).map((row) => [row[1], row[3], row[4]])).toEqual(
        statistics.rows.map((row: { values: (string | null)[]; educators: number }) => [row.values[0], row.values[1], row.educators]));
      expect(sheet.at(-1)).toEqual(['Итого', null, null, null, statistics.total.educators, 'Нет']);
      // The button itself: Chromium saves the file the page fetched with the token.
      const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-downloads-'));
      const cdp = await page.createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      await page.click('#xlsx');
      const saved = path.join(downloads, 'statistics.xlsx');
      for (let i = 0; i < 100 && !fs.existsSync(saved); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await readSheet(fs.readFileSync(saved))).toEqual(sheet);
      expect(await page.$eval('#builder-note', (el) => el.textContent)).not.toMatch(/XLSX не выгружен/);
      fs.rmSync(downloads, { recursive: true, force: true });

      const file = path.join(screenshotDir, 'dashboard.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(fs.statSync(file).size).toBeGreaterThan(50_000);
      // PRINT_SCREENSHOT=1 says where it is (the test output stays quiet otherwise).
      // eslint-disable-next-line no-console
      if (process.env.PRINT_SCREENSHOT) console.log(`dashboard screenshot: ${file}`);

      // Another question through the builder: the share of early-career… here, of educators with a diagnostic, by
      // municipality; an invalid combination shows the graph's refusal instead of a table.
      await page.select('#subject', 'DIAGNOSTICS');
      await page.select('#measure', 'SHARE');
      await page.select('#group2', '');
      await page.click('#run');
      await page.waitForSelector('body[data-statistics="ready"]');
      const shares = await page.$$eval('#builder-table tbody tr td.value', (tds) => tds.map((td) => td.getAttribute('data-value')));
      const expected = await admin.data(`query ($y: AcademicYear!) { statistics(subject: DIAGNOSTICS, measures: [SHARE], groupBy: [MUNICIPALITY], academicYear: $y) { rows { share } } }`, { y: year });
      expect(shares).toEqual(expected.statistics.rows.map((row: { share: number | null }) => (row.share === null ? '' : String(row.share))));
      await page.select('#subject', 'EDUCATORS');
      await page.click('#run');
      await page.waitForSelector('body[data-statistics="error"]');
      expect(await page.$eval('#builder-note', (el) => el.textContent)).toMatch(/SHARE does not apply to EDUCATORS.*BAD_USER_INPUT/);
    } finally {
      await page.close();
    }
  }, 120_000);

  test('GET /export/statistics.xlsx: measures and SHARE\'s denominator as numbers, suppressed groups marked; refusals before any byte', async () => {
    const year = lastCompleteYear();
    const url = (query: string) => `${gateway.url}/export/statistics.xlsx?${query}`;
    const auth = (t: string) => ({ headers: { Authorization: `Bearer ${t}` } });
    const response = await fetch(url(`subject=DIAGNOSTICS&measures=SHARE,COUNT&groupBy=MUNICIPALITY&academicYear=${encodeURIComponent(year)}`), auth(token));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="statistics-diagnostics-/);
    const sheet = await readSheet(Buffer.from(await response.arrayBuffer()));
    const { statistics } = await admin.data(`query ($y: AcademicYear!) { statistics(subject: DIAGNOSTICS, measures: [SHARE, COUNT], groupBy: [MUNICIPALITY],
      academicYear: $y) { rows { values labels share denominator count } total { share denominator count } } }`, { y: year });
    expect(sheet[0]).toEqual(['Муниципалитет', 'MUNICIPALITY (значение)', 'Доля педагогов, %', 'Знаменатель', 'Число записей', 'Скрыто']);
    expect(sheet.slice(1, -1)).toEqual(statistics.rows.map((row: { values: string[]; labels: string[]; share: number | null; denominator: number; count: number }) =>
      [row.labels[0], row.values[0], row.share, row.denominator, row.count, 'Нет']));
    expect(sheet.at(-1)).toEqual(['Итого', null, statistics.total.share, statistics.total.denominator, statistics.total.count, 'Нет']);

    // An analyst's file: groups of fewer than 5 educators are withheld by the graph; the file marks exactly the rows
    // the graph suppresses, with empty measures.
    const analystToken = await mintDevToken({ role: 'analyst', subject: 'test-analyst' });
    const analystFile = await readSheet(Buffer.from(await (await fetch(url(`subject=EDUCATORS&measures=EDUCATORS&groupBy=ORGANIZATION,CATEGORY&academicYear=${encodeURIComponent(year)}`), auth(analystToken))).arrayBuffer()));
    const analystAnswer = (await graph.as({ role: 'analyst', subject: 'test-analyst' }).data(`query ($y: AcademicYear!) { statistics(subject: EDUCATORS, measures: [EDUCATORS],
      groupBy: [ORGANIZATION, CATEGORY], academicYear: $y) { rows { educators isSuppressed } } }`, { y: year })).statistics;
    expect(analystFile.slice(1, -1).map((row) => [row[4], row[5]])).toEqual(
      analystAnswer.rows.map((row: { educators: number | null; isSuppressed: boolean }) => [row.educators, row.isSuppressed ? 'Да' : 'Нет']));
    expect(analystAnswer.rows.some((row: { isSuppressed: boolean }) => row.isSuppressed)).toBe(true);

    const refused = async (query: string, headers: RequestInit, status: number) => {
      const answer = await fetch(url(query), headers);
      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toMatch(/application\/json/);
      return (await answer.json()).errors[0];
    };
    expect((await refused('subject=EDUCATORS&measures=EDUCATORS', {}, 401)).extensions.code).toBe('UNAUTHENTICATED');
    expect((await refused('measures=EDUCATORS', auth(token), 400)).extensions.field).toBe('subject');
    expect((await refused('subject=EDUCATORS', auth(token), 400)).extensions.field).toBe('measures');
    expect((await refused('subject=TEACHERS&measures=COUNT', auth(token), 400)).extensions.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect((await refused(`subject=EDUCATORS&measures=SHARE&academicYear=${encodeURIComponent(year)}`, auth(token), 400)).extensions.reason).toBe('INVALID_COMBINATION');
    expect((await refused(`subject=EDUCATORS&measures=COUNT&on=2026-01-15&academicYear=${encodeURIComponent(year)}`, auth(token), 400)).extensions.field).toBe('on');
    // A methodist of the small municipality asking for the other one's: the graph's FORBIDDEN, as a 403.
    const other = (await admin.data('{ municipalities { id } }')).municipalities.map((m: { id: string }) => m.id).find((id: string) => id !== second);
    const methodist = await mintDevToken({ role: 'municipality_methodist', municipalityId: second });
    expect((await refused(`subject=EDUCATORS&measures=COUNT&municipalityId=${other}&academicYear=${encodeURIComponent(year)}`, auth(methodist), 403)).extensions.code).toBe('FORBIDDEN');
  }, 120_000);

  test('without a token the page asks for one and sends nothing', async () => {
    const page = await browser.newPage();
    try {
      const graphql: string[] = [];
      page.on('request', (request) => { if (request.url().includes('/graphql')) graphql.push(request.url()); });
      await page.goto(`${gateway.url}/dashboard`, { waitUntil: 'load' });
      expect(await page.$eval('#sign-in', (el) => (el as HTMLElement).hidden)).toBe(false);
      expect(await page.$eval('#error', (el) => el.textContent)).toMatch(/Нужен токен/);
      expect(graphql).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
