import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';

/**
 * Issue 20's nested lists go through DataLoaders (docs/architecture.md, rule 4): requests for help with their support
 * sessions, participants (names from staff), linked support records and methodists, and surveys with their questions,
 * cost the same SQL for 2 rows and for 10.
 */
let graph: TestGraph;
beforeAll(async () => {
  graph = await createTestGraph();
  const admin = graph.as(regionAdmin);
  const municipality = (await createMunicipality(admin)).id;
  const organization = (await createOrganization(admin, municipality)).id;
  const methodist = (await createEducator(admin, organization, { lastName: 'Методистова' })).id;
  const teachers: string[] = [];
  for (let i = 0; i < 3; i += 1) teachers.push((await createEducator(admin, organization, { lastName: `Участница${i}` })).id);
  for (let i = 0; i < 10; i += 1) {
    const { fileHelpRequest } = await admin.data(`mutation ($input: FileHelpRequestInput!) { fileHelpRequest(input: $input) { id } }`,
      { input: { organizationId: organization, topic: `Вопрос ${i}`, kind: 'CONSULTATION', filedOn: '2026-10-01' } });
    await admin.data(`mutation ($id: ID!, $m: ID!) { assignHelpRequest(id: $id, methodistId: $m) { id } }`, { id: fileHelpRequest.id, m: methodist });
    await admin.data(`mutation ($input: RecordSupportSessionInput!) { recordSupportSession(input: $input) { id } }`, { input: {
      methodistId: methodist, heldOn: '2026-10-05', form: 'GROUP_CONSULTATION', topic: 'Консультация', organizationId: organization, participantIds: teachers, helpRequestId: fileHelpRequest.id } });
    const { recordSupport } = await admin.data(`mutation ($input: RecordSupportInput!) { recordSupport(input: $input) { id } }`,
      { input: { methodistId: methodist, educatorId: teachers[0], givenOn: '2026-10-06', form: 'CONSULTATION', topic: 'Разбор' } });
    await admin.data(`mutation ($id: ID!, $s: ID!) { answerHelpRequest(input: { id: $id, answer: "Ответ", answeredOn: "2026-10-06", supportIds: [$s] }) { id } }`, { id: fileHelpRequest.id, s: recordSupport.id });
    await admin.data(`mutation ($input: CreateSurveyInput!) { createSurvey(input: $input) { id } }`, { input: { title: `Анкета ${i}`, municipalityId: municipality, isAnonymous: true,
      opensOn: '2026-01-01', closesOn: '2026-12-31', questions: [{ kind: 'TEXT', text: 'Что нужно?' }, { kind: 'SCALE', text: 'Оценка', scaleMin: 1, scaleMax: 5 }] } });
  }
}, 120_000);
afterAll(() => graph.close());

const requests = `query ($first: Int!) { helpRequests(first: $first) { id status methodist { fullName } requesterOrganization { name }
  supportSessions { participantCount participants { fullName } methodist { fullName } helpRequest { id } }
  support { educator { fullName } methodist { fullName } } } surveys { id questions { text } responseCount } }`;

test('requests for help with sessions, participants and support, and surveys with questions: the same SQL for 2 and for 10', async () => {
  const admin = graph.as(regionAdmin);
  await admin.data(requests, { first: 1 });
  const counts: number[] = [];
  for (const first of [2, 10]) {
    counts.push(await graph.countSql(async () => {
      const { helpRequests } = await admin.data(requests, { first });
      expect(helpRequests).toHaveLength(first);
      expect(helpRequests.every((r: { supportSessions: { participants: unknown[] }[]; support: unknown[] }) => r.supportSessions[0].participants.length === 3 && r.support.length === 1)).toBe(true);
    }));
  }
  expect(counts[1]).toBe(counts[0]);
  // profdev: the two lists and one statement per loader (sessions, support, participants, the sessions' requests, questions,
  // answer counts); staff: names and organizations, one batch per level: 14 measured
  expect(counts[0]).toBeLessThanOrEqual(14);
});

test('Educator.supportSessions of a page of educators is one statement, whatever the page', async () => {
  const admin = graph.as(regionAdmin);
  const page = `query ($first: Int!) { educators(first: $first, filter: { nameContains: "Участница" }) { nodes { supportSessions { heldOn participantCount methodist { fullName } } } } }`;
  await admin.data(page, { first: 1 });
  const counts: number[] = [];
  for (const first of [1, 3]) {
    counts.push(await graph.countSql(async () => {
      const { educators } = await admin.data(page, { first });
      expect(educators.nodes.map((e: { supportSessions: unknown[] }) => e.supportSessions.length)).toEqual(Array(first).fill(10));
    }));
  }
  expect(counts[1]).toBe(counts[0]);
});
