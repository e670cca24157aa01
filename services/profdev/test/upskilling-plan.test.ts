import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { createCompetency, createProgram, fingerprint } from './fixtures';

/**
 * The yearly upskilling plan of a municipality (issue 24): quotas by direction, with who is due and progress computed
 * from the completions of the year; bad input refused, nothing written.
 */
let graph: TestGraph;
let admin: Client;
let methodistA: Client;
const w = {} as { a: string; b: string; c1: string; c2: string; p1: string; p2: string; e: string[] };

const set = `mutation ($input: SetUpskillingPlanInput!) { setUpskillingPlan(input: $input) { id plannedCount quotas { direction plannedCount } } }`;
const read = `query ($m: ID!) { upskillingPlan(municipalityId: $m, academicYear: "2025/2026") {
  academicYear dueCount trainedCount plannedCount quotas { direction competency { id } plannedCount trainedCount share } } }`;

async function tables() {
  const result = await fingerprint(graph.db.profdev);
  for (const table of ['upskilling_plan', 'upskilling_plan_quota']) {
    const { rows } = await graph.db.profdev.raw(`select count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as f from profdev.${table} t`);
    result[table] = rows[0].f;
  }
  return result;
}
async function refused(client: Client, code: string, input: Record<string, unknown>) {
  const before = await tables();
  expect((await client.error(set, { input })).code).toBe(code);
  expect(await tables()).toEqual(before);
}

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.a = (await createMunicipality(admin)).id;
  w.b = (await createMunicipality(admin)).id;
  const school = (await createOrganization(admin, w.a)).id;
  w.e = [];
  for (let i = 0; i < 5; i += 1) w.e.push((await createEducator(admin, school)).id);
  w.c1 = (await createCompetency(admin)).id;
  w.c2 = (await createCompetency(admin)).id;
  w.p1 = (await createProgram(admin, [w.c1])).id;
  w.p2 = (await createProgram(admin, [w.c2])).id;
  const complete = `mutation ($input: RecordCompletionInput!) { recordCompletion(input: $input) { id } }`;
  // e0, e1: a program developing c1 in 2025/2026; e2: another program in it; e3: in 2022 (so not due on 2025-09-01).
  for (const [educatorId, programId, on] of [[w.e[0], w.p1, '2025-11-10'], [w.e[1], w.p1, '2026-02-10'], [w.e[2], w.p2, '2025-12-01'], [w.e[3], w.p2, '2024-03-01']]) {
    await admin.data(complete, { input: { educatorId, programId, startedOn: on, completedOn: on } });
  }
  methodistA = graph.as({ role: 'municipality_methodist', subject: 'methodist-a', municipalityId: w.a });
});
afterAll(() => graph.close());

test('a methodist sets the year\'s quotas; the plan shows who is due and the progress by direction', async () => {
  expect((await methodistA.data(read, { m: w.a })).upskillingPlan).toBeNull();
  await methodistA.data(set, { input: { municipalityId: w.a, academicYear: '2025/2026', quotas: [{ direction: 'Прочее', plannedCount: 1 }] } });
  const { setUpskillingPlan } = await methodistA.data(set, { input: { municipalityId: w.a, academicYear: '2025/2026', quotas: [
    { direction: 'Формирующее оценивание', competencyId: w.c1, plannedCount: 4 }, { direction: 'Все направления', plannedCount: 10 }] } });
  expect(setUpskillingPlan.plannedCount).toBe(14); // the quotas were replaced
  const { upskillingPlan } = await methodistA.data(read, { m: w.a });
  expect(upskillingPlan).toEqual({ academicYear: '2025/2026', dueCount: 4, trainedCount: 3, plannedCount: 14, quotas: [
    { direction: 'Все направления', competency: null, plannedCount: 10, trainedCount: 3, share: 30 },
    { direction: 'Формирующее оценивание', competency: { id: w.c1 }, plannedCount: 4, trainedCount: 2, share: 50 }] });
  expect((await graph.as({ role: 'municipality_methodist', subject: 'mb', municipalityId: w.b }).error(read, { m: w.a })).code).toBe('FORBIDDEN');
});

test('bad input: another municipality, duplicate directions, an unknown competency, a role without the right', async () => {
  const input = { municipalityId: w.a, academicYear: '2026/2027', quotas: [{ direction: 'ФГ', plannedCount: 3 }] };
  await refused(graph.as({ role: 'municipality_methodist', subject: 'mb', municipalityId: w.b }), 'FORBIDDEN', input);
  await refused(graph.as({ role: 'organization_admin', subject: 'oa', organizationId: w.a }), 'FORBIDDEN', input);
  await refused(methodistA, 'BAD_USER_INPUT', { ...input, quotas: [{ direction: 'ФГ', plannedCount: 3 }, { direction: 'фг', plannedCount: 1 }] });
  await refused(methodistA, 'BAD_USER_INPUT', { ...input, quotas: [{ direction: 'ФГ', plannedCount: 3, competencyId: '00000000-0000-4000-8000-000000000009' }] });
  await refused(methodistA, 'BAD_USER_INPUT', { ...input, quotas: [{ direction: 'ФГ', plannedCount: 0 }] });
  await refused(methodistA, 'BAD_USER_INPUT', { ...input, academicYear: '2026/2028' });
});
