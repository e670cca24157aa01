import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';

/** The SQL of nested queries over educators, organizations and competitions does not grow with the rows (rule 4). */
let graph: TestGraph;
beforeAll(async () => {
  graph = await createTestGraph();
  const admin = graph.as(regionAdmin);
  const town = await createMunicipality(admin);
  const orgs = [];
  for (let i = 0; i < 4; i += 1) orgs.push(await createOrganization(admin, town.id));
  const educators: string[] = [];
  for (let i = 0; i < 12; i += 1) educators.push((await createEducator(admin, orgs[i % 4].id, { lastName: `Учитель${String(i).padStart(2, '0')}` })).id);
  const eventIds: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    const { createEvent } = await admin.data(`mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }`, { input: {
      kind: 'SEMINAR', level: 'MUNICIPAL', title: `Семинар ${i}`, municipalityId: town.id, venueOrganizationId: orgs[i].id, organizerOrganizationId: orgs[(i + 1) % 4].id,
      startsAt: `2027-0${i + 1}-10T10:00:00+03:00`, endsAt: `2027-0${i + 1}-10T12:00:00+03:00`, capacity: 8 } });
    eventIds.push(createEvent.id);
  }
  for (const educatorId of educators) {
    for (const eventId of eventIds) await admin.data(`mutation ($input: RegisterForEventInput!) { registerForEvent(input: $input) { id } }`, { input: { eventId, educatorId } });
  }
  const { createCompetition } = await admin.data(`mutation ($input: CreateCompetitionInput!) { createCompetition(input: $input) { nominations { id } stages { id criteria { id } } } }`, { input: {
    title: 'Конкурс', level: 'MUNICIPAL', municipalityId: town.id, year: 2026, nominations: ['А', 'Б'],
    stages: [{ title: 'Единственный', startsOn: '2026-02-01', endsOn: '2026-02-10', applicationDeadline: '2026-01-30', criteria: [{ title: 'К', scaleMin: 0, scaleMax: 10 }] }] } });
  const [stage] = createCompetition.stages;
  await admin.data(`mutation ($s: ID!) { addJuryMember(stageId: $s, input: { subject: "expert", fullName: "Эксперт" }) { id } }`, { s: stage.id });
  const expert = graph.as({ role: 'educator', educatorId: educators[0], subject: 'expert' });
  for (const [i, educatorId] of educators.entries()) {
    const { fileApplication } = await admin.data(`mutation ($input: FileApplicationInput!) { fileApplication(input: $input) { id } }`,
      { input: { nominationId: createCompetition.nominations[i % 2].id, educatorId, filedOn: '2026-01-20' } });
    await admin.data(`mutation ($id: ID!) { reviewApplication(id: $id, status: ACCEPTED) { id } }`, { id: fileApplication.id });
    await expert.data(`mutation ($input: ScoreApplicationInput!) { scoreApplication(input: $input) { id } }`,
      { input: { stageId: stage.id, applicationId: fileApplication.id, scores: [{ criterionId: stage.criteria[0].id, value: i % 7 }] } });
  }
  await admin.data(`mutation ($s: ID!) { closeStage(stageId: $s) { id } }`, { s: stage.id });
}, 120_000);
afterAll(() => graph.close());

const nested = `query ($first: Int!) { educators(first: $first) { nodes { fullName
  participations { role isWaitlisted event { title seatsTaken venue { name } organizerOrganization { name } } }
  competitionApplications { status nomination { title } competition { title } organization { name } }
  competitionResults { place outcome stage { ordinal } nomination { title } }
  employments { organization { hostedEvents { title } } }
} } }`;

test('educators with participations, applications, results and their organizations\' hosted events: the same SQL for 2 and for 10', async () => {
  const admin = graph.as(regionAdmin);
  await admin.data(nested, { first: 1 });
  const counts: number[] = [];
  for (const first of [2, 10]) {
    counts.push(await graph.countSql(async () => {
      const { educators } = await admin.data(nested, { first });
      expect(educators.nodes).toHaveLength(first);
      expect(educators.nodes.every((e: { participations: unknown[]; competitionResults: unknown[] }) => e.participations.length === 4 && e.competitionResults.length === 1)).toBe(true);
    }));
  }
  expect(counts[1]).toBe(counts[0]);
  expect(counts[0]).toBeLessThanOrEqual(14); // 14 measured
});

test('a competition with stages, jury, entrants, scores and results costs a fixed number of statements', async () => {
  const admin = graph.as(regionAdmin);
  const query = `{ competitions { title nominations { title } stages { title criteria { title } jury { fullName } entrants { educator { fullName } nomination { title } }
    scores { value criterion { title } juryMember { fullName } application { organization { name } } } results { place educator { fullName } organization { name } } }
    applications { status } finalResults { place } } }`;
  await admin.data(query);
  const count = await graph.countSql(() => admin.data(query));
  // 18 measured: events (competitions, nominations, stages, criteria, jury, entrants, scores, criteria and jurors and applications
  // of scores, results, applications, final results, nominations of entrants) and staff (educators, organizations).
  expect(count).toBeLessThanOrEqual(20);
});
