import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization, educatorInput, employmentInput } from './fixtures';

/**
 * Reads and writes are limited to the caller's scope, in SQL (the full role matrix comes with the access issue).
 * World: two municipalities, a school in each; Anna works in north, Boris in south, Vera in both.
 */
let graph: TestGraph;
let admin: Client;
let north: { id: string };
let south: { id: string };
let northSchool: { id: string };
let southSchool: { id: string };
let anna: { id: string; snils: string };
let boris: { id: string; snils: string };
let vera: { id: string; snils: string };

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  north = await createMunicipality(admin);
  south = await createMunicipality(admin);
  northSchool = await createOrganization(admin, north.id);
  southSchool = await createOrganization(admin, south.id);
  anna = await createEducator(admin, northSchool.id, { lastName: 'Антонова', firstName: 'Анна' });
  boris = await createEducator(admin, southSchool.id, { lastName: 'Борисов', firstName: 'Борис' });
  vera = await createEducator(admin, northSchool.id, { lastName: 'Верина', firstName: 'Вера' });
  await admin.data(`mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id } }`,
    { input: { educatorId: vera.id, ...employmentInput(southSchool.id, { isMainJob: false, rate: 0.5 }) } });
});
afterAll(() => graph.close());

const names = `query ($filter: EducatorFilter) { educators(filter: $filter) { totalCount nodes { lastName } } }`;
const methodist = (municipalityId: string) => ({ role: 'municipality_methodist' as const, municipalityId });

test('a municipal methodist lists only the educators employed in their municipality', async () => {
  const { educators } = await graph.as(methodist(south.id)).data(names);
  expect(educators).toEqual({ totalCount: 2, nodes: [{ lastName: 'Борисов' }, { lastName: 'Верина' }] });
  const region = await admin.data(names);
  expect(region.educators.totalCount).toBe(3);
});

test('a filter cannot widen the scope', async () => {
  const { educators } = await graph.as(methodist(south.id)).data(names, { filter: { municipalityId: north.id } });
  expect(educators).toEqual({ totalCount: 1, nodes: [{ lastName: 'Верина' }] });
});

test('an educator of another municipality is refused, not hidden as if absent', async () => {
  const client = graph.as(methodist(south.id));
  expect((await client.error(`query ($id: ID!) { educator(id: $id) { lastName } }`, { id: anna.id })).code).toBe('FORBIDDEN');
  expect((await client.error(`query ($s: String!) { educatorBySnils(snils: $s) { lastName } }`, { s: anna.snils })).code).toBe('FORBIDDEN');
  const { educator } = await client.data(`query ($id: ID!) { educator(id: $id) { lastName } }`, { id: '00000000-0000-4000-8000-000000000000' });
  expect(educator).toBeNull();
});

test('a school administrator sees their own staff and nobody else', async () => {
  const client = graph.as({ role: 'organization_admin', organizationId: southSchool.id });
  const { educators } = await client.data(names);
  expect(educators.nodes).toEqual([{ lastName: 'Борисов' }, { lastName: 'Верина' }]);
  const { organization } = await client.data(`query ($id: ID!) { organization(id: $id) { employments { educator { lastName } } } }`, { id: northSchool.id });
  expect(organization.employments).toEqual([{ educator: { lastName: 'Верина' } }]);
});

test('an educator sees only their own record', async () => {
  const client = graph.as({ role: 'educator', educatorId: boris.id });
  const { educators } = await client.data(names);
  expect(educators).toEqual({ totalCount: 1, nodes: [{ lastName: 'Борисов' }] });
  expect((await client.error(`query ($id: ID!) { educator(id: $id) { lastName } }`, { id: vera.id })).code).toBe('FORBIDDEN');
});

test('writes outside the caller\'s municipality are FORBIDDEN and change nothing', async () => {
  const client = graph.as(methodist(south.id));
  const before = await graph.db.staff('employment').select().orderBy('id');
  const attempts = [
    [`mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id } }`, { input: { educatorSnils: boris.snils, ...employmentInput(northSchool.id, { isMainJob: false }) } }],
    [`mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`, { input: { municipalityId: north.id, name: 'Чужая школа', kind: 'SCHOOL' } }],
    [`mutation ($id: ID!) { updateOrganization(id: $id, input: { name: "Переименована" }) { id } }`, { id: northSchool.id }],
    [`mutation ($id: ID!) { updateEducator(id: $id, input: { lastName: "Другая" }) { id } }`, { id: anna.id }],
    [`mutation ($input: CreateEducatorInput!) { createEducator(input: $input) { id } }`, { input: { ...educatorInput(), employment: employmentInput(northSchool.id) } }],
    [`mutation { createMunicipality(input: { name: "Новый", oktmo: "99999999" }) { id } }`, {}],
  ] as const;
  for (const [query, variables] of attempts) {
    expect((await client.error(query, variables)).code).toBe('FORBIDDEN');
  }
  expect(await graph.db.staff('employment').select().orderBy('id')).toEqual(before);
});

test('a methodist hires within their municipality, registering a new educator in the same step', async () => {
  const client = graph.as(methodist(south.id));
  const hired = await createEducator(client, southSchool.id, { lastName: 'Галкина' });
  const { educators } = await client.data(names, { filter: { nameContains: 'галкина' } });
  expect(educators.nodes).toEqual([{ lastName: 'Галкина' }]);
  expect(hired.employments).toHaveLength(1);
  const withoutHire = await client.error(`mutation ($input: CreateEducatorInput!) { createEducator(input: $input) { id } }`, { input: educatorInput() });
  expect(withoutHire.code).toBe('FORBIDDEN');
});

test('an educator registered elsewhere is hired by SNILS and then becomes visible', async () => {
  const client = graph.as(methodist(south.id));
  expect((await client.error(`query ($id: ID!) { educator(id: $id) { id } }`, { id: anna.id })).code).toBe('FORBIDDEN');
  await client.data(`mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id } }`,
    { input: { educatorSnils: anna.snils, ...employmentInput(southSchool.id, { isMainJob: false, rate: 0.25 }) } });
  const { educator } = await client.data(`query ($id: ID!) { educator(id: $id) { lastName employments { organization { id } } } }`, { id: anna.id });
  expect(educator.employments.map((e: { organization: { id: string } }) => e.organization.id).sort()).toEqual([northSchool.id, southSchool.id].sort());
});

test('educators and analysts may not write to the registry; anonymous callers must sign in', async () => {
  const mutation = `mutation ($id: ID!) { updateEducator(id: $id, input: { phone: "+79990000000" }) { id } }`;
  expect((await graph.as({ role: 'educator', educatorId: boris.id }).error(mutation, { id: boris.id })).code).toBe('FORBIDDEN');
  expect((await graph.as({ role: 'analyst' }).error(mutation, { id: boris.id })).code).toBe('FORBIDDEN');
  expect((await graph.anonymous().error(`{ municipalities { id } }`)).code).toBe('UNAUTHENTICATED');
});

test('an analyst gets FORBIDDEN on personal fields, names included, while the rest of the query answers', async () => {
  const result = await graph.as({ role: 'analyst' }).run(`query ($id: ID!) { educator(id: $id) {
    id lastName fullName snils birthDate employments { organization { id } } } }`, { id: boris.id });
  expect(result.data?.educator).toEqual({ id: boris.id, lastName: null, fullName: null, snils: null, birthDate: null, employments: [{ organization: { id: southSchool.id } }] });
  expect(result.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
    ['educator.lastName', 'FORBIDDEN'], ['educator.fullName', 'FORBIDDEN'], ['educator.snils', 'FORBIDDEN'], ['educator.birthDate', 'FORBIDDEN']]);
});

test('the count of a scope counts each educator once, however many employments they hold there', async () => {
  const schoolAdmin = graph.as({ role: 'organization_admin', organizationId: southSchool.id });
  const southMethodist = graph.as(methodist(south.id));
  const before = { school: (await schoolAdmin.data(names)).educators, municipality: (await southMethodist.data(names)).educators };
  // Boris takes a second, part-time position in the same school: still one educator of the school and of south.
  await admin.data(`mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id } }`,
    { input: { educatorId: boris.id, ...employmentInput(southSchool.id, { isMainJob: false, rate: 0.25, position: 'педагог-психолог' }) } });
  const school = (await schoolAdmin.data(names)).educators;
  const municipality = (await southMethodist.data(names)).educators;
  expect(school).toEqual(before.school);
  expect(municipality).toEqual(before.municipality);
  expect(school.totalCount).toBe(school.nodes.length);
  expect(municipality.totalCount).toBe(municipality.nodes.length);
  expect(school.nodes).toContainEqual({ lastName: 'Борисов' });
  // The general path (a filter given) counts the same set.
  const filtered = await southMethodist.data(names, { filter: { municipalityId: south.id } });
  expect(filtered.educators.totalCount).toBe(municipality.totalCount);
});
