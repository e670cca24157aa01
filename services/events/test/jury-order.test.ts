import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { buildWorld } from './world';

/**
 * A stage's jury lists the chair first, then the jurors outside the registry by name; a caller who may not read names
 * (an analyst) gets them by id instead, since an alphabetical position is a piece of a name (152-FZ).
 */
let graph: TestGraph;
let admin: Client;
let stageId: string;
let chair: string;
let townId: string;
/** The outside jurors, in name order. */
const byName: string[] = [];

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  const w = await buildWorld(admin);
  townId = w.town.id;
  const { createCompetition } = await admin.data(`mutation ($input: CreateCompetitionInput!) { createCompetition(input: $input) { stages { id } } }`, { input: {
    title: 'Воспитатель года — 2026', level: 'MUNICIPAL', municipalityId: w.town.id, year: 2026, nominations: ['Воспитатель года'],
    stages: [{ title: 'Финал', startsOn: '2026-03-10', endsOn: '2026-03-12', winnerPlaces: 1, prizeWinnerPlaces: 2, criteria: [{ title: 'Занятие', scaleMin: 0, scaleMax: 10 }] }],
  } });
  stageId = createCompetition.stages[0].id;
  const add = async (input: Record<string, unknown>) =>
    (await admin.data(`mutation ($s: ID!, $input: JuryMemberInput!) { addJuryMember(stageId: $s, input: $input) { id } }`, { s: stageId, input })).addJuryMember.id as string;
  chair = await add({ educatorId: w.juror1, isChair: true });
  // Added out of name order, so that neither the order of adding nor of names is the order of ids by construction.
  const names = ['Яковлева Ольга Ивановна', 'Антонова Мария Петровна', 'Миронова Елена Юрьевна', 'Борисова Анна Олеговна', 'Щукина Вера Андреевна', 'Егорова Нина Павловна', 'Кириллова Дарья Сергеевна'];
  const ids = new Map<string, string>();
  for (const [i, fullName] of names.entries()) ids.set(fullName, await add({ subject: `expert-${i}`, fullName }));
  byName.push(...[...names].sort().map((name) => ids.get(name)!));
}, 120_000);
afterAll(() => graph.close());

const jury = async (client: Client): Promise<string[]> =>
  (await client.data(`query ($id: ID!) { competitionStage: stage(id: $id) { jury { id } } }`, { id: stageId })).competitionStage.jury.map((j: { id: string }) => j.id);

test('a methodist sees the chair first, then the outside jurors by name', async () => {
  expect(await jury(graph.as({ role: 'municipality_methodist', municipalityId: townId }))).toEqual([chair, ...byName]);
  expect(await jury(admin)).toEqual([chair, ...byName]);
});

test('an analyst sees the chair first, then the jurors in a neutral order that does not follow names', async () => {
  const ids = await jury(graph.as({ role: 'analyst' }));
  expect(ids).toEqual([chair, ...[...byName].sort()]);
  expect(ids).not.toEqual([chair, ...byName]);
});
