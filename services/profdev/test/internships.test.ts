import type { Knex } from 'knex';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { createRoute, fingerprint } from './fixtures';

/**
 * Internships at internship sites (issue 24) through the gateway: a site holding the status records an internship
 * with participants and its outcome, a route item of kind INTERNSHIP links to it; an organization without the status
 * on the internship's days is refused, nothing written.
 */
let graph: TestGraph;
let admin: Client;
let methodistA: Client;
let methodistB: Client;
const w = {} as { a: string; b: string; site: string; school: string; plain: string; b1: string; e1: string; e2: string; e3: string; far: string };

const tables = ['internship', 'internship_participant', 'route_item_internship'];
async function allTables(db: Knex) {
  const result = await fingerprint(db);
  for (const table of tables) {
    const { rows } = await db.raw(`select count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as f from profdev.${table} t`);
    result[table] = rows[0].f;
  }
  return result;
}
async function refused(client: Client, code: string, query: string, variables: Record<string, unknown>, message?: RegExp) {
  const before = await allTables(graph.db.profdev);
  const error = await client.error(query, variables);
  expect({ code: error.code, message: error.message }).toEqual({ code, message: message ? expect.stringMatching(message) : expect.any(String) });
  expect(await allTables(graph.db.profdev)).toEqual(before);
}

const create = `mutation ($input: CreateInternshipInput!) { createInternship(input: $input) {
  id programTitle form startsOn endsOn organization { id } teamOrganization { id } participants { educator { id } } outcome completedOn } }`;
const outcome = `mutation ($id: ID!, $on: Date!, $text: String!) { recordInternshipOutcome(id: $id, completedOn: $on, outcome: $text) { id outcome completedOn } }`;
const link = `mutation ($item: ID!, $internship: ID!) { linkRouteItemToInternship(itemId: $item, internshipId: $internship) { id activityKind internship { id programTitle } } }`;
const input = (overrides: Record<string, unknown> = {}) => ({
  organizationId: w.site, programTitle: 'Формирующее оценивание на уроках математики', form: 'INDIVIDUAL', startsOn: '2025-11-10', endsOn: '2025-11-14',
  participantIds: [w.e1, w.e2], ...overrides,
});

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.a = (await createMunicipality(admin)).id;
  w.b = (await createMunicipality(admin)).id;
  w.site = (await createOrganization(admin, w.a)).id;
  w.school = (await createOrganization(admin, w.a)).id;
  w.plain = (await createOrganization(admin, w.a)).id;
  w.b1 = (await createOrganization(admin, w.b)).id;
  w.e1 = (await createEducator(admin, w.school)).id;
  w.e2 = (await createEducator(admin, w.school)).id;
  w.e3 = (await createEducator(admin, w.school)).id;
  w.far = (await createEducator(admin, w.b1)).id;
  await admin.data(`mutation ($input: GrantOrganizationStatusInput!) { grantOrganizationStatus(input: $input) { id } }`, { input: {
    organizationId: w.site, kind: 'INTERNSHIP_SITE', direction: 'формирующее оценивание', validFrom: '2025-09-01', validTo: '2026-08-31',
    document: { number: '77-од', date: '2025-08-25' } } });
  methodistA = graph.as({ role: 'municipality_methodist', subject: 'methodist-a', municipalityId: w.a });
  methodistB = graph.as({ role: 'municipality_methodist', subject: 'methodist-b', municipalityId: w.b });
});
afterAll(() => graph.close());

test('an internship at a site with the status, its outcome, and a route item of kind INTERNSHIP carried out as it', async () => {
  const { createInternship: internship } = await methodistA.data(create, { input: input() });
  expect(internship).toMatchObject({ form: 'INDIVIDUAL', organization: { id: w.site }, outcome: null });
  expect(internship.participants.map((p: { educator: { id: string } }) => p.educator.id).sort()).toEqual([w.e1, w.e2].sort());
  const { createInternship: team } = await methodistA.data(create, { input: input({ form: 'TEAM', teamOrganizationId: w.school, participantIds: [w.e3], programTitle: 'Управленческая команда' }) });
  expect(team.teamOrganization).toEqual({ id: w.school });

  expect((await methodistA.data(outcome, { id: internship.id, on: '2025-11-14', text: 'разработаны и апробированы два урока' })).recordInternshipOutcome)
    .toMatchObject({ completedOn: '2025-11-14', outcome: 'разработаны и апробированы два урока' });
  await refused(methodistA, 'CONFLICT', outcome, { id: internship.id, on: '2025-11-15', text: 'ещё раз' });

  const route = await createRoute(methodistA, w.e1, [{ activityKind: 'INTERNSHIP', title: 'Стажировка' }, {}]);
  expect((await methodistA.data(link, { item: route.items[0].id, internship: internship.id })).linkRouteItemToInternship)
    .toMatchObject({ activityKind: 'INTERNSHIP', internship: { id: internship.id } });
  await refused(methodistA, 'BAD_USER_INPUT', link, { item: route.items[1].id, internship: internship.id }, /kind INTERNSHIP/);
  const other = await createRoute(methodistA, w.e3, [{ activityKind: 'INTERNSHIP', title: 'Стажировка' }]);
  await refused(methodistA, 'BAD_USER_INPUT', link, { item: other.items[0].id, internship: internship.id }, /does not take part/);

  // The list, by scope: the site's municipality sees them; B's methodist does not; the participant sees their own.
  const list = `{ internships(first: 10) { totalCount nodes { id participants { educator { id } } } } }`;
  expect((await methodistA.data(list)).internships.totalCount).toBe(2);
  expect((await methodistB.data(list)).internships.totalCount).toBe(0);
  const own = (await graph.as({ role: 'educator', subject: 'e1', educatorId: w.e1 }).data(list)).internships;
  expect(own.nodes.map((n: { id: string }) => n.id)).toEqual([internship.id]);
  expect(own.nodes[0].participants).toEqual([{ educator: { id: w.e1 } }]);
  expect((await graph.anonymous().error(list)).code).toBe('UNAUTHENTICATED');
});

test('bad input: an organization without the site status on its dates, another municipality\'s site, a participant out of scope', async () => {
  await refused(methodistA, 'BAD_USER_INPUT', create, { input: input({ organizationId: w.plain }) }, /not an internship site/);
  // The site's term ends on 2026-08-31: an internship running past it is refused.
  await refused(methodistA, 'BAD_USER_INPUT', create, { input: input({ startsOn: '2026-08-25', endsOn: '2026-09-05' }) }, /not an internship site/);
  await refused(methodistA, 'BAD_USER_INPUT', create, { input: input({ startsOn: '2025-08-25', endsOn: '2025-09-05' }) }, /not an internship site/);
  await refused(methodistB, 'FORBIDDEN', create, { input: input() });
  await refused(methodistA, 'FORBIDDEN', create, { input: input({ participantIds: [w.far] }) });
  await refused(methodistA, 'BAD_USER_INPUT', create, { input: input({ endsOn: '2025-11-01' }) });
  await refused(methodistA, 'BAD_USER_INPUT', create, { input: input({ participantIds: [] }) });
  await refused(graph.as({ role: 'organization_admin', subject: 'oa', organizationId: w.site }), 'FORBIDDEN', create, { input: input() });
});

test('the role matrix of recording an internship at A\'s site', async () => {
  const outcomes: [Client, string][] = [
    [admin, 'ok'], [methodistA, 'ok'], [methodistB, 'FORBIDDEN'],
    [graph.as({ role: 'organization_admin', subject: 'oa', organizationId: w.site }), 'FORBIDDEN'],
    [graph.as({ role: 'educator', subject: 'e1', educatorId: w.e1 }), 'FORBIDDEN'],
    [graph.as({ role: 'analyst', subject: 'an' }), 'FORBIDDEN'],
    [graph.as({ role: 'integration', subject: 'int', municipalityId: w.a }), 'FORBIDDEN'],
    [graph.anonymous(), 'UNAUTHENTICATED'],
  ];
  for (const [client, outcome] of outcomes) {
    const result = await client.run(create, { input: input({ startsOn: '2026-01-12', endsOn: '2026-01-16' }) });
    if (outcome === 'ok') expect(result.errors ?? []).toEqual([]);
    else expect(result.errors?.map((e) => e.extensions?.code)).toEqual([outcome]);
  }
});
