import type { TokenRequest } from '@mms/platform';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization, educatorInput, employmentInput } from './fixtures';

/**
 * The role matrix (packages/platform/src/policy.ts) walked cell by cell through the gateway: for every role, what it
 * may do succeeds and what it may not is refused (FORBIDDEN, or UNAUTHENTICATED without a token), or is simply absent
 * from a list. World: municipalities A and B; schools A1, A2 in A and B1 in B; educators a1, a2, b1, one in each;
 * and two records of one person (survivor in A1, duplicate not yet employed) for the merge.
 */
type Outcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED' | string[];
type RoleName = TokenRequest['role'] | 'anonymous';

let graph: TestGraph;
const world: Record<string, string> = {};
const clients = {} as Record<RoleName, Client>;

beforeAll(async () => {
  graph = await createTestGraph();
  const admin = graph.as(regionAdmin);
  for (const m of ['A', 'B']) world[m] = (await createMunicipality(admin)).id;
  for (const [o, m] of [['A1', 'A'], ['A2', 'A'], ['B1', 'B']]) world[o] = (await createOrganization(admin, world[m])).id;
  for (const [e, o, name] of [['a1', 'A1', 'Андреева'], ['a2', 'A2', 'Алексеева'], ['b1', 'B1', 'Борисова']]) {
    world[e] = (await createEducator(admin, world[o], { lastName: name })).id;
  }
  // Two records of one person, for the merge cell.
  world.survivor = (await createEducator(admin, world.A1, { lastName: 'Дублева', birthDate: '1980-01-01' })).id;
  world.duplicate = (await createEducator(admin, null, { lastName: 'Дублева', birthDate: '1980-01-01' })).id;
  const tokens: Record<Exclude<RoleName, 'anonymous'>, TokenRequest> = {
    region_admin: regionAdmin,
    municipality_methodist: { role: 'municipality_methodist', municipalityId: world.A },
    organization_admin: { role: 'organization_admin', organizationId: world.A1 },
    educator: { role: 'educator', educatorId: world.a1 },
    analyst: { role: 'analyst' },
    integration: { role: 'integration', municipalityId: world.A },
  };
  for (const [role, token] of Object.entries(tokens)) clients[role as RoleName] = graph.as(token);
  clients.anonymous = graph.anonymous();
});
afterAll(() => graph.close());

let serial = 0;
/** Each cell: an operation and, per role, what it must get. Variables are built at run time from the world. */
const cells: { action: string; query: string; variables: () => Record<string, unknown>; list?: (data: any) => string[]; expect: Record<RoleName, Outcome> }[] = [
  {
    action: 'list educators',
    query: `{ educators { nodes { id } } }`,
    variables: () => ({}),
    list: (data) => data.educators.nodes.map((n: { id: string }) => Object.keys(world).find((k) => world[k] === n.id)),
    // survivor works in A1; duplicate has no employment yet, so only region-wide readers see it
    expect: { region_admin: ['a1', 'a2', 'b1', 'duplicate', 'survivor'], municipality_methodist: ['a1', 'a2', 'survivor'], organization_admin: ['a1', 'survivor'], educator: ['a1'], analyst: ['a1', 'a2', 'b1', 'duplicate', 'survivor'], integration: ['a1', 'a2', 'survivor'], anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: "read a1's name and SNILS",
    query: `query ($id: ID!) { educator(id: $id) { fullName snils } }`,
    variables: () => ({ id: world.a1 }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'ok', educator: 'ok', analyst: 'FORBIDDEN', integration: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'read an educator of another municipality (b1)',
    query: `query ($id: ID!) { educator(id: $id) { id employments { organization { id } } } }`,
    variables: () => ({ id: world.b1 }),
    expect: { region_admin: 'ok', municipality_methodist: 'FORBIDDEN', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'ok', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'read the directory of organizations',
    query: `{ organizations { totalCount } municipalities { id } }`,
    variables: () => ({}),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'ok', educator: 'ok', analyst: 'ok', integration: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'register a municipality',
    query: `mutation ($input: CreateMunicipalityInput!) { createMunicipality(input: $input) { id } }`,
    variables: () => ({ input: { name: `Матрица ${++serial}`, oktmo: String(77000000 + serial) } }),
    expect: { region_admin: 'ok', municipality_methodist: 'FORBIDDEN', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'register an organization in A',
    query: `mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
    variables: () => ({ input: { municipalityId: world.A, name: `Школа матрицы ${++serial}`, kind: 'SCHOOL' } }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'register an organization in B',
    query: `mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
    variables: () => ({ input: { municipalityId: world.B, name: `Школа матрицы ${++serial}`, kind: 'SCHOOL' } }),
    expect: { region_admin: 'ok', municipality_methodist: 'FORBIDDEN', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'hire a new educator into A1',
    query: `mutation ($input: CreateEducatorInput!) { createEducator(input: $input) { id } }`,
    variables: () => ({ input: { ...educatorInput(), employment: employmentInput(world.A1) } }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'ok', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'hire a new educator into A2',
    query: `mutation ($input: CreateEducatorInput!) { createEducator(input: $input) { id } }`,
    variables: () => ({ input: { ...educatorInput(), employment: employmentInput(world.A2) } }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: "change a1's record",
    query: `mutation ($id: ID!) { updateEducator(id: $id, input: { email: "a1@school.example" }) { id } }`,
    variables: () => ({ id: world.a1 }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'record a category for a1',
    query: `mutation ($input: RecordCategoryAwardInput!) { recordCategoryAward(input: $input) { id } }`,
    variables: () => ({ input: { educatorId: world.a1, category: 'FIRST', position: `учитель ${++serial}`, awardedOn: '2024-03-01', orderNumber: `${serial}-к`, orderDate: '2024-03-01' } }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: "grant a1 a seat on A's council",
    query: `mutation ($input: GrantEducatorStatusInput!) { grantEducatorStatus(input: $input) { id } }`,
    variables: () => ({ input: { educatorId: world.a1, kind: 'COUNCIL_MEMBER', municipalityId: world.A, validFrom: `${2000 + (++serial)}-09-01`, validTo: `${2000 + serial}-12-31`, document: { number: `${serial}-од`, date: '1999-01-01' } } }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'grant a1 the regional methodist status',
    query: `mutation ($input: GrantEducatorStatusInput!) { grantEducatorStatus(input: $input) { id } }`,
    variables: () => ({ input: { educatorId: world.a1, kind: 'REGIONAL_METHODIST', validFrom: `${1900 + (++serial)}-01-01`, validTo: `${1900 + serial}-06-30`, document: { number: `${serial}-р`, date: '1900-01-01' } } }),
    expect: { region_admin: 'ok', municipality_methodist: 'FORBIDDEN', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'read the audit log',
    query: `{ auditLog(first: 5) { totalCount nodes { entityType operation } } }`,
    variables: () => ({}),
    expect: { region_admin: 'ok', municipality_methodist: 'FORBIDDEN', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'send a bulk import for A',
    query: `mutation ($input: UpsertEducatorsInput!) { upsertEducators(input: $input) { total rejected } }`,
    variables: () => ({ input: { municipalityId: world.A, dryRun: true, rows: [{ snils: educatorInput().snils, lastName: 'Импортова' }] } }),
    expect: { region_admin: 'ok', municipality_methodist: 'FORBIDDEN', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'send a bulk import for B',
    query: `mutation ($input: UpsertEducatorsInput!) { upsertEducators(input: $input) { total rejected } }`,
    variables: () => ({ input: { municipalityId: world.B, dryRun: true, rows: [{ snils: educatorInput().snils, lastName: 'Импортова' }] } }),
    expect: { region_admin: 'ok', municipality_methodist: 'FORBIDDEN', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'read the change feed',
    query: `{ changes(first: 5) { nodes { entityType operation } cursor } }`,
    variables: () => ({}),
    expect: { region_admin: 'ok', municipality_methodist: 'FORBIDDEN', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'merge two records of one person',
    query: `mutation ($s: ID!, $d: ID!) { mergeEducators(survivorId: $s, duplicateId: $d) { id } }`,
    variables: () => ({ s: world.survivor, d: world.duplicate }),
    expect: { region_admin: 'ok', municipality_methodist: 'FORBIDDEN', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
];

const roles: RoleName[] = ['region_admin', 'municipality_methodist', 'organization_admin', 'educator', 'analyst', 'integration', 'anonymous'];
const matrix = cells.flatMap((cell) => roles.map((role) => ({ role, cell, outcome: cell.expect[role] })));

test.each(matrix.map((m) => [m.role, m.cell.action, Array.isArray(m.outcome) ? `sees ${m.outcome.join(', ')}` : m.outcome === 'ok' ? 'allowed' : m.outcome, m] as const))(
  '%s: %s → %s', async (_role, _action, _outcome, { role, cell, outcome }) => {
    const result = await clients[role].run(cell.query, cell.variables());
    if (outcome === 'ok') {
      expect(result.errors ?? []).toEqual([]);
    } else if (Array.isArray(outcome)) {
      expect(result.errors ?? []).toEqual([]);
      expect(cell.list!(result.data).sort()).toEqual(outcome);
    } else {
      expect(result.errors?.map((e) => e.extensions?.code)).toContain(outcome);
    }
  });
