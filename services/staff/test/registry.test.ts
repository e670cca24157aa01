import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createMunicipality, createOrganization, educatorInput, employmentInput } from './fixtures';

let graph: TestGraph;
let admin: Client;
beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
});
afterAll(() => graph.close());

test('an organization, an educator and their employment are created and read back nested', async () => {
  const municipality = await createMunicipality(admin, { name: 'Снежинский городской округ', timeZone: 'Asia/Yekaterinburg' });
  const school = await createOrganization(admin, municipality.id, { name: 'МБОУ «Гимназия № 127»', shortName: 'Гимназия № 127', address: 'ул. Ленина, 1' });
  const { createEducator } = await admin.data(`mutation ($input: CreateEducatorInput!) { createEducator(input: $input) { id } }`,
    { input: educatorInput({ lastName: 'Семёнова', firstName: 'Ольга', patronymic: 'Петровна', snils: '112-233-445 95', phone: '+7 (351) 462-00-00' }) });
  const { startEmployment } = await admin.data(`mutation ($input: StartEmploymentInput!) {
    startEmployment(input: $input) { id position staffCategory rate isMainJob startedOn endedOn isActive } }`,
  { input: { educatorId: createEducator.id, ...employmentInput(school.id, { rate: 1.25, startedOn: '2021-09-01' }) } });
  expect(startEmployment).toMatchObject({ position: 'учитель', staffCategory: 'PEDAGOGICAL', rate: 1.25, isMainJob: true, startedOn: '2021-09-01', endedOn: null, isActive: true });

  const { educator } = await admin.data(`query ($id: ID!) { educator(id: $id) {
    fullName snils phone birthDate educationLevel pedagogicalWorkStartedOn
    employments { position rate organization { shortName address municipality { name oktmo timeZone } } } } }`, { id: createEducator.id });
  expect(educator).toEqual({
    fullName: 'Семёнова Ольга Петровна', snils: '112-233-445 95', phone: '+73514620000', birthDate: '1990-05-17',
    educationLevel: 'HIGHER_SPECIALIST_OR_MASTER', pedagogicalWorkStartedOn: '2015-09-01',
    employments: [{ position: 'учитель', rate: 1.25, organization: { shortName: 'Гимназия № 127', address: 'ул. Ленина, 1',
      municipality: { name: 'Снежинский городской округ', oktmo: municipality.oktmo, timeZone: 'Asia/Yekaterinburg' } } }],
  });

  const { educatorBySnils } = await admin.data(`{ educatorBySnils(snils: "11223344595") { id } }`);
  expect(educatorBySnils.id).toBe(createEducator.id);
  const { organization } = await admin.data(`query ($id: ID!) { organization(id: $id) { kind employments { educator { fullName } } } }`, { id: school.id });
  expect(organization).toEqual({ kind: 'SCHOOL', employments: [{ educator: { fullName: 'Семёнова Ольга Петровна' } }] });
});

test('ids that are not ids of this graph are refused as bad input, never passed to SQL', async () => {
  const queries = [
    `{ educator(id: "42") { id } }`,
    `{ organization(id: "school-1") { id } }`,
    `{ municipality(id: "x") { id } }`,
    `{ educators(filter: { organizationId: "x" }) { totalCount } }`,
    `{ organizations(filter: { municipalityId: "x" }) { totalCount } }`,
    `mutation { updateEducator(id: "x", input: { firstName: "Анна" }) { id } }`,
    `mutation { updateOrganization(id: "x", input: { name: "Школа" }) { id } }`,
    `mutation { endEmployment(id: "x", endedOn: "2024-01-01") { id } }`,
    `{ educatorBySnils(snils: "123") { id } }`,
  ];
  for (const query of queries) expect([query, (await admin.error(query)).code]).toEqual([query, 'BAD_USER_INPUT']);
});

test('a reference to an id that is not one of ours resolves to null', async () => {
  const { _entities } = await graph.subgraph('staff', regionAdmin).data(
    `{ _entities(representations: [{ __typename: "Educator", id: "nope" }, { __typename: "Organization", id: "00000000-0000-0000-0000-000000000001" }]) { __typename } }`);
  expect(_entities).toEqual([null, null]);
});
