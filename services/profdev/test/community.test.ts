import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { fingerprint } from './fixtures';

/** Mentoring, targeted support, method associations, the council and complaints through the gateway. */
let graph: TestGraph;
let admin: Client;
let methodistA: Client;
const w = {} as { a: string; b: string; a1: string; b1: string; mentor: string; young: string; young2: string; far: string; methodist: string };

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.a = (await createMunicipality(admin)).id;
  w.b = (await createMunicipality(admin)).id;
  w.a1 = (await createOrganization(admin, w.a)).id;
  w.b1 = (await createOrganization(admin, w.b)).id;
  w.mentor = (await createEducator(admin, w.a1)).id;
  w.methodist = (await createEducator(admin, w.a1)).id;
  w.young = (await createEducator(admin, w.a1, { pedagogicalWorkStartedOn: '2025-09-01', birthDate: '2002-01-01' }, { startedOn: '2025-09-01' })).id;
  w.young2 = (await createEducator(admin, w.a1, { pedagogicalWorkStartedOn: '2025-09-01', birthDate: '2002-01-02' }, { startedOn: '2025-09-01' })).id;
  w.far = (await createEducator(admin, w.b1)).id;
  methodistA = graph.as({ role: 'municipality_methodist', subject: 'methodist-a', municipalityId: w.a });
});
afterAll(() => graph.close());

async function refused(client: Client, code: string, query: string, variables: Record<string, unknown>, message?: RegExp) {
  const before = await fingerprint(graph.db.profdev);
  const error = await client.error(query, variables);
  expect({ code: error.code, message: error.message }).toEqual({ code, message: message ? expect.stringMatching(message) : expect.any(String) });
  expect(await fingerprint(graph.db.profdev)).toEqual(before);
}

const startMentorship = `mutation ($input: StartMentorshipInput!) { startMentorship(input: $input) { id mentor { id } mentee { id } form startedOn endedOn } }`;

describe('mentoring and support', () => {
  test('a mentorship pairs two educators; nobody mentors themself and the same pair may not overlap', async () => {
    const input = { mentorId: w.mentor, menteeId: w.young, form: 'EXPERIENCED_YOUNG_SPECIALIST', startedOn: '2025-09-15' };
    const { startMentorship: pair } = await methodistA.data(startMentorship, { input });
    expect(pair).toMatchObject({ mentor: { id: w.mentor }, mentee: { id: w.young }, form: 'EXPERIENCED_YOUNG_SPECIALIST', endedOn: null });
    await refused(methodistA, 'BAD_USER_INPUT', startMentorship, { input: { ...input, mentorId: w.young } }, /cannot mentor themself/);
    await refused(methodistA, 'CONFLICT', startMentorship, { input: { ...input, startedOn: '2026-01-10' } }, /already paired/);
    await refused(methodistA, 'NOT_FOUND', startMentorship, { input: { ...input, mentorId: '00000000-0000-4000-8000-000000000003' } });
    await refused(methodistA, 'FORBIDDEN', startMentorship, { input: { ...input, menteeId: w.far } });
    await refused(methodistA, 'BAD_USER_INPUT', startMentorship, { input: { ...input, startedOn: '2026-01-10', endedOn: '2026-01-01' } }, /endedOn/);
    const end = `mutation ($id: ID!, $on: Date!) { endMentorship(id: $id, endedOn: $on, outcome: "Первая категория") { endedOn outcome } }`;
    await refused(methodistA, 'BAD_USER_INPUT', end, { id: pair.id, on: '2025-09-01' });
    expect((await methodistA.data(end, { id: pair.id, on: '2026-05-31' })).endMentorship).toEqual({ endedOn: '2026-05-31', outcome: 'Первая категория' });
    await refused(methodistA, 'CONFLICT', end, { id: pair.id, on: '2026-06-30' }, /already ended/);
    // after it ended, the same pair may start again
    await methodistA.data(startMentorship, { input: { ...input, startedOn: '2026-09-01' } });
    await expect(graph.db.profdev.raw(`insert into mentorship (mentor_id, mentee_id, form, started_on) values (?, ?, 'group', '2026-10-01')`, [w.mentor, w.young]))
      .rejects.toMatchObject({ code: '23P01' });
  });

  test('which early-career educators have no mentor, and an educator\'s mentorships and support', async () => {
    const { earlyCareerWithoutMentor } = await methodistA.data(`query ($o: ID!) { earlyCareerWithoutMentor(scope: { organizationId: $o }, on: "2026-10-01") { educator { id isEarlyCareer(on: "2026-10-01") } } }`, { o: w.a1 });
    expect(earlyCareerWithoutMentor).toEqual([{ educator: { id: w.young2, isEarlyCareer: true } }]);
    const record = `mutation ($input: RecordSupportInput!) { recordSupport(input: $input) { id methodist { id } educator { id } form topic } }`;
    await methodistA.data(record, { input: { methodistId: w.methodist, educatorId: w.young2, givenOn: '2026-10-05', form: 'LESSON_VISIT', topic: 'Урок по ФГОС', followUp: 'Повторить в ноябре' } });
    await refused(methodistA, 'BAD_USER_INPUT', record, { input: { methodistId: w.young2, educatorId: w.young2, givenOn: '2026-10-05', form: 'CONSULTATION', topic: 'x' } });
    await refused(methodistA, 'FORBIDDEN', record, { input: { methodistId: w.methodist, educatorId: w.far, givenOn: '2026-10-05', form: 'CONSULTATION', topic: 'x' } });
    const { educator } = await methodistA.data(`query ($id: ID!) { educator(id: $id) { supportReceived { form topic followUp methodist { fullName } } } }`, { id: w.young2 });
    expect(educator.supportReceived).toEqual([{ form: 'LESSON_VISIT', topic: 'Урок по ФГОС', followUp: 'Повторить в ноябре', methodist: { fullName: expect.any(String) } }]);
    const young = await methodistA.data(`query ($id: ID!) { educator(id: $id) { mentorships { mentor { id } startedOn } current: mentorships(activeOn: "2026-10-01") { startedOn } } }`, { id: w.young });
    expect(young.educator.mentorships.map((m: { startedOn: string }) => m.startedOn)).toEqual(['2026-09-01', '2025-09-15']);
    expect(young.educator.current).toEqual([{ startedOn: '2026-09-01' }]);
  });
});

describe('method associations, the council and complaints', () => {
  test('an association with members, a yearly plan and publications; associations publishing less than monthly', async () => {
    const { createMethodAssociation: association } = await methodistA.data(`mutation ($m: ID!, $l: ID!) { createMethodAssociation(input: {
      level: MUNICIPAL, municipalityId: $m, subjectArea: "Математика", title: "ГМО учителей математики", leaderId: $l }) { id level leader { id } } }`, { m: w.a, l: w.mentor });
    const quiet = (await methodistA.data(`mutation ($m: ID!) { createMethodAssociation(input: { level: MUNICIPAL, municipalityId: $m, subjectArea: "История", title: "ГМО историков" }) { id } }`, { m: w.a })).createMethodAssociation;
    const add = `mutation ($input: AddAssociationMemberInput!) { addAssociationMember(input: $input) { id educator { id } joinedOn leftOn } }`;
    await methodistA.data(add, { input: { associationId: association.id, educatorId: w.mentor, joinedOn: '2024-09-01' } });
    await methodistA.data(add, { input: { associationId: association.id, educatorId: w.young, joinedOn: '2025-09-01', leftOn: '2026-05-31' } });
    await refused(methodistA, 'CONFLICT', add, { input: { associationId: association.id, educatorId: w.young, joinedOn: '2026-01-01' } }, /already a member/);
    await methodistA.data(add, { input: { associationId: association.id, educatorId: w.young, joinedOn: '2026-09-01' } });
    await refused(methodistA, 'FORBIDDEN', add, { input: { associationId: association.id, educatorId: w.far, joinedOn: '2026-09-01' } });
    await refused(methodistA, 'FORBIDDEN', `mutation ($m: ID!) { createMethodAssociation(input: { level: MUNICIPAL, municipalityId: $m, subjectArea: "x", title: "x" }) { id } }`, { m: w.b });
    await refused(methodistA, 'BAD_USER_INPUT', `mutation ($m: ID!) { createMethodAssociation(input: { level: ORGANIZATION, municipalityId: $m, subjectArea: "x", title: "x" }) { id } }`, { m: w.a }, /organizationId/);

    const plan = `mutation ($input: CreateAssociationPlanInput!) { createAssociationPlan(input: $input) { id isAdopted itemsTotal itemsDone items { id plannedOn } } }`;
    const { createAssociationPlan } = await methodistA.data(plan, { input: { associationId: association.id, academicYear: '2025/2026', items: [
      { title: 'Заседание 1', plannedOn: '2025-09-20' }, { title: 'Открытые уроки', plannedOn: '2026-02-10' }] } });
    expect(createAssociationPlan).toMatchObject({ isAdopted: false, itemsTotal: 2, itemsDone: 0 });
    await refused(methodistA, 'CONFLICT', plan, { input: { associationId: association.id, academicYear: '2025/2026', items: [] } }, /already has a plan/);
    await refused(methodistA, 'BAD_USER_INPUT', plan, { input: { associationId: association.id, academicYear: '2026/2027', items: [{ title: 'x', plannedOn: '2025-01-01' }] } }, /must fall in 2026\/2027/);
    await methodistA.data(`mutation ($id: ID!) { adoptAssociationPlan(id: $id, adoptedOn: "2025-09-05") { isAdopted } }`, { id: createAssociationPlan.id });
    await refused(methodistA, 'CONFLICT', `mutation ($id: ID!) { adoptAssociationPlan(id: $id, adoptedOn: "2025-09-06") { isAdopted } }`, { id: createAssociationPlan.id });
    await methodistA.data(`mutation ($id: ID!) { markPlanItemDone(id: $id, doneOn: "2025-09-20") { doneOn } }`, { id: createAssociationPlan.items[0].id });

    const publish = `mutation ($input: RecordPublicationInput!) { recordPublication(input: $input) { id publishedOn } }`;
    for (const month of ['09', '10', '11', '12']) {
      await methodistA.data(publish, { input: { associationId: association.id, publishedOn: `2025-${month}-15`, title: `Новости ${month}`, url: `https://edu.example/${month}` } });
    }
    await methodistA.data(publish, { input: { associationId: quiet.id, publishedOn: '2025-10-03', title: 'Новости', url: 'https://edu.example/h' } });
    await refused(methodistA, 'BAD_USER_INPUT', publish, { input: { associationId: quiet.id, publishedOn: '2025-10-03', title: 'x', url: 'ftp://edu.example' } });

    const { associationsPublishingRarely } = await methodistA.data(`{ associationsPublishingRarely(from: "2025-09-01", to: "2025-12-31") { association { title } publicationCount monthCount monthsWithout } }`);
    expect(associationsPublishingRarely).toEqual([{ association: { title: 'ГМО историков' }, publicationCount: 1, monthCount: 4, monthsWithout: ['2025-09', '2025-11', '2025-12'] }]);
    const { methodAssociation } = await methodistA.data(`query ($id: ID!) { methodAssociation(id: $id) { title leader { id } members { educator { id } joinedOn leftOn }
      now: members(activeOn: "2026-10-01") { educator { id } } plans { academicYear isAdopted adoptedOn itemsTotal itemsDone } publications(from: "2025-11-01") { publishedOn } } }`, { id: association.id });
    expect(methodAssociation.members).toHaveLength(3);
    expect(methodAssociation.now.map((m: { educator: { id: string } }) => m.educator.id).sort()).toEqual([w.mentor, w.young].sort());
    expect(methodAssociation.plans).toEqual([{ academicYear: '2025/2026', isAdopted: true, adoptedOn: '2025-09-05', itemsTotal: 2, itemsDone: 1 }]);
    expect(methodAssociation.publications.map((p: { publishedOn: string }) => p.publishedOn)).toEqual(['2025-12-15', '2025-11-15']);
    const { educator } = await methodistA.data(`query ($id: ID!) { educator(id: $id) { associations { association { title } joinedOn } } }`, { id: w.young });
    expect(educator.associations).toEqual([{ association: { title: 'ГМО учителей математики' }, joinedOn: '2026-09-01' }, { association: { title: 'ГМО учителей математики' }, joinedOn: '2025-09-01' }]);
    const methodistB = graph.as({ role: 'municipality_methodist', municipalityId: w.b });
    expect((await methodistB.data('{ methodAssociations { id } }')).methodAssociations).toEqual([]);
  });

  test('the method council meets; complaints are recorded and resolved once', async () => {
    const { createMethodCouncil } = await methodistA.data(`mutation ($m: ID!) { createMethodCouncil(input: { municipalityId: $m, title: "Методический совет" }) { id } }`, { m: w.a });
    await methodistA.data(`mutation ($c: ID!) { recordCouncilMeeting(input: { councilId: $c, heldOn: "2025-09-10", agenda: "План на год", minutesNumber: "1" }) { id } }`, { c: createMethodCouncil.id });
    const { methodCouncils } = await methodistA.data('{ methodCouncils { title meetings { heldOn agenda minutesNumber } } }');
    expect(methodCouncils).toEqual([{ title: 'Методический совет', meetings: [{ heldOn: '2025-09-10', agenda: 'План на год', minutesNumber: '1' }] }]);

    const record = `mutation ($input: RecordComplaintInput!) { recordComplaint(input: $input) { id educator { id } organization { id } resolvedOn } }`;
    const { recordComplaint } = await methodistA.data(record, { input: { receivedOn: '2026-02-01', municipalityId: w.a, organizationId: w.a1, educatorId: w.young, subject: 'Нет удостоверения' } });
    await refused(methodistA, 'BAD_USER_INPUT', record, { input: { receivedOn: '2026-02-01', municipalityId: w.a, organizationId: w.b1, subject: 'x' } }, /not in that municipality/);
    await refused(methodistA, 'FORBIDDEN', record, { input: { receivedOn: '2026-02-01', municipalityId: w.b, subject: 'x' } });
    const resolve = `mutation ($id: ID!, $on: Date!) { resolveComplaint(id: $id, input: { resolvedOn: $on, resolution: "Выдано", isUpheld: true }) { resolvedOn isUpheld } }`;
    await refused(methodistA, 'BAD_USER_INPUT', resolve, { id: recordComplaint.id, on: '2026-01-01' });
    expect((await methodistA.data(resolve, { id: recordComplaint.id, on: '2026-02-10' })).resolveComplaint).toEqual({ resolvedOn: '2026-02-10', isUpheld: true });
    await refused(methodistA, 'CONFLICT', resolve, { id: recordComplaint.id, on: '2026-02-11' }, /already resolved/);
    const { complaints } = await methodistA.data('{ complaints(from: "2026-01-01", to: "2026-12-31") { subject educator { id } } }');
    expect(complaints).toEqual([{ subject: 'Нет удостоверения', educator: { id: w.young } }]);
    const self = graph.as({ role: 'educator', educatorId: w.mentor });
    expect((await self.data('{ complaints(from: "2026-01-01", to: "2026-12-31") { id } }')).complaints).toEqual([]);
  });
});
