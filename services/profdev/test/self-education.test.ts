import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { createRoute, fingerprint } from './fixtures';

/**
 * Self-education (issue 24) through the gateway: an educator records their own topic, period and result; it is on
 * their profile and a route item of kind SELF_STUDY links to it; others' records and bad input are refused, nothing
 * written.
 */
let graph: TestGraph;
let admin: Client;
let methodistA: Client;
let orgAdminA1: Client;
const w = {} as { a: string; a1: string; a2: string; e1: string; e2: string; other: string };

async function tables() {
  const result = await fingerprint(graph.db.profdev);
  for (const table of ['self_education', 'route_item_self_education']) {
    const { rows } = await graph.db.profdev.raw(`select count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as f from profdev.${table} t`);
    result[table] = rows[0].f;
  }
  return result;
}
async function refused(client: Client, code: string, query: string, variables: Record<string, unknown>) {
  const before = await tables();
  expect((await client.error(query, variables)).code).toBe(code);
  expect(await tables()).toEqual(before);
}

const record = `mutation ($input: RecordSelfEducationInput!) { recordSelfEducation(input: $input) { id topic periodFrom periodTo result educator { id } } }`;
const setResult = `mutation ($id: ID!, $r: String!) { setSelfEducationResult(id: $id, result: $r) { id result } }`;
const link = `mutation ($item: ID!, $s: ID!) { linkRouteItemToSelfEducation(itemId: $item, selfEducationId: $s) { id selfEducation { id topic } } }`;
const topic = { topic: 'Смысловое чтение на уроках истории', periodFrom: '2025-09-01', periodTo: '2026-05-31' };
const educator = (id: string) => graph.as({ role: 'educator', subject: `e-${id}`, educatorId: id });

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.a = (await createMunicipality(admin)).id;
  w.a1 = (await createOrganization(admin, w.a)).id;
  w.a2 = (await createOrganization(admin, w.a)).id;
  w.e1 = (await createEducator(admin, w.a1)).id;
  w.e2 = (await createEducator(admin, w.a1)).id;
  w.other = (await createEducator(admin, w.a2)).id;
  methodistA = graph.as({ role: 'municipality_methodist', subject: 'methodist-a', municipalityId: w.a });
  orgAdminA1 = graph.as({ role: 'organization_admin', subject: 'admin-a1', organizationId: w.a1 });
});
afterAll(() => graph.close());

test('an educator records their own self-education; it is on the profile and carries out a SELF_STUDY route item', async () => {
  const { recordSelfEducation: own } = await educator(w.e1).data(record, { input: topic });
  expect(own).toMatchObject({ ...topic, result: null, educator: { id: w.e1 } });
  expect((await educator(w.e1).data(setResult, { id: own.id, r: 'открытый урок, статья в сборнике ГМО' })).setSelfEducationResult.result).toBe('открытый урок, статья в сборнике ГМО');
  const { recordSelfEducation: byAdmin } = await orgAdminA1.data(record, { input: { ...topic, educatorId: w.e2, topic: 'Цифровые инструменты' } });
  expect(byAdmin.educator).toEqual({ id: w.e2 });

  // On the profile: the educator and the school read the result; an analyst the topic only.
  const profile = `query ($id: ID!) { educator(id: $id) { selfEducation { topic result } } }`;
  expect((await educator(w.e1).data(profile, { id: w.e1 })).educator.selfEducation).toEqual([{ topic: topic.topic, result: 'открытый урок, статья в сборнике ГМО' }]);
  expect((await orgAdminA1.data(profile, { id: w.e1 })).educator.selfEducation).toHaveLength(1);
  const analyst = await graph.as({ role: 'analyst', subject: 'an' }).run(profile, { id: w.e1 });
  expect(analyst.data?.educator.selfEducation).toEqual([{ topic: topic.topic, result: null }]);
  expect(analyst.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

  const route = await createRoute(methodistA, w.e1, [{ activityKind: 'SELF_STUDY', title: 'Самообразование' }, { activityKind: 'EVENT', title: 'Семинар' }]);
  expect((await methodistA.data(link, { item: route.items[0].id, s: own.id })).linkRouteItemToSelfEducation.selfEducation).toEqual({ id: own.id, topic: topic.topic });
  const { developmentRoute } = await educator(w.e1).data(`query ($id: ID!) { developmentRoute(id: $id) { items { activityKind selfEducation { id } } } }`, { id: route.id });
  expect(developmentRoute.items).toEqual([{ activityKind: 'SELF_STUDY', selfEducation: { id: own.id } }, { activityKind: 'EVENT', selfEducation: null }]);

  // Bad input: someone else's record, out of scope, an item of another kind or another educator's record, bad dates.
  await refused(educator(w.e2), 'FORBIDDEN', record, { input: { ...topic, educatorId: w.e1 } });
  await refused(educator(w.e2), 'FORBIDDEN', setResult, { id: own.id, r: 'чужое' });
  await refused(orgAdminA1, 'FORBIDDEN', record, { input: { ...topic, educatorId: w.other } });
  await refused(graph.as({ role: 'analyst', subject: 'an' }), 'FORBIDDEN', record, { input: { ...topic, educatorId: w.e1 } });
  await refused(graph.anonymous(), 'UNAUTHENTICATED', record, { input: topic });
  await refused(educator(w.e1), 'BAD_USER_INPUT', record, { input: { ...topic, periodTo: '2025-08-01' } });
  await refused(methodistA, 'BAD_USER_INPUT', record, { input: topic });
  await refused(methodistA, 'BAD_USER_INPUT', link, { item: route.items[1].id, s: own.id });
  await refused(methodistA, 'BAD_USER_INPUT', link, { item: route.items[0].id, s: byAdmin.id });
});
