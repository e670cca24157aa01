import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';

/**
 * Announcements and the public news feed (issue 19): drafts are read only by those who write them (an anonymous
 * reader of a draft: UNAUTHENTICATED, nothing else told); published ones and association publications are public,
 * pinned first; bad input and foreign scopes change nothing.
 */
let graph: TestGraph;
let admin: Client;
let methodistA: Client;
const w = {} as Record<string, string>;

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.a = (await createMunicipality(admin)).id;
  w.b = (await createMunicipality(admin)).id;
  w.a1 = (await createOrganization(admin, w.a)).id;
  w.educator = (await createEducator(admin, w.a1)).id;
  methodistA = graph.as({ role: 'municipality_methodist', subject: 'methodist-a', municipalityId: w.a });
  const { createMethodAssociation } = await admin.data(`mutation ($input: CreateMethodAssociationInput!) { createMethodAssociation(input: $input) { id } }`,
    { input: { level: 'MUNICIPAL', municipalityId: w.a, subjectArea: 'математика', title: 'ГМО учителей математики' } });
  await admin.data(`mutation ($input: RecordPublicationInput!) { recordPublication(input: $input) { id } }`,
    { input: { associationId: createMethodAssociation.id, publishedOn: '2026-10-15', title: 'ГМО: итоги заседания', url: 'https://edu.example/gmo/1' } });
}, 60_000);
afterAll(() => graph.close());

const rows = async () => {
  const { rows: [row] } = await graph.db.events.raw(`select count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as f from events.announcement t`);
  return row.f as string;
};

async function refused(client: Client, code: string, query: string, variables: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const before = await rows();
  const { error } = await client.error(query, variables);
  expect(error.extensions).toMatchObject({ code, ...extra });
  expect(await rows()).toEqual(before);
}

const create = `mutation ($input: CreateAnnouncementInput!) { createAnnouncement(input: $input) { id status publishedAt municipalityId pinned audiences } }`;

test('drafts, publication, pinning and the public feed with association publications', async () => {
  const input = { title: 'Новые учебники по физике', body: 'В федеральный перечень включены новые учебники.', topic: 'TEXTBOOK', audiences: ['TEACHERS'] };
  await refused(graph.as({ role: 'educator', educatorId: w.educator }), 'FORBIDDEN', create, { input });
  await refused(graph.anonymous(), 'UNAUTHENTICATED', create, { input });
  await refused(methodistA, 'BAD_USER_INPUT', create, { input: { ...input, url: 'javascript:alert(1)' } }, { field: 'input.url' });
  await refused(methodistA, 'FORBIDDEN', create, { input: { ...input, municipalityId: w.b } });

  const { createAnnouncement: draft } = await methodistA.data(create, { input });
  expect(draft).toMatchObject({ status: 'DRAFT', publishedAt: null, municipalityId: w.a, pinned: false, audiences: ['TEACHERS'] });
  const read = `query ($id: ID!) { announcement(id: $id) { id status } }`;
  // a draft is not public: an anonymous reader is told to sign in, another municipality's methodist is refused
  await refused(graph.anonymous(), 'UNAUTHENTICATED', read, { id: draft.id });
  await refused(graph.as({ role: 'municipality_methodist', municipalityId: w.b }), 'FORBIDDEN', read, { id: draft.id });
  const publicList = `query ($m: ID) { announcements(filter: { municipalityId: $m }) { totalCount nodes { id } } newsFeed(municipalityId: $m) { kind title pinned publishedAt } }`;
  expect((await graph.anonymous().data(publicList, { m: w.a })).announcements.totalCount).toBe(0);
  expect((await methodistA.data(`{ announcements(filter: { status: DRAFT }) { nodes { id } } }`)).announcements.nodes).toEqual([{ id: draft.id }]);
  await refused(graph.as({ role: 'municipality_methodist', municipalityId: w.b }), 'FORBIDDEN', `mutation ($id: ID!) { publishAnnouncement(id: $id) { id } }`, { id: draft.id });

  await methodistA.data(`mutation ($id: ID!) { publishAnnouncement(id: $id, publishedAt: "2026-10-20T09:00:00+10:00") { status } }`, { id: draft.id });
  const { createAnnouncement: regional } = await admin.data(create, { input: { title: 'Курсы повышения квалификации', body: 'Открыта запись.', topic: 'UPSKILLING', publish: true, publishedAt: '2026-10-01T00:00:00Z' } });
  expect(regional).toMatchObject({ status: 'PUBLISHED', municipalityId: null, publishedAt: '2026-10-01T00:00:00.000Z' });
  await admin.data(`mutation ($id: ID!) { setAnnouncementPinned(id: $id, pinned: true) { pinned } }`, { id: regional.id });

  const anonymous = await graph.anonymous().data(publicList, { m: w.a });
  expect(anonymous.announcements.nodes.map((n: { id: string }) => n.id)).toEqual([regional.id, draft.id]);
  expect(anonymous.newsFeed).toEqual([
    { kind: 'ANNOUNCEMENT', title: 'Курсы повышения квалификации', pinned: true, publishedAt: '2026-10-01T00:00:00.000Z' },
    { kind: 'ANNOUNCEMENT', title: 'Новые учебники по физике', pinned: false, publishedAt: '2026-10-19T23:00:00.000Z' },
    { kind: 'ASSOCIATION_PUBLICATION', title: 'ГМО: итоги заседания', pinned: false, publishedAt: expect.stringMatching(/^2026-10-1[45]T/) },
  ]);
  // another municipality's feed: the regional announcement only
  expect((await graph.anonymous().data(publicList, { m: w.b })).newsFeed.map((n: { title: string }) => n.title)).toEqual(['Курсы повышения квалификации']);
  await refused(graph.anonymous(), 'BAD_USER_INPUT', `{ newsFeed(first: 500) { id } }`, {});
  // paging
  const first = await graph.anonymous().data(`{ announcements(first: 1) { nodes { id } pageInfo { hasNextPage endCursor } } }`);
  const next = await graph.anonymous().data(`query ($after: String) { announcements(first: 1, after: $after) { nodes { id } pageInfo { hasNextPage } } }`, { after: first.announcements.pageInfo.endCursor });
  expect([first.announcements.nodes[0].id, next.announcements.nodes[0].id, next.announcements.pageInfo.hasNextPage]).toEqual([regional.id, draft.id, false]);
});
