import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { grantRegionalMethodist, valueOf } from './helpers';

/**
 * Who may read which scope, targets (set by the region or a municipality, validated) and frozen reports (which stay
 * as reported when the data change). World: municipality A (A1: 4 educators, one of them a regional methodist; A2: 1),
 * municipality B (B1: 1 educator, a regional methodist). Indicator 5 for 2024/2025: A 1/5 = 20 %, B 1/1 = 100 %,
 * region 2/6 = 33.3 %.
 */
let graph: TestGraph;
let admin: Client;
const w = {} as Record<'A' | 'B' | 'A1' | 'A2' | 'B1' | 'a1' | 'a2' | 'a3' | 'a4' | 'a5' | 'b1', string>;
const year = '2024/2025';
let methodistA: Client;
let methodistB: Client;

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.A = (await createMunicipality(admin)).id;
  w.B = (await createMunicipality(admin)).id;
  w.A1 = (await createOrganization(admin, w.A)).id;
  w.A2 = (await createOrganization(admin, w.A)).id;
  w.B1 = (await createOrganization(admin, w.B)).id;
  for (const name of ['a1', 'a2', 'a3', 'a4'] as const) w[name] = (await createEducator(admin, w.A1)).id;
  w.a5 = (await createEducator(admin, w.A2)).id;
  w.b1 = (await createEducator(admin, w.B1)).id;
  await grantRegionalMethodist(admin, w.a1, '2024-09-01');
  await grantRegionalMethodist(admin, w.b1, '2024-09-01');
  methodistA = graph.as({ role: 'municipality_methodist', subject: 'methodist-a', municipalityId: w.A });
  methodistB = graph.as({ role: 'municipality_methodist', subject: 'methodist-b', municipalityId: w.B });
}, 60_000);
afterAll(() => graph.close());

const values = `query ($scope: IndicatorScopeInput!) { indicatorValues(scope: $scope, academicYear: "2024/2025") { value } }`;

describe('reading values: the scope must lie within the caller\'s', () => {
  test('a municipality\'s methodist reads their municipality and its organizations, nothing else', async () => {
    await methodistA.data(values, { scope: { municipalityId: w.A } });
    await methodistA.data(values, { scope: { organizationId: w.A2 } });
    expect((await methodistA.error(values, { scope: { municipalityId: w.B } })).code).toBe('FORBIDDEN');
    expect((await methodistA.error(values, { scope: { organizationId: w.B1 } })).code).toBe('FORBIDDEN');
    expect((await methodistA.error(values, { scope: { region: true } })).code).toBe('FORBIDDEN');
  });

  test('an organization\'s admin reads their organization only; an educator and integration nothing', async () => {
    const organizationAdmin = graph.as({ role: 'organization_admin', subject: 'oa', organizationId: w.A1 });
    await organizationAdmin.data(values, { scope: { organizationId: w.A1 } });
    expect((await organizationAdmin.error(values, { scope: { organizationId: w.A2 } })).code).toBe('FORBIDDEN');
    expect((await organizationAdmin.error(values, { scope: { municipalityId: w.A } })).code).toBe('FORBIDDEN');
    expect((await graph.as({ role: 'educator', subject: 'e', educatorId: w.a2 }).error(values, { scope: { organizationId: w.A1 } })).code).toBe('FORBIDDEN');
    expect((await graph.as({ role: 'integration', subject: 'i', municipalityId: w.A }).error(values, { scope: { municipalityId: w.A } })).code).toBe('FORBIDDEN');
    expect((await graph.anonymous().error(values, { scope: { region: true } })).code).toBe('UNAUTHENTICATED');
  });

  test('Municipality.indicators outside the scope is FORBIDDEN on that field, the rest answers', async () => {
    const result = await methodistA.run(`{ municipalities { id name indicators(academicYear: "2024/2025") { value } } }`);
    const byId = new Map(result.data!.municipalities.map((m: { id: string; indicators: unknown }) => [m.id, m.indicators]));
    expect(byId.get(w.A)).toHaveLength(15);
    expect(byId.get(w.B)).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  test.each([
    ['two scopes at once', { scope: { municipalityId: 'A', organizationId: 'A1' } }, 'BAD_USER_INPUT'],
    ['no scope', { scope: {} }, 'BAD_USER_INPUT'],
    ['region: false', { scope: { region: false } }, 'BAD_USER_INPUT'],
    ['not an id', { scope: { municipalityId: 'nope' } }, 'BAD_USER_INPUT'],
    ['an unknown organization', { scope: { organizationId: '3f2b8c8e-8f5e-4a53-9a55-0d7f5a0b9e11' } }, 'NOT_FOUND'],
  ])('%s is %s', async (_, variables, code) => {
    const scope = Object.fromEntries(Object.entries(variables.scope).map(([k, v]) => [k, typeof v === 'string' && v in w ? w[v as keyof typeof w] : v]));
    expect((await admin.error(values, { scope })).code).toBe(code);
  });

  test('an academic year that is not two consecutive years is BAD_USER_INPUT', async () => {
    const error = await admin.error(`{ indicatorValues(scope: { region: true }, academicYear: "2024/2026") { value } }`);
    expect(error.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect((await admin.error(`{ indicatorTrend(code: DIAGNOSTICS_SHARE, scope: { region: true }, academicYears: []) { value } }`)).code).toBe('BAD_USER_INPUT');
  });
});

const setTarget = `mutation ($input: SetIndicatorTargetInput!) { setIndicatorTarget(input: $input) { id value academicYear indicator { code } municipality { id } } }`;
const targets = () => graph.db.indicators('target').select('indicator_code', 'municipality_id', 'value').orderBy(['indicator_code', 'municipality_id']);

describe('targets', () => {
  test('the region sets a target; values of every scope show it and whether it is met', async () => {
    const { setIndicatorTarget } = await admin.data(setTarget, { input: { code: 'REGIONAL_METHODISTS_SHARE', academicYear: year, value: 25 } });
    expect(setIndicatorTarget).toMatchObject({ value: 25, academicYear: year, indicator: { code: 'REGIONAL_METHODISTS_SHARE' }, municipality: null });
    expect(await valueOf(admin, { region: true }, year, 'REGIONAL_METHODISTS_SHARE')).toMatchObject({ value: 33.3, target: 25, isTargetMet: true });
    expect(await valueOf(admin, { municipalityId: w.A }, year, 'REGIONAL_METHODISTS_SHARE')).toMatchObject({ value: 20, target: 25, isTargetMet: false });
    expect(await valueOf(admin, { organizationId: w.A1 }, year, 'REGIONAL_METHODISTS_SHARE')).toMatchObject({ value: 25, target: 25, isTargetMet: true });
    expect(await valueOf(admin, { region: true }, '2025/2026', 'REGIONAL_METHODISTS_SHARE')).toMatchObject({ target: null, isTargetMet: null });
  });

  test('a municipality\'s own target overrides the region\'s for it and its organizations; setting again replaces it', async () => {
    await methodistA.data(setTarget, { input: { code: 'REGIONAL_METHODISTS_SHARE', academicYear: year, municipalityId: w.A, value: 30 } });
    const { setIndicatorTarget } = await methodistA.data(setTarget, { input: { code: 'REGIONAL_METHODISTS_SHARE', academicYear: year, municipalityId: w.A, value: 15 } });
    expect(setIndicatorTarget).toMatchObject({ value: 15, municipality: { id: w.A } });
    expect(await valueOf(methodistA, { municipalityId: w.A }, year, 'REGIONAL_METHODISTS_SHARE')).toMatchObject({ value: 20, target: 15, isTargetMet: true });
    expect(await valueOf(methodistA, { organizationId: w.A2 }, year, 'REGIONAL_METHODISTS_SHARE')).toMatchObject({ value: 0, target: 15, isTargetMet: false });
    expect(await valueOf(methodistB, { municipalityId: w.B }, year, 'REGIONAL_METHODISTS_SHARE')).toMatchObject({ value: 100, target: 25, isTargetMet: true });
    const { indicatorTargets } = await methodistA.data(`{ indicatorTargets(academicYear: "2024/2025") { value municipality { id } } }`);
    expect(indicatorTargets).toEqual([{ value: 15, municipality: { id: w.A } }, { value: 25, municipality: null }]);
  });

  test.each([
    ['a share above 100', { code: 'DIAGNOSTICS_SHARE', value: 150 }, 'BAD_USER_INPUT', 'input.value'],
    ['a count that is not whole', { code: 'MENTORING_COUNT', value: 2.5 }, 'BAD_USER_INPUT', 'input.value'],
    ['a negative count', { code: 'MENTORING_COUNT', value: -1 }, 'BAD_USER_INPUT', 'input.value'],
    ['yes/no other than 0 or 1', { code: 'NO_COMPLAINTS', value: 0.5 }, 'BAD_USER_INPUT', 'input.value'],
    ['a ratio of 0', { code: 'EDUCATORS_PER_REGIONAL_METHODIST', value: 0 }, 'BAD_USER_INPUT', 'input.value'],
    ['a municipality that does not exist', { code: 'MENTORING_COUNT', value: 3, municipalityId: '3f2b8c8e-8f5e-4a53-9a55-0d7f5a0b9e11' }, 'NOT_FOUND', undefined],
  ])('%s is refused (%s) and nothing is written', async (_, input, code, field) => {
    const before = await targets();
    const error = await admin.error(setTarget, { input: { academicYear: year, ...input } });
    expect(error.code).toBe(code);
    if (field) expect(error.error.extensions?.field).toBe(field);
    expect(await targets()).toEqual(before);
  });

  test('a methodist may not set another municipality\'s target nor the region\'s; an analyst none', async () => {
    const before = await targets();
    expect((await methodistA.error(setTarget, { input: { code: 'MENTORING_COUNT', academicYear: year, municipalityId: w.B, value: 3 } })).code).toBe('FORBIDDEN');
    expect((await methodistA.error(setTarget, { input: { code: 'MENTORING_COUNT', academicYear: year, value: 3 } })).code).toBe('FORBIDDEN');
    expect((await graph.as({ role: 'analyst', subject: 'an' }).error(setTarget, { input: { code: 'MENTORING_COUNT', academicYear: year, value: 3 } })).code).toBe('FORBIDDEN');
    expect((await graph.as({ role: 'organization_admin', subject: 'oa', organizationId: w.A1 }).error(setTarget,
      { input: { code: 'MENTORING_COUNT', academicYear: year, municipalityId: w.A, value: 3 } })).code).toBe('FORBIDDEN');
    expect(await targets()).toEqual(before);
  });

  test('a null value removes a target, and the audit log keeps who set it', async () => {
    await admin.data(setTarget, { input: { code: 'MENTORING_COUNT', academicYear: year, value: 4 } });
    const { setIndicatorTarget } = await admin.data(setTarget, { input: { code: 'MENTORING_COUNT', academicYear: year, value: null } });
    expect(setIndicatorTarget).toBeNull();
    expect((await targets()).filter((t: { indicator_code: string }) => t.indicator_code === 'mentoring_count')).toEqual([]);
    const audit = await graph.db.indicators('audit_log').select('actor_role', 'operation').where('table_name', 'target').orderBy('id');
    expect(audit.at(-1)).toEqual({ actor_role: 'region_admin', operation: 'delete' });
  });
});

describe('frozen reports', () => {
  const freeze = `mutation ($input: FreezeIndicatorReportInput!) { freezeIndicatorReport(input: $input) {
    id title academicYear frozenAt frozenByRole frozenBySubject scope { kind municipality { id } } changedCount
    values { indicator { code } numerator denominator value target isTargetMet reason isChanged valueDifference numeratorDifference denominatorDifference live { numerator value } } } }`;

  test('a report keeps the values as reported; after the data change it shows the difference from the live values', async () => {
    const { freezeIndicatorReport: report } = await methodistA.data(freeze, { input: { scope: { municipalityId: w.A }, academicYear: year } });
    expect(report).toMatchObject({ academicYear: year, frozenByRole: 'municipality_methodist', frozenBySubject: 'methodist-a',
      scope: { kind: 'MUNICIPALITY', municipality: { id: w.A } }, changedCount: 0 });
    expect(report.title).toContain('2024/2025');
    expect(report.values).toHaveLength(15);
    const share = report.values.find((v: { indicator: { code: string } }) => v.indicator.code === 'REGIONAL_METHODISTS_SHARE');
    expect(share).toMatchObject({ numerator: 1, denominator: 5, value: 20, target: 15, isTargetMet: true, reason: null, isChanged: false, valueDifference: 0 });

    // a2 becomes a regional methodist in January: 2/5 = 40 % now; 6 goes from 0/1 to 0/2.
    await grantRegionalMethodist(admin, w.a2, '2025-01-10');
    const { indicatorReport } = await methodistA.data(`query ($id: ID!) { indicatorReport(id: $id) { changedCount
      values { indicator { code } numerator denominator value isChanged valueDifference numeratorDifference denominatorDifference live { numerator denominator value } } } }`, { id: report.id });
    expect(indicatorReport.changedCount).toBe(2);
    const after = indicatorReport.values.find((v: { indicator: { code: string } }) => v.indicator.code === 'REGIONAL_METHODISTS_SHARE');
    expect(after).toEqual({ indicator: { code: 'REGIONAL_METHODISTS_SHARE' }, numerator: 1, denominator: 5, value: 20, isChanged: true,
      valueDifference: 20, numeratorDifference: 1, denominatorDifference: 0, live: { numerator: 2, denominator: 5, value: 40 } });
    const ratio = indicatorReport.values.find((v: { indicator: { code: string } }) => v.indicator.code === 'EDUCATORS_PER_REGIONAL_METHODIST');
    expect(ratio).toMatchObject({ numerator: 0, denominator: 1, value: 0, isChanged: true, live: { numerator: 0, denominator: 2, value: 0 } });
  });

  test('reports are listed within the caller\'s scope; another municipality\'s is FORBIDDEN', async () => {
    const { freezeIndicatorReport: regionReport } = await admin.data(freeze, { input: { scope: { region: true }, academicYear: year, title: 'Годовой отчёт' } });
    expect(regionReport).toMatchObject({ title: 'Годовой отчёт', frozenByRole: 'region_admin', scope: { kind: 'REGION', municipality: null } });
    const list = `query ($scope: IndicatorScopeInput) { indicatorReports(scope: $scope) { id scope { kind } } }`;
    expect((await methodistA.data(list)).indicatorReports.map((r: { scope: { kind: string } }) => r.scope.kind)).toEqual(['MUNICIPALITY']);
    expect((await admin.data(list)).indicatorReports.map((r: { scope: { kind: string } }) => r.scope.kind)).toEqual(['REGION', 'MUNICIPALITY']);
    expect((await admin.data(list, { scope: { region: true } })).indicatorReports).toHaveLength(1);
    expect((await methodistB.data(list)).indicatorReports).toEqual([]);
    expect((await methodistB.error(`query ($id: ID!) { indicatorReport(id: $id) { id } }`, { id: regionReport.id })).code).toBe('FORBIDDEN');
  });

  test('freezing outside the scope, with a bad title or without the right is refused and writes nothing', async () => {
    const count = async () => Number((await graph.db.indicators('report').count({ n: '*' }))[0].n);
    const before = await count();
    expect((await methodistA.error(freeze, { input: { scope: { municipalityId: w.B }, academicYear: year } })).code).toBe('FORBIDDEN');
    expect((await methodistA.error(freeze, { input: { scope: { municipalityId: w.A }, academicYear: year, title: '   ' } })).code).toBe('BAD_USER_INPUT');
    expect((await graph.as({ role: 'analyst', subject: 'an' }).error(freeze, { input: { scope: { region: true }, academicYear: year } })).code).toBe('FORBIDDEN');
    expect((await graph.as({ role: 'organization_admin', subject: 'oa', organizationId: w.A1 }).error(freeze,
      { input: { scope: { organizationId: w.A1 }, academicYear: year } })).code).toBe('FORBIDDEN');
    expect(await count()).toBe(before);
  });
});

test('the catalog lists the 15 indicators with their clause, kind, unit and source of information', async () => {
  const { indicators } = await graph.as({ role: 'analyst', subject: 'an' }).data(`{ indicators { number code title titleEn clause kind unit isHigherBetter formula sourceOfInformation population numeratorRule periodRule sources } }`);
  expect(indicators.map((i: { number: number }) => i.number)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  expect(indicators.filter((i: { clause: string }) => i.clause.startsWith('002')).length).toBe(8);
  expect(indicators[8]).toMatchObject({ code: 'TARGETED_SUPPORT_COUNT', kind: 'COUNT', unit: 'чел.', sourceOfInformation: 'Регистрационные листы консультаций, РМО, посещённых уроков и др.' });
  expect(indicators[13]).toMatchObject({ code: 'NO_COMPLAINTS', kind: 'YES_NO', unit: null, sourceOfInformation: 'Письменные обращения' });
  for (const indicator of indicators) {
    for (const field of ['title', 'titleEn', 'formula', 'sourceOfInformation', 'population', 'numeratorRule', 'periodRule']) expect(indicator[field].length).toBeGreaterThan(5);
  }
});
