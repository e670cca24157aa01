import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { buildWorld, counts, type World } from './world';

/**
 * A competition run through the graph: applications, a jury with an outside expert, conflicts, scoring, closing
 * stages, frozen results; and every bad input of the issue refused with its code and nothing written.
 */
let graph: TestGraph;
let admin: Client;
let w: World;
let competitionId: string;
let stageIds: string[];
let nominationId: string;
let criteria: { id: string; title: string }[];
const applications: Record<string, string> = {};

const juror = (educatorId: string) => graph.as({ role: 'educator', educatorId, subject: `juror-${educatorId}` });
const expert = () => graph.as({ role: 'educator', educatorId: '00000000-0000-4000-8000-000000000001', subject: 'expert-kuzmina' });

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w = await buildWorld(admin);
  const { createCompetition } = await admin.data(`mutation ($input: CreateCompetitionInput!) { createCompetition(input: $input) {
    id nominations { id title } stages { id ordinal criteria { id title } } } }`, { input: {
    title: 'Учитель года — 2026', level: 'MUNICIPAL', municipalityId: w.town.id, year: 2026, nominations: ['Учитель года'],
    stages: [
      { title: 'Заочный', startsOn: '2026-01-21', endsOn: '2026-02-10', applicationDeadline: '2026-01-20', winnerPlaces: 0, prizeWinnerPlaces: 0, advanceCount: 2,
        criteria: [{ title: 'Портфолио', scaleMin: 0, scaleMax: 10 }, { title: 'Эссе', scaleMin: 0, scaleMax: 5, weight: 2 }] },
      { title: 'Финал', startsOn: '2026-03-10', endsOn: '2026-03-12', winnerPlaces: 1, prizeWinnerPlaces: 2,
        criteria: [{ title: 'Урок', scaleMin: 0, scaleMax: 20 }] },
    ] } });
  competitionId = createCompetition.id;
  nominationId = createCompetition.nominations[0].id;
  stageIds = createCompetition.stages.map((s: { id: string }) => s.id);
  criteria = createCompetition.stages[0].criteria;
  for (const [name, educatorId] of Object.entries({ a: w.a, b: w.b, c: w.c, d: w.d })) {
    const { fileApplication } = await admin.data(`mutation ($input: FileApplicationInput!) { fileApplication(input: $input) { id status organization { id } } }`,
      { input: { nominationId, educatorId, filedOn: '2026-01-15' } });
    await admin.data(`mutation ($id: ID!) { reviewApplication(id: $id, status: ACCEPTED) { id } }`, { id: fileApplication.id });
    applications[name] = fileApplication.id;
  }
  for (const stageId of stageIds) {
    await admin.data(`mutation ($s: ID!, $e: ID!) { addJuryMember(stageId: $s, input: { educatorId: $e, isChair: true }) { id } }`, { s: stageId, e: w.juror1 });
    await admin.data(`mutation ($s: ID!) { addJuryMember(stageId: $s, input: { subject: "expert-kuzmina", fullName: "Кузьмина Ирина Павловна" }) { id } }`, { s: stageId });
  }
  await admin.data(`mutation ($s: ID!, $e: ID!) { addJuryMember(stageId: $s, input: { educatorId: $e }) { id } }`, { s: stageIds[0], e: w.schoolJuror });
}, 120_000);
afterAll(() => graph.close());

const score = (client: Client, applicationId: string, values: number[], stageId = stageIds[0], list = criteria) =>
  client.run(`mutation ($input: ScoreApplicationInput!) { scoreApplication(input: $input) { value } }`, { input: {
    stageId, applicationId, scores: values.map((value, i) => ({ criterionId: list[i].id, value })) } });

async function refused(run: () => Promise<{ errors?: readonly { extensions?: Record<string, unknown> }[] }>, code: string) {
  const before = await counts(graph);
  const result = await run();
  expect(result.errors?.[0]?.extensions?.code).toBe(code);
  expect(await counts(graph)).toEqual(before);
  return result.errors![0];
}

describe('bad input changes nothing', () => {
  test('a second application of the same educator to the same nomination is a CONFLICT', async () => {
    await refused(() => admin.run(`mutation ($input: FileApplicationInput!) { fileApplication(input: $input) { id } }`,
      { input: { nominationId, educatorId: w.a, filedOn: '2026-01-16' } }), 'CONFLICT');
  });
  test('an application after the deadline is a CONFLICT naming the deadline', async () => {
    const error = await refused(() => admin.run(`mutation ($input: FileApplicationInput!) { fileApplication(input: $input) { id } }`,
      { input: { nominationId, educatorId: w.juror2, filedOn: '2026-01-21' } }), 'CONFLICT');
    expect(JSON.stringify(error)).toContain('2026-01-20');
    // An educator filing today (long after the deadline) is refused the same way.
    await refused(() => graph.as({ role: 'educator', educatorId: w.juror2 }).run(`mutation ($input: FileApplicationInput!) { fileApplication(input: $input) { id } }`,
      { input: { nominationId } }), 'CONFLICT');
  });
  test('an unknown educator is NOT_FOUND, and one outside the filer\'s scope FORBIDDEN', async () => {
    await refused(() => admin.run(`mutation ($input: FileApplicationInput!) { fileApplication(input: $input) { id } }`,
      { input: { nominationId, educatorId: '11111111-1111-4111-8111-111111111111', filedOn: '2026-01-10' } }), 'NOT_FOUND');
    await refused(() => graph.as({ role: 'municipality_methodist', municipalityId: w.town.id }).run(`mutation ($input: FileApplicationInput!) { fileApplication(input: $input) { id } }`,
      { input: { nominationId, educatorId: w.far, filedOn: '2026-01-10' } }), 'FORBIDDEN');
  });
  test('a score outside the criterion\'s scale is BAD_USER_INPUT', async () => {
    const error = await refused(() => score(juror(w.juror1), applications.a, [11, 3]), 'BAD_USER_INPUT');
    expect(error.extensions?.field).toBe('input.scores.0.value');
    await refused(() => score(juror(w.juror1), applications.a, [5, -1]), 'BAD_USER_INPUT');
  });
  test('a score from someone not on the stage\'s jury is FORBIDDEN', async () => {
    await refused(() => score(juror(w.juror2), applications.a, [5, 3]), 'FORBIDDEN');
    await refused(() => score(admin, applications.a, [5, 3]), 'FORBIDDEN');
    await refused(() => score(graph.as({ role: 'analyst' }), applications.a, [5, 3]), 'FORBIDDEN');
  });
  test('a juror cannot score an application from their own organization', async () => {
    const error = await refused(() => score(juror(w.schoolJuror), applications.a, [5, 3]), 'FORBIDDEN');
    expect(error).toMatchObject({ message: expect.stringContaining('own organization') });
  });
  test('a competition in another municipality is out of a methodist\'s scope', async () => {
    await refused(() => graph.as({ role: 'municipality_methodist', municipalityId: w.other.id }).run(`mutation ($s: ID!) { closeStage(stageId: $s) { id } }`,
      { s: stageIds[0] }), 'FORBIDDEN');
  });
});

test('a juror sees only their own scores until the stage closes; results count abstentions; the closed stage is frozen', async () => {
  // The expert declares a conflict with d; the school juror scores only the gymnasium's applicants (c, d).
  await expert().data(`mutation ($s: ID!, $a: ID!) { declareConflict(stageId: $s, applicationId: $a, reason: "руководитель её практики") { id } }`,
    { s: stageIds[0], a: applications.d });
  await refused(() => score(expert(), applications.d, [5, 5]), 'CONFLICT');
  const plan: [Client, string, number[]][] = [
    [juror(w.juror1), applications.a, [9, 5]], [juror(w.juror1), applications.b, [8, 4]], [juror(w.juror1), applications.c, [10, 3]], [juror(w.juror1), applications.d, [4, 2]],
    [expert(), applications.a, [9, 5]], [expert(), applications.b, [6, 5]], [expert(), applications.c, [6, 4]],
    [juror(w.schoolJuror), applications.c, [8, 5]], [juror(w.schoolJuror), applications.d, [10, 5]],
  ];
  for (const [client, application, values] of plan.slice(0, -1)) expect((await score(client, application, values)).errors).toBeUndefined();

  const scoresQuery = `query ($s: ID!) { stage(id: $s) { isClosed scores { value juryMember { fullName educator { id } } } } }`;
  const seenByExpert = await expert().data(scoresQuery, { s: stageIds[0] });
  expect(seenByExpert.stage.scores).toHaveLength(6); // 3 applications × 2 criteria, all their own
  expect(seenByExpert.stage.scores.every((s: { juryMember: { fullName: string } }) => s.juryMember.fullName === 'Кузьмина Ирина Павловна')).toBe(true);

  // Closing with a score missing is a CONFLICT and changes nothing.
  const missing = await refused(() => admin.run(`mutation ($s: ID!) { closeStage(stageId: $s) { id } }`, { s: stageIds[0] }), 'CONFLICT');
  expect(missing.extensions?.missing).toEqual([{ juryMemberId: expect.any(String), applicationId: applications.d, criteriaMissing: 2 }]);
  const [client, application, values] = plan.at(-1)!;
  expect((await score(client, application, values)).errors).toBeUndefined();

  const { closeStage } = await admin.data(`mutation ($s: ID!) { closeStage(stageId: $s) { isClosed closedAt results {
    application { id } score place outcome isAdvanced jurorsCounted } } }`, { s: stageIds[0] });
  expect(closeStage.isClosed).toBe(true);
  const byApplication = Object.fromEntries(closeStage.results.map((r: { application: { id: string } }) => [r.application.id, r]));
  // a: (19 + 19) / 2 = 19 (school juror abstains: own school); b: (16 + 16) / 2 = 16; c: (16 + 14 + 18) / 3 = 16;
  // d: (8 + 20) / 2 = 14 (the expert declared a conflict). b and c tie at place 2 and both advance.
  expect(byApplication[applications.a]).toMatchObject({ score: 19, place: 1, isAdvanced: true, jurorsCounted: 2, outcome: 'PARTICIPANT' });
  expect(byApplication[applications.b]).toMatchObject({ score: 16, place: 2, isAdvanced: true, jurorsCounted: 2 });
  expect(byApplication[applications.c]).toMatchObject({ score: 16, place: 2, isAdvanced: true, jurorsCounted: 3 });
  expect(byApplication[applications.d]).toMatchObject({ score: 14, place: 4, isAdvanced: false, jurorsCounted: 2 });

  // Now every juror sees every score of the stage, but not the other jurors' names and subjects (personal data).
  const seenAfter = await expert().run(scoresQuery, { s: stageIds[0] });
  expect(seenAfter.data?.stage.scores).toHaveLength(18);
  const othersNames = seenAfter.errors ?? [];
  expect(othersNames.length).toBe(12);
  expect(othersNames.every((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.at(-1) === 'fullName')).toBe(true);
  // Frozen: scoring a closed stage is a CONFLICT, closing again too, and the database refuses a silent change.
  await refused(() => score(juror(w.juror1), applications.a, [1, 1]), 'CONFLICT');
  await refused(() => admin.run(`mutation ($s: ID!) { closeStage(stageId: $s) { id } }`, { s: stageIds[0] }), 'CONFLICT');
  await expect(graph.db.events('stage_result').update({ place: 1 })).rejects.toThrow(/frozen/);
  await expect(graph.db.events('score').where('application_id', applications.a).delete()).rejects.toThrow(/frozen/);
  // The final takes only the three who advanced.
  const { stage } = await admin.data(`query ($s: ID!) { stage(id: $s) { entrants { id } } }`, { s: stageIds[1] });
  expect(stage.entrants.map((e: { id: string }) => e.id).sort()).toEqual([applications.a, applications.b, applications.c].sort());
  await refused(() => score(juror(w.juror1), applications.d, [10], stageIds[1], [{ id: 'x', title: 'x' }]), 'BAD_USER_INPUT');
});

test('the final results through the gateway, with the educators\' organizations from staff', async () => {
  const { stage } = await admin.data(`query ($s: ID!) { stage(id: $s) { criteria { id title } } }`, { s: stageIds[1] });
  for (const [application, [v1, v2]] of [[applications.a, [18, 17]], [applications.b, [20, 19]], [applications.c, [12, 15]]] as const) {
    expect((await score(juror(w.juror1), application, [v1], stageIds[1], stage.criteria)).errors).toBeUndefined();
    expect((await score(expert(), application, [v2], stageIds[1], stage.criteria)).errors).toBeUndefined();
  }
  await admin.data(`mutation ($s: ID!) { closeStage(stageId: $s) { id } }`, { s: stageIds[1] });

  const finalResults = `query FinalResults($id: ID!) {
  competition(id: $id) {
    title
    finalResults {
      nomination { title }
      place
      outcome
      score
      educator { fullName }
      organization { shortName municipality { name } }
    }
  }
}`;
  const { competition } = await admin.data(finalResults, { id: competitionId });
  expect(competition).toEqual({ title: 'Учитель года — 2026', finalResults: [
    { nomination: { title: 'Учитель года' }, place: 1, outcome: 'WINNER', score: 19.5, educator: { fullName: 'Борисова Анна Сергеевна' }, organization: { shortName: 'СОШ № 1', municipality: { name: 'Партизанск' } } },
    { nomination: { title: 'Учитель года' }, place: 2, outcome: 'PRIZE_WINNER', score: 17.5, educator: { fullName: 'Абрамова Анна Сергеевна' }, organization: { shortName: 'СОШ № 1', municipality: { name: 'Партизанск' } } },
    { nomination: { title: 'Учитель года' }, place: 3, outcome: 'PARTICIPANT', score: 13.5, educator: { fullName: 'Васильева Анна Сергеевна' }, organization: { shortName: 'Гимназия № 2', municipality: { name: 'Партизанск' } } },
  ] });

  // Educator extensions: applications and results of each educator, and the published views.
  const { educator } = await admin.data(`query ($id: ID!) { educator(id: $id) { competitionApplications { status nomination { title } }
    competitionResults { stage { ordinal } place outcome isAdvanced } } }`, { id: w.b });
  expect(educator.competitionApplications).toEqual([{ status: 'ACCEPTED', nomination: { title: 'Учитель года' } }]);
  expect(educator.competitionResults).toEqual([{ stage: { ordinal: 2 }, place: 1, outcome: 'WINNER', isAdvanced: false },
    { stage: { ordinal: 1 }, place: 2, outcome: 'PARTICIPANT', isAdvanced: true }]);
  const published = await graph.db.events('events_api.competition_result').where({ competition_id: competitionId, educator_id: w.b }).orderBy('stage_ordinal');
  expect(published.map((r: { place: number; outcome: string }) => [r.place, r.outcome])).toEqual([[2, 'participant'], [1, 'winner']]);
  const [view] = await graph.db.events('events_api.competition').where('id', competitionId);
  expect(view).toMatchObject({ year: 2026, starts_on: '2026-01-21', ends_on: '2026-03-12', level: 'municipal' });
  expect(await graph.db.events('events_api.competition_application').where('competition_id', competitionId)).toHaveLength(4);
});
