import { addDays, today } from '@mms/platform';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { helpFingerprint } from './help-fixtures';

/** Issue 20, data requests to organizations: the service asks every school of a municipality; schools submit; who is late. */
let graph: TestGraph;
let methodistA: Client;
const w = {} as { a: string; b: string; s1: string; s2: string; s3: string; kindergarten: string; b1: string };
const day = today();

beforeAll(async () => {
  graph = await createTestGraph();
  const admin = graph.as(regionAdmin);
  w.a = (await createMunicipality(admin)).id;
  w.b = (await createMunicipality(admin)).id;
  for (const key of ['s1', 's2', 's3'] as const) w[key] = (await createOrganization(admin, w.a)).id;
  w.kindergarten = (await createOrganization(admin, w.a, { kind: 'KINDERGARTEN' })).id;
  w.b1 = (await createOrganization(admin, w.b)).id;
  methodistA = graph.as({ role: 'municipality_methodist', municipalityId: w.a });
}, 60_000);
afterAll(() => graph.close());

async function refused(client: Client, code: string, query: string, variables: Record<string, unknown>, message?: RegExp) {
  const before = await helpFingerprint(graph.db.profdev);
  const error = await client.error(query, variables);
  expect({ code: error.code, message: error.message }).toEqual({ code, message: message ? expect.stringMatching(message) : expect.any(String) });
  expect(await helpFingerprint(graph.db.profdev)).toEqual(before);
}

const create = `mutation ($input: CreateDataRequestInput!) { createDataRequest(input: $input) { id dueOn fields targetCount submittedCount } }`;
const submit = `mutation ($input: SubmitDataRequestInput!) { submitDataRequest(input: $input) { organization { id } submittedOn isLate text link figures { field value } } }`;

test('the service asks every school of its municipality for figures by a deadline; schools submit once; it sees who is late', async () => {
  await refused(methodistA, 'FORBIDDEN', create, { input: { title: 'x', municipalityId: w.b, dueOn: addDays(day, 5) } });
  await refused(methodistA, 'BAD_USER_INPUT', create, { input: { title: 'x', municipalityId: w.a, dueOn: addDays(day, -1) } }, /past/);
  const { createDataRequest } = await methodistA.data(create, { input: { title: 'Сведения о молодых специалистах', municipalityId: w.a, organizationKind: 'school',
    dueOn: addDays(day, 5), fields: ['Молодых специалистов', 'Из них с наставником'] } });
  expect(createDataRequest).toMatchObject({ targetCount: 3, submittedCount: 0, fields: ['Молодых специалистов', 'Из них с наставником'] });
  const requestId = createDataRequest.id;

  const school = (id: string) => graph.as({ role: 'organization_admin', organizationId: id });
  const figures = [{ field: 'Молодых специалистов', value: 4 }, { field: 'Из них с наставником', value: 3 }];
  await refused(school(w.s1), 'BAD_USER_INPUT', submit, { input: { requestId, figures: figures.slice(0, 1) } }, /missing/);
  await refused(school(w.s1), 'BAD_USER_INPUT', submit, { input: { requestId, figures: [...figures, { field: 'Лишнее', value: 1 }] } }, /not asked/);
  await refused(school(w.s1), 'FORBIDDEN', submit, { input: { requestId, organizationId: w.s2, figures } });
  await refused(school(w.kindergarten), 'FORBIDDEN', submit, { input: { requestId, figures } }, /does not ask/);
  await refused(school(w.s1), 'BAD_USER_INPUT', submit, { input: { requestId, figures, link: 'ftp://x' } });
  const { submitDataRequest } = await school(w.s1).data(submit, { input: { requestId, figures, link: 'https://school.example/report.pdf' } });
  expect(submitDataRequest).toEqual({ organization: { id: w.s1 }, submittedOn: day, isLate: false, text: null, link: 'https://school.example/report.pdf', figures });
  await refused(school(w.s1), 'CONFLICT', submit, { input: { requestId, figures } }, /already submitted/);

  const list = `query ($on: Date) { dataRequests { title submittedCount targets { organization { id } submittedOn } late(on: $on) { organization { id } } } }`;
  const { dataRequests } = await methodistA.data(list, { on: addDays(day, 6) });
  expect(dataRequests[0]).toMatchObject({ title: 'Сведения о молодых специалистах', submittedCount: 1 });
  expect(dataRequests[0].late.map((t: { organization: { id: string } }) => t.organization.id).sort()).toEqual([w.s2, w.s3].sort());
  expect((await methodistA.data(list, { on: addDays(day, 5) })).dataRequests[0].late).toEqual([]);
  // a school sees its own row only; another municipality's service and analysts nothing
  const own = await school(w.s2).data(list, {});
  expect(own.dataRequests[0].targets).toEqual([{ organization: { id: w.s2 }, submittedOn: null }]);
  expect((await graph.as({ role: 'municipality_methodist', municipalityId: w.b }).data(list, {})).dataRequests).toEqual([]);
  expect((await graph.as({ role: 'analyst' }).error(list, {})).code).toBe('FORBIDDEN');
  expect((await school(w.b1).data(list, {})).dataRequests).toEqual([]);
});
