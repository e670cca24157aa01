import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { helpFingerprint } from './help-fixtures';

/**
 * Issue 20 through the gateway: requests for help (lifecycle, due days, overdue list, rating, quality figure) and
 * support recorded as it happens (one session with its participants), with indicator 9 counting each educator once.
 */
let graph: TestGraph;
let admin: Client;
let methodistA: Client;
let schoolA1: Client;
const w = {} as { a: string; b: string; a1: string; a2: string; b1: string; methodist: string; methodist2: string; far: string; teachers: string[]; asker: string };

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.a = (await createMunicipality(admin)).id;
  w.b = (await createMunicipality(admin)).id;
  w.a1 = (await createOrganization(admin, w.a)).id;
  w.a2 = (await createOrganization(admin, w.a)).id;
  w.b1 = (await createOrganization(admin, w.b)).id;
  w.methodist = (await createEducator(admin, w.a2, { lastName: 'Методистова' })).id;
  w.methodist2 = (await createEducator(admin, w.a2, { lastName: 'Методистова-Вторая' })).id;
  w.far = (await createEducator(admin, w.b1, { lastName: 'Дальняя' })).id;
  w.teachers = [];
  for (let i = 0; i < 5; i += 1) w.teachers.push((await createEducator(admin, w.a1, { lastName: `Учительница${i}` })).id);
  w.asker = w.teachers[0];
  methodistA = graph.as({ role: 'municipality_methodist', subject: 'methodist-a', municipalityId: w.a });
  schoolA1 = graph.as({ role: 'organization_admin', subject: 'admin-a1', organizationId: w.a1 });
}, 60_000);
afterAll(() => graph.close());

async function refused(client: Client, code: string, query: string, variables: Record<string, unknown>, message?: RegExp) {
  const before = await helpFingerprint(graph.db.profdev);
  const error = await client.error(query, variables);
  expect({ code: error.code, message: error.message }).toEqual({ code, message: message ? expect.stringMatching(message) : expect.any(String) });
  expect(await helpFingerprint(graph.db.profdev)).toEqual(before);
}

const file = `mutation ($input: FileHelpRequestInput!) { fileHelpRequest(input: $input) { id status kind municipalityId requesterKind
  requesterOrganization { id } requesterEducator { id } requesterName filedOn dueOn } }`;
const assign = `mutation ($id: ID!, $m: ID!) { assignHelpRequest(id: $id, methodistId: $m, on: "2026-10-02") { status methodist { id } assignedOn } }`;
const start = `mutation ($id: ID!) { startHelpRequest(id: $id) { status } }`;
const answer = `mutation ($input: AnswerHelpRequestInput!) { answerHelpRequest(input: $input) { status answeredOn answer isOverdue
  supportSessions { id participantCount othersCount participants { id } } support { id } } }`;
const close = `mutation ($id: ID!) { closeHelpRequest(id: $id, on: "2026-10-20") { status closedOn } }`;
const rate = `mutation ($id: ID!, $r: Int!) { rateHelpRequest(id: $id, rating: $r) { rating ratedOn status } }`;
const session = `mutation ($input: RecordSupportSessionInput!) { recordSupportSession(input: $input) { id form participantCount othersCount
  participants { id } helpRequest { id } methodist { id } organization { id } } }`;
const indicator9 = `query ($m: ID!) { indicatorValues(scope: { municipalityId: $m }, academicYear: "2026/2027") { indicator { code } numerator
  numeratorEducators(first: 50) { nodes { id } } } }`;

async function supportCount(client: Client, municipalityId: string) {
  const { indicatorValues } = await client.data(indicator9, { m: municipalityId });
  const value = indicatorValues.find((v: { indicator: { code: string } }) => v.indicator.code === 'TARGETED_SUPPORT_COUNT');
  return { numerator: value.numerator, ids: value.numeratorEducators.nodes.map((n: { id: string }) => n.id).sort() };
}

describe('a school asks for help; the methodist answers with a group consultation; the request closes and is rated', () => {
  let requestId: string;
  let sessionId: string;

  test('the school admin files a request for its organization; due day by kind', async () => {
    const { fileHelpRequest } = await schoolA1.data(file, { input: { topic: 'Как организовать наставничество молодых учителей', subjectArea: 'Математика', kind: 'CONSULTATION', filedOn: '2026-10-01' } });
    expect(fileHelpRequest).toMatchObject({ status: 'NEW', kind: 'CONSULTATION', municipalityId: w.a, requesterKind: 'ORGANIZATION', requesterOrganization: { id: w.a1 },
      requesterEducator: null, filedOn: '2026-10-01', dueOn: '2026-10-11' });
    requestId = fileHelpRequest.id;
    // the municipality's methodists see it; another municipality's do not
    const { helpRequests } = await methodistA.data('{ helpRequests(filter: { status: NEW }) { id topic } }');
    expect(helpRequests).toEqual([{ id: requestId, topic: 'Как организовать наставничество молодых учителей' }]);
    const methodistB = graph.as({ role: 'municipality_methodist', municipalityId: w.b });
    expect((await methodistB.data('{ helpRequests { id } }')).helpRequests).toEqual([]);
    // a school admin files for its own organization only
    await refused(schoolA1, 'FORBIDDEN', file, { input: { organizationId: w.b1, topic: 'x', kind: 'OTHER', filedOn: '2026-10-01' } });
    await refused(schoolA1, 'FORBIDDEN', file, { input: { outsider: { name: 'Родитель', contact: '+7 900 000-00-00' }, topic: 'x', kind: 'OTHER' } });
  });

  test('assigning a methodist of another municipality is refused; one of the same municipality is assigned', async () => {
    await refused(methodistA, 'BAD_USER_INPUT', assign, { id: requestId, m: w.far }, /not employed in the municipality/);
    await refused(methodistA, 'CONFLICT', start, { id: requestId }, /new cannot be started/);
    const methodistB = graph.as({ role: 'municipality_methodist', municipalityId: w.b });
    await refused(methodistB, 'FORBIDDEN', assign, { id: requestId, m: w.far });
    await refused(schoolA1, 'FORBIDDEN', assign, { id: requestId, m: w.methodist });
    expect((await methodistA.data(assign, { id: requestId, m: w.methodist })).assignHelpRequest).toEqual({ status: 'ASSIGNED', methodist: { id: w.methodist }, assignedOn: '2026-10-02' });
    expect((await methodistA.data(start, { id: requestId })).startHelpRequest).toEqual({ status: 'IN_PROGRESS' });
  });

  test('one support session records a group consultation of five educators and two guests, linked to the request', async () => {
    const input = { methodistId: w.methodist, heldOn: '2026-10-08', form: 'GROUP_CONSULTATION', topic: 'Целевая модель наставничества в школе',
      organizationId: w.a1, participantIds: w.teachers, othersCount: 2, helpRequestId: requestId };
    await refused(methodistA, 'FORBIDDEN', session, { input: { ...input, participantIds: [...w.teachers, w.far] } });
    await refused(methodistA, 'BAD_USER_INPUT', session, { input: { ...input, form: 'ORGANIZATION_CONSULTATION', organizationId: null } }, /organization/);
    await refused(methodistA, 'BAD_USER_INPUT', session, { input: { ...input, participantIds: [w.methodist, ...w.teachers] } }, /methodist/);
    await refused(methodistA, 'FORBIDDEN', session, { input: { ...input, organizationId: w.b1, helpRequestId: null } });
    const { recordSupportSession } = await methodistA.data(session, { input });
    expect(recordSupportSession).toMatchObject({ form: 'GROUP_CONSULTATION', participantCount: 5, othersCount: 2, helpRequest: { id: requestId },
      methodist: { id: w.methodist }, organization: { id: w.a1 } });
    expect(recordSupportSession.participants.map((p: { id: string }) => p.id).sort()).toEqual([...w.teachers].sort());
    sessionId = recordSupportSession.id;
    // each participant sees the session on their own record; a teacher outside it does not
    const teacher = graph.as({ role: 'educator', educatorId: w.teachers[2] });
    const own = await teacher.data(`query ($id: ID!) { educator(id: $id) { supportSessions { id form participantCount } } }`, { id: w.teachers[2] });
    expect(own.educator.supportSessions).toEqual([{ id: recordSupportSession.id, form: 'GROUP_CONSULTATION', participantCount: 5 }]);
    // its topic is a note about people: not an educator's to read
    expect((await teacher.error(`query ($id: ID!) { educator(id: $id) { supportSessions { topic } } }`, { id: w.teachers[2] })).code).toBe('FORBIDDEN');
    const { educator: far } = await admin.data(`query ($id: ID!) { educator(id: $id) { supportSessions { id } } }`, { id: w.methodist2 });
    expect(far.supportSessions).toEqual([]);
    // one of the five also had an individual consultation: still one educator for indicator 9
    await methodistA.data(`mutation ($input: RecordSupportInput!) { recordSupport(input: $input) { id } }`,
      { input: { methodistId: w.methodist, educatorId: w.teachers[1], givenOn: '2026-10-09', form: 'CONSULTATION', topic: 'Разбор урока' } });
  });

  test('the methodist answers, linking the session; the school closes the request and rates it once', async () => {
    await refused(methodistA, 'BAD_USER_INPUT', answer, { input: { id: requestId, answer: 'x', answeredOn: '2026-09-30', supportSessionIds: [sessionId] } }, /before the request was filed/);
    const { answerHelpRequest } = await methodistA.data(answer, { input: { id: requestId, answer: 'Проведена групповая консультация для пяти педагогов', answeredOn: '2026-10-09', supportSessionIds: [sessionId] } });
    expect(answerHelpRequest).toMatchObject({ status: 'ANSWERED', answeredOn: '2026-10-09', isOverdue: false, supportSessions: [{ id: sessionId, participantCount: 5, othersCount: 2 }] });
    await refused(methodistA, 'CONFLICT', answer, { input: { id: requestId, answer: 'again' } }, /answered cannot be answered/);
    // only the requester rates: not the methodist, not another school, not an educator of the school
    await refused(methodistA, 'FORBIDDEN', rate, { id: requestId, r: 5 });
    await refused(graph.as({ role: 'organization_admin', organizationId: w.a2 }), 'FORBIDDEN', rate, { id: requestId, r: 5 });
    await refused(graph.as({ role: 'educator', educatorId: w.teachers[2] }), 'FORBIDDEN', rate, { id: requestId, r: 1 });
    await refused(admin, 'FORBIDDEN', rate, { id: requestId, r: 1 }, /only the requester/);
    await refused(schoolA1, 'BAD_USER_INPUT', rate, { id: requestId, r: 6 });
    expect((await schoolA1.data(close, { id: requestId })).closeHelpRequest).toEqual({ status: 'CLOSED', closedOn: '2026-10-20' });
    expect((await schoolA1.data(rate, { id: requestId, r: 5 })).rateHelpRequest).toMatchObject({ rating: 5, status: 'CLOSED' });
    await refused(schoolA1, 'CONFLICT', rate, { id: requestId, r: 4 }, /already rated/);
    // the school sees its request with the session
    const { helpRequest } = await schoolA1.data(`query ($id: ID!) { helpRequest(id: $id) { status rating supportSessions { participantCount } } }`, { id: requestId });
    expect(helpRequest).toEqual({ status: 'CLOSED', rating: 5, supportSessions: [{ participantCount: 5 }] });
  });

  test('indicator 9 of the municipality counts the five educators once (group session and an individual record)', async () => {
    expect(await supportCount(methodistA, w.a)).toEqual({ numerator: 5, ids: [...w.teachers].sort() });
    expect(await supportCount(admin, w.b)).toEqual({ numerator: 0, ids: [] });
    const { rows } = await graph.db.indicators.raw(`select count(*)::int as n, count(distinct educator_id)::int as d from profdev_api.support where session_id = ?`, [sessionId]);
    expect(rows[0]).toEqual({ n: 5, d: 5 });
  });
});

describe('educators and people outside the registry; the lifecycle; overdue requests and the quality figure', () => {
  test('an educator files for themself and sees only their own; a methodist records a parent\'s request (personal data)', async () => {
    const me = graph.as({ role: 'educator', educatorId: w.teachers[3] });
    const { fileHelpRequest: own } = await me.data(file.replace(' requesterName', ''), { input: { topic: 'Подготовка к аттестации на первую категорию', kind: 'ATTESTATION', filedOn: '2026-09-01' } });
    expect(own).toMatchObject({ requesterKind: 'EDUCATOR', requesterEducator: { id: w.teachers[3] }, municipalityId: w.a, dueOn: '2026-09-16' });
    await refused(me, 'FORBIDDEN', file, { input: { educatorId: w.teachers[4], topic: 'x', kind: 'OTHER' } });
    await refused(me, 'BAD_USER_INPUT', file, { input: { topic: 'x', kind: 'OTHER', filedOn: '2099-01-01' } }, /future/);
    const { fileHelpRequest: parent } = await methodistA.data(file, { input: { outsider: { name: 'Петрова Ольга', contact: '+7 900 123-45-67' }, topic: 'Трудности ребёнка с математикой', kind: 'OTHER', filedOn: '2026-09-05' } });
    expect(parent).toMatchObject({ requesterKind: 'OUTSIDER', requesterName: 'Петрова Ольга', municipalityId: w.a, dueOn: '2026-10-05' });
    await refused(methodistA, 'FORBIDDEN', file, { input: { outsider: { name: 'x', contact: 'y' }, municipalityId: w.b, topic: 'x', kind: 'OTHER' } });
    const mine = await me.data('{ helpRequests { id topic } }');
    expect(mine.helpRequests).toEqual([{ id: own.id, topic: 'Подготовка к аттестации на первую категорию' }]);
    // the name of a person outside the registry is personal data: FORBIDDEN to an educator, even on their own request
    expect((await me.error('{ helpRequests { requesterName } }', {})).code).toBe('FORBIDDEN');
    const analystError = await graph.as({ role: 'analyst' }).error(`query ($m: ID!) { helpQuality(from: "2026-09-01", to: "2026-12-31", municipalityId: $m) { filedCount } helpRequests { requesterName } }`, { m: w.a });
    expect(analystError.code).toBe('FORBIDDEN');
    // an analyst reads no request, and another educator not this one
    await refused(graph.as({ role: 'analyst' }), 'FORBIDDEN', '{ helpRequests { id } }', {});
    expect((await graph.as({ role: 'educator', educatorId: w.teachers[4] }).data(`query ($id: ID!) { helpRequest(id: $id) { id } }`, { id: own.id })).helpRequest).toBeNull();
    const declined = `mutation ($id: ID!) { declineHelpRequest(id: $id, reason: "Не относится к компетенции службы", on: "2026-09-06") { status declineReason declinedOn } }`;
    expect((await methodistA.data(declined, { id: parent.id })).declineHelpRequest).toEqual({ status: 'DECLINED', declineReason: 'Не относится к компетенции службы', declinedOn: '2026-09-06' });
    await refused(methodistA, 'CONFLICT', declined, { id: parent.id });
    await refused(methodistA, 'BAD_USER_INPUT', `mutation ($id: ID!) { declineHelpRequest(id: $id, reason: "  ") { status } }`, { id: own.id });
  });

  test('overdue requests: open past their due day; the quality figure: average rating and share answered on time', async () => {
    const { overdueHelpRequests } = await methodistA.data('{ overdueHelpRequests(on: "2026-10-01") { kind dueOn isOverdue requesterKind } }');
    expect(overdueHelpRequests).toEqual([{ kind: 'ATTESTATION', dueOn: '2026-09-16', isOverdue: true, requesterKind: 'EDUCATOR' }]);
    expect((await methodistA.data('{ overdueHelpRequests(on: "2026-09-16") { id } }')).overdueHelpRequests).toEqual([]);
    const { helpQuality } = await methodistA.data('{ helpQuality(from: "2026-09-01", to: "2026-12-31") { municipalityId filedCount answeredCount answeredOnTimeCount onTimeShare ratedCount averageRating overdueCount } }');
    expect(helpQuality).toEqual([{ municipalityId: w.a, filedCount: 3, answeredCount: 1, answeredOnTimeCount: 1, onTimeShare: 1, ratedCount: 1, averageRating: 5, overdueCount: 1 }]);
    const analyst = await graph.as({ role: 'analyst' }).data(`query ($m: ID!) { helpQuality(from: "2026-09-01", to: "2026-12-31", municipalityId: $m) { filedCount averageRating } }`, { m: w.a });
    expect(analyst.helpQuality).toEqual([{ filedCount: 3, averageRating: 5 }]);
  });
});

describe('a method association asks for help through its leader', () => {
  test('the leader files on its behalf, sees and rates it; a member, a school admin and another municipality\'s methodist may not', async () => {
    const { createMethodAssociation } = await admin.data(`mutation ($input: CreateMethodAssociationInput!) { createMethodAssociation(input: $input) { id } }`,
      { input: { level: 'MUNICIPAL', municipalityId: w.b, subjectArea: 'Математика', title: 'ГМО учителей математики', leaderId: w.far } });
    const association = createMethodAssociation.id as string;
    const member = (await createEducator(admin, w.b1, { lastName: 'Участница' })).id;
    await admin.data(`mutation ($input: AddAssociationMemberInput!) { addAssociationMember(input: $input) { id } }`, { input: { associationId: association, educatorId: member, joinedOn: '2026-09-01' } });
    const leader = graph.as({ role: 'educator', educatorId: w.far });
    const memberClient = graph.as({ role: 'educator', educatorId: member });
    const byAssociation = `mutation ($input: FileHelpRequestInput!) { fileHelpRequest(input: $input) { id status municipalityId requesterKind
      requesterAssociation { id title } requesterEducator { id } requesterOrganization { id } } }`;
    const input = { associationId: association, topic: 'Подготовка к ОГЭ: трудные задания', kind: 'CONSULTATION' };

    await refused(memberClient, 'FORBIDDEN', byAssociation, { input }, /leader/);
    await refused(schoolA1, 'FORBIDDEN', byAssociation, { input });
    await refused(methodistA, 'FORBIDDEN', byAssociation, { input });
    await refused(leader, 'BAD_USER_INPUT', byAssociation, { input: { ...input, educatorId: w.far } }, /one requester/);
    await refused(leader, 'BAD_USER_INPUT', byAssociation, { input: { ...input, municipalityId: w.a } }, /another municipality/);
    await refused(leader, 'NOT_FOUND', byAssociation, { input: { ...input, associationId: '00000000-0000-4000-8000-000000000001' } });

    const { fileHelpRequest: request } = await leader.data(byAssociation, { input });
    expect(request).toMatchObject({ status: 'NEW', municipalityId: w.b, requesterKind: 'ASSOCIATION', requesterAssociation: { id: association, title: 'ГМО учителей математики' },
      requesterEducator: null, requesterOrganization: null });
    expect((await leader.data('{ helpRequests { id requesterKind } }')).helpRequests).toEqual([{ id: request.id, requesterKind: 'ASSOCIATION' }]);
    expect((await memberClient.data('{ helpRequests { id } }')).helpRequests).toEqual([]);

    const methodistB = graph.as({ role: 'municipality_methodist', subject: 'methodist-b', municipalityId: w.b });
    const methodist = (await createEducator(admin, w.b1, { lastName: 'Методистова-Б' })).id;
    await methodistB.data(`mutation ($id: ID!, $m: ID!) { assignHelpRequest(id: $id, methodistId: $m) { status } }`, { id: request.id, m: methodist });
    await methodistB.data(answer, { input: { id: request.id, answer: 'Проведена консультация для членов ГМО' } });
    await refused(memberClient, 'FORBIDDEN', rate, { id: request.id, r: 2 }, /only the requester/);
    expect((await leader.data(rate, { id: request.id, r: 4 })).rateHelpRequest).toMatchObject({ rating: 4, status: 'ANSWERED' });
    // the service may also record a request an association made (its leader phoned)
    const { fileHelpRequest: recorded } = await methodistB.data(byAssociation, { input: { ...input, kind: 'OTHER' } });
    expect(recorded).toMatchObject({ requesterKind: 'ASSOCIATION', municipalityId: w.b });
  });
});
