import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { mintDevToken, startSubgraphServer, type RunningServer } from '@mms/platform';
import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { batchesOf, formatReport, importInBatches, mergeReports, upsertEducatorsMutation, type ImportReport } from '../../../scripts/lib/bulk-import';
import { columnNamer, decodeText, detectDelimiter, mapHeaders, readCsv, readImportFile, readJson, readXlsx, splitEmployments } from '../../../scripts/lib/spreadsheet';
import { staffSubgraph } from '../src';
import { innFor, snilsFor } from '../src/validate';
import { createMunicipality, createOrganization, runImportCommand } from './fixtures';

/**
 * `npm run import` (scripts/import.ts): reading the files municipalities send, batching, the report, and the command
 * itself against the gateway over HTTP.
 */
const snils = snilsFor(812_345_678);
const inn = innFor(812_345_678);
const header = 'СНИЛС;Фамилия;Имя;Отчество;Дата рождения;ИНН ОО;Должность;Ставка;Основное место работы;Дата приема;Примечание';
const line = `${snils};Сидорова;Ёлка;Петровна;05.03.1985;${inn};учитель;0,5;да;01.09.2010;в отпуске`;

describe('reading CSV', () => {
  test('UTF-8 with a BOM, separated by semicolons, Russian headers in any case', () => {
    const file = readCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${header.toUpperCase()}\r\n${line}\r\n`)]));
    expect(file).toMatchObject({ encoding: 'utf-8', delimiter: ';', unknownColumns: ['ПРИМЕЧАНИЕ'] });
    expect(file.rows).toEqual([{
      rowNumber: 2, snils, lastName: 'Сидорова', firstName: 'Ёлка', patronymic: 'Петровна', birthDate: '05.03.1985', organizationInn: inn,
      position: 'учитель', rate: '0,5', isMainJob: 'да', startedOn: '01.09.2010',
    }]);
  });

  test('UTF-8 without a BOM, separated by commas, English field names, quoted cells with commas, quotes and line breaks', () => {
    const text = 'snils,lastName,FirstName,position,Unknown\n'
      + `${snils},"Иванова, урожд. Петрова","Анна ""Аня""","учитель
начальных классов",x\n`
      + '\n'
      + `${snilsFor(812_345_679)},Смирнова,Ольга,методист,\n`;
    const file = readCsv(Buffer.from(text));
    expect(file).toMatchObject({ encoding: 'utf-8', delimiter: ',', unknownColumns: ['Unknown'] });
    expect(file.rows).toEqual([
      { rowNumber: 2, snils, lastName: 'Иванова, урожд. Петрова', firstName: 'Анна "Аня"', position: 'учитель\nначальных классов' },
      // The empty line is row 3 in a spreadsheet: counted, not sent.
      { rowNumber: 4, snils: snilsFor(812_345_679), lastName: 'Смирнова', firstName: 'Ольга', position: 'методист' },
    ]);
  });

  test('Windows-1251 is recognised because it is not valid UTF-8', () => {
    const bytes = iconv.encode(`${header}\r\n${line}\r\n`, 'win1251');
    expect(decodeText(bytes).encoding).toBe('windows-1251');
    const file = readCsv(bytes);
    expect(file.encoding).toBe('windows-1251');
    expect(file.rows[0]).toMatchObject({ lastName: 'Сидорова', firstName: 'Ёлка', position: 'учитель' });
  });

  test('the separator is the one the header line uses most outside quotes', () => {
    expect(detectDelimiter('"a;b;c",d,e\n1;2;3;4;5')).toBe(',');
    expect(detectDelimiter('СНИЛС;"Фамилия, имя";Ставка')).toBe(';');
    expect(detectDelimiter('snils\tlastName\tfirstName')).toBe('\t');
  });

  test('quotes inside an unquoted cell are kept as they are', () => {
    const file = readCsv(Buffer.from(`СНИЛС;Организация;Должность;Примечание\n${snils};МБОУ "СОШ № 5";учитель;\n`));
    expect(file.rows).toEqual([{ rowNumber: 2, snils, organizationName: 'МБОУ "СОШ № 5"', position: 'учитель' }]);
    expect(file.unknownColumns).toEqual(['Примечание']);
  });
});

describe('headers', () => {
  test('Russian and English names of every field, and a full name in one column split into its parts', () => {
    const { targets, unknownColumns, duplicateColumns } = mapHeaders([
      '№ п/п', 'ФИО', 'СНИЛС', 'Дата рождения', 'E-mail', 'Эл. почта', 'Телефон', 'Педстаж с', 'Образование', 'ИНН организации', 'Код ОО',
      'Должность', 'Категория должности', 'Ставка', 'Основное место работы', 'Дата приёма', 'Дата увольнения', 'Внешний id', 'externalId', 'Стаж',
    ]);
    expect(targets).toEqual([null, 'fullName', 'snils', 'birthDate', 'email', null, 'phone', 'pedagogicalWorkStartedOn', 'educationLevel',
      'organizationInn', 'organizationCode', 'position', 'staffCategory', 'rate', 'isMainJob', 'startedOn', 'endedOn', 'externalId', null, null]);
    expect(unknownColumns).toEqual(['Стаж']);
    expect(duplicateColumns).toEqual(['Эл. почта', 'externalId']);
    const file = readCsv(Buffer.from(`ФИО;СНИЛС\nКузнецова Мария Ивановна;${snils}\n`));
    expect(file.rows).toEqual([{ rowNumber: 2, lastName: 'Кузнецова', firstName: 'Мария', patronymic: 'Ивановна', snils }]);
  });
});

describe('the report names the file\'s own columns (issue 16)', () => {
  const rejection = (column: string | null) => ({ ...mergeReports([]), rejected: 1, rejections: [{ rowNumber: 2, column, reason: 'is wrong', code: 'BAD_USER_INPUT' }] });

  test('a column by its header as written; a field the file has no column for by the template\'s header; a whole name by its one column', () => {
    const file = readCsv(Buffer.from(`Ф.И.О.;страховой номер;Вид занятости\nКузнецова Мария;${snils};да\n`));
    const name = columnNamer(file);
    expect([name('snils'), name('isMainJob'), name('firstName'), name('staffCategory'), name('somethingElse')])
      .toEqual(['страховой номер', 'Вид занятости', 'Ф.И.О.', 'Категория персонала (no such column in the file)', 'somethingElse']);
    expect(formatReport(rejection('isMainJob'), 'educators', name)[1]).toBe('row 2, Вид занятости: is wrong');
    expect(formatReport(rejection(null), 'educators', name)[1]).toBe('row 2: is wrong');
  });

  test('a JSON file\'s keys are its headers; a field it lacks keeps its name', () => {
    const file = readJson(Buffer.from(JSON.stringify([{ snils, 'Основное место работы': 'да' }])));
    const name = columnNamer(file);
    expect([name('snils'), name('isMainJob'), name('staffCategory')]).toEqual(['snils', 'Основное место работы', 'staffCategory']);
  });
});

describe('an educator\'s several employments on one line (the export\'s way)', () => {
  test('one row per employment, the INN column giving the count; a name holding ";" is dropped when the INN is there', () => {
    const row = { rowNumber: 5, snils, lastName: 'Борисов', organizationInn: '2801012347; 2801012355', organizationName: 'Гимназия; Школа "Радуга"; корпус 2',
      position: 'педагог-психолог; учитель', rate: '0,25; 0,5', isMainJob: 'Нет; Да', startedOn: '10.01.2021; 01.09.2019', endedOn: ';' };
    expect(splitEmployments(row)).toEqual([
      { rowNumber: 5, snils, lastName: 'Борисов', organizationInn: '2801012347', position: 'педагог-психолог', rate: '0,25', isMainJob: 'Нет', startedOn: '10.01.2021' },
      { rowNumber: 5, snils, lastName: 'Борисов', organizationInn: '2801012355', position: 'учитель', rate: '0,5', isMainJob: 'Да', startedOn: '01.09.2019' },
    ]);
    // The same count in the name column: taken positionally.
    expect(splitEmployments({ snils, organizationCode: 'A;B', organizationName: 'Школа 1;Школа 2', position: 'учитель' }).map((r) => [r.organizationCode, r.organizationName, r.position]))
      .toEqual([['A', 'Школа 1', 'учитель'], ['B', 'Школа 2', 'учитель']]);
    // Without an INN or code column the start dates give the count; names with as many parts are taken positionally,
    // a name list with more parts (a name holding ";") is sent whole, for the graph to reject as no such name.
    expect(splitEmployments({ snils, organizationName: 'Гимназия № 5; Школа "Радуга"; корпус 2', position: 'учитель', startedOn: '01.09.2019; 10.01.2021' })).toEqual([
      { snils, organizationName: 'Гимназия № 5; Школа "Радуга"; корпус 2', position: 'учитель', startedOn: '01.09.2019' },
      { snils, organizationName: 'Гимназия № 5; Школа "Радуга"; корпус 2', position: 'учитель', startedOn: '10.01.2021' },
    ]);
    expect(splitEmployments({ snils, organizationName: 'Гимназия № 5; Лицей', startedOn: '01.09.2019; 10.01.2021' }).map((r) => r.organizationName)).toEqual(['Гимназия № 5', 'Лицей']);
    // Without ";" in a column that cannot hold one nothing is split: a position may hold one.
    expect(splitEmployments({ snils, organizationInn: '2801012347', position: 'учитель; методист' })).toEqual([{ snils, organizationInn: '2801012347', position: 'учитель; методист' }]);
  });
});

describe('reading XLSX and JSON', () => {
  test('the first sheet of a workbook: dates, numbers that lost their leading zeros, formulas, rich text and links', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Педагоги');
    workbook.addWorksheet('Справочник').addRow(['не читается']);
    sheet.addRow(['СНИЛС', 'Фамилия', 'Имя', 'Дата рождения', 'Ставка', 'E-mail', 'ИНН ОО', 'Основное место работы']);
    const early = snilsFor(1_234_567); // 00123456789-like: stored as a number, Excel drops the zeros
    sheet.addRow([Number(early), { richText: [{ text: 'Смир' }, { font: { bold: true }, text: 'нова' }] }, 'Ольга', new Date(Date.UTC(1990, 4, 17)),
      0.25, { text: 'olga@school.example', hyperlink: 'mailto:olga@school.example' }, inn, { formula: '1=1', result: true }]);
    sheet.addRow([]);
    sheet.addRow([snils, 'Петрова', 'Анна', '17.05.1991', { formula: '0.5*2', result: 1 }]);
    const file = await readXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(file.format).toBe('xlsx');
    expect(early.startsWith('00')).toBe(true);
    expect(file.rows).toEqual([
      { rowNumber: 2, snils: early, lastName: 'Смирнова', firstName: 'Ольга', birthDate: '1990-05-17', rate: '0.25', email: 'olga@school.example', organizationInn: inn, isMainJob: 'true' },
      { rowNumber: 4, snils, lastName: 'Петрова', firstName: 'Анна', birthDate: '17.05.1991', rate: '1' },
    ]);
  });

  test('JSON: an array of objects with field names or headers; rowNumber kept when given', () => {
    const file = readJson(Buffer.from(JSON.stringify([{ snils, 'Фамилия': 'Орлова', rate: 0.5, isMainJob: true, extra: 1 }, { rowNumber: 10, snils, endedOn: null }])));
    expect(file.rows).toEqual([{ rowNumber: 1, snils, lastName: 'Орлова', rate: '0.5', isMainJob: 'true' }, { rowNumber: 10, snils }]);
    expect(file.unknownColumns).toEqual(['extra']);
    expect(() => readJson(Buffer.from('{"snils": "1"}'))).toThrow(/array/);
  });

  test('a file is read by its extension', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mms-import-'));
    try {
      fs.writeFileSync(path.join(dir, 'staff.csv'), `${header}\n${line}\n`);
      expect((await readImportFile(path.join(dir, 'staff.csv'))).rows).toHaveLength(1);
      fs.writeFileSync(path.join(dir, 'staff.xls'), 'old');
      await expect(readImportFile(path.join(dir, 'staff.xls'))).rejects.toThrow(/\.csv, \.xlsx or \.json/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('batches and the report', () => {
  const report = (rows: number, rejected: { rowNumber: number; column: string | null }[] = []): ImportReport => ({
    dryRun: false, total: rows, created: rows - rejected.length, updated: 0, unchanged: 0, rejected: rejected.length, rows: [],
    rejections: rejected.map((r) => ({ ...r, reason: 'has a wrong control number', code: 'BAD_USER_INPUT' })),
  });

  test('batches hold at most the given rows and bytes of JSON', () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ rowNumber: i + 2, snils, lastName: 'x'.repeat(100) }));
    expect(batchesOf(rows, 3).map((b) => b.length)).toEqual([3, 3, 1]);
    expect(batchesOf(rows, 100, 400).map((b) => b.length)).toEqual([2, 2, 2, 1]);
    expect(batchesOf([], 3)).toEqual([]);
  });

  test('the merged report counts every batch and lists every rejection as "row N, column: reason"', async () => {
    const progress: string[] = [];
    const merged = await importInBatches([[{ snils }], [{ snils }, { snils }]], async (rows) => report(rows.length, rows.length > 1 ? [{ rowNumber: 17, column: 'snils' }] : []),
      (done, total) => progress.push(`rows ${done}/${total}`));
    expect(progress).toEqual(['rows 1/3', 'rows 3/3']);
    expect(formatReport(merged)).toEqual(['educators: 3 rows: 2 created, 0 updated, 0 unchanged, 1 rejected', 'row 17, snils: has a wrong control number']);
    expect(formatReport({ ...mergeReports([]), rejections: [{ rowNumber: 3, column: null, reason: 'outside your scope', code: 'FORBIDDEN' }] }))
      .toContain('row 3: outside your scope (FORBIDDEN)');
  });
});

describe('the command against the graph', () => {
  let graph: TestGraph;
  let staff: RunningServer;
  let gateway: RunningServer;
  let municipality: { id: string };
  let school: { inn: string };
  let dir: string;
  beforeAll(async () => {
    graph = await createTestGraph();
    const admin = graph.as(regionAdmin);
    municipality = await createMunicipality(admin);
    school = await createOrganization(admin, municipality.id);
    staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
    gateway = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => `${staff.url}/graphql`), port: 0 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mms-import-'));
  });
  afterAll(async () => {
    await gateway.stop();
    await staff.stop();
    await graph.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const row = (n: number, overrides: Partial<Record<string, string>> = {}) => ({
    snils: snilsFor(813_000_000 + n), lastName: 'Лебедева', firstName: 'Вера', birthDate: '12.12.1980', organizationInn: school.inn,
    position: 'воспитатель', staffCategory: 'педагогический', rate: '1', isMainJob: 'да', startedOn: '01.09.2005', ...overrides,
  });
  const csv = (rows: Record<string, string>[]) => {
    const fields = Object.keys(rows[0]);
    return iconv.encode([fields.join(';'), ...rows.map((r) => fields.map((f) => r[f] ?? '').join(';'))].join('\r\n'), 'win1251');
  };
  const run = runImportCommand;

  test('imports a Windows-1251 file in batches with progress, prints the report, and exits 1 when a row was rejected', async () => {
    const file = path.join(dir, 'educators.csv');
    fs.writeFileSync(file, csv([row(1), row(2, { snils: '123-456-789 00' }), row(3), row(4)]));
    const token = await mintDevToken(regionAdmin);
    const args = [file, '--kind', 'educators', '--municipality', municipality.id, '--url', `${gateway.url}/graphql`, '--token', token, '--batch', '2'];
    const dry = await run([...args, '--dry-run']);
    expect(dry.stdout.split('\n')[0]).toBe('educators: 4 rows (dry run: nothing was written): 3 created, 0 updated, 0 unchanged, 1 rejected');
    expect(await graph.db.staff('educator').count({ count: '*' })).toEqual([{ count: 0 }]);

    const first = await run(args);
    expect(first.stderr).toContain('4 rows (csv, windows-1251, separated by ";")');
    expect(first.stderr).toContain('rows 2/4');
    expect(first.stderr).toContain('rows 4/4');
    expect(first.stdout.trim().split('\n')).toEqual(['educators: 4 rows: 3 created, 0 updated, 0 unchanged, 1 rejected', 'row 3, snils: has a wrong control number']);
    expect(first.code).toBe(1);

    fs.writeFileSync(file, csv([row(1), row(3), row(4)]));
    const again = await run(args);
    expect({ code: again.code, stdout: again.stdout.trim() }).toEqual({ code: 0, stdout: 'educators: 3 rows: 0 created, 0 updated, 3 unchanged, 0 rejected' });
  });

  test('a refused request, or bad arguments, exit 2 with the reason', async () => {
    const file = path.join(dir, 'one.csv');
    fs.writeFileSync(file, csv([row(5)]));
    const integration = await mintDevToken({ role: 'integration', municipalityId: '00000000-0000-4000-8000-000000000000', subject: 'other' });
    const refused = await run([file, '--municipality', municipality.id, '--url', `${gateway.url}/graphql`, '--token', integration]);
    expect({ code: refused.code, stderr: refused.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('FORBIDDEN: you may import only into your own municipality') });
    const usage = await run([file]);
    expect({ code: usage.code, stderr: usage.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('--municipality <id> is required') });
  });

  test('--columns prints every column; a file without a SNILS column is refused before anything is sent; unknown headers get the accepted list', async () => {
    const columns = await run(['--columns']);
    expect(columns.code).toBe(0);
    for (const line of ['СНИЛС  (snils)', 'Категория персонала  (staffCategory)', 'also: Категория должности', 'Организация  (organizationName)', 'required: for a new employment']) {
      expect(columns.stdout).toContain(line);
    }
    const file = path.join(dir, 'no-snils.csv');
    fs.writeFileSync(file, `Фамилия;Имя;Страх. номер\nЛебедева;Вера;${snilsFor(813_000_050)}\n`);
    const token = await mintDevToken(regionAdmin);
    const args = ['--municipality', municipality.id, '--url', `${gateway.url}/graphql`, '--token', token];
    const refused = await run([file, ...args]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('warning: columns not imported (unknown): Страх. номер. Accepted headers (any case): СНИЛС / СНИЛС сотрудника');
    expect(refused.stderr).toContain('no SNILS column: every row is matched by SNILS');
    expect(refused.stderr).toContain('nothing was sent');
    expect(await graph.db.staff('educator').where({ snils: snilsFor(813_000_050) }).count({ count: '*' })).toEqual([{ count: 0 }]);
  });

  test('a realistic file: the report names its own headers, and a column it lacks by the template\'s header', async () => {
    const file = path.join(dir, 'realistic.csv');
    fs.writeFileSync(file, iconv.encode([
      '№ п/п;ФИО;Страховой номер;Дата рождения;ИНН организации;Должность;Ставки;Характер работы;Дата приема на работу',
      `1;Лебедева Вера Ивановна;${snilsFor(813_000_060)};12.12.1980;${school.inn};учитель;1;основное;01.09.2020`,
      `2;Орлова Нина;${snilsFor(813_000_061)};12.12.1981;${school.inn};учитель;полставки;полная;01.09.2020`,
    ].join('\r\n'), 'win1251'));
    const token = await mintDevToken(regionAdmin);
    const result = await run([file, '--municipality', municipality.id, '--url', `${gateway.url}/graphql`, '--token', token, '--dry-run']);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      'educators: 2 rows (dry run: nothing was written): 0 created, 0 updated, 0 unchanged, 2 rejected',
      'row 2, Категория персонала (no such column in the file): is required for a new employment',
      'row 3, Ставки: is not a number: write 1, 0.5 or 0,5',
      'row 3, Характер работы: is not yes or no: да / нет, основное / совместительство',
      'row 3, Категория персонала (no such column in the file): is required for a new employment',
    ]);
  });

  test('the same pipeline without HTTP: a file read, batched and sent through the graph', async () => {
    const file = readCsv(csv([row(6), row(7, { lastName: '' , snils: snilsFor(813_000_007) })]));
    const admin = graph.as(regionAdmin);
    const merged = await importInBatches(batchesOf(file.rows, 1), async (rows) =>
      (await admin.data(upsertEducatorsMutation, { input: { municipalityId: municipality.id, rows } })).upsertEducators);
    expect(formatReport(merged)).toEqual(['educators: 2 rows: 1 created, 0 updated, 0 unchanged, 1 rejected', 'row 3, lastName: is required for a new educator']);
  });
});

describe('an organization named by its name (issue 16)', () => {
  let graph: TestGraph;
  let municipality: { id: string };
  let other: { id: string };
  const orgs = {} as Record<'lyceum' | 'twinA' | 'twinB' | 'elsewhere', { id: string; inn: string }>;
  beforeAll(async () => {
    graph = await createTestGraph();
    const admin = graph.as(regionAdmin);
    municipality = await createMunicipality(admin);
    other = await createMunicipality(admin);
    orgs.lyceum = await createOrganization(admin, municipality.id, { name: 'Муниципальное бюджетное общеобразовательное учреждение «Лицей № 2»', shortName: 'МБОУ «Лицей № 2»' });
    orgs.twinA = await createOrganization(admin, municipality.id, { name: 'Детский сад «Солнышко»', code: 'ДС-1' });
    orgs.twinB = await createOrganization(admin, municipality.id, { name: 'Детский сад «Солнышко»', inn: null, code: 'ДС-2' });
    orgs.elsewhere = await createOrganization(admin, other.id, { name: 'Школа на краю' });
  });
  afterAll(async () => { await graph.close(); });

  const upsert = async (rows: Record<string, string>[], dryRun = false) => {
    const { upsertEducators } = await graph.as(regionAdmin).data(upsertEducatorsMutation, {
      input: { municipalityId: municipality.id, dryRun, rows: rows.map((row, i) => ({ rowNumber: i + 2, ...row })) },
    });
    return upsertEducators as ImportReport;
  };
  const person = (n: number, employment: Record<string, string>) => ({
    snils: snilsFor(814_000_000 + n), lastName: 'Зайцева', firstName: 'Ольга', birthDate: '01.02.1985',
    position: 'учитель', staffCategory: 'педагогический', rate: '1', isMainJob: 'да', startedOn: '01.09.2022', ...employment,
  });

  test('the full or the short name, whatever the case and quotes, of the one organization of the municipality that has it', async () => {
    const report = await upsert([person(1, { organizationName: 'мбоу "лицей №2"' }), person(2, { organizationName: 'Муниципальное бюджетное общеобразовательное учреждение "Лицей № 2"' })]);
    expect(report).toMatchObject({ created: 2, rejected: 0 });
    const placed = await graph.db.staff('employment').whereIn('id', report.rows.map((r) => r.employmentId!)).pluck('organization_id');
    expect(placed).toEqual([orgs.lyceum.id, orgs.lyceum.id]);
    // The same row again, now by INN and name together: unchanged.
    expect(await upsert([person(1, { organizationInn: orgs.lyceum.inn, organizationName: 'МБОУ «Лицей № 2»' })])).toMatchObject({ unchanged: 1, rejected: 0 });
  });

  test('a name two organizations share is rejected naming each one\'s INN or code; the code settles it', async () => {
    const report = await upsert([person(3, { organizationName: 'Детский сад «Солнышко»' })], true);
    expect(report.rejections).toEqual([{
      rowNumber: 2, column: 'organizationName', code: 'BAD_USER_INPUT',
      reason: `is the name of 2 organizations of this municipality (INN ${orgs.twinA.inn}, code ДС-2): give the INN or the code instead`,
    }]);
    expect(await upsert([person(3, { organizationName: 'Детский сад «Солнышко»', organizationCode: 'ДС-2' })], true)).toMatchObject({ created: 1, rejected: 0 });
  });

  test('a name no organization of the municipality has, one of another municipality, or one that is not the INN\'s organization: rejected', async () => {
    const report = await upsert([
      person(4, { organizationName: 'Лицей № 3' }),
      person(5, { organizationName: 'Школа на краю' }),
      person(6, { organizationInn: orgs.lyceum.inn, organizationName: 'Детский сад «Солнышко»' }),
    ], true);
    expect(report.rejections).toEqual([
      { rowNumber: 2, column: 'organizationName', code: 'NOT_FOUND', reason: 'no organization of this municipality is named "Лицей № 3" (full or short name): give its INN or code' },
      { rowNumber: 3, column: 'organizationName', code: 'NOT_FOUND', reason: 'no organization of this municipality is named "Школа на краю" (full or short name): give its INN or code' },
      { rowNumber: 4, column: 'organizationName', code: 'BAD_USER_INPUT', reason: 'is not the name of the organization the INN names' },
    ]);
    expect(report.created).toBe(0);
  });

  test('no organization at all: the row says so without naming an internal field', async () => {
    const report = await upsert([person(7, {})], true);
    expect(report.rejections).toEqual([{ rowNumber: 2, column: 'organizationInn', code: 'BAD_USER_INPUT', reason: 'give the organization of the employment: its INN, its code or its name' }]);
  });
});
