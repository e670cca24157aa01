import ExcelJS from 'exceljs';
import { parse as parseWithCsvParse } from 'csv-parse/sync';
import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { indicatorsSubgraph } from '@mms/indicators';
import { mintDevToken, startSubgraphServer, type RunningServer, type TokenRequest } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../services/staff/test/fixtures';
import { grantRegionalMethodist } from '../../services/indicators/test/helpers';

/**
 * The indicator table as CSV over real HTTP: gateway → staff and indicators subgraphs → PostgreSQL. World: municipality
 * «Город Кедровый» (school «Радуга»: 2 educators, one a regional methodist; gymnasium: 1), «Лесной район» (1).
 * Indicator 5 for 2024/2025: region 1/4 = 25 %, Кедровый 1/3 = 33,3 %, Лесной 0/1 = 0 %.
 */
let graph: TestGraph;
let staff: RunningServer;
let indicators: RunningServer;
let gateway: RunningServer;
let admin: Client;
const w = {} as Record<'A' | 'B' | 'raduga' | 'gymnasium', string>;

beforeAll(async () => {
  graph = await createTestGraph();
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  indicators = await startSubgraphServer(indicatorsSubgraph, graph.db.indicators, 0);
  const urls: Record<string, string> = { staff: staff.url, indicators: indicators.url };
  gateway = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources((name) => `${urls[name]}/graphql`), port: 0 });
  admin = graph.as(regionAdmin);
  w.A = (await createMunicipality(admin, { name: 'Город Кедровый' })).id;
  w.B = (await createMunicipality(admin, { name: 'Лесной район' })).id;
  w.raduga = (await createOrganization(admin, w.A, { name: 'Школа "Радуга"; корпус 2' })).id;
  w.gymnasium = (await createOrganization(admin, w.A, { name: 'Гимназия № 5 имени А. С. Пушкина', shortName: 'Гимназия № 5' })).id;
  const B1 = (await createOrganization(admin, w.B, { name: 'Лесная школа' })).id;
  const methodist = await createEducator(admin, w.raduga);
  await createEducator(admin, w.raduga);
  await createEducator(admin, w.gymnasium);
  await createEducator(admin, B1);
  await grantRegionalMethodist(admin, methodist.id, '2024-09-01');
  await admin.data(`mutation { setIndicatorTarget(input: { code: REGIONAL_METHODISTS_SHARE, academicYear: "2024/2025", value: 30 }) { id } }`);
  await admin.data(`mutation { setIndicatorTarget(input: { code: NO_COMPLAINTS, academicYear: "2024/2025", value: 1 }) { id } }`);
}, 60_000);

afterAll(async () => {
  await gateway.stop();
  await indicators.stop();
  await staff.stop();
  await graph.close();
});

async function download(params: Record<string, string>, token: TokenRequest | null = regionAdmin, format: 'csv' | 'xlsx' = 'csv') {
  const url = new URL(`${gateway.url}/export/indicators.${format}`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${await mintDevToken(token)}` } : {};
  const response = await fetch(url, { headers });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** `;`-separated, CRLF, RFC 4180 quotes: the test's own reader. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 1; } else field += c;
  }
  if (field || row.length) throw new Error('the CSV does not end with CRLF');
  return rows;
}

test('the region\'s table: BOM, Russian header, `;` and CRLF, a row per indicator and per municipality, readable values', async () => {
  const { response, bytes } = await download({ academicYear: '2024/2025' });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
  expect(response.headers.get('content-disposition')).toContain('filename="indicators-2024-2025.utf8.csv"');
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  expect(text.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
  const rows = parseCsv(text);
  expect(rows[0]).toEqual(['Территория', '№', 'Показатель', 'Единица', 'Числитель', 'Знаменатель', 'Значение', 'Значение (да/нет)',
    'Целевое значение', 'Целевое значение (да/нет)', 'Цель достигнута', 'Примечание']);
  expect(rows).toHaveLength(1 + 15 * 3);
  const five = rows.filter((row) => row[1] === '5');
  expect(five.map((row) => row.slice(3, 12))).toEqual([
    ['%', '1', '4', '25', '', '30', '', 'Нет', ''],
    ['%', '1', '3', '33,3', '', '30', '', 'Да', ''],
    ['%', '0', '1', '0', '', '30', '', 'Нет', ''],
  ]);
  expect(five.map((row) => row[0])).toEqual(['Регион', 'Город Кедровый', 'Лесной район']);
  expect(five[0][2]).toBe('Доля педагогических работников, получивших статус регионального методиста');
  // A yes/no indicator: its value and target in the (да/нет) columns, the numeric ones empty; a value that cannot be
  // computed is empty, with the reason in words.
  const fourteen = rows.find((row) => row[1] === '14' && row[0] === 'Регион')!;
  expect([fourteen[6], fourteen[8], fourteen[9]]).toEqual(['', '', 'Да']);
  if (fourteen[7] === '') expect(fourteen[11].length).toBeGreaterThan(10);
  else expect(['Да', 'Нет']).toContain(fourteen[7]);
});

test('read by csv-parse as pandas would (sep=";", decimal=","): every column holds numbers or Да/Нет, never both', async () => {
  const { bytes } = await download({ academicYear: '2024/2025' });
  const decimal = (value: string) => (/^-?\d+(,\d+)?$/.test(value) ? Number(value.replace(',', '.')) : value);
  const records = parseWithCsvParse(bytes, { delimiter: ';', bom: true, columns: true, record_delimiter: '\r\n', cast: decimal }) as Record<string, unknown>[];
  expect(records).toHaveLength(45);
  for (const name of ['№', 'Числитель', 'Знаменатель', 'Значение', 'Целевое значение']) {
    const values = records.map((record) => record[name]).filter((value) => value !== '');
    expect([name, values.every((value) => typeof value === 'number')]).toEqual([name, true]);
    expect(values.length).toBeGreaterThan(0);
  }
  for (const name of ['Значение (да/нет)', 'Целевое значение (да/нет)', 'Цель достигнута']) {
    const values = records.map((record) => record[name]).filter((value) => value !== '');
    expect([name, values.every((value) => value === 'Да' || value === 'Нет')]).toEqual([name, true]);
  }
  const region5 = records.find((record) => record['№'] === 5 && record.Территория === 'Город Кедровый')!;
  expect(region5).toMatchObject({ Числитель: 1, Знаменатель: 3, Значение: 33.3, 'Целевое значение': 30, 'Цель достигнута': 'Да' });
});

test('the XLSX beside the CSV: the same rows, numbers as numbers, a bold frozen header', async () => {
  const { bytes: csv } = await download({ academicYear: '2024/2025' });
  const csvRows = parseCsv(csv.subarray(3).toString('utf8'));
  const { response, bytes } = await download({ academicYear: '2024/2025' }, regionAdmin, 'xlsx');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(response.headers.get('content-disposition')).toContain('filename="indicators-2024-2025.xlsx"');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  expect(sheet.name).toBe('Показатели');
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
  const read: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    read.push(csvRows[0].map((_, i) => {
      const value = row.getCell(i + 1).value;
      return value === null || value === undefined ? '' : typeof value === 'number' ? String(value).replace('.', ',') : String(value);
    }));
  });
  expect(read).toEqual(csvRows);
  const kedrovy5 = csvRows.findIndex((row) => row[1] === '5' && row[0] === 'Город Кедровый') + 1;
  expect([2, 5, 6, 7, 9].map((column) => sheet.getRow(kedrovy5).getCell(column).value)).toEqual([5, 1, 3, 33.3, 30]);
  // Refusals as for the CSV: JSON, no file.
  const refused = await download({ academicYear: '2024/2025' }, null, 'xlsx');
  expect(refused.response.status).toBe(401);
  expect(refused.response.headers.get('content-disposition')).toBeNull();
});

test('a municipality\'s table lists its organizations; breakdown=0 only the municipality; quotes are doubled', async () => {
  const methodist: TokenRequest = { role: 'municipality_methodist', subject: 'm', municipalityId: w.A };
  const { response, bytes } = await download({ academicYear: '2024/2025', municipalityId: w.A }, methodist);
  expect(response.status).toBe(200);
  const text = bytes.subarray(3).toString('utf8');
  expect(text).toContain('"Школа ""Радуга""; корпус 2"');
  const five = parseCsv(text).filter((row) => row[1] === '5');
  expect(five.map((row) => [row[0], row[4], row[5], row[6]])).toEqual([
    ['Город Кедровый', '1', '3', '33,3'], ['Гимназия № 5', '0', '1', '0'], ['Школа "Радуга"; корпус 2', '1', '2', '50'],
  ]);
  const { bytes: flat } = await download({ academicYear: '2024/2025', municipalityId: w.A, breakdown: '0' }, methodist);
  expect(parseCsv(flat.subarray(3).toString('utf8'))).toHaveLength(16);
});

test('refusals are JSON with the graph\'s code: no token 401, another municipality 403, a bad year 400, an unknown one 404', async () => {
  const cases: [Record<string, string>, TokenRequest | null, number, string][] = [
    [{ academicYear: '2024/2025' }, null, 401, 'UNAUTHENTICATED'],
    [{ academicYear: '2024/2025', municipalityId: w.B }, { role: 'municipality_methodist', subject: 'm', municipalityId: w.A }, 403, 'FORBIDDEN'],
    [{ academicYear: '2024/2025' }, { role: 'municipality_methodist', subject: 'm', municipalityId: w.A }, 403, 'FORBIDDEN'],
    [{ academicYear: '2024/2026' }, regionAdmin, 400, 'BAD_USER_INPUT'],
    [{ academicYear: '2024/2025', municipalityId: w.A, organizationId: w.raduga }, regionAdmin, 400, 'BAD_USER_INPUT'],
    [{ academicYear: '2024/2025', organizationId: '3f2b8c8e-8f5e-4a53-9a55-0d7f5a0b9e11' }, regionAdmin, 404, 'NOT_FOUND'],
  ];
  for (const [params, token, status, code] of cases) {
    const { response, bytes } = await download(params, token);
    expect({ params, status: response.status }).toEqual({ params, status });
    expect(response.headers.get('content-disposition')).toBeNull();
    const body = JSON.parse(bytes.toString('utf8'));
    expect(body.errors[0].extensions.code).toMatch(code === 'BAD_USER_INPUT' ? /BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/ : new RegExp(code));
  }
});
