import { subgraphs } from '@mms/gateway';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';

/**
 * Statistics (issue 22): the demo data of every subgraph (the Partizansk district, 60 educators) and a second small
 * municipality built here (7 educators: 3 of them holding the highest category, 2 early-career with a mentor), so that
 * grouping by municipality has two groups, one of them small. Each answer is checked against the lists it summarises.
 */
let graph: TestGraph;
let admin: Client;
let analyst: Client;
const small = {} as { municipality: string; school: string; kindergarten: string; educators: string[] };
const today = '2026-01-15';
const years = ['2023/2024', '2024/2025', '2025/2026'];

beforeAll(async () => {
  graph = await createTestGraph();
  for (const { name, demoSeed } of subgraphs) {
    if (demoSeed) await graph.db[name].transaction((trx) => demoSeed.seed(trx));
  }
  admin = graph.as(regionAdmin);
  analyst = graph.as({ role: 'analyst', subject: 'test-analyst' });
  small.municipality = (await createMunicipality(admin, { name: 'Я-посёлок' })).id;
  small.school = (await createOrganization(admin, small.municipality, { name: 'Я-школа' })).id;
  small.kindergarten = (await createOrganization(admin, small.municipality, { name: 'Я-сад', kind: 'KINDERGARTEN' })).id;
  small.educators = [];
  for (let i = 0; i < 7; i += 1) {
    const early = i < 2;
    const educator = await createEducator(admin, i < 5 ? small.school : small.kindergarten,
      { birthDate: early ? '2000-03-03' : '1980-03-03', pedagogicalWorkStartedOn: early ? '2023-09-01' : '2005-09-01' },
      { startedOn: early ? '2023-09-01' : '2010-09-01', position: i < 5 ? 'учитель' : 'воспитатель' });
    small.educators.push(educator.id);
    if (i >= 2 && i < 5) {
      await admin.data(`mutation ($input: RecordCategoryAwardInput!) { recordCategoryAward(input: $input) { id } }`, {
        input: { educatorId: educator.id, category: 'HIGHEST', position: 'учитель', awardedOn: '2024-02-01', orderNumber: `${i}-к`, orderDate: '2024-02-01' },
      });
    }
  }
  // The two early-career educators get a mentor from 2024-10-01 (so not in 2023/2024).
  for (const mentee of small.educators.slice(0, 2)) {
    await admin.data(`mutation ($input: StartMentorshipInput!) { startMentorship(input: $input) { id } }`, {
      input: { mentorId: small.educators[2], menteeId: mentee, form: 'EXPERIENCED_YOUNG_SPECIALIST', startedOn: '2024-10-01' },
    });
  }
}, 120_000);
afterAll(() => graph.close());

interface Row { values: (string | null)[]; labels: string[]; count: number | null; educators: number | null; share: number | null; denominator: number | null; sum: number | null; average: number | null; isSuppressed: boolean }
const rowFields = 'values labels count educators share denominator sum average isSuppressed';

async function municipalities(): Promise<{ id: string; name: string }[]> {
  return (await admin.data(`{ municipalities { id name } }`)).municipalities;
}

/** Every educator of a list, page by page. */
async function everyEducator<T>(client: Client, filter: Record<string, unknown>, fields: string): Promise<T[]> {
  const all: T[] = [];
  let after: string | null = null;
  for (;;) {
    const { educators }: { educators: { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await client.data(
      `query ($filter: EducatorFilter, $after: String) { educators(first: 200, after: $after, filter: $filter) { nodes { ${fields} } pageInfo { hasNextPage endCursor } } }`,
      { filter, after });
    all.push(...educators.nodes);
    if (!educators.pageInfo.hasNextPage) return all;
    after = educators.pageInfo.endCursor;
  }
}

describe('question 1: how many educators hold the highest category, per municipality (one request)', () => {
  const query = `query ($on: Date!) {
    statistics(subject: EDUCATORS, measures: [EDUCATORS], groupBy: [MUNICIPALITY], on: $on,
               filter: [{ dimension: CATEGORY, values: ["HIGHEST"] }]) {
      subject measures groupBy smallCellThreshold suppressedCount rows { ${rowFields} } total { ${rowFields} } } }`;

  test('each municipality\'s number equals the educators of its list whose category in force that day is the highest', async () => {
    const { statistics } = await admin.data(query, { on: today });
    expect(statistics).toMatchObject({ subject: 'EDUCATORS', measures: ['EDUCATORS'], groupBy: ['MUNICIPALITY'], smallCellThreshold: null, suppressedCount: 0 });
    let sum = 0;
    for (const municipality of await municipalities()) {
      const list = await everyEducator<{ id: string; category: { category: string } | null }>(admin,
        { municipalityId: municipality.id, employedOn: today }, `id category(on: "${today}") { category }`);
      const highest = list.filter((educator) => educator.category?.category === 'HIGHEST').length;
      // The same list filtered by the category in force (EducatorFilter.category), counted without paging.
      const { educators } = await admin.data(`query ($m: ID!) { educators(first: 1, filter: { municipalityId: $m, employedOn: "${today}", category: HIGHEST }) { totalCount } }`,
        { m: municipality.id });
      expect(educators.totalCount).toBe(highest);
      const row = (statistics.rows as Row[]).find((r) => r.values[0] === municipality.id);
      if (highest === 0) expect(row).toBeUndefined();
      else expect(row).toMatchObject({ labels: [municipality.name], educators: highest, isSuppressed: false });
      sum += highest;
    }
    expect(sum).toBeGreaterThan(3);
    expect(statistics.rows.find((r: Row) => r.values[0] === small.municipality).educators).toBe(3);
    // Nobody works in two municipalities here: the total is the sum.
    expect(statistics.total.educators).toBe(sum);
  });

  test('grouped by municipality × category, the HIGHEST column is the same and the drill-down lists those educators', async () => {
    const { statistics } = await admin.data(`{ statistics(subject: EDUCATORS, measures: [COUNT, EDUCATORS], groupBy: [MUNICIPALITY, CATEGORY], on: "${today}") {
      rows { ${rowFields} } total { ${rowFields} } } }`);
    const cell = (statistics.rows as Row[]).find((r) => r.values[0] === small.municipality && r.values[1] === 'HIGHEST')!;
    expect(cell).toMatchObject({ labels: ['Я-посёлок', 'высшая'], educators: 3, count: 3 });
    const none = (statistics.rows as Row[]).find((r) => r.values[0] === small.municipality && r.values[1] === null)!;
    expect(none).toMatchObject({ labels: ['Я-посёлок', 'не указано'], educators: 4 });
    const { statisticsEducators } = await admin.data(`query ($cell: [StatisticsConditionInput!]) {
      statisticsEducators(subject: EDUCATORS, on: "${today}", cell: $cell, first: 2) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`,
    { cell: [{ dimension: 'MUNICIPALITY', values: [small.municipality] }, { dimension: 'CATEGORY', values: ['HIGHEST'] }] });
    expect(statisticsEducators.totalCount).toBe(3);
    expect(statisticsEducators.pageInfo.hasNextPage).toBe(true);
    const next = await admin.data(`query ($cell: [StatisticsConditionInput!], $after: String) {
      statisticsEducators(subject: EDUCATORS, on: "${today}", cell: $cell, first: 2, after: $after) { nodes { id } } }`,
    { cell: [{ dimension: 'MUNICIPALITY', values: [small.municipality] }, { dimension: 'CATEGORY', values: ['HIGHEST'] }], after: statisticsEducators.pageInfo.endCursor });
    expect([...statisticsEducators.nodes, ...next.statisticsEducators.nodes].map((n: { id: string }) => n.id).sort())
      .toEqual(small.educators.slice(2, 5).sort());
  });
});

describe('question 2: share of early-career educators with a mentor, by municipality, for the last three years (one request)', () => {
  const query = `query ($years: [AcademicYear!]) {
    statistics(subject: MENTORSHIPS, measures: [SHARE, EDUCATORS], groupBy: [MUNICIPALITY, ACADEMIC_YEAR], academicYears: $years,
               filter: [{ dimension: EARLY_CAREER, values: ["true"] }]) { rows { ${rowFields} } total { ${rowFields} } } }`;

  test('each share equals, in the list of the early-career educators of that municipality and year, those who were a mentee during it', async () => {
    const { statistics } = await admin.data(query, { years });
    let checked = 0;
    for (const municipality of await municipalities()) {
      for (const year of years) {
        const list = await everyEducator<{ id: string; mentorships: { menteeId: string; startedOn: string; endedOn: string | null }[] }>(admin,
          { municipalityId: municipality.id, employedDuring: year, earlyCareer: true }, 'id mentorships { menteeId startedOn endedOn }');
        const [from, to] = [`${year.slice(0, 4)}-09-01`, `${year.slice(5)}-08-31`];
        const mentored = list.filter((educator) => educator.mentorships.some((m) =>
          m.menteeId === educator.id && m.startedOn <= to && (m.endedOn === null || m.endedOn >= from))).length;
        const row = (statistics.rows as Row[]).find((r) => r.values[0] === municipality.id && r.values[1] === year);
        if (list.length === 0) {
          expect(row).toBeUndefined();
          continue;
        }
        expect(row).toMatchObject({ denominator: list.length, educators: mentored, share: Math.round((1000 * mentored) / list.length) / 10 });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
    const mine = (statistics.rows as Row[]).filter((r) => r.values[0] === small.municipality);
    expect(mine.map((r) => [r.values[1], r.share, r.denominator])).toEqual([['2023/2024', 0, 2], ['2024/2025', 100, 2], ['2025/2026', 100, 2]]);
  });
});

describe('measures, dimensions and refusals', () => {
  test('sum and average of a numeric fact; employments by organization kind', async () => {
    const { statistics } = await admin.data(`query ($m: ID!) { statistics(subject: EMPLOYMENTS, measures: [COUNT, SUM, AVERAGE], groupBy: [ORGANIZATION_KIND],
      on: "${today}", scope: { municipalityId: $m }) { rows { ${rowFields} } total { ${rowFields} } } }`, { m: small.municipality });
    expect(statistics.rows).toEqual([
      expect.objectContaining({ values: ['KINDERGARTEN'], labels: ['детский сад'], count: 2, sum: 2, average: 1 }),
      expect.objectContaining({ values: ['SCHOOL'], labels: ['школа'], count: 5, sum: 5, average: 1 }),
    ]);
    expect(statistics.total).toMatchObject({ count: 7, sum: 7, educators: null });
    // A position is matched as the registry matches it: case and surrounding spaces ignored.
    const teachers = await admin.data(`query ($m: ID!) { statistics(subject: EDUCATORS, measures: [EDUCATORS], groupBy: [POSITION], on: "${today}",
      scope: { municipalityId: $m }, filter: [{ dimension: POSITION, values: [" Учитель "] }]) { rows { values educators } } }`, { m: small.municipality });
    expect(teachers.statistics.rows).toEqual([{ values: ['учитель'], educators: 5 }]);
  });

  test.each([
    ['SHARE of EDUCATORS', 'subject: EDUCATORS, measures: [SHARE], on: "2026-01-15"', 'measures'],
    ['a dimension the subject lacks', 'subject: EDUCATORS, measures: [COUNT], groupBy: [COMPETENCY], on: "2026-01-15"', 'groupBy'],
    ['SUM of a subject without a numeric fact', 'subject: MENTORSHIPS, measures: [SUM], on: "2026-01-15"', 'measures'],
    ['SHARE grouped by a fact dimension', 'subject: COMPLETIONS, measures: [SHARE], groupBy: [PROGRAM_KIND], academicYear: "2024/2025"', 'measures'],
    ['several years without ACADEMIC_YEAR', 'subject: SUPPORT, measures: [COUNT], academicYears: ["2023/2024", "2024/2025"]', 'groupBy'],
    ['ACADEMIC_YEAR on a day', 'subject: SUPPORT, measures: [COUNT], groupBy: [ACADEMIC_YEAR], on: "2026-01-15"', 'groupBy'],
  ])('%s is refused with INVALID_COMBINATION', async (_, args, field) => {
    const { code, error } = await admin.error(`{ statistics(${args}) { total { count } } }`);
    expect(code).toBe('BAD_USER_INPUT');
    expect(error.extensions).toMatchObject({ reason: 'INVALID_COMBINATION', field });
  });

  test.each([
    ['no period', 'subject: EDUCATORS, measures: [COUNT]', 'on'],
    ['two periods', 'subject: EDUCATORS, measures: [COUNT], on: "2026-01-15", academicYear: "2025/2026"', 'on'],
    ['no measure', 'subject: EDUCATORS, measures: [], on: "2026-01-15"', 'measures'],
    ['four dimensions', 'subject: EDUCATORS, measures: [COUNT], groupBy: [REGION, MUNICIPALITY, ORGANIZATION, POSITION], on: "2026-01-15"', 'groupBy'],
    ['a value not of the dimension', 'subject: EDUCATORS, measures: [COUNT], on: "2026-01-15", filter: [{ dimension: CATEGORY, values: ["TOP"] }]', 'filter.0.values'],
    ['an id that is not one', 'subject: EDUCATORS, measures: [COUNT], on: "2026-01-15", filter: [{ dimension: MUNICIPALITY, values: ["x"] }]', 'filter.0.values'],
  ])('%s is BAD_USER_INPUT naming the field', async (_, args, field) => {
    const { code, error } = await admin.error(`{ statistics(${args}) { total { count } } }`);
    expect(code).toBe('BAD_USER_INPUT');
    expect(error.extensions?.field).toBe(field);
  });
});

describe('the list filters statistics need (EducatorFilter)', () => {
  test('category in force, staff category and organization kind answer as the statistics count', async () => {
    const count = async (filter: Record<string, unknown>) =>
      (await admin.data(`query ($f: EducatorFilter) { educators(first: 1, filter: $f) { totalCount } }`, { f: { municipalityId: small.municipality, ...filter } })).educators.totalCount;
    expect(await count({ organizationKind: 'KINDERGARTEN', employedOn: today })).toBe(2);
    expect(await count({ organizationKind: 'SCHOOL' })).toBe(5);
    expect(await count({ staffCategory: 'PEDAGOGICAL', employedDuring: '2025/2026' })).toBe(7);
    expect(await count({ staffCategory: 'MANAGERIAL' })).toBe(0);
    // Awarded on 2024-02-01: not yet in force on 2024-01-31; FIRST is nobody's.
    expect(await count({ category: 'HIGHEST', employedOn: '2024-01-31' })).toBe(0);
    expect(await count({ category: 'HIGHEST', employedDuring: '2024/2025' })).toBe(3);
    expect(await count({ category: 'FIRST', employedOn: today })).toBe(0);
    // Early career and under 35 on a year (its 1 September), as statistics count them.
    expect(await count({ earlyCareer: true, under35: true, employedDuring: '2025/2026' })).toBe(2);
    const { statistics } = await admin.data(`query ($m: ID!) { statistics(subject: EDUCATORS, measures: [EDUCATORS], groupBy: [ORGANIZATION_KIND, STAFF_CATEGORY],
      on: "${today}", scope: { municipalityId: $m }) { rows { values educators } } }`, { m: small.municipality });
    expect(statistics.rows).toEqual([{ values: ['KINDERGARTEN', 'PEDAGOGICAL'], educators: 2 }, { values: ['SCHOOL', 'PEDAGOGICAL'], educators: 5 }]);
  });

  test('a higher category in force hides the lower one; a bad value is refused', async () => {
    const [educator] = small.educators.slice(3, 4);
    await admin.data(`mutation ($input: RecordCategoryAwardInput!) { recordCategoryAward(input: $input) { id } }`, {
      input: { educatorId: educator, category: 'MENTOR', position: 'учитель', awardedOn: '2026-01-16', orderNumber: 'н-1', orderDate: '2026-01-16' },
    });
    const highest = async (on: string) => (await admin.data(`query ($m: ID!, $on: Date!) { educators(first: 5, filter: { municipalityId: $m, employedOn: $on, category: HIGHEST }) {
      totalCount } }`, { m: small.municipality, on })).educators.totalCount;
    // In force from 2026-01-16, the day after `today` (so the other tests' answers stay as they are).
    expect(await highest(today)).toBe(3);
    expect(await highest('2026-01-20')).toBe(2);
    const { statistics } = await admin.data(`query ($m: ID!) { statistics(subject: EDUCATORS, measures: [EDUCATORS], groupBy: [CATEGORY], on: "2026-01-20",
      scope: { municipalityId: $m }) { rows { values educators } } }`, { m: small.municipality });
    expect(statistics.rows).toEqual([{ values: ['HIGHEST'], educators: 2 }, { values: ['MENTOR'], educators: 1 }, { values: [null], educators: 4 }]);
    expect((await admin.error(`{ educators(first: 1, filter: { category: TOP }) { totalCount } }`)).code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('scope and small cells', () => {
  test('a municipality\'s methodist counts their municipality only, and may not ask for the region', async () => {
    const methodist = graph.as({ role: 'municipality_methodist', subject: 'test-m', municipalityId: small.municipality });
    const { statistics } = await methodist.data(`{ statistics(subject: EDUCATORS, measures: [EDUCATORS], groupBy: [MUNICIPALITY], on: "${today}") { rows { values educators } total { educators } } }`);
    expect(statistics).toEqual({ rows: [{ values: [small.municipality], educators: 7 }], total: { educators: 7 } });
    expect((await methodist.error(`{ statistics(subject: EDUCATORS, measures: [COUNT], on: "${today}", scope: { region: true }) { total { count } } }`)).code).toBe('FORBIDDEN');
    expect((await graph.as({ role: 'educator', subject: 'e', educatorId: small.educators[0] })
      .error(`{ statistics(subject: EDUCATORS, measures: [COUNT], on: "${today}") { total { count } } }`)).code).toBe('FORBIDDEN');
  });

  test('an analyst sees groups under 5 suppressed, with a second group suppressed so that the total does not give it back', async () => {
    const ask = `{ statistics(subject: EDUCATORS, measures: [EDUCATORS], groupBy: [MUNICIPALITY], on: "${today}", filter: [{ dimension: CATEGORY, values: ["HIGHEST"] }]) {
      smallCellThreshold suppressedCount rows { ${rowFields} } total { ${rowFields} } } }`;
    const seen = (await analyst.data(ask)).statistics;
    const full = (await admin.data(ask)).statistics;
    expect(seen.smallCellThreshold).toBe(5);
    const smallRow = (seen.rows as Row[]).find((r) => r.values[0] === small.municipality)!;
    expect(smallRow).toMatchObject({ educators: null, isSuppressed: true });
    // Two groups: the small one (3) and the demo district, which is suppressed too (a lone suppressed cell would be
    // the total minus the other).
    expect(seen.rows).toHaveLength(2);
    expect(seen.suppressedCount).toBe(2);
    expect((seen.rows as Row[]).every((r) => r.isSuppressed && r.educators === null)).toBe(true);
    expect(seen.total.educators).toBe(full.total.educators);
    // The drill-down of the small cell is refused; the region admin gets it.
    const cell = [{ dimension: 'MUNICIPALITY', values: [small.municipality] }, { dimension: 'CATEGORY', values: ['HIGHEST'] }];
    const drill = `query ($cell: [StatisticsConditionInput!]) { statisticsEducators(subject: EDUCATORS, on: "${today}", cell: $cell) { totalCount nodes { id } } }`;
    const refused = await analyst.error(drill, { cell });
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.error.extensions?.reason).toBe('SMALL_CELL');
    expect((await admin.data(drill, { cell })).statisticsEducators.totalCount).toBe(3);
    // A large cell answers the analyst with ids (pseudonymous: no names).
    const large = await analyst.run(`{ statisticsEducators(subject: EDUCATORS, on: "${today}", first: 3) { totalCount nodes { id fullName } } }`);
    expect(large.data?.statisticsEducators.totalCount).toBeGreaterThan(60);
    expect(large.data?.statisticsEducators.nodes[0].fullName).toBeNull();
    expect(large.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('an analyst counts age and early career on a 1 September only', async () => {
    const refused = await analyst.error(`{ statistics(subject: EDUCATORS, measures: [COUNT], groupBy: [AGE_BAND], on: "${today}") { total { count } } }`);
    expect(refused.code).toBe('FORBIDDEN');
    const { statistics } = await analyst.data(`{ statistics(subject: EDUCATORS, measures: [COUNT], groupBy: [UNDER_35], academicYear: "2025/2026") { rows { values count isSuppressed } } }`);
    expect(statistics.rows.map((r: Row) => r.values[0])).toEqual(['false', 'true']);
  });
});

describe('every subject and dimension answers, each request one SQL statement', () => {
  const subjectDimensions: Record<string, string[]> = {
    EDUCATORS: [], EMPLOYMENTS: [], CATEGORY_AWARDS: ['MONTH'], COMPLETIONS: ['COMPETENCY', 'PROGRAM_KIND', 'FEDERAL_REGISTRY', 'MONTH'],
    DIAGNOSTICS: ['MONTH'], DIAGNOSTIC_SCORES: ['COMPETENCY', 'MONTH'], DEFICITS: ['COMPETENCY', 'MONTH'], ROUTES: ['STATUS'],
    MENTORSHIPS: ['FORM'], SUPPORT: ['FORM', 'MONTH'], PARTICIPATIONS: ['EVENT_KIND', 'EVENT_LEVEL', 'ROLE', 'MONTH'],
    APPLICATIONS: ['STATUS', 'EVENT_LEVEL', 'MONTH'], RESULTS: ['EVENT_LEVEL', 'OUTCOME', 'FINAL_STAGE', 'MONTH'],
  };
  const educatorDimensions = ['REGION', 'MUNICIPALITY', 'ORGANIZATION', 'ORGANIZATION_KIND', 'POSITION', 'STAFF_CATEGORY', 'CATEGORY',
    'AGE_BAND', 'EXPERIENCE_BAND', 'EARLY_CAREER', 'UNDER_35', 'ACADEMIC_YEAR'];

  test.each(Object.entries(subjectDimensions))('%s by each of its dimensions', async (subject, own) => {
    for (const dimension of [...educatorDimensions, ...own]) {
      const { statistics } = await admin.data(`{ statistics(subject: ${subject}, measures: [COUNT, EDUCATORS], groupBy: [${dimension}],
        academicYear: "2025/2026") { rows { values labels count educators } total { count educators } } }`);
      const counted = (statistics.rows as Row[]).reduce((sum, row) => sum + row.count!, 0);
      // Every row is somewhere: the groups hold at least the total (more when a row falls in several groups).
      expect(counted).toBeGreaterThanOrEqual(statistics.total.count);
      for (const row of statistics.rows as Row[]) expect(row.labels[0]).toEqual(expect.any(String));
    }
    // The demo data hold rows of every subject in these three years.
    const { statistics } = await admin.data(`{ statistics(subject: ${subject}, measures: [COUNT], groupBy: [ACADEMIC_YEAR],
      academicYears: ["2024/2025", "2025/2026", "2026/2027"]) { rows { count } total { count } } }`);
    expect(statistics.total.count).toBeGreaterThan(0);
    expect((statistics.rows as Row[]).reduce((sum, row) => sum + row.count!, 0)).toBeGreaterThanOrEqual(statistics.total.count);
  });

  test('one statement whatever the grouping', async () => {
    for (const groupBy of ['[]', '[MUNICIPALITY]', '[MUNICIPALITY, CATEGORY, AGE_BAND]']) {
      const statements = await graph.countSql(() => admin.data(`{ statistics(subject: COMPLETIONS, measures: [COUNT, SHARE], groupBy: ${groupBy},
        academicYear: "2024/2025") { rows { count share } total { count } } }`));
      expect(statements).toBe(1);
    }
  });
});

describe('competition results and help requests', () => {
  test('RESULTS: the final stage\'s results by outcome, with the average score, equal the competitions\' final results', async () => {
    const { competitions } = await admin.data(`{ competitions { id finalResults { outcome score educator { id } } } }`);
    const results = (competitions as { finalResults: { outcome: string; score: number | null; educator: { id: string } }[] }[]).flatMap((c) => c.finalResults);
    expect(results.length).toBeGreaterThan(0);
    // The demo competition («Педагог года — 2026») is held in January–March 2026: the academic year 2025/2026.
    const { statistics } = await admin.data(`{ statistics(subject: RESULTS, measures: [COUNT, EDUCATORS, AVERAGE], groupBy: [OUTCOME],
      academicYear: "2025/2026", filter: [{ dimension: FINAL_STAGE, values: ["true"] }]) { rows { ${rowFields} } total { ${rowFields} } } }`);
    const outcomes = [...new Set(results.map((r) => r.outcome))].sort();
    expect((statistics.rows as Row[]).map((row) => row.values[0])).toEqual(outcomes);
    for (const row of statistics.rows as Row[]) {
      const these = results.filter((r) => r.outcome === row.values[0]);
      expect(row.count).toBe(these.length);
      expect(row.educators).toBe(new Set(these.map((r) => r.educator.id)).size);
      expect(row.labels[0]).toMatch(/победитель|призёр|участник/);
    }
    const scores = results.map((r) => r.score).filter((v): v is number => v !== null);
    expect(statistics.total.count).toBe(results.length);
    expect(statistics.total.average).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 2);
    // Every stage's results: the final stage's and the earlier ones', split by FINAL_STAGE.
    const byStage = await admin.data(`{ statistics(subject: RESULTS, measures: [COUNT], groupBy: [FINAL_STAGE], academicYear: "2025/2026") {
      rows { values count } total { count } } }`);
    expect(byStage.statistics.rows.find((row: Row) => row.values[0] === 'true').count).toBe(results.length);
    expect(byStage.statistics.rows.reduce((sum: number, row: Row) => sum + row.count!, 0)).toBe(byStage.statistics.total.count);
    const before = await admin.data(`{ statistics(subject: RESULTS, measures: [COUNT], academicYear: "2024/2025") { total { count } } }`);
    expect(before.statistics.total.count).toBe(0);
  });

  test('HELP_REQUESTS: by kind, status, requester, municipality and month, equal to the list of requests; the rating averaged', async () => {
    const { helpRequests } = await admin.data(`{ helpRequests(first: 200) { municipalityId kind status filedOn rating } }`);
    const year = (helpRequests as { filedOn: string; rating: number | null; kind: string }[]).filter((r) => r.filedOn >= '2026-09-01' && r.filedOn <= '2027-08-31');
    expect(year.length).toBeGreaterThan(0);
    for (const [dimension, of] of [['REQUEST_KIND', (r: any) => r.kind], ['STATUS', (r: any) => r.status], ['MUNICIPALITY', (r: any) => r.municipalityId],
      ['MONTH', (r: any) => r.filedOn.slice(0, 7)]] as const) {
      const { statistics } = await admin.data(`{ statistics(subject: HELP_REQUESTS, measures: [COUNT], groupBy: [${dimension}], academicYear: "2026/2027") {
        rows { values labels count educators isSuppressed } total { count educators } } }`);
      const expected = new Map<string, number>();
      for (const request of year) expected.set(of(request), (expected.get(of(request)) ?? 0) + 1);
      expect(Object.fromEntries((statistics.rows as Row[]).map((row) => [row.values[0], row.count]))).toEqual(Object.fromEntries(expected));
      expect(statistics.total).toEqual({ count: year.length, educators: null });
      for (const row of statistics.rows as Row[]) expect(row.labels[0]).toEqual(expect.any(String));
    }
    const { statistics } = await admin.data(`{ statistics(subject: HELP_REQUESTS, measures: [COUNT, SUM, AVERAGE], groupBy: [REQUESTER_KIND],
      academicYear: "2026/2027") { rows { values labels count } total { count sum average } } }`);
    expect((statistics.rows as Row[]).map((row) => row.labels[0])).toEqual(expect.arrayContaining(['организация']));
    const rated = year.map((r) => r.rating).filter((v): v is number => v !== null);
    expect(statistics.total).toEqual({ count: year.length, sum: rated.reduce((a, b) => a + b, 0), average: rated.reduce((a, b) => a + b, 0) / rated.length });
    // Filtered by kind, and scoped to a municipality without requests.
    const consultations = await admin.data(`{ statistics(subject: HELP_REQUESTS, measures: [COUNT], academicYear: "2026/2027",
      filter: [{ dimension: REQUEST_KIND, values: ["CONSULTATION"] }]) { total { count } } }`);
    expect(consultations.statistics.total.count).toBe(year.filter((r: any) => r.kind === 'CONSULTATION').length);
    const none = await admin.data(`query ($m: ID!) { statistics(subject: HELP_REQUESTS, measures: [COUNT], academicYear: "2026/2027", scope: { municipalityId: $m }) {
      total { count } } }`, { m: small.municipality });
    expect(none.statistics.total.count).toBe(0);
    // One statement.
    expect(await graph.countSql(() => admin.data(`{ statistics(subject: HELP_REQUESTS, measures: [COUNT], groupBy: [MUNICIPALITY, STATUS],
      academicYear: "2026/2027") { rows { count } } }`))).toBe(1);
  });

  test('an analyst sees fewer than 5 help requests of a group suppressed, as for educators', async () => {
    const { statistics } = await analyst.data(`{ statistics(subject: HELP_REQUESTS, measures: [COUNT], groupBy: [REQUEST_KIND], academicYear: "2026/2027") {
      smallCellThreshold suppressedCount rows { count isSuppressed } total { count isSuppressed } } }`);
    expect(statistics.smallCellThreshold).toBe(5);
    // The demo's five requests (one filed by an association): every kind is a small cell; the total is one when under 5.
    expect((statistics.rows as Row[]).every((row) => row.isSuppressed && row.count === null)).toBe(true);
    expect(statistics.suppressedCount).toBe(statistics.rows.length);
    const all = await admin.data(`{ statistics(subject: HELP_REQUESTS, measures: [COUNT], academicYear: "2026/2027") { total { count } } }`);
    const n = all.statistics.total.count as number;
    expect(n).toBeGreaterThan(0);
    expect(statistics.total).toEqual(n < 5 ? { count: null, isSuppressed: true } : { count: n, isSuppressed: false });
  });

  test.each([
    ['EDUCATORS of HELP_REQUESTS', 'subject: HELP_REQUESTS, measures: [EDUCATORS], academicYear: "2026/2027"', 'measures'],
    ['SHARE of HELP_REQUESTS', 'subject: HELP_REQUESTS, measures: [SHARE], academicYear: "2026/2027"', 'measures'],
    ['an educator dimension of HELP_REQUESTS', 'subject: HELP_REQUESTS, measures: [COUNT], groupBy: [CATEGORY], academicYear: "2026/2027"', 'groupBy'],
    ['OUTCOME of APPLICATIONS', 'subject: APPLICATIONS, measures: [COUNT], groupBy: [OUTCOME], academicYear: "2025/2026"', 'groupBy'],
    ['SHARE of RESULTS by OUTCOME', 'subject: RESULTS, measures: [SHARE], groupBy: [OUTCOME], academicYear: "2025/2026"', 'measures'],
  ])('%s is refused with INVALID_COMBINATION', async (_, args, field) => {
    const { code, error } = await admin.error(`{ statistics(${args}) { total { count } } }`);
    expect(code).toBe('BAD_USER_INPUT');
    expect(error.extensions).toMatchObject({ reason: 'INVALID_COMBINATION', field });
  });

  test('help requests have no educators to drill down to; a bad outcome is refused', async () => {
    const { code, error } = await admin.error(`{ statisticsEducators(subject: HELP_REQUESTS, academicYear: "2026/2027") { totalCount } }`);
    expect(code).toBe('BAD_USER_INPUT');
    expect(error.extensions).toMatchObject({ reason: 'INVALID_COMBINATION', field: 'subject' });
    const outcome = await admin.error(`{ statistics(subject: RESULTS, measures: [COUNT], academicYear: "2025/2026",
      filter: [{ dimension: OUTCOME, values: ["CHAMPION"] }]) { total { count } } }`);
    expect(outcome.code).toBe('BAD_USER_INPUT');
    expect(outcome.error.extensions?.field).toBe('filter.0.values');
    // SHARE of RESULTS by an educator dimension: the share of the population with a result.
    const { statistics } = await admin.data(`{ statistics(subject: RESULTS, measures: [SHARE, EDUCATORS], groupBy: [MUNICIPALITY], academicYear: "2025/2026") {
      rows { educators share denominator } } }`);
    for (const row of statistics.rows as Row[]) expect(row.share).toBeCloseTo(Math.round((1000 * row.educators!) / row.denominator!) / 10, 1);
  });
});
