import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization, educatorInput, employmentInput } from './fixtures';

let graph: TestGraph;
let admin: Client;
beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
});
afterAll(() => graph.close());

test('probe', async () => {
  const m = await createMunicipality(admin);
  const o = await createOrganization(admin, m.id);
  const e = await createEducator(admin, o.id);
  const show = async (label: string, q: string, v?: any) => console.log(label, JSON.stringify((await admin.run(q, v)).errors));
  await show('updEdu bad id', `mutation { updateEducator(id: "abc", input: { firstName: "x" }) { id } }`);
  await show('updOrg bad id', `mutation { updateOrganization(id: "abc", input: { name: "x" }) { id } }`);
  await show('endEmp bad id', `mutation { endEmployment(id: "abc", endedOn: "2024-01-01") { id } }`);
  await show('educator bad id', `{ educator(id: "abc") { id } }`);
  for (const after of ['garbage', 'W10', 'WzFd', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('{}').toString('base64url')])
    await show('after ' + after, `query ($after: String) { educators(after: $after) { totalCount } }`, { after });
  await show('first -1', `{ educators(first: -1) { totalCount } }`);
  await show('rate .001', `mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id rate } }`,
    { input: { educatorId: e.id, ...employmentInput(o.id, { rate: 0.001, isMainJob: false, position: 'x' }) } });
  await show('rate 1.255', `mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id rate } }`,
    { input: { educatorId: e.id, ...employmentInput(o.id, { rate: 1.255, isMainJob: false, position: 'y' }) } });
  await show('date var', `mutation ($d: Date!) { endEmployment(id: "${e.employments[0].id}", endedOn: $d) { id } }`, { d: '2024-02-30' });
  await show('date lit', `mutation { endEmployment(id: "${e.employments[0].id}", endedOn: "2024-02-30") { id } }`);
  await show('date input var', `mutation ($input: CreateEducatorInput!) { createEducator(input: $input) { id } }`, { input: educatorInput({ birthDate: '2024-02-30' }) });
  await show('dup snils', `mutation ($input: CreateEducatorInput!) { createEducator(input: $input) { id } }`, { input: educatorInput({ snils: e.snils }) });
  await show('tz lower', `mutation { createMunicipality(input: { name: "x", oktmo: "12345678", timeZone: "europe/moscow" }) { timeZone } }`);
});
