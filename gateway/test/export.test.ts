import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import express from 'express';
import { composeSupergraph, createApolloServer, createGateway, gatewayContext, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { mintDevToken, startSubgraphServer, today, type RunningServer, type TokenRequest } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization, runImportCommand } from '../../services/staff/test/fixtures';
import { csvField, exportRouter, refusedFields } from '../src/export';
import { importColumns } from '../../services/staff/src/import-columns';
import { mapHeaders, readCsv } from '../../scripts/lib/spreadsheet';
import { parse as parseWithCsvParse } from 'csv-parse/sync';
import { snilsFor } from '../../services/staff/src/validate';

/**
 * The educator export over real HTTP: gateway → staff subgraph → PostgreSQL, files read back as a client would.
 * Arranged through the graph's own mutations (the staff fixtures), as region admin.
 */
let graph: TestGraph;
let staff: RunningServer;
let gateway: RunningServer;
let admin: Client;
const day = today();

const world = {} as {
  A: string; B: string; C: string; radugaA1: string; gymnasiumA2: string; schoolB1: string;
  abramova: string; borisov: string; elkina: string; zhukov: string; vasilieva: string; validUntil: string;
};

const header = ['Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'СНИЛС', 'Эл. почта', 'Телефон', 'Педстаж с', 'Образование',
  'Молодой специалист', 'До 35 лет', 'Категория', 'Категория действует до', 'Муниципалитет', 'Организация', 'ИНН ОО', 'Код ОО', 'Должность',
  'Категория персонала', 'Ставка', 'Основное место работы', 'Дата приёма', 'Дата увольнения', 'Идентификатор'];
const personal = ['Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'СНИЛС', 'Эл. почта', 'Телефон', 'Педстаж с'];

beforeAll(async () => {
  graph = await createTestGraph();
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  gateway = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => `${staff.url}/graphql`), port: 0 });
  admin = graph.as(regionAdmin);

  world.A = (await createMunicipality(admin, { name: 'Город Кедровый' })).id;
  world.B = (await createMunicipality(admin, { name: 'Лесной район' })).id;
  world.C = (await createMunicipality(admin, { name: 'Большой район' })).id;
  world.radugaA1 = (await createOrganization(admin, world.A, { name: 'Школа "Радуга"; корпус 2' })).id;
  world.gymnasiumA2 = (await createOrganization(admin, world.A, { name: 'Гимназия № 5 имени А. С. Пушкина', shortName: 'Гимназия № 5' })).id;
  world.schoolB1 = (await createOrganization(admin, world.B, { name: 'Лесная школа' })).id;
  const schoolC1 = (await createOrganization(admin, world.C, { name: 'Школа № 1' })).id;

  world.abramova = (await createEducator(admin, world.radugaA1, {
    lastName: 'Абрамова', firstName: 'Анна', patronymic: 'Сергеевна', birthDate: '1980-05-17', phone: '+7 914 123-45-67',
    email: 'abramova@school.example', educationLevel: 'HIGHER_SPECIALIST_OR_MASTER', pedagogicalWorkStartedOn: '2003-09-01',
  })).id;
  world.borisov = (await createEducator(admin, world.radugaA1, {
    lastName: 'Борисов', firstName: 'Олег', patronymic: null, birthDate: '1985-02-03', educationLevel: 'SECONDARY_VOCATIONAL', pedagogicalWorkStartedOn: '2010-09-01',
  }, { rate: 0.5, startedOn: '2019-09-01' })).id;
  await admin.data(`mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id } }`, {
    input: { educatorId: world.borisov, organizationId: world.gymnasiumA2, position: 'педагог-психолог', staffCategory: 'PEDAGOGICAL', rate: 0.25, isMainJob: false, startedOn: '2021-01-10' },
  });
  world.elkina = (await createEducator(admin, world.gymnasiumA2, {
    lastName: 'Ёлкина', firstName: 'Мария', patronymic: 'Петровна', birthDate: '2001-01-01', pedagogicalWorkStartedOn: '2024-09-01', educationLevel: 'HIGHER_BACHELOR',
  }, { position: 'заместитель директора', staffCategory: 'MANAGERIAL', startedOn: '2024-09-01' })).id;
  world.zhukov = (await createEducator(admin, world.radugaA1, { lastName: 'Жуков', firstName: 'Иван', patronymic: 'Ильич' },
    { startedOn: '2015-09-01', endedOn: '2023-06-30' })).id;
  world.vasilieva = (await createEducator(admin, world.schoolB1, { lastName: 'Васильева', firstName: 'Вера' })).id;
  const { recordCategoryAward } = await admin.data(`mutation ($input: RecordCategoryAwardInput!) { recordCategoryAward(input: $input) { validUntil } }`, {
    input: { educatorId: world.abramova, category: 'HIGHEST', position: 'учитель', awardedOn: '2023-03-01', orderNumber: '12-к', orderDate: '2023-03-01' },
  });
  world.validUntil = recordCategoryAward.validUntil;

  // More than a page (200) in one municipality, a few at a time.
  const numbers = Array.from({ length: 250 }, (_, i) => String(i + 1).padStart(3, '0'));
  for (let i = 0; i < numbers.length; i += 25) {
    await Promise.all(numbers.slice(i, i + 25).map((n) => createEducator(admin, schoolC1, { lastName: 'Тестова', firstName: `Номер ${n}`, patronymic: null })));
  }
}, 120_000);

afterAll(async () => {
  await gateway.stop();
  await staff.stop();
  await graph.close();
});

const tokens = new Map<string, string>();
async function bearer(token: TokenRequest): Promise<string> {
  const key = JSON.stringify(token);
  if (!tokens.has(key)) tokens.set(key, await mintDevToken(token));
  return `Bearer ${tokens.get(key)}`;
}

function exportUrl(format: 'csv' | 'xlsx', params: { filter?: unknown; activeOn?: string; rawFilter?: string } = {}, base = gateway.url): string {
  const url = new URL(`${base}/export/educators.${format}`);
  if (params.filter !== undefined) url.searchParams.set('filter', JSON.stringify(params.filter));
  if (params.rawFilter !== undefined) url.searchParams.set('filter', params.rawFilter);
  if (params.activeOn) url.searchParams.set('activeOn', params.activeOn);
  return url.toString();
}

async function download(format: 'csv' | 'xlsx', params: Parameters<typeof exportUrl>[1], token: TokenRequest | null = regionAdmin, base?: string) {
  const headers: Record<string, string> = token ? { authorization: await bearer(token) } : {};
  const response = await fetch(exportUrl(format, params, base), { headers });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** RFC 4180 with `;`: the reader the test trusts is its own, so the writer cannot share a bug with it. */
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

async function csvRows(params: Parameters<typeof exportUrl>[1], token: TokenRequest = regionAdmin) {
  const { response, bytes } = await download('csv', params, token);
  expect(response.status).toBe(200);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [head, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
  return { response, head, rows, byName: (name: string) => rows.find((row) => row[0] === name)! };
}

const column = (head: string[], rows: string[][], name: string) => rows.map((row) => row[head.indexOf(name)]);

test('the CSV starts with a BOM and the Russian header and has one line per employment, by name, with readable values', async () => {
  const { response, bytes } = await download('csv', { filter: { municipalityId: world.A }, activeOn: day });
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
  // The name says the encoding, for LibreOffice's import dialog.
  expect(response.headers.get('content-disposition')).toBe(
    `attachment; filename="educators-${day}.utf8.csv"; filename*=UTF-8''${encodeURIComponent(`педагоги-${day}.utf8.csv`)}`);
  expect(response.headers.get('x-omitted-columns')).toBeNull();
  expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
  const text = bytes.subarray(3).toString('utf8');
  expect(text.split('\r\n')[0]).toBe(header.join(';'));
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replaceAll('\r\n', '')).not.toContain('\n');

  const [head, ...rows] = parseCsv(text);
  expect(head).toEqual(header);
  // ё sorts as е: Ёлкина between Борисов and Жуков. Борисов has two employments: two lines.
  expect(column(head, rows, 'Фамилия')).toEqual(['Абрамова', 'Борисов', 'Борисов', 'Ёлкина', 'Жуков']);
  const rowsOf = (name: string) => rows.filter((r) => r[0] === name).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
  const row = (name: string) => rowsOf(name)[0];
  expect(row('Абрамова')).toMatchObject({
    // The phone with its separators: no reader takes it for a number (which would lose the +).
    Имя: 'Анна', Отчество: 'Сергеевна', 'Дата рождения': '17.05.1980', 'Эл. почта': 'abramova@school.example', Телефон: '+7 914 123-45-67',
    'Педстаж с': '01.09.2003', Образование: 'Высшее — специалитет, магистратура', 'Молодой специалист': 'Нет', 'До 35 лет': 'Нет',
    Категория: 'Высшая', 'Категория действует до': world.validUntil.split('-').reverse().join('.'),
    Муниципалитет: 'Город Кедровый', Организация: 'Школа "Радуга"; корпус 2', Должность: 'учитель', 'Категория персонала': 'Педагогический',
    Ставка: '1', 'Основное место работы': 'Да', 'Дата приёма': '01.09.2020', 'Дата увольнения': '', Идентификатор: world.abramova,
  });
  expect(row('Абрамова').СНИЛС).toMatch(/^\d{3}-\d{3}-\d{3} \d{2}$/);
  // Two employments: a line each (latest first), the educator's own columns repeated.
  const [psychologist, teacher] = rowsOf('Борисов');
  expect(psychologist).toMatchObject({
    Отчество: '', Организация: 'Гимназия № 5', Должность: 'педагог-психолог', Ставка: '0,25', 'Основное место работы': 'Нет',
    'Дата приёма': '10.01.2021', Образование: 'Среднее профессиональное',
  });
  expect(teacher).toMatchObject({
    Отчество: '', Организация: 'Школа "Радуга"; корпус 2', Должность: 'учитель', Ставка: '0,5', 'Основное место работы': 'Да',
    'Дата приёма': '01.09.2019', Образование: 'Среднее профессиональное',
  });
  expect(teacher.Идентификатор).toBe(psychologist.Идентификатор);
  expect(row('Ёлкина')).toMatchObject({ 'Молодой специалист': 'Да', 'До 35 лет': 'Да', 'Категория персонала': 'Управленческий', Категория: '' });
  // No employment in force on the day: the employment cells are empty, the educator is still listed.
  expect(row('Жуков')).toMatchObject({ Организация: '', Должность: '', Ставка: '', 'Дата приёма': '' });
});

test('a value holding ";" and quotes is quoted with its quotes doubled (RFC 4180)', async () => {
  const { bytes } = await download('csv', { filter: { organizationId: world.radugaA1, employedOn: day } });
  const line = bytes.toString('utf8').split('\r\n').find((l) => l.startsWith('Абрамова;'))!;
  expect(line).toContain(';"Школа ""Радуга""; корпус 2";');
  expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
  expect(csvField('+7 (914) 123-45-67')).toBe('+7 (914) 123-45-67');
  expect(csvField('строка\r\nвторая')).toBe('"строка\r\nвторая"');
});

test('a filter narrows the export to the educators the same query would list', async () => {
  const { head, rows } = await csvRows({ filter: { organizationId: world.gymnasiumA2, employedOn: day } });
  // Борисов's two employments on the day are both listed (the filter chooses educators, not employments).
  expect(column(head, rows, 'Фамилия')).toEqual(['Борисов', 'Борисов', 'Ёлкина']);
  const { rows: nobody } = await csvRows({ filter: { municipalityId: world.A, nameContains: 'нет такого' } });
  expect(nobody).toEqual([]);
});

test('an export longer than a page comes whole, page after page, in name order', async () => {
  const { head, rows } = await csvRows({ filter: { municipalityId: world.C } });
  const names = column(head, rows, 'Имя');
  expect(names).toHaveLength(250);
  expect(names).toEqual(Array.from({ length: 250 }, (_, i) => `Номер ${String(i + 1).padStart(3, '0')}`));
  expect(new Set(column(head, rows, 'Идентификатор')).size).toBe(250);
});

test('an analyst\'s export is not in name order: by id, whole, page after page', async () => {
  const asAdmin = await csvRows({ filter: { municipalityId: world.C } });
  const byName = column(asAdmin.head, asAdmin.rows, 'Идентификатор');
  const { head, rows } = await csvRows({ filter: { municipalityId: world.C } }, { role: 'analyst' });
  const ids = column(head, rows, 'Идентификатор');
  expect(ids).toHaveLength(250);
  expect(new Set(ids).size).toBe(250);
  expect(ids).toEqual([...byName].sort());
  expect(ids).not.toEqual(byName);
});

test('a municipality methodist exports only the educators of its own municipality', async () => {
  const { head, rows } = await csvRows({}, { role: 'municipality_methodist', municipalityId: world.B });
  expect(column(head, rows, 'Фамилия')).toEqual(['Васильева']);
  expect(column(head, rows, 'Муниципалитет')).toEqual(['Лесной район']);
});

test('an analyst\'s export leaves out the personal columns and names them in X-Omitted-Columns', async () => {
  const { response, head, rows } = await csvRows({ filter: { municipalityId: world.A } }, { role: 'analyst' });
  expect(response.headers.get('x-omitted-columns')).toBe('lastName,firstName,patronymic,birthDate,snils,email,phone,pedagogicalWorkStartedOn');
  expect(head).toEqual(header.filter((h) => !personal.includes(h)));
  // By id, not by name: an alphabetical position is a piece of a name. Борисов: a line per employment.
  const ids = [world.abramova, world.borisov, world.elkina, world.zhukov].sort().flatMap((id) => (id === world.borisov ? [id, id] : [id]));
  expect(column(head, rows, 'Идентификатор')).toEqual(ids);
  expect(column(head, rows, 'Категория')).toEqual(ids.map((id) => (id === world.abramova ? 'Высшая' : '')));
  const text = rows.flat().join(' ');
  for (const secret of ['Абрамова', 'Анна', 'abramova@', '79141234567', '914 123-45-67', '17.05.1980']) expect(text).not.toContain(secret);
});

test('an analyst\'s export filtered by a name is refused (403, FORBIDDEN naming filter.nameContains): no row of a person found by name', async () => {
  const { response, bytes } = await download('csv', { filter: { municipalityId: world.A, nameContains: 'Абрамова' } }, { role: 'analyst' });
  expect(response.status).toBe(403);
  const body = JSON.parse(bytes.toString('utf8'));
  expect(body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'filter.nameContains' });
  expect(bytes.toString('utf8')).not.toContain(world.abramova);
  // The same filter by a role with personal data still exports that row.
  const { rows } = await csvRows({ filter: { municipalityId: world.A, nameContains: 'Абрамова' } }, regionAdmin);
  expect(rows).toHaveLength(1);
});

test('the XLSX export parses back to the CSV\'s rows, with a bold frozen header, widths and real dates', async () => {
  const params = { filter: { municipalityId: world.A }, activeOn: day };
  const { head, rows } = await csvRows(params);
  const { response, bytes } = await download('xlsx', params);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(response.headers.get('content-disposition')).toContain(`filename="educators-${day}.xlsx"`);

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  expect(sheet.name).toBe('Педагоги');
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
  expect(sheet.getColumn(1).width).toBeGreaterThan(10);

  const text = (value: ExcelJS.CellValue): string => {
    if (value === null || value === undefined) return '';
    if (value instanceof Date) return value.toISOString().slice(0, 10).split('-').reverse().join('.');
    if (typeof value === 'number') return String(value).replace('.', ',');
    return String(value);
  };
  const read: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    read.push(Array.from({ length: header.length }, (_, i) => text(row.getCell(i + 1).value)));
  });
  expect(read).toEqual([head, ...rows]);

  const cell = (row: number, name: string) => sheet.getRow(row).getCell(head.indexOf(name) + 1);
  expect(cell(2, 'Дата рождения').value).toEqual(new Date('1980-05-17T00:00:00Z'));
  expect(cell(2, 'Дата рождения').numFmt).toBe('dd.mm.yyyy');
  expect(cell(2, 'Ставка').value).toBe(1);
  // Identifiers are text cells formatted as text (@): what is typed into them stays as typed.
  for (const name of ['СНИЛС', 'Телефон', 'ИНН ОО']) {
    expect([name, typeof cell(2, name).value, cell(2, name).numFmt]).toEqual([name, 'string', '@']);
  }
  expect(cell(2, 'Телефон').value).toBe('+7 914 123-45-67');
  // Борисов's two lines: each rate a number, each start a date (not "0,25; 0,5" as text).
  expect([cell(3, 'Ставка').value, cell(4, 'Ставка').value]).toEqual([0.25, 0.5]);
  expect([cell(3, 'Дата приёма').value, cell(4, 'Дата приёма').value]).toEqual([new Date('2021-01-10T00:00:00Z'), new Date('2019-09-01T00:00:00Z')]);
});

test('a CSV reader that guesses types (csv-parse, cast) keeps SNILS and phones as text, leading zeros and + included', async () => {
  const D = (await createMunicipality(admin, { name: 'Нулевой район' })).id;
  const school = (await createOrganization(admin, D, { name: 'Школа у моря' })).id;
  const snils = snilsFor(1_002_003);
  expect(snils.startsWith('00')).toBe(true);
  await createEducator(admin, school, { lastName: 'Нулева', snils, phone: '+79990001122' }, { rate: 0.75, startedOn: '2022-02-01' });
  await createEducator(admin, school, { lastName: 'Ольгина', phone: '84232000001' });
  const { bytes } = await download('csv', { filter: { municipalityId: D } });
  const records = parseWithCsvParse(bytes, { delimiter: ';', bom: true, columns: true, cast: true, record_delimiter: '\r\n' }) as Record<string, unknown>[];
  expect(records.map((record) => [record.Фамилия, record.СНИЛС, record.Телефон])).toEqual([
    ['Нулева', `${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)}`, '+7 999 000-11-22'],
    ['Ольгина', expect.stringMatching(/^\d{3}-\d{3}-\d{3} \d{2}$/), '8 423 200-00-01'],
  ]);
  const [nuleva, olgina] = records;
  // A whole rate comes as a number; a fraction with the Russian decimal comma as text a reader is told to read
  // with decimal="," (pandas) or that Excel in a Russian locale reads as a number.
  expect(olgina.Ставка).toBe(1);
  expect(nuleva.Ставка).toBe('0,75');
  expect(nuleva['Дата приёма']).toBe('01.02.2022');
  // The yes/no columns hold only Да/Нет.
  for (const record of records) {
    for (const name of ['Молодой специалист', 'До 35 лет', 'Основное место работы']) expect(['Да', 'Нет']).toContain(record[name]);
  }
});

test('without a token the export is refused with 401 and a GraphQL-style error; a bad token too', async () => {
  const { response, bytes } = await download('csv', {}, null);
  expect(response.status).toBe(401);
  expect(response.headers.get('content-disposition')).toBeNull();
  expect(JSON.parse(bytes.toString()).errors[0].extensions.code).toBe('UNAUTHENTICATED');

  const forged = await fetch(exportUrl('xlsx'), { headers: { authorization: 'Bearer forged' } });
  expect(forged.status).toBe(401);
  expect((await forged.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
});

test('a filter that is not JSON, or that the graph refuses, is a 400 JSON error and no file', async () => {
  const notJson = await download('csv', { rawFilter: '{municipalityId: nope' });
  expect(notJson.response.status).toBe(400);
  expect(notJson.response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(JSON.parse(notJson.bytes.toString()).errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'filter' } });

  const refused = await download('xlsx', { filter: { municipalityId: 'not-an-id' } });
  expect(refused.response.status).toBe(400);
  expect(refused.response.headers.get('content-disposition')).toBeNull();
  expect(JSON.parse(refused.bytes.toString()).errors[0].extensions.code).toBe('BAD_USER_INPUT');

  for (const params of [{ activeOn: '15.01.2025' }, { activeOn: '2025-02-30' }, { rawFilter: '[1]' }, { filter: { employedDuring: '2025' } }]) {
    const { response, bytes } = await download('csv', params);
    expect([params, response.status]).toEqual([params, 400]);
    expect(JSON.parse(bytes.toString()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  }
});

/** The export alone on an express app of its own, for what the gateway's defaults do not show. */
async function exportApp(options: { maxRows?: number; subgraphUrl?: string } = {}) {
  const server = createApolloServer(createGateway(composeSupergraph(subgraphs), httpDataSources(() => options.subgraphUrl ?? `${staff.url}/graphql`)));
  await server.start();
  const app = express();
  app.use('/export', exportRouter({ server, context: gatewayContext, maxRows: options.maxRows }));
  const listening = http.createServer(app);
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => { listening.close(resolve); listening.closeAllConnections(); });
      await server.stop();
    },
  };
}

test('a list longer than the export bound is refused with 413 before anything is sent', async () => {
  const app = await exportApp({ maxRows: 3 });
  try {
    const { response, bytes } = await download('csv', { filter: { municipalityId: world.A } }, regionAdmin, app.url);
    expect(response.status).toBe(413);
    expect(response.headers.get('content-disposition')).toBeNull();
    expect(JSON.parse(bytes.toString()).errors[0]).toMatchObject({ extensions: { max: 3, found: 4 } });
    const { response: fits } = await download('csv', { filter: { organizationId: world.gymnasiumA2, employedOn: day } }, regionAdmin, app.url);
    expect(fits.status).toBe(200);
  } finally {
    await app.close();
  }
});

test('a page that fails once the file is on its way breaks the download instead of ending a short file', async () => {
  // The subgraph answers the first page, then fails.
  let calls = 0;
  const flaky = http.createServer((req, res) => {
    calls += 1;
    if (calls > 1) {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"message":"boom"}]}');
      return;
    }
    const upstream = http.request(`${staff.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
  const app = await exportApp({ subgraphUrl: `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/graphql` });
  try {
    for (const format of ['csv', 'xlsx'] as const) {
      calls = 0;
      const response = await fetch(exportUrl(format, { filter: { municipalityId: world.C } }, app.url), { headers: { authorization: await bearer(regionAdmin) } });
      expect(response.status).toBe(200);
      await expect(response.arrayBuffer()).rejects.toThrow();
      expect(calls).toBe(2);
    }
  } finally {
    await app.close();
    await new Promise((resolve) => { flaky.close(resolve); flaky.closeAllConnections(); });
  }
});

test('personal fields the subgraph refuses on the first page are left out like the policy\'s; any other error stops the export', () => {
  const forbidden = (path: (string | number)[]) => ({ message: 'no', path, extensions: { code: 'FORBIDDEN' } });
  expect(refusedFields([forbidden(['educators', 'nodes', 0, 'snils']), forbidden(['educators', 'nodes', 1, 'snils']), forbidden(['educators', 'nodes', 0, 'phone'])]))
    .toEqual(new Set(['snils', 'phone']));
  expect(refusedFields([forbidden(['educators', 'nodes', 0, 'snils']), forbidden(['educators'])])).toBeUndefined();
  expect(refusedFields([forbidden(['educators', 'nodes', 0, 'employments'])])).toBeUndefined();
  expect(refusedFields([{ message: 'boom', path: ['educators', 'nodes', 0, 'snils'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }])).toBeUndefined();
});

describe('an export imports back (issue 16)', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mms-roundtrip-')); });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  const runImport = runImportCommand;

  test('every header of the export is one the import reads or knowingly skips', () => {
    const { unknownColumns, duplicateColumns, skippedColumns } = mapHeaders(header);
    expect({ unknownColumns, duplicateColumns }).toEqual({ unknownColumns: [], duplicateColumns: [] });
    expect(skippedColumns).toEqual(['Молодой специалист', 'До 35 лет', 'Категория', 'Категория действует до', 'Муниципалитет', 'Идентификатор']);
  });

  test.each(['csv', 'xlsx'] as const)('a region admin\'s %s export of a municipality, imported into it through the gateway: every row unchanged', async (format) => {
    const { response, bytes } = await download(format, { filter: { municipalityId: world.A } });
    expect(response.status).toBe(200);
    if (format === 'csv') {
      // The organization's INN is in the file: the employment's key.
      const file = readCsv(bytes);
      expect(file.rows.filter((row) => row.organizationInn).length).toBe(4);
    }
    const file = path.join(dir, `export.${format}`);
    fs.writeFileSync(file, bytes);
    const token = await mintDevToken(regionAdmin);
    const before = await graph.db.staff('employment').count({ count: '*' });
    const result = await runImport([file, '--municipality', world.A, '--url', `${gateway.url}/graphql`, '--token', token]);
    // Four educators, five lines: Борисов's two employments are a line each.
    expect({ code: result.code, stdout: result.stdout.trim() }).toEqual({ code: 0, stdout: 'educators: 5 rows: 0 created, 0 updated, 5 unchanged, 0 rejected' });
    expect(result.stderr).toContain('note: columns not imported (derived, or recorded otherwise): Молодой специалист, До 35 лет, Категория');
    expect(result.stderr).not.toContain('warning');
    expect(await graph.db.staff('employment').count({ count: '*' })).toEqual(before);
  }, 60_000);

  test('a changed cell in the export is what an import of it updates, and a wrong one is reported under the file\'s header', async () => {
    const { bytes } = await download('csv', { filter: { municipalityId: world.A } });
    const text = bytes.toString('utf8');
    const edited = text.replaceAll(';Среднее профессиональное;', ';Высшее — бакалавриат;').replace(';Управленческий;', ';директор школы;');
    expect(edited).not.toBe(text);
    const file = path.join(dir, 'edited.csv');
    fs.writeFileSync(file, edited);
    const token = await mintDevToken(regionAdmin);
    const result = await runImport([file, '--municipality', world.A, '--url', `${gateway.url}/graphql`, '--token', token, '--dry-run']);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    // Борисов's education level: his first row updates it, his second finds it so already; Ёлкина's row is rejected.
    expect(lines[0]).toBe('educators: 5 rows (dry run: nothing was written): 0 created, 1 updated, 3 unchanged, 1 rejected');
    expect(lines[1]).toMatch(/^row \d, Категория персонала: is not a staff category/);
  }, 60_000);
});

describe('the import template', () => {
  test('the XLSX template has every import column\'s Russian header, bold and frozen, and a sheet of notes; no token needed', async () => {
    const response = await fetch(`${gateway.url}/import/educators-template.xlsx`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers.get('content-disposition')).toContain('filename="educators-template.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const [sheet, notes] = workbook.worksheets;
    const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    expect(headers).toEqual(importColumns.map((column) => column.header));
    expect(headers).toEqual(expect.arrayContaining(['СНИЛС', 'Фамилия', 'ИНН ОО', 'Категория персонала', 'Основное место работы', 'Дата приёма']));
    expect(sheet.rowCount).toBe(1);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(headers.indexOf('СНИЛС') + 1).numFmt).toBe('@');
    expect(notes.name).toBe('Пояснения');
    const staffCategory = importColumns.find((column) => column.field === 'staffCategory')!;
    const noteRow = (notes.getRow(importColumns.indexOf(staffCategory) + 2).values as ExcelJS.CellValue[]).slice(1);
    expect(noteRow).toEqual([staffCategory.header, staffCategory.aliases.join(', '), 'staffCategory', staffCategory.format, staffCategory.required, staffCategory.example]);
    // The template reads back as a file with every column known and no rows.
    const { unknownColumns, targets } = mapHeaders(headers.map(String));
    expect({ unknownColumns, targets }).toEqual({ unknownColumns: [], targets: importColumns.map((column) => column.field) });
  });

  test('the CSV template is the header line as the export writes one (BOM, ";", CRLF)', async () => {
    const response = await fetch(`${gateway.url}/import/educators-template.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
    expect(bytes.subarray(3).toString('utf8')).toBe(`${importColumns.map((column) => column.header).join(';')}\r\n`);
    expect(readCsv(bytes)).toMatchObject({ rows: [], unknownColumns: [], duplicateColumns: [] });
  });

  test('no other template is served', async () => {
    const response = await fetch(`${gateway.url}/import/events-template.xlsx`);
    expect(response.status).toBe(404);
  });
});
