import { mintDevToken, startSubgraphServer, type RunningServer, type TokenRequest } from '@mms/platform';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { staffSubgraph } from '../src';
import { createEducator, createMunicipality, createOrganization } from './fixtures';

/**
 * Personal data (152-FZ) in lists: a cursor carries nothing of a person and only the list that made it takes it
 * back; a caller who may not read names (an analyst) gets lists of people in an order that tells nothing of names.
 */
let graph: TestGraph;
let admin: Client;
let analyst: Client;
let methodist: Client;
let municipality: { id: string };
let school: { id: string };
/** The school's educators, in name order (their last names are in alphabetical order). */
const byName: { id: string; lastName: string }[] = [];
const lastNames = ['Абрамова', 'Белова', 'Власова', 'Гусева', 'Данилова', 'Егорова', 'Жукова', 'Зайцева', 'Исаева', 'Козлова', 'Лебедева', 'Морозова'];
const nilUuid = '00000000-0000-0000-0000-000000000000';

const educatorsQuery = `query ($first: Int, $after: String, $filter: EducatorFilter) {
  educators(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`;

/** Every id of the school's list, page by page; fails on a repeat. */
async function pageThrough(client: Client, size: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const { educators }: { educators: any } = await client.data(educatorsQuery, { first: size, after, filter: { organizationId: school.id } });
    ids.push(...educators.edges.map((edge: { node: { id: string } }) => edge.node.id));
    expect(educators.totalCount).toBe(lastNames.length);
    if (!educators.pageInfo.hasNextPage) break;
    after = educators.pageInfo.endCursor;
  }
  expect(new Set(ids).size).toBe(ids.length);
  return ids;
}

/** What a client could read out of a cursor: every decoding of it that might show a name, an id or JSON. */
function readings(cursor: string): string[] {
  return (['base64url', 'base64', 'hex'] as const).flatMap((encoding) => {
    const bytes = Buffer.from(cursor, encoding);
    return [bytes.toString('utf8'), bytes.toString('latin1'), bytes.toString('utf16le')];
  });
}

function expectNothingReadable(cursor: string) {
  for (const text of readings(cursor)) {
    for (const { id, lastName } of byName) {
      expect(text.toLowerCase()).not.toContain(lastName.toLowerCase());
      expect(text).not.toContain(id.slice(0, 8));
    }
    expect(text).not.toMatch(/анна|сергеевна/i);
    expect(() => JSON.parse(text)).toThrow();
  }
}

async function refusedCursor(client: Client, after: string, query = educatorsQuery, variables: Record<string, unknown> = {}) {
  const { error } = await client.error(query, { first: 3, after, ...variables });
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  expect(error.message).not.toMatch(/sql|select|uuid|syntax/i);
}

const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  analyst = graph.as({ role: 'analyst' });
  municipality = await createMunicipality(admin);
  methodist = graph.as({ role: 'municipality_methodist', municipalityId: municipality.id });
  school = await createOrganization(admin, municipality.id);
  for (const lastName of lastNames) byName.push({ id: (await createEducator(admin, school.id, { lastName })).id, lastName });
}, 60_000);

afterAll(() => graph.close());

describe('cursors', () => {
  test('an analyst\'s cursor decodes to nothing readable', async () => {
    const { educators } = await analyst.data(educatorsQuery, { first: 3, filter: { organizationId: school.id } });
    expect(educators.edges).toHaveLength(3);
    for (const { cursor } of educators.edges) expectNothingReadable(cursor);
    expectNothingReadable(educators.pageInfo.endCursor);
  });

  test('a methodist\'s cursor, which seals a name, decodes to nothing readable either', async () => {
    const { educators } = await methodist.data(educatorsQuery, { first: 3, filter: { organizationId: school.id } });
    for (const { cursor } of educators.edges) expectNothingReadable(cursor);
  });

  test('a forged cursor is BAD_USER_INPUT', async () => {
    for (const client of [analyst, methodist, admin]) {
      for (const key of [['к', nilUuid], [nilUuid], [byName[5].id], ['егорова анна сергеевна', byName[5].id]]) await refusedCursor(client, forged(key));
    }
  });

  test('an edited cursor is BAD_USER_INPUT', async () => {
    for (const client of [analyst, methodist]) {
      const { educators } = await client.data(educatorsQuery, { first: 3, filter: { organizationId: school.id } });
      const bytes = Buffer.from(educators.pageInfo.endCursor, 'base64url');
      for (const at of [0, 13, Math.floor(bytes.length / 2), bytes.length - 1]) {
        const edited = Buffer.from(bytes);
        edited[at] ^= 0x20;
        await refusedCursor(client, edited.toString('base64url'));
      }
      await refusedCursor(client, educators.pageInfo.endCursor.slice(0, -2));
    }
  });

  test('a cursor of another list is BAD_USER_INPUT', async () => {
    const organizationsQuery = `query ($first: Int, $after: String) { organizations(first: $first, after: $after) { pageInfo { endCursor } } }`;
    const { organizations } = await admin.data(organizationsQuery, { first: 1 });
    await refusedCursor(admin, organizations.pageInfo.endCursor);
    const { educators } = await admin.data(educatorsQuery, { first: 1 });
    await refusedCursor(admin, educators.pageInfo.endCursor, organizationsQuery);
    const changes = `query ($after: String) { changes(after: $after, first: 1) { cursor } }`;
    await refusedCursor(admin, educators.pageInfo.endCursor, changes);
    // The feed shows a change only once every transaction begun before it has ended, server-wide: while another test
    // file holds a long one, it may answer no cursor yet. Wait for one (at most 20 s).
    let feed = (await admin.data(changes, {})).changes;
    for (let tries = 0; !feed.cursor && tries < 40; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      feed = (await admin.data(changes, {})).changes;
    }
    expect(typeof feed.cursor).toBe('string');
    await refusedCursor(admin, feed.cursor);
  });

  test('a cursor of the name order is BAD_USER_INPUT in the neutral order, and the other way round', async () => {
    const filter = { organizationId: school.id };
    const { educators: named } = await methodist.data(educatorsQuery, { first: 2, filter });
    const { educators: neutral } = await analyst.data(educatorsQuery, { first: 2, filter });
    await refusedCursor(analyst, named.pageInfo.endCursor, educatorsQuery, { filter });
    await refusedCursor(methodist, neutral.pageInfo.endCursor, educatorsQuery, { filter });
  });
});

describe('the order of lists of people', () => {
  test('an analyst pages educators in a neutral order that does not follow names', async () => {
    const ids = await pageThrough(analyst, 5);
    expect(ids).toEqual(byName.map((e) => e.id).sort());
    expect(ids).not.toEqual(byName.map((e) => e.id));
    expect(await pageThrough(analyst, 1)).toEqual(ids);
  });

  test('a methodist still pages by name', async () => {
    expect(await pageThrough(methodist, 5)).toEqual(byName.map((e) => e.id));
    expect(await pageThrough(admin, 7)).toEqual(byName.map((e) => e.id));
  });

  test('an organization\'s employments: by name for a methodist, by id for an analyst', async () => {
    const query = `query ($id: ID!) { organization(id: $id) { employments { educator { id } } } }`;
    const list = async (client: Client) => (await client.data(query, { id: school.id })).organization.employments.map((m: { educator: { id: string } }) => m.educator.id);
    expect(await list(methodist)).toEqual(byName.map((e) => e.id));
    expect(await list(analyst)).toEqual(byName.map((e) => e.id).sort());
  });

  test('status holders and a regional methodist\'s assigned educators: by name for a methodist, by id for an analyst', async () => {
    const order = { number: '7-р', date: '2024-08-25', title: 'О составе совета' };
    const members = byName.slice(0, 8);
    for (const { id } of members) {
      await admin.data(`mutation ($input: GrantEducatorStatusInput!) { grantEducatorStatus(input: $input) { id } }`, { input: {
        educatorId: id, kind: 'COUNCIL_MEMBER', municipalityId: municipality.id, validFrom: '2024-09-01', validTo: null, document: order } });
    }
    const statusQuery = `query ($scope: ScopeInput) { educatorStatuses(kind: COUNCIL_MEMBER, scope: $scope, on: "2025-01-15") { educator { id } } }`;
    const holders = async (client: Client) => (await client.data(statusQuery, { scope: { municipalityId: municipality.id } }))
      .educatorStatuses.map((s: { educator: { id: string } }) => s.educator.id);
    expect(await holders(admin)).toEqual(members.map((e) => e.id));
    expect(await holders(analyst)).toEqual(members.map((e) => e.id).sort());

    const [chief, ...assigned] = byName.slice(4);
    await admin.data(`mutation ($input: GrantEducatorStatusInput!) { grantEducatorStatus(input: $input) { id } }`, { input: {
      educatorId: chief.id, kind: 'REGIONAL_METHODIST', validFrom: '2024-09-01', validTo: null, document: order } });
    for (const { id } of assigned) {
      await admin.data(`mutation ($input: AssignToRegionalMethodistInput!) { assignToRegionalMethodist(input: $input) { id } }`, { input: {
        methodistId: chief.id, educatorId: id, validFrom: '2024-09-01', validTo: null } });
    }
    const assignedQuery = `query ($id: ID!) { educator(id: $id) { assignedEducators(on: "2025-01-15") { educator { id } } } }`;
    const assignedTo = async (client: Client) => (await client.data(assignedQuery, { id: chief.id }))
      .educator.assignedEducators.map((a: { educator: { id: string } }) => a.educator.id);
    expect(await assignedTo(methodist)).toEqual(assigned.map((e) => e.id));
    expect(await assignedTo(analyst)).toEqual(assigned.map((e) => e.id).sort());
  });

  test('educators due for attestation on the same day: by name for a methodist, by id for an analyst', async () => {
    const due = byName.filter((_, i) => i % 2 === 0);
    let n = 0;
    for (const { id } of due) {
      await admin.data(`mutation ($input: RecordCategoryAwardInput!) { recordCategoryAward(input: $input) { id } }`, { input: {
        educatorId: id, category: 'FIRST', position: 'учитель', awardedOn: '2021-10-01', orderNumber: `${(n += 1)}-к-order`, orderDate: '2021-10-01' } });
    }
    const dueQuery = `query ($scope: ScopeInput) { attestationsDue(scope: $scope, before: "2026-10-01") { dueOn educator { id } } }`;
    const list = async (client: Client) => (await client.data(dueQuery, { scope: { municipalityId: municipality.id } }))
      .attestationsDue.map((d: { educator: { id: string } }) => d.educator.id);
    expect(await list(methodist)).toEqual(due.map((e) => e.id));
    expect(await list(analyst)).toEqual(due.map((e) => e.id).sort());
  });
});

describe('straight to the staff subgraph, without the gateway', () => {
  let staff: RunningServer;
  beforeAll(async () => { staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0); });
  afterAll(() => staff.stop());

  async function post(token: TokenRequest, variables: Record<string, unknown>) {
    const response = await fetch(`${staff.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await mintDevToken(token)}` },
      body: JSON.stringify({ query: educatorsQuery, variables }),
    });
    return response.json() as Promise<{ data?: any; errors?: { message: string; extensions: Record<string, unknown> }[] }>;
  }

  test('an analyst on the subgraph\'s own port gets opaque cursors, the neutral order, and BAD_USER_INPUT for a forged cursor', async () => {
    const filter = { organizationId: school.id };
    const first = await post({ role: 'analyst' }, { first: 6, filter });
    expect(first.errors).toBeUndefined();
    for (const { cursor } of first.data.educators.edges) expectNothingReadable(cursor);
    const second = await post({ role: 'analyst' }, { first: 6, filter, after: first.data.educators.pageInfo.endCursor });
    const ids = [...first.data.educators.edges, ...second.data.educators.edges].map((edge: { node: { id: string } }) => edge.node.id);
    expect(ids).toEqual(byName.map((e) => e.id).sort());

    for (const after of [forged(['к', nilUuid]), forged([nilUuid]), 'AAAA'.repeat(40)]) {
      const refused = await post({ role: 'analyst' }, { first: 3, filter, after });
      expect(refused.data?.educators ?? null).toBeNull();
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
  });
});
