import type { TokenRequest } from '@mms/platform';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';

/**
 * The role matrix (packages/platform/src/policy.ts) for issue 19's actions, cell by cell through the gateway:
 * practice:submit, practice:study, material:write, announcement:write, and the public reads. World: municipalities A
 * and B, schools A1 and B1, educators a1 (A1) and b1 (B1); one practice per role to move, and a recommended one.
 */
type RoleName = TokenRequest['role'] | 'anonymous';
type Outcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED';
const roles: RoleName[] = ['region_admin', 'municipality_methodist', 'organization_admin', 'educator', 'analyst', 'integration', 'anonymous'];

let graph: TestGraph;
const w = {} as Record<string, string>;
const clients = {} as Record<RoleName, Client>;
const toMove = {} as Record<RoleName, string>;

const submit = `mutation ($input: SubmitPracticeInput!) { submitPractice(input: $input) { id } }`;
const practiceInput = (title: string) => ({ title, organizationId: w.A1, subjectArea: 'история', schoolLevel: 'SECONDARY', summary: 'Краткое описание', authors: [{ educatorId: w.a1 }] });

beforeAll(async () => {
  graph = await createTestGraph();
  const admin = graph.as(regionAdmin);
  w.A = (await createMunicipality(admin)).id;
  w.B = (await createMunicipality(admin)).id;
  w.A1 = (await createOrganization(admin, w.A)).id;
  w.B1 = (await createOrganization(admin, w.B)).id;
  w.a1 = (await createEducator(admin, w.A1)).id;
  w.b1 = (await createEducator(admin, w.B1)).id;
  const tokens: Record<Exclude<RoleName, 'anonymous'>, TokenRequest> = {
    region_admin: regionAdmin,
    municipality_methodist: { role: 'municipality_methodist', municipalityId: w.A },
    organization_admin: { role: 'organization_admin', organizationId: w.A1 },
    educator: { role: 'educator', educatorId: w.a1 },
    analyst: { role: 'analyst' },
    integration: { role: 'integration', municipalityId: w.A },
  };
  for (const [role, token] of Object.entries(tokens)) clients[role as RoleName] = graph.as(token);
  clients.anonymous = graph.anonymous();
  for (const role of roles) toMove[role] = (await admin.data(submit, { input: practiceInput(`Практика для ${role}`) })).submitPractice.id;
  w.recommended = (await admin.data(submit, { input: practiceInput('Рекомендованная практика') })).submitPractice.id;
  for (const [stage, extra] of [['UNDER_STUDY', {}], ['GENERALISED', { decisionKind: 'ORDER', decisionNumber: '1' }], ['RECOMMENDED', { decisionKind: 'ORDER', decisionNumber: '2', recommendationLevel: 'REGIONAL' }]] as const) {
    await admin.data(`mutation ($id: ID!, $input: AdvancePracticeInput!) { advancePractice(id: $id, input: $input) { id } }`, { id: w.recommended, input: { stage, ...extra } });
  }
}, 90_000);
afterAll(() => graph.close());

let serial = 0;
const cells: { action: string; query: string; variables: (role: RoleName) => Record<string, unknown>; expect: Record<RoleName, Outcome> }[] = [
  {
    action: 'practice:submit (a practice of A1 by a1)',
    query: submit,
    variables: () => ({ input: practiceInput(`Новая практика ${++serial}`) }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'ok', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'practice:study (take a practice of A under study)',
    query: `mutation ($id: ID!) { advancePractice(id: $id, input: { stage: UNDER_STUDY }) { stage } }`,
    variables: (role) => ({ id: toMove[role] }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'practice:study (a municipal project of A)',
    query: `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }`,
    variables: () => ({ input: { title: `Проект ${++serial}`, level: 'MUNICIPAL', municipalityId: w.A, startsOn: '2026-09-01' } }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'material:write (a material of A)',
    query: `mutation ($input: CreateMaterialInput!) { createMaterial(input: $input) { id } }`,
    variables: () => ({ input: { kind: 'MANUAL', title: `Пособие ${++serial}`, visibility: 'INTERNAL', municipalityId: w.A } }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'announcement:write (an announcement of A)',
    query: `mutation ($input: CreateAnnouncementInput!) { createAnnouncement(input: $input) { id } }`,
    variables: () => ({ input: { title: `Новость ${++serial}`, body: 'Текст', topic: 'NEWS', municipalityId: w.A } }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'read the public face (recommended practice, materials, announcements, news feed)',
    query: `query ($id: ID!) { practice(id: $id) { id stage } practices(filter: { stage: RECOMMENDED }) { totalCount } materials { totalCount } announcements { totalCount } newsFeed { id } projects { id } }`,
    variables: () => ({ id: w.recommended }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'ok', educator: 'ok', analyst: 'ok', integration: 'ok', anonymous: 'ok' },
  },
];

describe.each(cells)('$action', (cell) => {
  test.each(roles)('%s', async (role) => {
    const result = await clients[role].run(cell.query, cell.variables(role));
    const outcome = result.errors?.length ? String(result.errors[0].extensions?.code) : 'ok';
    expect(outcome).toBe(cell.expect[role]);
  });
});

test('who sees a practice not yet recommended: the region, its municipality, its organization, its authors; not B, not anonymous', async () => {
  const seen: Record<string, boolean> = {};
  for (const role of roles) {
    const result = await clients[role].run(`query ($id: ID!) { practice(id: $id) { id } }`, { id: toMove.analyst });
    seen[role] = Boolean(result.data?.practice);
  }
  expect(seen).toEqual({ region_admin: true, municipality_methodist: true, organization_admin: true, educator: true, analyst: true, integration: true, anonymous: false });
  const methodistB = graph.as({ role: 'municipality_methodist', municipalityId: w.B });
  expect((await methodistB.data(`query ($id: ID!) { practice(id: $id) { id } }`, { id: toMove.analyst })).practice).toBeNull();
  expect((await graph.as({ role: 'educator', educatorId: w.b1 }).data(`{ practices { nodes { id } } }`)).practices.nodes).toEqual([{ id: w.recommended }]);
});
