import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from './fixtures';

/**
 * Statuses with terms through the gateway (seed 001: regional methodists, the municipal methodological council and
 * active, internship and base sites; seed 002, section 4: educators assigned to regional methodists). Each test builds
 * its own municipality, so the lists it reads hold only what it made; every refusal leaves the tables as they were.
 */
let graph: TestGraph;
let admin: Client;
beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
});
afterAll(() => graph.close());

const unknownId = '00000000-0000-4000-8000-000000000000';
const methodistOf = (municipalityId: string) => graph.as({ role: 'municipality_methodist', municipalityId });

const grantEducatorStatus = `mutation ($input: GrantEducatorStatusInput!) { grantEducatorStatus(input: $input) {
  id kind validFrom validTo municipality { id name } educator { id fullName } document { number date title } } }`;
const endEducatorStatus = `mutation ($id: ID!, $validTo: Date!) { endEducatorStatus(id: $id, validTo: $validTo) { id validFrom validTo } }`;
const grantOrganizationStatus = `mutation ($input: GrantOrganizationStatusInput!) { grantOrganizationStatus(input: $input) {
  id kind direction validFrom validTo organization { id name } document { number date title } } }`;
const endOrganizationStatus = `mutation ($id: ID!, $validTo: Date!) { endOrganizationStatus(id: $id, validTo: $validTo) { id validFrom validTo } }`;
const assignToRegionalMethodist = `mutation ($input: AssignToRegionalMethodistInput!) { assignToRegionalMethodist(input: $input) {
  id validFrom validTo methodist { id fullName } educator { id fullName } } }`;
const endAssignment = `mutation ($id: ID!, $validTo: Date!) { endRegionalMethodistAssignment(id: $id, validTo: $validTo) { id validFrom validTo } }`;
const educatorStatuses = `query ($kind: EducatorStatusKind!, $scope: ScopeInput, $on: Date, $year: AcademicYear) {
  educatorStatuses(kind: $kind, scope: $scope, on: $on, academicYear: $year) {
    kind validFrom validTo educator { fullName } municipality { name } document { number } } }`;
const organizationStatuses = `query ($kind: OrganizationStatusKind!, $scope: ScopeInput, $on: Date, $year: AcademicYear) {
  organizationStatuses(kind: $kind, scope: $scope, on: $on, academicYear: $year) {
    kind direction validFrom validTo organization { name } document { number date title } } }`;

/** A municipality of the test's own with a school, and educators employed there from 2020-09-01. */
async function place() {
  const municipality = await createMunicipality(admin);
  const school = await createOrganization(admin, municipality.id);
  return { municipality, school };
}
const educator = (organizationId: string, lastName: string) => createEducator(admin, organizationId, { lastName });

const order = { number: '15-р', date: '2024-08-25', title: 'Об утверждении состава' };
const statusInput = (educatorId: string, overrides: Record<string, unknown> = {}) => ({
  educatorId, kind: 'COUNCIL_MEMBER', validFrom: '2024-09-01', validTo: null, document: order, ...overrides,
});
const siteInput = (organizationId: string, overrides: Record<string, unknown> = {}) => ({
  organizationId, kind: 'INTERNSHIP_SITE', direction: 'Наставничество в ДОО', validFrom: '2024-09-01', validTo: null, document: order, ...overrides,
});

async function grant(client: Client, input: Record<string, unknown>) {
  return (await client.data(grantEducatorStatus, { input })).grantEducatorStatus;
}
async function grantSite(client: Client, input: Record<string, unknown>) {
  return (await client.data(grantOrganizationStatus, { input })).grantOrganizationStatus;
}
async function assign(input: Record<string, unknown>) {
  return (await admin.data(assignToRegionalMethodist, { input })).assignToRegionalMethodist;
}
/** The full names in a status list. */
async function holders(variables: Record<string, unknown>, client = admin): Promise<string[]> {
  const { educatorStatuses: list } = await client.data(educatorStatuses, variables);
  return list.map((s: { educator: { fullName: string } }) => s.educator.fullName);
}

/** Every row of the status tables. */
async function snapshot() {
  const db = graph.db.staff;
  const [educatorStatus, organizationStatus, assignments] = await Promise.all(
    ['educator_status', 'organization_status', 'regional_methodist_assignment'].map((table) => db(table).select().orderBy('id')),
  );
  return { educatorStatus, organizationStatus, assignments };
}

/** Runs an operation that must be refused with `code` (and `field`, when given); checks that no row changed. */
async function refused(client: Client, query: string, variables: Record<string, unknown>, code: string, field?: string) {
  const before = await snapshot();
  const { error } = await client.error(query, variables);
  expect({ code: error.extensions?.code, field: error.extensions?.field, message: error.message })
    .toMatchObject(field === undefined ? { code } : { code, field });
  expect(await snapshot()).toEqual(before);
  return error;
}

describe('granting, listing and ending each status', () => {
  test('a regional methodist is granted by order, listed on a day, and ended', async () => {
    const { municipality, school } = await place();
    const maria = await educator(school.id, 'Методистова');
    const granted = await grant(admin, statusInput(maria.id, { kind: 'REGIONAL_METHODIST', validFrom: '2024-09-01',
      document: { number: '1024-р', date: '2024-08-30', title: 'О присвоении статуса регионального методиста' } }));
    expect(granted).toMatchObject({ kind: 'REGIONAL_METHODIST', validFrom: '2024-09-01', validTo: null, municipality: null,
      educator: { id: maria.id }, document: { number: '1024-р', date: '2024-08-30', title: 'О присвоении статуса регионального методиста' } });

    const byMunicipality = { kind: 'REGIONAL_METHODIST', scope: { municipalityId: municipality.id } };
    expect(await holders({ ...byMunicipality, on: '2025-01-15' })).toEqual([maria.fullName]);
    expect(await holders({ ...byMunicipality, on: '2024-08-31' })).toEqual([]);

    const { endEducatorStatus: ended } = await admin.data(endEducatorStatus, { id: granted.id, validTo: '2025-08-31' });
    expect(ended).toEqual({ id: granted.id, validFrom: '2024-09-01', validTo: '2025-08-31' });
    expect(await holders({ ...byMunicipality, on: '2025-08-31' })).toEqual([maria.fullName]);
    expect(await holders({ ...byMunicipality, on: '2025-09-01' })).toEqual([]);
  });

  test('council and active memberships are granted for a municipality, listed with it, and ended', async () => {
    const { municipality, school } = await place();
    const anna = await educator(school.id, 'Советова');
    const boris = await educator(school.id, 'Активов');
    const seat = await grant(admin, statusInput(anna.id, { kind: 'COUNCIL_MEMBER', municipalityId: municipality.id }));
    expect(seat.municipality).toEqual({ id: municipality.id, name: municipality.name });
    await grant(admin, statusInput(boris.id, { kind: 'METHODOLOGICAL_ACTIVE', municipalityId: municipality.id }));
    await grant(admin, statusInput(anna.id, { kind: 'METHODOLOGICAL_ACTIVE', municipalityId: municipality.id }));

    const scope = { municipalityId: municipality.id };
    const { educatorStatuses: council } = await admin.data(educatorStatuses, { kind: 'COUNCIL_MEMBER', scope, on: '2025-01-15' });
    expect(council).toEqual([{ kind: 'COUNCIL_MEMBER', validFrom: '2024-09-01', validTo: null, educator: { fullName: anna.fullName },
      municipality: { name: municipality.name }, document: { number: '15-р' } }]);
    // sorted by the educator's name: Активов before Советова
    expect(await holders({ kind: 'METHODOLOGICAL_ACTIVE', scope, on: '2025-01-15' })).toEqual([boris.fullName, anna.fullName]);

    await admin.data(endEducatorStatus, { id: seat.id, validTo: '2025-05-31' });
    expect(await holders({ kind: 'COUNCIL_MEMBER', scope, on: '2025-06-01' })).toEqual([]);
    expect(await holders({ kind: 'COUNCIL_MEMBER', scope, year: '2024/2025' })).toEqual([anna.fullName]);
  });

  test('an internship site with its direction is listed for a year, a base site apart, and a site term is ended', async () => {
    const { municipality, school } = await place();
    const kindergarten = await createOrganization(admin, municipality.id, { name: 'Детский сад № 7 «Ёлочка»', kind: 'KINDERGARTEN' });
    const internship = await grantSite(admin, siteInput(kindergarten.id, { validFrom: '2024-09-01', validTo: '2099-08-31',
      document: { number: '312', date: '2024-08-28', title: 'О стажировочных площадках' } }));
    expect(internship).toMatchObject({ kind: 'INTERNSHIP_SITE', direction: 'Наставничество в ДОО', organization: { id: kindergarten.id } });
    await grantSite(admin, siteInput(school.id, { kind: 'BASE_SITE', direction: 'Функциональная грамотность' }));

    const scope = { municipalityId: municipality.id };
    const { organizationStatuses: sites } = await admin.data(organizationStatuses, { kind: 'INTERNSHIP_SITE', scope, year: '2024/2025' });
    expect(sites).toEqual([{ kind: 'INTERNSHIP_SITE', direction: 'Наставничество в ДОО', validFrom: '2024-09-01', validTo: '2099-08-31',
      organization: { name: 'Детский сад № 7 «Ёлочка»' }, document: { number: '312', date: '2024-08-28', title: 'О стажировочных площадках' } }]);
    const { organizationStatuses: bases } = await admin.data(organizationStatuses, { kind: 'BASE_SITE', scope, year: '2024/2025' });
    expect(bases.map((s: { direction: string }) => s.direction)).toEqual(['Функциональная грамотность']);

    // shortened to the end of the first year: gone from the second
    await admin.data(endOrganizationStatus, { id: internship.id, validTo: '2025-08-31' });
    expect((await admin.data(organizationStatuses, { kind: 'INTERNSHIP_SITE', scope, year: '2025/2026' })).organizationStatuses).toEqual([]);
    const { organization } = await admin.data(`query ($id: ID!) { organization(id: $id) {
      statuses { kind direction validTo } later: statuses(academicYear: "2025/2026") { kind } } }`, { id: kindergarten.id });
    expect(organization).toEqual({ statuses: [{ kind: 'INTERNSHIP_SITE', direction: 'Наставничество в ДОО', validTo: '2025-08-31' }], later: [] });
  });

  test('site lists are sorted by the organization\'s name and narrowed to one organization', async () => {
    const { municipality } = await place();
    const b = await createOrganization(admin, municipality.id, { name: 'Б-школа' });
    const a = await createOrganization(admin, municipality.id, { name: 'А-школа' });
    await grantSite(admin, siteInput(b.id));
    await grantSite(admin, siteInput(a.id, { direction: 'Цифровая школа' }));
    await grantSite(admin, siteInput(a.id, { direction: 'Инклюзия' }));
    const names = async (scope: Record<string, string>) => (await admin.data(organizationStatuses, { kind: 'INTERNSHIP_SITE', scope }))
      .organizationStatuses.map((s: { organization: { name: string }; direction: string }) => `${s.organization.name}: ${s.direction}`);
    expect(await names({ municipalityId: municipality.id })).toEqual(['А-школа: Инклюзия', 'А-школа: Цифровая школа', 'Б-школа: Наставничество в ДОО']);
    expect(await names({ organizationId: b.id })).toEqual(['Б-школа: Наставничество в ДОО']);
  });
});

describe('as of a day and during an academic year', () => {
  test('a term from 2024-10-01 to 2025-03-31 is in 2024/2025, not in 2025/2026, and on its first and last day only', async () => {
    const { municipality, school } = await place();
    const anna = await educator(school.id, 'Срокова');
    await grant(admin, statusInput(anna.id, { municipalityId: municipality.id, validFrom: '2024-10-01', validTo: '2025-03-31' }));
    const list = (variables: Record<string, unknown>) => holders({ kind: 'COUNCIL_MEMBER', scope: { municipalityId: municipality.id }, ...variables });
    expect(await list({ year: '2024/2025' })).toEqual([anna.fullName]);
    expect(await list({ year: '2025/2026' })).toEqual([]);
    expect(await list({ year: '2023/2024' })).toEqual([]);
    expect(await list({ on: '2024-10-01' })).toEqual([anna.fullName]);
    expect(await list({ on: '2025-03-31' })).toEqual([anna.fullName]);
    expect(await list({ on: '2024-09-30' })).toEqual([]);
    expect(await list({ on: '2025-04-01' })).toEqual([]);

    const { educator: fields } = await admin.data(`query ($id: ID!) { educator(id: $id) {
      y2425: statuses(academicYear: "2024/2025") { validFrom } y2526: statuses(academicYear: "2025/2026") { validFrom }
      last: statuses(on: "2025-03-31") { validFrom } after: statuses(on: "2025-04-01") { validFrom } } }`, { id: anna.id });
    expect(fields).toEqual({ y2425: [{ validFrom: '2024-10-01' }], y2526: [], last: [{ validFrom: '2024-10-01' }], after: [] });
  });

  test('a term ending 2024-08-31 is not in 2024/2025; one beginning 2025-08-31 is, and in 2025/2026 too', async () => {
    const { municipality, school } = await place();
    const early = await educator(school.id, 'Ранняя');
    const late = await educator(school.id, 'Поздняя');
    await grant(admin, statusInput(early.id, { municipalityId: municipality.id, validFrom: '2023-09-01', validTo: '2024-08-31' }));
    await grant(admin, statusInput(late.id, { municipalityId: municipality.id, validFrom: '2025-08-31', validTo: null }));
    const list = (year: string) => holders({ kind: 'COUNCIL_MEMBER', scope: { municipalityId: municipality.id }, year });
    expect(await list('2023/2024')).toEqual([early.fullName]);
    expect(await list('2024/2025')).toEqual([late.fullName]);
    expect(await list('2025/2026')).toEqual([late.fullName]);
  });

  test('without a day or a year, lists answer for today and an educator\'s statuses give the whole history, latest first', async () => {
    const { municipality, school } = await place();
    const anna = await educator(school.id, 'Историева');
    await grant(admin, statusInput(anna.id, { municipalityId: municipality.id, validFrom: '2019-09-01', validTo: '2020-08-31', document: { ...order, number: 'old' } }));
    await grant(admin, statusInput(anna.id, { municipalityId: municipality.id, validFrom: '2020-09-01', validTo: null, document: { ...order, number: 'new' } }));
    const { educatorStatuses: today } = await admin.data(educatorStatuses, { kind: 'COUNCIL_MEMBER', scope: { municipalityId: municipality.id } });
    expect(today.map((s: { document: { number: string } }) => s.document.number)).toEqual(['new']);
    const { educator: history } = await admin.data(`query ($id: ID!) { educator(id: $id) { statuses { validFrom document { number } } } }`, { id: anna.id });
    expect(history.statuses).toEqual([{ validFrom: '2020-09-01', document: { number: 'new' } }, { validFrom: '2019-09-01', document: { number: 'old' } }]);
  });

  test('a day and a year at once, or a year not written 2024/2025, is bad input', async () => {
    const { school } = await place();
    const anna = await educator(school.id, 'Периодова');
    for (const [query, kind] of [[educatorStatuses, 'COUNCIL_MEMBER'], [organizationStatuses, 'INTERNSHIP_SITE']]) {
      expect((await admin.error(query, { kind, on: '2025-01-01', year: '2024/2025' })).code).toBe('BAD_USER_INPUT');
      for (const year of ['2024/2026', '2024-2025', '2024/25']) {
        expect((await admin.error(query, { kind, year })).code).toBe('BAD_USER_INPUT');
      }
    }
    const fields = `query ($id: ID!, $on: Date, $year: AcademicYear) { educator(id: $id) {
      statuses(on: $on, academicYear: $year) { id } assignedEducators(on: $on, academicYear: $year) { id } } }`;
    const result = await admin.run(fields, { id: anna.id, on: '2025-01-01', year: '2024/2025' });
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(new Set(result.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['BAD_USER_INPUT']));
    expect((await admin.error(fields, { id: anna.id, year: '2024-2025' })).code).toBe('BAD_USER_INPUT');
  });
});

describe('overlapping terms', () => {
  test('a second term of the same status over the same days is a conflict; adjacent terms are fine', async () => {
    const { municipality, school } = await place();
    const anna = await educator(school.id, 'Перекрытова');
    const other = await createMunicipality(admin);
    const seat = (overrides: Record<string, unknown>) => statusInput(anna.id, { municipalityId: municipality.id, ...overrides });
    await grant(admin, seat({ validFrom: '2024-09-01', validTo: '2025-08-31' }));
    for (const term of [
      { validFrom: '2025-08-31', validTo: null }, { validFrom: '2023-09-01', validTo: '2024-09-01' },
      { validFrom: '2020-01-01', validTo: null }, { validFrom: '2025-01-01', validTo: '2025-02-01' },
    ]) {
      const error = await refused(admin, grantEducatorStatus, { input: seat(term) }, 'CONFLICT');
      expect(error.message).toMatch(/from 2024-09-01 to 2025-08-31/);
    }
    // the day after it ends, and up to the day before it begins
    await grant(admin, seat({ validFrom: '2025-09-01', validTo: null }));
    await grant(admin, seat({ validFrom: '2023-09-01', validTo: '2024-08-31' }));
    // another municipality's council, or the active of the same one, is another status
    await grant(admin, seat({ municipalityId: other.id }));
    await grant(admin, seat({ kind: 'METHODOLOGICAL_ACTIVE' }));
  });

  test('a regional methodist\'s terms may not overlap, whatever municipality they name', async () => {
    const { municipality, school } = await place();
    const maria = await educator(school.id, 'Двойнова');
    await grant(admin, statusInput(maria.id, { kind: 'REGIONAL_METHODIST', validFrom: '2024-09-01' }));
    await refused(admin, grantEducatorStatus, { input: statusInput(maria.id, { kind: 'REGIONAL_METHODIST', municipalityId: municipality.id, validFrom: '2026-09-01' }) }, 'CONFLICT');
  });

  test('a site term overlapping one in the same direction conflicts whatever the case; another direction does not', async () => {
    const { school } = await place();
    await grantSite(admin, siteInput(school.id, { validFrom: '2024-09-01', validTo: '2025-08-31' }));
    await refused(admin, grantOrganizationStatus, { input: siteInput(school.id, { direction: '  НАСТАВНИЧЕСТВО в доо', validFrom: '2025-03-01' }) }, 'CONFLICT');
    await grantSite(admin, siteInput(school.id, { direction: 'Цифровая образовательная среда', validFrom: '2025-03-01' }));
    await grantSite(admin, siteInput(school.id, { kind: 'BASE_SITE', validFrom: '2025-03-01' }));
    await grantSite(admin, siteInput(school.id, { validFrom: '2025-09-01' }));
  });

  test('two overlapping grants sent at once: one is granted, the other is a conflict', async () => {
    const { municipality, school } = await place();
    for (let i = 0; i < 3; i += 1) {
      const anna = await educator(school.id, `Гонкина${i}`);
      const results = await Promise.all([
        admin.run(grantEducatorStatus, { input: statusInput(anna.id, { municipalityId: municipality.id, validFrom: '2024-09-01' }) }),
        admin.run(grantEducatorStatus, { input: statusInput(anna.id, { municipalityId: municipality.id, validFrom: '2025-01-01' }) }),
      ]);
      expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'granted').sort()).toEqual(['CONFLICT', 'granted']);
      expect(await graph.db.staff('educator_status').where({ educator_id: anna.id })).toHaveLength(1);
    }
  });
});

describe('bad input', () => {
  test('a council or active membership without a municipality is bad input; an unknown municipality is not found', async () => {
    const { school } = await place();
    const anna = await educator(school.id, 'Безрайонова');
    for (const kind of ['COUNCIL_MEMBER', 'METHODOLOGICAL_ACTIVE']) {
      await refused(admin, grantEducatorStatus, { input: statusInput(anna.id, { kind, municipalityId: null }) }, 'BAD_USER_INPUT', 'input.municipalityId');
      await refused(admin, grantEducatorStatus, { input: statusInput(anna.id, { kind, municipalityId: unknownId }) }, 'NOT_FOUND');
    }
    // a regional methodist may name one, or not
    await grant(admin, statusInput(anna.id, { kind: 'REGIONAL_METHODIST', municipalityId: null }));
  });

  test('a term ending before it begins, or an order without a number, is bad input', async () => {
    const { municipality, school } = await place();
    const anna = await educator(school.id, 'Неверова');
    const input = (overrides: Record<string, unknown>) => statusInput(anna.id, { municipalityId: municipality.id, ...overrides });
    await refused(admin, grantEducatorStatus, { input: input({ validFrom: '2025-09-01', validTo: '2025-08-31' }) }, 'BAD_USER_INPUT', 'input.validTo');
    for (const number of ['', '   ']) {
      await refused(admin, grantEducatorStatus, { input: input({ document: { ...order, number } }) }, 'BAD_USER_INPUT', 'input.document.number');
      await refused(admin, grantOrganizationStatus, { input: siteInput(school.id, { document: { ...order, number } }) }, 'BAD_USER_INPUT', 'input.document.number');
    }
    await refused(admin, grantOrganizationStatus, { input: siteInput(school.id, { validFrom: '2025-09-01', validTo: '2025-08-31' }) }, 'BAD_USER_INPUT', 'input.validTo');
    await refused(admin, grantOrganizationStatus, { input: siteInput(school.id, { direction: '  ' }) }, 'BAD_USER_INPUT', 'input.direction');
    await refused(admin, grantEducatorStatus, { input: input({ educatorId: 'anna' }) }, 'BAD_USER_INPUT', 'input.educatorId');
  });

  test('statuses of an unknown educator or organization are not found', async () => {
    const { municipality } = await place();
    await refused(admin, grantEducatorStatus, { input: statusInput(unknownId, { municipalityId: municipality.id }) }, 'NOT_FOUND');
    await refused(admin, grantOrganizationStatus, { input: siteInput(unknownId) }, 'NOT_FOUND');
  });

  test('ending a term: unknown is not found, before its start is bad input, already ended or later than set is a conflict', async () => {
    const { municipality, school } = await place();
    const anna = await educator(school.id, 'Концова');
    const maria = await educator(school.id, 'Наставникова');
    const seat = await grant(admin, statusInput(anna.id, { municipalityId: municipality.id, validFrom: '2024-09-01', validTo: '2099-08-31' }));
    const past = await grant(admin, statusInput(anna.id, { kind: 'METHODOLOGICAL_ACTIVE', municipalityId: municipality.id, validFrom: '2020-09-01', validTo: '2021-08-31' }));
    const site = await grantSite(admin, siteInput(school.id, { validFrom: '2024-09-01', validTo: '2099-08-31' }));
    await grant(admin, statusInput(maria.id, { kind: 'REGIONAL_METHODIST', validFrom: '2020-09-01' }));
    const assignment = await assign({ methodistId: maria.id, educatorId: anna.id, validFrom: '2024-09-01', validTo: '2099-08-31' });

    for (const [mutation, id] of [[endEducatorStatus, seat.id], [endOrganizationStatus, site.id], [endAssignment, assignment.id]]) {
      const missing = await refused(admin, mutation, { id: unknownId, validTo: '2025-01-01' }, 'NOT_FOUND');
      expect(missing.extensions?.id).toBe(unknownId);
      await refused(admin, mutation, { id: 'not-an-id', validTo: '2025-01-01' }, 'BAD_USER_INPUT', 'args.id');
      await refused(admin, mutation, { id, validTo: '2024-08-31' }, 'BAD_USER_INPUT', 'args.validTo');
      // ending later than the last day already set would lengthen the term
      await refused(admin, mutation, { id, validTo: '2099-08-31' }, 'CONFLICT');
      await refused(admin, mutation, { id, validTo: '2100-08-31' }, 'CONFLICT');
      // shortening is what ending means; after that, it is ended
      await admin.data(mutation, { id, validTo: '2025-08-31' });
      await refused(admin, mutation, { id, validTo: '2025-05-31' }, 'CONFLICT');
    }
    const error = await refused(admin, endEducatorStatus, { id: past.id, validTo: '2021-05-31' }, 'CONFLICT');
    expect(error.message).toMatch(/already ended on 2021-08-31/);
  });

  test('list narrowing by ids that are not ids is bad input', async () => {
    for (const [query, kind] of [[educatorStatuses, 'COUNCIL_MEMBER'], [organizationStatuses, 'BASE_SITE']]) {
      for (const scope of [{ municipalityId: 'north' }, { organizationId: '42' }]) {
        const { error } = await admin.error(query, { kind, scope });
        expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: `scope.${Object.keys(scope)[0]}` });
      }
    }
  });
});

describe('regional methodists and their educators', () => {
  test('a regional methodist\'s assigned educators and an educator\'s regional methodists, for a year', async () => {
    const { school } = await place();
    const maria = await educator(school.id, 'Методистова');
    const olga = await educator(school.id, 'Областная');
    const anna = await educator(school.id, 'Аннина');
    const boris = await educator(school.id, 'Борисов');
    await grant(admin, statusInput(maria.id, { kind: 'REGIONAL_METHODIST', validFrom: '2023-09-01' }));
    await grant(admin, statusInput(olga.id, { kind: 'REGIONAL_METHODIST', validFrom: '2024-09-01', validTo: '2025-08-31' }));
    const assigned = await assign({ methodistId: maria.id, educatorId: boris.id, validFrom: '2024-09-01', validTo: '2025-05-31' });
    expect(assigned).toMatchObject({ methodist: { id: maria.id }, educator: { id: boris.id }, validFrom: '2024-09-01', validTo: '2025-05-31' });
    await assign({ methodistId: maria.id, educatorId: anna.id, validFrom: '2025-09-01' });
    await assign({ methodistId: olga.id, educatorId: anna.id, validFrom: '2024-09-01', validTo: '2025-08-31' });

    const query = `query ($id: ID!, $year: AcademicYear) { educator(id: $id) {
      assignedEducators(academicYear: $year) { validFrom validTo educator { fullName } }
      regionalMethodists(academicYear: $year) { validFrom methodist { fullName } } } }`;
    const of = async (id: string, year?: string) => (await admin.data(query, { id, year })).educator;
    expect((await of(maria.id, '2024/2025')).assignedEducators).toEqual([{ validFrom: '2024-09-01', validTo: '2025-05-31', educator: { fullName: boris.fullName } }]);
    expect((await of(maria.id, '2025/2026')).assignedEducators).toEqual([{ validFrom: '2025-09-01', validTo: null, educator: { fullName: anna.fullName } }]);
    // all terms, by the educator's name
    expect((await of(maria.id)).assignedEducators.map((a: { educator: { fullName: string } }) => a.educator.fullName)).toEqual([anna.fullName, boris.fullName]);
    expect((await of(anna.id, '2024/2025')).regionalMethodists).toEqual([{ validFrom: '2024-09-01', methodist: { fullName: olga.fullName } }]);
    expect((await of(anna.id)).regionalMethodists.map((a: { methodist: { fullName: string } }) => a.methodist.fullName)).toEqual([maria.fullName, olga.fullName]);
    const { educator: onDay } = await admin.data(`query ($id: ID!) { educator(id: $id) { assignedEducators(on: "2025-06-01") { id } } }`, { id: maria.id });
    expect(onDay.assignedEducators).toEqual([]);
  });

  test('an assignment needs the methodist\'s status over its whole term, from a single term', async () => {
    const { school } = await place();
    const maria = await educator(school.id, 'Срочная');
    const anna = await educator(school.id, 'Подопечная');
    const nobody = await educator(school.id, 'Безстатусная');
    await grant(admin, statusInput(maria.id, { kind: 'REGIONAL_METHODIST', validFrom: '2024-09-01', validTo: '2025-08-31' }));
    await grant(admin, statusInput(maria.id, { kind: 'REGIONAL_METHODIST', validFrom: '2025-09-01', validTo: '2026-08-31' }));
    const input = (term: Record<string, unknown>) => ({ input: { methodistId: maria.id, educatorId: anna.id, ...term } });
    await refused(admin, assignToRegionalMethodist, input({ validFrom: '2024-08-31', validTo: '2025-01-31' }), 'CONFLICT', 'input.methodistId');
    await refused(admin, assignToRegionalMethodist, input({ validFrom: '2025-06-01', validTo: '2025-09-30' }), 'CONFLICT', 'input.methodistId');
    await refused(admin, assignToRegionalMethodist, input({ validFrom: '2025-09-01', validTo: null }), 'CONFLICT', 'input.methodistId');
    await refused(admin, assignToRegionalMethodist, { input: { methodistId: nobody.id, educatorId: anna.id, validFrom: '2025-01-01' } }, 'CONFLICT', 'input.methodistId');
    await assign({ methodistId: maria.id, educatorId: anna.id, validFrom: '2024-09-01', validTo: '2025-08-31' });
    // an open-ended assignment under an open-ended status
    const open = await educator(school.id, 'Бессрочная');
    await grant(admin, statusInput(open.id, { kind: 'REGIONAL_METHODIST', validFrom: '2024-09-01' }));
    await assign({ methodistId: open.id, educatorId: anna.id, validFrom: '2025-01-01' });
  });

  test('the same educator cannot be assigned to the same methodist twice over the same days; adjacent terms are fine', async () => {
    const { school } = await place();
    const maria = await educator(school.id, 'Повторова');
    const anna = await educator(school.id, 'Дважды');
    const boris = await educator(school.id, 'Другой');
    await grant(admin, statusInput(maria.id, { kind: 'REGIONAL_METHODIST', validFrom: '2024-09-01' }));
    await assign({ methodistId: maria.id, educatorId: anna.id, validFrom: '2024-09-01', validTo: '2025-08-31' });
    await refused(admin, assignToRegionalMethodist, { input: { methodistId: maria.id, educatorId: anna.id, validFrom: '2025-08-31' } }, 'CONFLICT');
    await assign({ methodistId: maria.id, educatorId: anna.id, validFrom: '2025-09-01' });
    await assign({ methodistId: maria.id, educatorId: boris.id, validFrom: '2024-09-01' });
  });

  test('assigning an unknown educator or methodist is not found; a methodist cannot be assigned to themselves', async () => {
    const { school } = await place();
    const maria = await educator(school.id, 'Сама');
    await grant(admin, statusInput(maria.id, { kind: 'REGIONAL_METHODIST', validFrom: '2024-09-01' }));
    await refused(admin, assignToRegionalMethodist, { input: { methodistId: maria.id, educatorId: unknownId, validFrom: '2025-01-01' } }, 'NOT_FOUND');
    await refused(admin, assignToRegionalMethodist, { input: { methodistId: unknownId, educatorId: maria.id, validFrom: '2025-01-01' } }, 'NOT_FOUND');
    await refused(admin, assignToRegionalMethodist, { input: { methodistId: maria.id, educatorId: maria.id, validFrom: '2025-01-01' } }, 'BAD_USER_INPUT', 'input.educatorId');
    await refused(admin, assignToRegionalMethodist, { input: { methodistId: maria.id, educatorId: unknownId, validFrom: '2025-01-01', validTo: '2024-12-31' } }, 'BAD_USER_INPUT', 'input.validTo');
  });

  test('a methodist\'s status cannot end while their assignments last beyond it', async () => {
    const { school } = await place();
    const maria = await educator(school.id, 'Уходящая');
    const anna = await educator(school.id, 'Оставленная');
    const status = await grant(admin, statusInput(maria.id, { kind: 'REGIONAL_METHODIST', validFrom: '2024-09-01' }));
    const assignment = await assign({ methodistId: maria.id, educatorId: anna.id, validFrom: '2024-09-01' });
    const error = await refused(admin, endEducatorStatus, { id: status.id, validTo: '2025-08-31' }, 'CONFLICT');
    expect(error.message).toMatch(/end them first/);
    await admin.data(endAssignment, { id: assignment.id, validTo: '2025-05-31' });
    await admin.data(endEducatorStatus, { id: status.id, validTo: '2025-08-31' });
  });
});

describe('who may write and read', () => {
  test('a municipality methodist cannot grant the regional methodist status nor a council membership of another municipality', async () => {
    const north = await place();
    const south = await place();
    const anna = await educator(north.school.id, 'Северова');
    const client = methodistOf(north.municipality.id);
    await refused(client, grantEducatorStatus, { input: statusInput(anna.id, { kind: 'REGIONAL_METHODIST' }) }, 'FORBIDDEN');
    await refused(client, grantEducatorStatus, { input: statusInput(anna.id, { kind: 'REGIONAL_METHODIST', municipalityId: north.municipality.id }) }, 'FORBIDDEN');
    await refused(client, grantEducatorStatus, { input: statusInput(anna.id, { municipalityId: south.municipality.id }) }, 'FORBIDDEN');
    await refused(client, grantEducatorStatus, { input: statusInput(anna.id, { kind: 'METHODOLOGICAL_ACTIVE', municipalityId: south.municipality.id }) }, 'FORBIDDEN');
    await refused(client, grantOrganizationStatus, { input: siteInput(south.school.id) }, 'FORBIDDEN');
    // nor of an educator outside their municipality, to their own council
    const boris = await educator(south.school.id, 'Южанин');
    await refused(client, grantEducatorStatus, { input: statusInput(boris.id, { municipalityId: north.municipality.id }) }, 'FORBIDDEN');
  });

  test('a municipality methodist grants and ends memberships of their own council and statuses of their own organizations', async () => {
    const north = await place();
    const anna = await educator(north.school.id, 'Своя');
    const client = methodistOf(north.municipality.id);
    const seat = await grant(client, statusInput(anna.id, { municipalityId: north.municipality.id }));
    expect(seat.educator).toEqual({ id: anna.id, fullName: anna.fullName });
    await client.data(endEducatorStatus, { id: seat.id, validTo: '2025-08-31' });
    const site = await grantSite(client, siteInput(north.school.id));
    await client.data(endOrganizationStatus, { id: site.id, validTo: '2025-08-31' });
  });

  test('a municipality methodist cannot end another municipality\'s memberships or sites, nor a regional methodist\'s status', async () => {
    const north = await place();
    const south = await place();
    const boris = await educator(south.school.id, 'Чужой');
    const seat = await grant(admin, statusInput(boris.id, { municipalityId: south.municipality.id }));
    const regional = await grant(admin, statusInput(boris.id, { kind: 'REGIONAL_METHODIST' }));
    const site = await grantSite(admin, siteInput(south.school.id));
    const client = methodistOf(north.municipality.id);
    await refused(client, endEducatorStatus, { id: seat.id, validTo: '2025-08-31' }, 'FORBIDDEN');
    await refused(client, endOrganizationStatus, { id: site.id, validTo: '2025-08-31' }, 'FORBIDDEN');
    await refused(methodistOf(south.municipality.id), endEducatorStatus, { id: regional.id, validTo: '2025-08-31' }, 'FORBIDDEN');
  });

  test('assignments to regional methodists are the region administrator\'s alone', async () => {
    const { municipality, school } = await place();
    const maria = await educator(school.id, 'Региональная');
    const anna = await educator(school.id, 'Местная');
    await grant(admin, statusInput(maria.id, { kind: 'REGIONAL_METHODIST' }));
    const input = { methodistId: maria.id, educatorId: anna.id, validFrom: '2025-01-01' };
    await refused(methodistOf(municipality.id), assignToRegionalMethodist, { input }, 'FORBIDDEN');
    const assignment = await assign(input);
    await refused(methodistOf(municipality.id), endAssignment, { id: assignment.id, validTo: '2025-08-31' }, 'FORBIDDEN');
  });

  test('school administrators, educators and analysts may not grant statuses; anonymous callers must sign in', async () => {
    const { municipality, school } = await place();
    const anna = await educator(school.id, 'Простая');
    const input = statusInput(anna.id, { municipalityId: municipality.id });
    for (const token of [{ role: 'organization_admin' as const, organizationId: school.id }, { role: 'educator' as const, educatorId: anna.id }, { role: 'analyst' as const }]) {
      await refused(graph.as(token), grantEducatorStatus, { input }, 'FORBIDDEN');
      await refused(graph.as(token), grantOrganizationStatus, { input: siteInput(school.id) }, 'FORBIDDEN');
    }
    expect((await graph.anonymous().error(organizationStatuses, { kind: 'INTERNSHIP_SITE' })).code).toBe('UNAUTHENTICATED');
  });

  test('status lists show only educators in the caller\'s scope, and a narrowing cannot widen it', async () => {
    const north = await place();
    const south = await place();
    const anna = await educator(north.school.id, 'Северная');
    const boris = await educator(south.school.id, 'Южный');
    await grant(admin, statusInput(anna.id, { kind: 'REGIONAL_METHODIST' }));
    await grant(admin, statusInput(boris.id, { kind: 'REGIONAL_METHODIST' }));
    const both = { kind: 'REGIONAL_METHODIST', on: '2025-01-15' };
    const admins = await holders(both);
    expect(admins).toEqual(expect.arrayContaining([anna.fullName, boris.fullName]));
    const northern = await holders(both, methodistOf(north.municipality.id));
    expect(northern).toContain(anna.fullName);
    expect(northern).not.toContain(boris.fullName);
    expect(await holders({ ...both, scope: { municipalityId: south.municipality.id } }, methodistOf(north.municipality.id))).toEqual([]);
    expect(await holders({ ...both, scope: { organizationId: south.school.id } })).toEqual([boris.fullName]);
    expect(await holders({ ...both, scope: { municipalityId: south.municipality.id } }, graph.as({ role: 'educator', educatorId: boris.id }))).toEqual([boris.fullName]);
  });

  test('regional methodists of a municipality are those employed there during the period', async () => {
    const { municipality, school } = await place();
    const leaver = await createEducator(admin, school.id, { lastName: 'Уволенная' }, { startedOn: '2020-09-01', endedOn: '2024-06-30' });
    const stayer = await educator(school.id, 'Оставшаяся');
    const newcomer = await createEducator(admin, school.id, { lastName: 'Новенькая' }, { startedOn: '2025-02-01' });
    for (const person of [leaver, stayer, newcomer]) await grant(admin, statusInput(person.id, { kind: 'REGIONAL_METHODIST', validFrom: '2023-09-01' }));
    const list = (variables: Record<string, unknown>) => holders({ kind: 'REGIONAL_METHODIST', scope: { municipalityId: municipality.id }, ...variables });
    expect(await list({ year: '2023/2024' })).toEqual([stayer.fullName, leaver.fullName]);
    expect(await list({ year: '2024/2025' })).toEqual([newcomer.fullName, stayer.fullName]);
    expect(await list({ on: '2025-01-15' })).toEqual([stayer.fullName]);
    expect(await list({ year: '2024/2025', scope: { organizationId: school.id } })).toEqual([newcomer.fullName, stayer.fullName]);
  });

  test('a municipality methodist sees only the assigned educators of their own municipality', async () => {
    const north = await place();
    const south = await place();
    const maria = await educator(north.school.id, 'Кураторова');
    const anna = await educator(north.school.id, 'Северянка');
    const boris = await educator(south.school.id, 'Южанин');
    await grant(admin, statusInput(maria.id, { kind: 'REGIONAL_METHODIST', validFrom: '2024-09-01' }));
    await assign({ methodistId: maria.id, educatorId: anna.id, validFrom: '2024-09-01' });
    await assign({ methodistId: maria.id, educatorId: boris.id, validFrom: '2024-09-01' });
    const query = `query ($id: ID!) { educator(id: $id) { assignedEducators { educator { fullName } } } }`;
    const names = async (client: Client) => (await client.data(query, { id: maria.id })).educator.assignedEducators
      .map((a: { educator: { fullName: string } }) => a.educator.fullName);
    expect(await names(admin)).toEqual([anna.fullName, boris.fullName]);
    expect(await names(methodistOf(north.municipality.id))).toEqual([anna.fullName]);
  });
});

describe('no N+1', () => {
  /** 30 educators of one school, each on the council; the first two are regional methodists with the rest assigned. */
  let school: { id: string };
  beforeAll(async () => {
    const world = await place();
    school = world.school;
    const people = [];
    for (let i = 0; i < 30; i += 1) people.push(await educator(school.id, `Учитель${String(i).padStart(2, '0')}`));
    for (const person of people) await grant(admin, statusInput(person.id, { municipalityId: world.municipality.id }));
    for (const methodist of people.slice(0, 2)) await grant(admin, statusInput(methodist.id, { kind: 'REGIONAL_METHODIST' }));
    for (let i = 2; i < 30; i += 1) await assign({ methodistId: people[i % 2].id, educatorId: people[i].id, validFrom: '2024-09-01' });
  });

  const nested = `query ($first: Int!, $filter: EducatorFilter) { educators(first: $first, filter: $filter) { nodes { fullName
    statuses(academicYear: "2024/2025") { kind validFrom document { number } municipality { name } }
    assignedEducators(academicYear: "2024/2025") { educator { fullName } }
    regionalMethodists(academicYear: "2024/2025") { methodist { fullName } } } } }`;

  async function sqlFor(first: number): Promise<number> {
    const filter = { organizationId: school.id };
    await admin.data(nested, { first: 1, filter }); // token minted: measure the query alone
    return graph.countSql(async () => {
      const { educators } = await admin.data(nested, { first, filter });
      expect(educators.nodes).toHaveLength(first);
      expect(educators.nodes.every((n: { statuses: unknown[] }) => n.statuses.length > 0)).toBe(true);
      expect(educators.nodes[0].assignedEducators).toHaveLength(14);
      expect(educators.nodes[first - 1].regionalMethodists).toHaveLength(1);
    });
  }

  test('educators with their statuses, assigned educators and regional methodists cost the same SQL for 10 and for 30', async () => {
    const ten = await sqlFor(10);
    const thirty = await sqlFor(30);
    // page; statuses; municipalities; assignments by methodist; by educator; their educators (one or two batches)
    // The two educator batches merge when both assignment queries answer in the same tick: 6 or 7, never more.
    for (const count of [ten, thirty]) expect([6, 7]).toContain(count);
  });
});
