import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { assignToMethodist, grantRegionalMethodist, sorted, startEmployment, valueOf, valuesOf } from './helpers';

/**
 * Indicators 5 and 6 (regional methodists) and the population rule, on a small world built through the staff
 * subgraph's mutations. Answers worked out by hand below.
 *
 * Municipality A: organizations A1, A2. Municipality B: organization B1. Municipality C: no organizations' staff.
 *   e1  A1 from 2020-09-01                         assigned to e6 from 2024-10-01
 *   e2  A1 from 2020-09-01, and A2 (part-time)     assigned to e6 from 2024-10-01 and to e5 from 2024-10-01
 *   e3  A2 2020-09-01 – 2025-01-31 (left mid-year)
 *   e4  A1 2020-09-01 – 2024-06-30 (left before the year)
 *   e6  A2 from 2020-09-01; regional methodist from 2024-09-01
 *   e7  A1 from 2025-03-01 (came mid-year)
 *   e5  B1 from 2020-09-01; regional methodist from 2024-01-10
 *   b2  B1 from 2020-09-01                         assigned to e5 from 2024-10-01
 *
 * Population 2024/2025: A1 {e1, e2, e7} = 3; A2 {e2, e3, e6} = 3; A {e1, e2, e3, e6, e7} = 5 (e2 once, e3 who left
 * in January counts, e4 who left in June 2024 does not); B1 = B {e5, b2} = 2; C = 0; region = 7.
 */
let graph: TestGraph;
let admin: Client;
const w = {} as Record<'A' | 'B' | 'C' | 'A1' | 'A2' | 'B1' | 'e1' | 'e2' | 'e3' | 'e4' | 'e5' | 'e6' | 'e7' | 'b2', string>;
const year = '2024/2025';

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.A = (await createMunicipality(admin, { name: 'А-город' })).id;
  w.B = (await createMunicipality(admin, { name: 'Б-район' })).id;
  w.C = (await createMunicipality(admin, { name: 'В-посёлок' })).id;
  w.A1 = (await createOrganization(admin, w.A, { name: 'А1 школа' })).id;
  w.A2 = (await createOrganization(admin, w.A, { name: 'А2 гимназия' })).id;
  w.B1 = (await createOrganization(admin, w.B, { name: 'Б1 школа' })).id;
  await createOrganization(admin, w.C, { name: 'В1 школа' });
  w.e1 = (await createEducator(admin, w.A1)).id;
  w.e2 = (await createEducator(admin, w.A1)).id;
  await startEmployment(admin, w.e2, w.A2);
  w.e3 = (await createEducator(admin, w.A2, {}, { endedOn: '2025-01-31' })).id;
  w.e4 = (await createEducator(admin, w.A1, {}, { endedOn: '2024-06-30' })).id;
  w.e6 = (await createEducator(admin, w.A2)).id;
  w.e7 = (await createEducator(admin, w.A1, {}, { startedOn: '2025-03-01' })).id;
  w.e5 = (await createEducator(admin, w.B1)).id;
  w.b2 = (await createEducator(admin, w.B1)).id;
  await grantRegionalMethodist(admin, w.e6, '2024-09-01');
  await grantRegionalMethodist(admin, w.e5, '2024-01-10');
  await assignToMethodist(admin, w.e6, w.e1, '2024-10-01');
  await assignToMethodist(admin, w.e6, w.e2, '2024-10-01');
  await assignToMethodist(admin, w.e5, w.e2, '2024-10-01');
  await assignToMethodist(admin, w.e5, w.b2, '2024-10-01');
}, 60_000);
afterAll(() => graph.close());

describe('5. share of educators with the status of regional methodist', () => {
  test.each([
    ['region', { region: true }, 2, 7, 28.6],
    ['A: e2 of two organizations once, e3 who left mid-year counted, e4 who left before not', { municipalityId: 'A' }, 1, 5, 20],
    ['A1', { organizationId: 'A1' }, 0, 3, 0],
    ['A2', { organizationId: 'A2' }, 1, 3, 33.3],
    ['B', { municipalityId: 'B' }, 1, 2, 50],
  ] as const)('%s', async (_, scope, numerator, denominator, value) => {
    const asked = 'region' in scope ? scope : 'municipalityId' in scope ? { municipalityId: w[scope.municipalityId] } : { organizationId: w[scope.organizationId] };
    const seen = await valueOf(admin, asked, year, 'REGIONAL_METHODISTS_SHARE');
    expect(seen).toMatchObject({ numerator, denominator, value, unit: '%', reason: null, isYes: null });
    expect(seen.numeratorIds).toHaveLength(numerator);
    expect(seen.denominatorIds).toHaveLength(denominator);
  });

  test('the drill-down lists are the educators behind the numbers', async () => {
    const seen = await valueOf(admin, { municipalityId: w.A }, year, 'REGIONAL_METHODISTS_SHARE');
    expect(seen.numeratorIds).toEqual([w.e6]);
    expect(seen.denominatorIds).toEqual(sorted(w.e1, w.e2, w.e3, w.e6, w.e7));
    const region = await valueOf(admin, { region: true }, year, 'REGIONAL_METHODISTS_SHARE');
    expect(region.numeratorIds).toEqual(sorted(w.e5, w.e6));
    expect(region.denominatorIds).toEqual(sorted(w.e1, w.e2, w.e3, w.e5, w.e6, w.e7, w.b2));
  });

  test('an empty scope has no value but a reason, for every indicator', async () => {
    const values = await valuesOf(admin, { municipalityId: w.C }, year);
    expect(Object.keys(values)).toHaveLength(15);
    for (const [code, seen] of Object.entries(values)) {
      expect({ code, value: seen.value, reason: seen.reason }).toEqual({ code, value: null, reason: 'EMPTY_SCOPE' });
      expect(seen.numeratorIds).toEqual([]);
      expect(seen.denominatorIds).toEqual([]);
    }
    expect(values.REGIONAL_METHODISTS_SHARE).toMatchObject({ numerator: 0, denominator: 0, value: null, reason: 'EMPTY_SCOPE' });
  });
});

describe('6. educators per regional methodist', () => {
  test('region: e1, e2 and b2 assigned, to two methodists (e2 counted once though assigned to both)', async () => {
    const seen = await valueOf(admin, { region: true }, year, 'EDUCATORS_PER_REGIONAL_METHODIST');
    expect(seen).toMatchObject({ numerator: 3, denominator: 2, value: 1.5, unit: 'чел. на 1 методиста', reason: null });
    expect(seen.numeratorIds).toEqual(sorted(w.e1, w.e2, w.b2));
    expect(seen.denominatorIds).toEqual(sorted(w.e5, w.e6));
  });

  test('municipality A counts its educators assigned to its own methodists only (e2\'s methodist in B does not add)', async () => {
    const seen = await valueOf(admin, { municipalityId: w.A }, year, 'EDUCATORS_PER_REGIONAL_METHODIST');
    expect(seen).toMatchObject({ numerator: 2, denominator: 1, value: 2 });
    expect(seen.numeratorIds).toEqual(sorted(w.e1, w.e2));
    expect(seen.denominatorIds).toEqual([w.e6]);
    expect(await valueOf(admin, { organizationId: w.A2 }, year, 'EDUCATORS_PER_REGIONAL_METHODIST')).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
    expect(await valueOf(admin, { municipalityId: w.B }, year, 'EDUCATORS_PER_REGIONAL_METHODIST')).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
  });

  test('an organization without a regional methodist has no value: no denominator', async () => {
    const seen = await valueOf(admin, { organizationId: w.A1 }, year, 'EDUCATORS_PER_REGIONAL_METHODIST');
    expect(seen).toMatchObject({ numerator: 0, denominator: 0, value: null, reason: 'NO_DENOMINATOR' });
  });
});

test('the breakdown goes region → municipalities → organizations in one query, by name', async () => {
  const { indicatorValues } = await admin.data(`query ($year: AcademicYear!) {
    indicatorValues(scope: { region: true }, academicYear: $year) {
      indicator { code } value
      breakdown { scope { kind municipality { id name } } numerator denominator value reason
        breakdown { scope { kind organization { id name } municipality { id } } numerator denominator value reason breakdown { value } } }
    } }`, { year });
  const share = indicatorValues.find((v: { indicator: { code: string } }) => v.indicator.code === 'REGIONAL_METHODISTS_SHARE');
  expect(share.value).toBe(28.6);
  expect(share.breakdown.map((b: { scope: { municipality: { name: string } }; value: number | null; reason: string | null }) =>
    [b.scope.municipality.name, b.value, b.reason])).toEqual([['А-город', 20, null], ['Б-район', 50, null], ['В-посёлок', null, 'EMPTY_SCOPE']]);
  const [a] = share.breakdown;
  expect(a.scope.kind).toBe('MUNICIPALITY');
  expect(a.breakdown.map((b: { scope: { kind: string; organization: { name: string }; municipality: { id: string } }; numerator: number; denominator: number; breakdown: unknown[] }) =>
    [b.scope.kind, b.scope.organization.name, b.scope.municipality.id, b.numerator, b.denominator, b.breakdown])).toEqual([
    ['ORGANIZATION', 'А1 школа', w.A, 0, 3, []],
    ['ORGANIZATION', 'А2 гимназия', w.A, 1, 3, []],
  ]);
});

test('the trend: one indicator across academic years in one query (the year before e6\'s status, the year after e3 left)', async () => {
  const { indicatorTrend } = await admin.data(`query ($m: ID!) {
    indicatorTrend(code: REGIONAL_METHODISTS_SHARE, scope: { municipalityId: $m }, academicYears: ["2023/2024", "2024/2025", "2025/2026"]) {
      academicYear numerator denominator value denominatorEducators { nodes { id } } } }`, { m: w.A });
  // 2023/2024: e1, e2, e3, e4 (left June 2024), e6 (not yet a methodist); 2025/2026: e1, e2, e6, e7 (e3 left).
  expect(indicatorTrend.map((v: { academicYear: string; numerator: number; denominator: number; value: number }) => [v.academicYear, v.numerator, v.denominator, v.value]))
    .toEqual([['2023/2024', 0, 5, 0], ['2024/2025', 1, 5, 20], ['2025/2026', 1, 4, 25]]);
  expect(indicatorTrend[0].denominatorEducators.nodes.map((n: { id: string }) => n.id).sort()).toEqual(sorted(w.e1, w.e2, w.e3, w.e4, w.e6));
});

test('drill-down lists are Educator entities that the staff subgraph resolves, paged by id', async () => {
  const query = `query ($m: ID!, $after: String) { indicatorValues(scope: { municipalityId: $m }, academicYear: "2024/2025") {
    indicator { code } denominatorEducators(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id fullName employments { organization { name } } } } } }`;
  const seen: string[] = [];
  let after: string | null = null;
  for (let pageNumber = 0; pageNumber < 5; pageNumber += 1) {
    type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { id: string; fullName: string; employments: unknown[] }[] };
    const result = await admin.data<{ indicatorValues: { indicator: { code: string }; denominatorEducators: Page }[] }>(query, { m: w.A, after });
    const page: Page = result.indicatorValues.find((v) => v.indicator.code === 'REGIONAL_METHODISTS_SHARE')!.denominatorEducators;
    expect(page.totalCount).toBe(5);
    for (const node of page.nodes) {
      expect(node.fullName).toBe('Иванова Анна Сергеевна');
      expect(node.employments.length).toBeGreaterThan(0);
      seen.push(node.id);
    }
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(seen).toEqual(sorted(w.e1, w.e2, w.e3, w.e6, w.e7));
});

test('an analyst reads values and pseudonymous drill-down; staff refuses them the names', async () => {
  const analyst = graph.as({ role: 'analyst', subject: 'analyst-1' });
  const seen = await valueOf(analyst, { region: true }, year, 'REGIONAL_METHODISTS_SHARE');
  expect(seen.numeratorIds).toEqual(sorted(w.e5, w.e6));
  const result = await analyst.run(`{ indicator(code: REGIONAL_METHODISTS_SHARE) { number } indicatorValues(scope: { region: true }, academicYear: "2024/2025") {
    numeratorEducators { nodes { id fullName } } } }`);
  expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const nodes = result.data!.indicatorValues[4].numeratorEducators.nodes;
  expect(nodes.map((n: { id: string; fullName: string | null }) => [n.id, n.fullName])).toEqual(sorted(w.e5, w.e6).map((id) => [id, null]));
});

test('Municipality.indicators and Organization.indicators through the gateway, next to the staff fields', async () => {
  const { municipality } = await admin.data(`query ($m: ID!) { municipality(id: $m) { name
    indicators(academicYear: "2024/2025") { indicator { number code } value }
    organizations { name indicators(academicYear: "2024/2025") { indicator { number } numerator denominator } } } }`, { m: w.A });
  expect(municipality.name).toBe('А-город');
  expect(municipality.indicators.map((v: { indicator: { number: number } }) => v.indicator.number)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  expect(municipality.indicators[4]).toEqual({ indicator: { number: 5, code: 'REGIONAL_METHODISTS_SHARE' }, value: 20 });
  expect(municipality.organizations.map((o: { name: string; indicators: { numerator: number; denominator: number }[] }) => [o.name, o.indicators[4].numerator, o.indicators[4].denominator]))
    .toEqual([['А1 школа', 0, 3], ['А2 гимназия', 1, 3]]);
});

test('the population is exactly staff_api.employed_during\'s, counted once per scope, for every scope and year', async () => {
  const scopes: [Record<string, unknown>, string, string | null][] = [
    [{ region: true }, 'region', null], [{ municipalityId: w.A }, 'municipality_id', w.A], [{ municipalityId: w.B }, 'municipality_id', w.B],
    [{ municipalityId: w.C }, 'municipality_id', w.C], [{ organizationId: w.A1 }, 'organization_id', w.A1], [{ organizationId: w.A2 }, 'organization_id', w.A2],
  ];
  for (const academicYear of ['2023/2024', '2024/2025', '2025/2026']) {
    const [start] = academicYear.split('/');
    for (const [scope, column, id] of scopes) {
      const query = graph.db.indicators.from(graph.db.indicators.raw('staff_api.employed_during(?, ?) as e', [`${start}-09-01`, `${Number(start) + 1}-08-31`]))
        .countDistinct({ n: 'e.educator_id' });
      if (id) query.where(`e.${column}`, id);
      const [{ n }] = await query;
      const { indicatorValues } = await admin.data(`query ($scope: IndicatorScopeInput!, $year: AcademicYear!) {
        indicatorValues(scope: $scope, academicYear: $year) { denominator } }`, { scope, year: academicYear });
      expect({ academicYear, scope, population: indicatorValues[4].denominator }).toEqual({ academicYear, scope, population: Number(n) });
    }
  }
});
