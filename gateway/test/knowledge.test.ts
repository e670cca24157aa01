import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { mintDevToken, startSubgraphServer, type RunningServer, type TokenRequest } from '@mms/platform';
import { eventsSubgraph } from '@mms/events';
import { profdevSubgraph } from '@mms/profdev';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../services/staff/test/fixtures';
import { createCompetency, createProgram } from '../../services/profdev/test/fixtures';

/**
 * Issue 19 done-means, end to end over HTTP: an educator submits a practice with a file (through the gateway's
 * /files), a methodist takes it through review (three reviewers proposed, one refused for conflict) to RECOMMENDED,
 * it is presented at an event, and an anonymous client finds it by «наставничеству» in `practices`, downloads its
 * file, and reads it in /feed.xml. Bad files (over the limit, content not of the declared type) change nothing.
 */
let graph: TestGraph;
let staff: RunningServer;
let profdev: RunningServer;
let events: RunningServer;
let gateway: RunningServer;
let admin: Client;
let methodist: Client;
let educator: Client;
const w = {} as Record<string, string>;
const tokens = {} as Record<string, string>;
const savedLimit = process.env.FILES_MAX_BYTES;

/** A small real PDF (its signature is what is checked). */
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

beforeAll(async () => {
  process.env.FILES_MAX_BYTES = '4096';
  graph = await createTestGraph();
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  profdev = await startSubgraphServer(profdevSubgraph, graph.db.profdev, 0);
  events = await startSubgraphServer(eventsSubgraph, graph.db.events, 0);
  const urls: Record<string, string> = { staff: `${staff.url}/graphql`, profdev: `${profdev.url}/graphql`, events: `${events.url}/graphql` };
  gateway = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources((name) => urls[name]), port: 0, filesUrl: `${profdev.url}/files` });
  admin = graph.as(regionAdmin);
  w.town = (await createMunicipality(admin, { name: 'Партизанск' })).id;
  w.other = (await createMunicipality(admin, { name: 'Находка' })).id;
  w.school = (await createOrganization(admin, w.town)).id;
  w.farSchool = (await createOrganization(admin, w.other)).id;
  w.author = (await createEducator(admin, w.school)).id;
  w.colleague = (await createEducator(admin, w.school)).id;
  w.expert1 = (await createEducator(admin, w.farSchool)).id;
  w.expert2 = (await createEducator(admin, w.farSchool)).id;
  w.competency = (await createCompetency(admin, { title: 'Наставничество и сопровождение' })).id;
  const methodistToken: TokenRequest = { role: 'municipality_methodist', subject: 'methodist', municipalityId: w.town };
  const educatorToken: TokenRequest = { role: 'educator', educatorId: w.author };
  methodist = graph.as(methodistToken);
  educator = graph.as(educatorToken);
  tokens.methodist = await mintDevToken(methodistToken);
  tokens.educator = await mintDevToken(educatorToken);
  tokens.stranger = await mintDevToken({ role: 'educator', educatorId: w.expert1 });
  const { createEvent } = await admin.data(`mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }`, { input: {
    kind: 'MASTER_CLASS', level: 'MUNICIPAL', municipalityId: w.town, venueOrganizationId: w.school, title: 'Мастер-класс по наставничеству',
    startsAt: '2026-11-12T10:00:00+10:00', endsAt: '2026-11-12T12:00:00+10:00' } });
  w.event = createEvent.id;
}, 90_000);

afterAll(async () => {
  if (savedLimit === undefined) delete process.env.FILES_MAX_BYTES; else process.env.FILES_MAX_BYTES = savedLimit;
  await gateway.stop();
  await Promise.all([staff.stop(), profdev.stop(), events.stop()]);
  await graph.close();
});

async function upload(query: Record<string, string>, body: Buffer, type: string, token?: string) {
  const response = await fetch(`${gateway.url}/files?${new URLSearchParams(query)}`, {
    method: 'POST', body: new Uint8Array(body), headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: response.status, body: await response.json() as any };
}

async function download(id: string, token?: string) {
  const response = await fetch(`${gateway.url}/files/${id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

const fileRows = async () => {
  const { rows } = await graph.db.profdev.raw(`select (select count(*) from profdev.stored_file)::int as files, (select count(*) from profdev.file_chunk)::int as chunks`);
  return rows[0];
};

test('done means: a practice with a file, through review to RECOMMENDED, presented, found by an anonymous client', async () => {
  const { submitPractice: practice } = await educator.data(`mutation ($input: SubmitPracticeInput!) { submitPractice(input: $input) { id } }`, { input: {
    title: 'Школа наставничества для молодых педагогов', organizationId: w.school, subjectArea: 'управление', schoolLevel: 'BASIC', competencyIds: [w.competency],
    summary: 'Наставничество как система: пары, план, взаимопосещение.', authors: [{ educatorId: w.author }], submittedOn: '2026-10-01' } });
  w.practice = practice.id;

  // bad files: nothing is written
  const before = await fileRows();
  const tooLarge = await upload({ practiceId: practice.id, name: 'big.pdf' }, Buffer.concat([pdf, Buffer.alloc(5000, 0x20)]), 'application/pdf', tokens.educator);
  expect(tooLarge).toMatchObject({ status: 413, body: { errors: [{ extensions: { code: 'BAD_USER_INPUT', reason: 'FILE_TOO_LARGE', limit: 4096 } }] } });
  // a large body, chunked (no Content-Length): reading stops at the limit, the answer is still 413
  const big = Buffer.concat([pdf, Buffer.alloc(2 * 1024 * 1024, 0x20)]);
  const chunked = await fetch(`${gateway.url}/files?${new URLSearchParams({ practiceId: practice.id, name: 'big.pdf' })}`, {
    method: 'POST', duplex: 'half', headers: { 'content-type': 'application/pdf', authorization: `Bearer ${tokens.educator}` },
    body: new ReadableStream({ start(controller) { for (let i = 0; i < big.length; i += 65536) controller.enqueue(new Uint8Array(big.subarray(i, i + 65536))); controller.close(); } }),
  } as RequestInit);
  expect(chunked.status).toBe(413);
  expect((await chunked.json()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'FILE_TOO_LARGE' });
  const mismatch = await upload({ practiceId: practice.id, name: 'fake.pdf' }, png, 'application/pdf', tokens.educator);
  expect(mismatch).toMatchObject({ status: 415, body: { errors: [{ extensions: { code: 'BAD_USER_INPUT', reason: 'CONTENT_TYPE_MISMATCH' } }] } });
  const unsupported = await upload({ practiceId: practice.id, name: 'x.exe' }, pdf, 'application/x-msdownload', tokens.educator);
  expect(unsupported).toMatchObject({ status: 415, body: { errors: [{ extensions: { reason: 'UNSUPPORTED_TYPE' } }] } });
  expect((await upload({ practiceId: practice.id, name: 'a.pdf' }, pdf, 'application/pdf')).status).toBe(401);
  expect((await upload({ practiceId: practice.id, name: 'a.pdf' }, pdf, 'application/pdf', tokens.stranger)).status).toBe(403);
  expect(await fileRows()).toEqual(before);

  const uploaded = await upload({ practiceId: practice.id, name: 'Программа наставничества.pdf' }, pdf, 'application/pdf', tokens.educator);
  expect(uploaded).toMatchObject({ status: 201, body: { name: 'Программа наставничества.pdf', mimeType: 'application/pdf', sizeBytes: pdf.length } });
  w.file = uploaded.body.id;
  // not public yet: anonymous 401, the author reads it
  expect((await download(w.file)).response.status).toBe(401);
  const own = await download(w.file, tokens.educator);
  expect(own.response.status).toBe(200);
  expect(own.bytes.equals(pdf)).toBe(true);

  // the methodist: under study, a review with three reviewers proposed (the author's colleague refused), closed, generalised, recommended
  const advance = (stage: string, extra: Record<string, unknown> = {}) => methodist.data(`mutation ($id: ID!, $input: AdvancePracticeInput!) { advancePractice(id: $id, input: $input) { stage } }`,
    { id: practice.id, input: { stage, ...extra } });
  await advance('UNDER_STUDY', { takenOn: '2026-10-02' });
  const { openPracticeReview: review } = await methodist.data(`mutation ($input: OpenPracticeReviewInput!) { openPracticeReview(input: $input) { id criteria { id } } }`,
    { input: { practiceId: practice.id, openedOn: '2026-10-03', criteria: [{ title: 'Актуальность', weight: 1, maxScore: 5 }, { title: 'Тиражируемость', weight: 1, maxScore: 5 }] } });
  const add = `mutation ($r: ID!, $e: ID!) { addPracticeReviewer(reviewId: $r, educatorId: $e) { reviewers { id } } }`;
  const conflict = await methodist.error(add, { r: review.id, e: w.colleague });
  expect(conflict.error.extensions).toMatchObject({ code: 'CONFLICT', reason: 'REVIEWER_CONFLICT' });
  await methodist.data(add, { r: review.id, e: w.expert1 });
  expect((await methodist.data(add, { r: review.id, e: w.expert2 })).addPracticeReviewer.reviewers).toHaveLength(2);
  for (const [expert, points] of [[w.expert1, 5], [w.expert2, 4]] as const) {
    await graph.as({ role: 'educator', educatorId: expert }).data(`mutation ($input: ReviewScoresInput!) { scorePractice(input: $input) { id } }`,
      { input: { reviewId: review.id, scores: review.criteria.map((c: { id: string }) => ({ criterionId: c.id, score: points })) } });
  }
  const { closePracticeReview } = await methodist.data(`mutation ($r: ID!) { closePracticeReview(reviewId: $r, closedOn: "2026-10-15") { weightedScore } }`, { r: review.id });
  expect(closePracticeReview.weightedScore).toBe(90);
  await advance('GENERALISED', { takenOn: '2026-10-20', decisionKind: 'COUNCIL_DECISION', decisionNumber: 'МС-3' });
  expect((await advance('RECOMMENDED', { takenOn: '2026-11-01', recommendationLevel: 'MUNICIPAL', decisionKind: 'ORDER', decisionNumber: '45-о' })).advancePractice.stage).toBe('RECOMMENDED');
  await methodist.data(`mutation ($input: RecordPresentationInput!) { recordPracticePresentation(input: $input) { id } }`,
    { input: { practiceId: practice.id, eventId: w.event, role: 'MASTER_CLASS_HOST', educatorsReached: 18 } });
  // two educators attended the master class (the events subgraph's participations)
  for (const attendee of [w.colleague, w.expert1]) {
    await admin.data(`mutation ($input: RegisterForEventInput!) { registerForEvent(input: $input) { isWaitlisted } }`, { input: { eventId: w.event, educatorId: attendee } });
  }
  await admin.data(`mutation ($e: ID!, $ids: [ID!]!) { markAttendance(eventId: $e, educatorIds: $ids, isAttended: true) { isAttended } }`, { e: w.event, ids: [w.colleague, w.expert1] });
  await educator.data(`mutation ($p: ID!) { setPracticeConsent(practiceId: $p, input: { consentToPublish: true, publicName: "Петрова Мария Ивановна" }) { id } }`, { p: practice.id });

  // an anonymous client finds it by a word form, with its file and the event
  const { practices } = await graph.anonymous().data(`{ practices(filter: { search: "наставничеству" }) { nodes { id stage authors { publicName educator { id } }
    presentations { eventId eventTitle attendedCount } educatorsReached files { id name url } } } }`);
  expect(practices.nodes).toEqual([{ id: practice.id, stage: 'RECOMMENDED', authors: [{ publicName: 'Петрова Мария Ивановна', educator: null }],
    presentations: [{ eventId: w.event, eventTitle: 'Мастер-класс по наставничеству', attendedCount: 2 }], educatorsReached: 18, files: [{ id: w.file, name: 'Программа наставничества.pdf', url: `/files/${w.file}` }] }]);
  const publicFile = await download(w.file);
  expect(publicFile.response.status).toBe(200);
  expect(publicFile.response.headers.get('content-type')).toBe('application/pdf');
  expect(publicFile.response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(publicFile.bytes.equals(pdf)).toBe(true);
  expect((await download('00000000-0000-4000-8000-000000000009')).response.status).toBe(404);
}, 90_000);

test('materials: files checked and scoped; internal ones not public; /feed.xml parses as RSS 2.0 with what is public only', async () => {
  const create = `mutation ($input: CreateMaterialInput!) { createMaterial(input: $input) { id visibility municipalityId } }`;
  const { createMaterial: open } = await methodist.data(create, { input: { kind: 'METHODICAL_RECOMMENDATION', title: 'Методические рекомендации по наставничеству',
    audiences: ['TEACHERS', 'YOUNG_SPECIALISTS'], year: 2026, visibility: 'PUBLIC', annotation: 'Как выстроить систему наставничества в школе', practiceIds: [w.practice],
    eventIds: [w.event], outsideAuthors: 'Коллектив ИРО' } });
  const { createMaterial: internal } = await methodist.data(create, { input: { kind: 'NORMATIVE_DOCUMENT', title: 'Внутренний приказ о наставничестве', year: 2026, visibility: 'INTERNAL' } });
  expect(open).toMatchObject({ visibility: 'PUBLIC', municipalityId: w.town });
  // an educator does not keep the library; a methodist of another municipality may not attach files here
  expect((await educator.error(create, { input: { kind: 'OTHER', title: 'x', visibility: 'PUBLIC' } })).code).toBe('FORBIDDEN');
  const uploadedOpen = await upload({ materialId: open.id, name: 'рекомендации.pdf' }, pdf, 'application/pdf', tokens.methodist);
  const uploadedInternal = await upload({ materialId: internal.id, name: 'приказ.pdf' }, pdf, 'application/pdf', tokens.methodist);
  expect([uploadedOpen.status, uploadedInternal.status]).toEqual([201, 201]);
  expect((await upload({ materialId: open.id, name: 'a.pdf' }, pdf, 'application/pdf', tokens.educator)).status).toBe(403);
  expect((await download(uploadedOpen.body.id)).response.status).toBe(200);
  expect((await download(uploadedInternal.body.id)).response.status).toBe(401);
  expect((await download(uploadedInternal.body.id, tokens.educator)).response.status).toBe(200);
  const farToken = await mintDevToken({ role: 'municipality_methodist', municipalityId: w.other });
  expect((await download(uploadedInternal.body.id, farToken)).response.status).toBe(403);

  // the anonymous reader: the public material by a word form, the internal one refused
  const anonymous = graph.anonymous();
  const { materials } = await anonymous.data(`{ materials(filter: { search: "наставничеству" }) { totalCount nodes { id title practices { id } eventIds files { url } } } }`);
  expect(materials).toEqual({ totalCount: 1, nodes: [{ id: open.id, title: 'Методические рекомендации по наставничеству', practices: [{ id: w.practice }], eventIds: [w.event], files: [{ url: `/files/${uploadedOpen.body.id}` }] }] });
  expect((await anonymous.error(`query ($id: ID!) { material(id: $id) { id } }`, { id: internal.id })).code).toBe('UNAUTHENTICATED');
  expect((await educator.data(`{ materials(filter: { audience: YOUNG_SPECIALISTS }) { nodes { id } } }`)).materials.nodes).toEqual([{ id: open.id }]);

  // announcements: one published, one draft
  await methodist.data(`mutation ($input: CreateAnnouncementInput!) { createAnnouncement(input: $input) { id } }`,
    { input: { title: 'Неделя наставничества', body: 'Приглашаем на открытые уроки.', topic: 'NEWS', publish: true, publishedAt: '2026-11-05T00:00:00Z', pinned: true } });
  await methodist.data(`mutation ($input: CreateAnnouncementInput!) { createAnnouncement(input: $input) { id } }`,
    { input: { title: 'Черновик новости', body: 'Ещё не опубликовано.', topic: 'NEWS' } });
  // course runs of the service: an open one is an upskilling opportunity of the feed, a planned one is not yet
  const program = await createProgram(admin, [w.competency], { title: 'Наставничество в образовательной организации', hours: 36 });
  const runInput = { programId: program.id, municipalityId: w.town, providerKind: 'SERVICE', startsOn: '2026-12-14', endsOn: '2026-12-25', format: 'MIXED',
    seats: 20, audience: 'учителя и молодые педагоги', applicationDeadline: '2026-12-10' };
  const createRun = `mutation ($input: CreateCourseRunInput!) { createCourseRun(input: $input) { id } }`;
  const { createCourseRun: openRun } = await methodist.data(createRun, { input: runInput });
  await methodist.data(`mutation ($id: ID!) { openCourseRun(id: $id, order: { number: "ИМЦ-17", date: "2026-10-20" }) { id } }`, { id: openRun.id });
  await methodist.data(createRun, { input: { ...runInput, audience: 'ещё не объявлено' } });

  const response = await fetch(`${gateway.url}/feed.xml?municipalityId=${w.town}`, { headers: { authorization: `Bearer ${tokens.methodist}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/rss\+xml/);
  const xml = await response.text();
  expect(XMLValidator.validate(xml)).toBe(true);
  const feed = new XMLParser({ ignoreAttributes: false }).parse(xml);
  expect(feed.rss['@_version']).toBe('2.0');
  expect(new Date(feed.rss.channel.lastBuildDate).toISOString()).toBe('2026-11-05T00:00:00.000Z');
  const items: { title: string; description: string; guid: { '#text': string }; pubDate: string; link?: string; category: string }[] = [feed.rss.channel.item].flat();
  expect(items.map((i) => i.title)).toEqual(['Неделя наставничества', 'Практика: Школа наставничества для молодых педагогов',
    'Курсы: Наставничество в образовательной организации', 'Материал: Методические рекомендации по наставничеству']);
  expect(items[2]).toMatchObject({ guid: { '#text': `course-run:${openRun.id}` }, category: 'course-run' });
  expect(items[2].description).toContain('14.12.2026–25.12.2026, очно-заочно, 36 ч.');
  expect(items[2].description).toContain('Заявки до 10.12.2026; свободных мест: 20 из 20');
  expect(new Date(items[2].pubDate).toISOString()).toBe('2026-10-20T00:00:00.000Z');
  expect(xml).not.toContain('ещё не объявлено');
  const practiceItem = items[1];
  expect(practiceItem.guid['#text']).toBe(`practice:${w.practice}`);
  expect(practiceItem.description).toContain('Авторы: Петрова Мария Ивановна');
  expect(new Date(practiceItem.pubDate).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  expect(items[3].link).toBe(`${gateway.url}/files/${uploadedOpen.body.id}`);
  // nothing internal, no draft, no names beyond the consented one (the token sent was ignored: the feed is anonymous)
  expect(xml).not.toContain('Внутренний приказ');
  expect(xml).not.toContain('Черновик');
  // another municipality's feed has none of it; a bad id is 400
  const far = await (await fetch(`${gateway.url}/feed.xml?municipalityId=${w.other}`)).text();
  expect(XMLValidator.validate(far)).toBe(true);
  expect(far).not.toContain('<item>');
  const bad = await fetch(`${gateway.url}/feed.xml?municipalityId=nope`);
  expect(bad.status).toBe(400);
  expect((await bad.json()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'municipalityId' });
}, 90_000);
