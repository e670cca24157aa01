import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { innFor, snilsFor } from '../src/validate';
import { createEducator, createMunicipality, createOrganization } from './fixtures';

/**
 * Bulk upsert through the graph (issue 9, journey 6): a municipality's spreadsheet of educators and employments is
 * matched by natural keys; good rows land, bad rows are reported with row, column and reason and change nothing, and
 * sending the same rows again changes nothing.
 */
let graph: TestGraph;
let admin: Client;
let municipality: { id: string };
let otherMunicipality: { id: string };
const schools: { id: string; inn: string }[] = [];
let codedSchool: { id: string; inn: string };
let foreignSchool: { id: string; inn: string };

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  municipality = await createMunicipality(admin);
  otherMunicipality = await createMunicipality(admin);
  for (let i = 0; i < 20; i += 1) schools.push(await createOrganization(admin, municipality.id));
  codedSchool = await createOrganization(admin, municipality.id, { code: 'SCH-7' });
  foreignSchool = await createOrganization(admin, otherMunicipality.id, { code: 'SCH-7' });
});
afterAll(() => graph.close());

const upsertMutation = `mutation ($input: UpsertEducatorsInput!) {
  upsertEducators(input: $input) {
    dryRun total created updated unchanged rejected
    rows { rowNumber outcome educatorId employmentId }
    rejections { rowNumber column reason code }
  } }`;

interface Report {
  dryRun: boolean; total: number; created: number; updated: number; unchanged: number; rejected: number;
  rows: { rowNumber: number; outcome: string; educatorId: string | null; employmentId: string | null }[];
  rejections: { rowNumber: number; column: string | null; reason: string; code: string }[];
}
type Row = Record<string, string | number>;

async function upsert(rows: Row[], options: { dryRun?: boolean; source?: string; municipalityId?: string; client?: Client } = {}): Promise<Report> {
  const { client = admin, municipalityId = municipality.id, ...rest } = options;
  const { upsertEducators } = await client.data(upsertMutation, { input: { municipalityId, rows, ...rest } });
  return upsertEducators;
}

const count = async (table: string) => Number((await graph.db.staff(table).count({ count: '*' }))[0].count);
const ruDate = (iso: string) => iso.split('-').reverse().join('.');

/** SNILS numbers no other test file uses: from 600 000 000. */
let nextNumber = 600_000_000;
const freshSnils = () => snilsFor((nextNumber += 1));

/** A full row as a municipality's spreadsheet has it: every cell text, Russian dates, a comma in the rate. */
function sheetRow(rowNumber: number, overrides: Row = {}): Row {
  const school = schools[rowNumber % schools.length];
  const year = 1960 + (rowNumber % 40);
  return {
    rowNumber, snils: freshSnils(), lastName: ' Петрова ', firstName: 'Мария', patronymic: rowNumber % 7 ? 'Ивановна' : '',
    birthDate: rowNumber % 2 ? ruDate(`${year}-03-15`) : `${year}-03-15`, email: `t${rowNumber}@school.example`,
    pedagogicalWorkStartedOn: ruDate(`${year + 22}-09-01`), educationLevel: rowNumber % 3 ? 'Высшее – специалитет, магистратура' : 'HIGHER_BACHELOR',
    organizationInn: school.inn, position: 'Учитель', staffCategory: 'педагогический', rate: rowNumber % 4 ? '1' : '0,5',
    isMainJob: 'да', startedOn: ruDate(`${year + 25}-09-01`), ...overrides,
  };
}

/** With a wrong control number: the last two digits moved by one. */
function spoilSnils(snils: string): string {
  return `${snils.slice(0, 9)}${String((Number(snils.slice(9)) + 1) % 100).padStart(2, '0')}`;
}

describe('a file of 10,000 educators with 3% bad rows', () => {
  const total = 10_000;
  const badKinds = [
    { column: 'snils', code: 'BAD_USER_INPUT', spoil: (row: Row) => ({ ...row, snils: spoilSnils(String(row.snils)) }) },
    { column: 'lastName', code: 'BAD_USER_INPUT', spoil: (row: Row) => ({ ...row, lastName: '' }) },
    { column: 'endedOn', code: 'BAD_USER_INPUT', spoil: (row: Row) => ({ ...row, startedOn: '01.09.2021', endedOn: '31.08.2021' }) },
    { column: 'organizationInn', code: 'NOT_FOUND', spoil: (row: Row) => ({ ...row, organizationInn: innFor(999_000_000 + Number(row.rowNumber)) }) },
  ];
  const expectedRejections: { rowNumber: number; column: string; code: string }[] = [];
  const rows: Row[] = [];
  let auditRowsAfterFirstImport = 0;
  let educatorsBefore = 0;

  beforeAll(async () => {
    educatorsBefore = await count('educator');
    // Row 1 is the header; three rows in every hundred are bad, the four kinds taking turns.
    for (let line = 2; line <= total + 1; line += 1) {
      let row = sheetRow(line);
      if ([7, 41, 74].includes(line % 100)) {
        const kind = badKinds[expectedRejections.length % badKinds.length];
        row = kind.spoil(row);
        expectedRejections.push({ rowNumber: line, column: kind.column, code: kind.code });
      }
      rows.push(row);
    }
  });

  test('imports in two batches of 5,000: exactly the bad rows are rejected, with row and column; the rest are created', async () => {
    expect(expectedRejections).toHaveLength(300);
    const started = Date.now();
    const reports = [await upsert(rows.slice(0, 5000)), await upsert(rows.slice(5000))];
    const seconds = (Date.now() - started) / 1000;
    if (process.env.PRINT_TIMINGS) console.log(`10,000 new rows imported in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} rows/s)`);

    const rejections = reports.flatMap((r) => r.rejections);
    expect(rejections.map(({ rowNumber, column, code }) => ({ rowNumber, column, code }))).toEqual(expectedRejections);
    expect(rejections.find((r) => r.column === 'snils')!.reason).toBe('has a wrong control number');
    expect(rejections.find((r) => r.column === 'lastName')!.reason).toBe('is required for a new educator');
    expect(rejections.find((r) => r.column === 'endedOn')!.reason).toBe('must not be before startedOn');
    expect(rejections.find((r) => r.column === 'organizationInn')!.reason).toMatch(/no organization with INN \d{10}/);
    const sum = (key: 'total' | 'created' | 'updated' | 'unchanged' | 'rejected') => reports.reduce((acc, r) => acc + r[key], 0);
    expect({ total: sum('total'), created: sum('created'), updated: sum('updated'), unchanged: sum('unchanged'), rejected: sum('rejected') })
      .toEqual({ total, created: 9700, updated: 0, unchanged: 0, rejected: 300 });
    const results = reports.flatMap((r) => r.rows);
    expect(results.map((r) => r.rowNumber)).toEqual(rows.map((r) => r.rowNumber));
    expect(results.filter((r) => r.outcome === 'REJECTED').every((r) => r.educatorId === null)).toBe(true);
    expect(results.filter((r) => r.outcome === 'CREATED').every((r) => r.educatorId && r.employmentId)).toBe(true);

    expect(await count('educator')).toBe(educatorsBefore + 9700);
    const sample = rows[0];
    const { educatorBySnils } = await admin.data(`query ($snils: String!) { educatorBySnils(snils: $snils) {
      fullName birthDate educationLevel pedagogicalWorkStartedOn employments { position staffCategory rate isMainJob startedOn endedOn organization { id } } } }`,
    { snils: sample.snils });
    expect(educatorBySnils).toEqual({
      fullName: 'Петрова Мария Ивановна', birthDate: '1962-03-15', educationLevel: 'HIGHER_SPECIALIST_OR_MASTER', pedagogicalWorkStartedOn: '1984-09-01',
      employments: [{ position: 'Учитель', staffCategory: 'PEDAGOGICAL', rate: 1, isMainJob: true, startedOn: '1987-09-01', endedOn: null, organization: { id: schools[2].id } }],
    });
    auditRowsAfterFirstImport = await count('audit_log');
  });

  test('sending both batches again changes nothing: every good row is UNCHANGED, the bad ones are rejected again, no audit entry', async () => {
    const started = Date.now();
    const reports = [await upsert(rows.slice(0, 5000)), await upsert(rows.slice(5000))];
    if (process.env.PRINT_TIMINGS) console.log(`the same 10,000 rows again in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(reports.map(({ created, updated, unchanged, rejected }) => ({ created, updated, unchanged, rejected })))
      .toEqual([{ created: 0, updated: 0, unchanged: 4850, rejected: 150 }, { created: 0, updated: 0, unchanged: 4850, rejected: 150 }]);
    expect(reports.flatMap((r) => r.rejections).map(({ rowNumber, column, code }) => ({ rowNumber, column, code }))).toEqual(expectedRejections);
    expect(await count('audit_log')).toBe(auditRowsAfterFirstImport);
    expect(await count('educator')).toBe(educatorsBefore + 9700);
  });

  test('changed cells make their row UPDATED, and only those fields change', async () => {
    const changed: Row = { ...rows[1], email: 'new.address@school.example', rate: '0,75' };
    const report = await upsert([rows[0], changed]);
    expect(report.rows.map((r) => r.outcome)).toEqual(['UNCHANGED', 'UPDATED']);
    const { educatorBySnils } = await admin.data(`query ($snils: String!) { educatorBySnils(snils: $snils) { email employments { rate } } }`, { snils: changed.snils });
    expect(educatorBySnils).toEqual({ email: 'new.address@school.example', employments: [{ rate: 0.75 }] });
    expect(await count('audit_log')).toBe(auditRowsAfterFirstImport + 2);
  });
});

describe('what a row may be', () => {
  test('a dry run reports what would happen and writes nothing', async () => {
    const before = { educators: await count('educator'), audit: await count('audit_log') };
    const report = await upsert([sheetRow(2), sheetRow(3), sheetRow(4, { snils: '123' })], { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, total: 3, created: 2, rejected: 1 });
    expect(report.rejections).toEqual([{ rowNumber: 4, column: 'snils', reason: 'must have 11 digits', code: 'BAD_USER_INPUT' }]);
    expect({ educators: await count('educator'), audit: await count('audit_log') }).toEqual(before);
  });

  test('a row without SNILS is rejected; the position in the request is its number when none is given', async () => {
    const { rowNumber: _a, ...first } = sheetRow(0);
    const { rowNumber: _b, snils: _c, ...second } = sheetRow(1);
    const report = await upsert([first, second]);
    expect(report.rows.map((r) => [r.rowNumber, r.outcome])).toEqual([[1, 'CREATED'], [2, 'REJECTED']]);
    expect(report.rejections).toEqual([{ rowNumber: 2, column: 'snils', reason: 'is required: rows are matched by SNILS', code: 'BAD_USER_INPUT' }]);
  });

  test('every bad cell of a row is reported, and the row changes nothing', async () => {
    const before = await count('educator');
    const report = await upsert([sheetRow(5, { birthDate: '31.02.1990', rate: '2,5', isMainJob: 'может быть', email: 'not-an-address', staffCategory: 'завхоз' })]);
    expect(report.rejections.map((r) => r.column).sort()).toEqual(['birthDate', 'email', 'isMainJob', 'rate', 'staffCategory']);
    expect(report.rejections.find((r) => r.column === 'rate')!.reason).toBe('must be at most 2');
    expect(await count('educator')).toBe(before);
  });

  test('pedagogical work must begin at least 14 years after birth, for a new educator and for an existing one', async () => {
    const row = sheetRow(6, { birthDate: '01.01.2000', pedagogicalWorkStartedOn: '01.09.2010' });
    const report = await upsert([row, { ...row, rowNumber: 7, pedagogicalWorkStartedOn: '01.09.2020' }, { rowNumber: 8, snils: row.snils, birthDate: '01.01.2010' }]);
    expect(report.rows.map((r) => r.outcome)).toEqual(['REJECTED', 'CREATED', 'REJECTED']);
    expect(report.rejections.map((r) => [r.rowNumber, r.column, r.reason])).toEqual([
      [6, 'pedagogicalWorkStartedOn', 'must be at least 14 years after birthDate'],
      [8, 'pedagogicalWorkStartedOn', 'must be at least 14 years after birthDate'],
    ]);
  });

  test('an existing educator is matched by SNILS in any spelling, and only the cells given change', async () => {
    const educator = await createEducator(admin, schools[0].id, { email: 'old@school.example' });
    const spelled = `${educator.snils.slice(0, 3)}-${educator.snils.slice(3, 6)}-${educator.snils.slice(6, 9)} ${educator.snils.slice(9)}`;
    const report = await upsert([{ snils: spelled, phone: '+7 (423) 222-33-44' }]);
    expect(report.rows).toEqual([{ rowNumber: 1, outcome: 'UPDATED', educatorId: educator.id, employmentId: null }]);
    const { educator: after } = await admin.data(`query ($id: ID!) { educator(id: $id) { fullName email phone } }`, { id: educator.id });
    expect(after).toEqual({ fullName: educator.fullName, email: 'old@school.example', phone: '+74232223344' });
    expect((await upsert([{ snils: spelled, phone: '+74232223344' }])).rows[0].outcome).toBe('UNCHANGED');
  });

  test('the employment is matched by organization, position (any case) and start: its rate, main job and end are updated', async () => {
    const row = sheetRow(9);
    const [created] = (await upsert([row])).rows;
    const report = await upsert([{ ...row, position: '  УЧИТЕЛЬ ', isMainJob: 'нет', endedOn: '31.05.2040' }]);
    expect(report.rows).toEqual([{ ...created, outcome: 'UPDATED' }]);
    const { educator } = await admin.data(`query ($id: ID!) { educator(id: $id) { employments { id position isMainJob endedOn } } }`, { id: created.educatorId });
    expect(educator.employments).toEqual([{ id: created.employmentId, position: 'Учитель', isMainJob: false, endedOn: '2040-05-31' }]);
  });

  test('two rows of one file for the same person: the second sees what the first did', async () => {
    const first = sheetRow(10, { startedOn: '01.09.2015', endedOn: '31.08.2020' });
    const second = { ...first, rowNumber: 11, organizationInn: schools[1].inn, startedOn: '01.09.2020', endedOn: '' };
    const third = { ...second, rowNumber: 12, rate: '0,25' };
    const report = await upsert([first, second, third]);
    expect(report.rows.map((r) => r.outcome)).toEqual(['CREATED', 'CREATED', 'UPDATED']);
    expect(new Set(report.rows.map((r) => r.educatorId)).size).toBe(1);
    expect(report.rows[2].employmentId).toBe(report.rows[1].employmentId);
  });

  test('the overlap rules of the registry hold: a second main job over the same days is a CONFLICT on isMainJob', async () => {
    const row = sheetRow(13);
    const report = await upsert([row, { ...row, rowNumber: 14, organizationInn: schools[5].inn }, { ...row, rowNumber: 15, organizationInn: schools[6].inn, isMainJob: 'совместительство' }]);
    expect(report.rows.map((r) => r.outcome)).toEqual(['CREATED', 'REJECTED', 'CREATED']);
    expect(report.rejections).toEqual([{ rowNumber: 14, column: 'isMainJob', code: 'CONFLICT', reason: expect.stringMatching(/already has a main job/) }]);
  });

  test('the same position in the same school over the same days from another start is a CONFLICT on startedOn', async () => {
    const row = sheetRow(16);
    const report = await upsert([row, { ...row, rowNumber: 17, isMainJob: 'нет', startedOn: '01.01.2099' }]);
    expect(report.rejections).toEqual([{ rowNumber: 17, column: 'startedOn', code: 'CONFLICT', reason: expect.stringMatching(/already holds this position here/) }]);
  });

  test('an organization is found by its code in the municipality; one of another municipality is refused', async () => {
    const report = await upsert([
      sheetRow(18, { organizationInn: '', organizationCode: 'SCH-7' }),
      sheetRow(19, { organizationInn: foreignSchool.inn }),
      sheetRow(20, { organizationInn: '', organizationCode: 'NO-SUCH' }),
      sheetRow(21, { organizationInn: schools[0].inn, organizationCode: 'SCH-7' }),
      sheetRow(22, { organizationInn: '', position: '' }),
    ]);
    const { educator } = await admin.data(`query ($id: ID!) { educator(id: $id) { employments { organization { id } } } }`, { id: report.rows[0].educatorId });
    expect(educator.employments).toEqual([{ organization: { id: codedSchool.id } }]);
    expect(report.rejections.map(({ rowNumber, column, code }) => [rowNumber, column, code])).toEqual([
      [19, 'organizationInn', 'FORBIDDEN'], [20, 'organizationCode', 'NOT_FOUND'], [21, 'organizationCode', 'BAD_USER_INPUT'],
      [22, 'organizationInn', 'BAD_USER_INPUT'], [22, 'position', 'BAD_USER_INPUT'],
    ]);
  });

  test('a new employment needs its category, rate and main-job cells', async () => {
    const report = await upsert([sheetRow(23, { staffCategory: '', rate: '', isMainJob: '' })]);
    expect(report.rejections.map((r) => [r.column, r.reason])).toEqual([
      ['staffCategory', 'is required for a new employment'], ['rate', 'is required for a new employment'], ['isMainJob', 'is required for a new employment'],
    ]);
  });

  test('external ids are kept per source; one already given to another educator is a CONFLICT', async () => {
    const a = sheetRow(24, { externalId: 'EMP-0001' });
    const b = sheetRow(25, { externalId: 'EMP-0001' });
    const report = await upsert([a, b, { ...b, rowNumber: 26, externalId: 'EMP-0002' }], { source: '1C:Зарплата' });
    expect(report.rows.map((r) => r.outcome)).toEqual(['CREATED', 'REJECTED', 'CREATED']);
    expect(report.rejections).toEqual([{ rowNumber: 25, column: 'externalId', code: 'CONFLICT', reason: 'is already the id of another educator in 1C:Зарплата' }]);
    const stored = await graph.db.staff('external_id').where({ source: '1C:Зарплата' }).orderBy('external_id').select('external_id', 'entity_type', 'entity_id');
    expect(stored).toEqual([
      { external_id: 'EMP-0001', entity_type: 'educator', entity_id: report.rows[0].educatorId },
      { external_id: 'EMP-0002', entity_type: 'educator', entity_id: report.rows[2].educatorId },
    ]);
    // The same id under another source is another system's: no conflict.
    expect((await upsert([{ ...b, rowNumber: 27 }], { source: 'АИС Сетевой город' })).rows[0].outcome).toBe('UPDATED');
    const { code, message } = await admin.error(upsertMutation, { input: { municipalityId: municipality.id, rows: [a] } });
    expect({ code, message }).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/input.source is required/) });
  });
});

describe('when another request gets there first', () => {
  /** Waits until some session of this test's database waits for a lock. */
  async function someoneWaitsForALock() {
    for (let i = 0; i < 200; i += 1) {
      const { rows } = await graph.db.staff.raw("select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
      if (rows[0].waiting > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('no session ever waited for a lock');
  }

  test('a row the database refuses (its SNILS registered meanwhile) is rejected alone, and the rest of the batch lands', async () => {
    const taken = freshSnils();
    const rows = [sheetRow(40), sheetRow(41, { snils: taken }), sheetRow(42)];
    // Another writer has registered the SNILS but not committed yet: the import cannot see it, and waits at the unique key.
    const other = await graph.db.staff.transaction();
    try {
      await other('educator').insert({ last_name: 'Другая', first_name: 'Запись', birth_date: '1980-01-01', snils: taken });
      const pending = upsert(rows);
      await someoneWaitsForALock();
      await other.commit();
      const report = await pending;
      expect(report.rows.map((r) => r.outcome)).toEqual(['CREATED', 'REJECTED', 'CREATED']);
      expect(report.rejections).toEqual([{ rowNumber: 41, column: 'snils', code: 'CONFLICT', reason: expect.stringMatching(/registered meanwhile/) }]);
      const stored = await graph.db.staff('educator').whereIn('snils', rows.map((r) => String(r.snils))).orderBy('snils').pluck('last_name');
      expect(stored.sort()).toEqual(['Другая', 'Петрова', 'Петрова']);
    } finally {
      if (!other.isCompleted()) await other.rollback();
    }
  });
});

describe('who may import, and how much', () => {
  test('an integration may import into its own municipality only; others get FORBIDDEN', async () => {
    const own = graph.as({ role: 'integration', municipalityId: municipality.id, subject: 'integration-own' });
    const other = graph.as({ role: 'integration', municipalityId: otherMunicipality.id, subject: 'integration-other' });
    expect((await upsert([sheetRow(30)], { client: own })).created).toBe(1);
    const before = await count('educator');
    expect((await other.error(upsertMutation, { input: { municipalityId: municipality.id, rows: [sheetRow(31)] } })).code).toBe('FORBIDDEN');
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: municipality.id, subject: 'methodist' });
    expect((await methodist.error(upsertMutation, { input: { municipalityId: municipality.id, rows: [sheetRow(32)] } })).code).toBe('FORBIDDEN');
    expect(await count('educator')).toBe(before);
  });

  test('an integration cannot create an educator without an employment, nor change one outside its municipality', async () => {
    const own = graph.as({ role: 'integration', municipalityId: municipality.id, subject: 'integration-own' });
    const elsewhere = await createEducator(admin, foreignSchool.id);
    const { organizationInn: _inn, position: _p, staffCategory: _c, rate: _r, isMainJob: _m, startedOn: _s, ...personOnly } = sheetRow(33);
    const report = await upsert([personOnly, { rowNumber: 34, snils: elsewhere.snils, email: 'x@y.example' }], { client: own });
    expect(report.rejections.map(({ rowNumber, column, code }) => [rowNumber, column, code])).toEqual([[33, null, 'FORBIDDEN'], [34, null, 'FORBIDDEN']]);
  });

  test('an unknown municipality is NOT_FOUND', async () => {
    const { code } = await admin.error(upsertMutation, { input: { municipalityId: '00000000-0000-4000-8000-000000000000', rows: [sheetRow(35)] } });
    expect(code).toBe('NOT_FOUND');
  });

  test('more than 5,000 rows are refused whole with BAD_USER_INPUT', async () => {
    const before = await count('educator');
    const rows = Array.from({ length: 5001 }, (_, i) => ({ rowNumber: i + 2, snils: snilsFor(700_000_000 + i), lastName: 'А', firstName: 'Б', birthDate: '01.01.1990' }));
    const { code, error } = await admin.error(upsertMutation, { input: { municipalityId: municipality.id, rows } });
    expect({ code, field: error.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'input.rows' });
    expect(await count('educator')).toBe(before);
  });
});
