import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from './fixtures';

/**
 * Early-career educators (молодые специалисты, first three years of pedagogical work) and the under-35 group are
 * computed from the day work began and the birth date, never stored, and judged on the asked day.
 */
let graph: TestGraph;
let admin: Client;
let school: { id: string };
beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  school = await createOrganization(admin, (await createMunicipality(admin)).id);
  // Newcomer: began 2023-09-01, born 2001. Veteran: began 2000, born 1975. Late starter: began 2022-09-01, born 1985.
  await createEducator(admin, school.id, { lastName: 'Новикова', birthDate: '2001-03-10', pedagogicalWorkStartedOn: '2023-09-01' }, { startedOn: '2023-09-01' });
  await createEducator(admin, school.id, { lastName: 'Старова', birthDate: '1975-01-20', pedagogicalWorkStartedOn: '2000-09-01' }, { startedOn: '2000-09-01', endedOn: '2024-06-30' });
  await createEducator(admin, school.id, { lastName: 'Позднякова', birthDate: '1985-11-02', pedagogicalWorkStartedOn: '2022-09-01' }, { startedOn: '2022-09-01' });
  await createEducator(admin, school.id, { lastName: 'Безстажева', birthDate: '1999-07-07', pedagogicalWorkStartedOn: null }, { startedOn: '2024-09-01' });
});
afterAll(() => graph.close());

const list = `query ($filter: EducatorFilter) { educators(filter: $filter) { totalCount nodes { lastName } } }`;
const names = async (filter: Record<string, unknown>) =>
  (await admin.data(list, { filter })).educators.nodes.map((n: { lastName: string }) => n.lastName);

test('experience, age and the two groups are answered for any day', async () => {
  const { educators } = await admin.data(`{ educators { nodes { lastName
    experienceYears(on: "2025-08-31") age(on: "2025-08-31") isEarlyCareer(on: "2025-08-31") isUnder35(on: "2025-08-31")
    later: isEarlyCareer(on: "2026-09-01") } } }`);
  expect(educators.nodes).toEqual([
    { lastName: 'Безстажева', experienceYears: null, age: 26, isEarlyCareer: false, isUnder35: true, later: false },
    { lastName: 'Новикова', experienceYears: 1, age: 24, isEarlyCareer: true, isUnder35: true, later: false },
    { lastName: 'Позднякова', experienceYears: 2, age: 39, isEarlyCareer: true, isUnder35: false, later: false },
    { lastName: 'Старова', experienceYears: 24, age: 50, isEarlyCareer: false, isUnder35: false, later: false },
  ]);
});

test('the third anniversary of work ends the early career; the 35th birthday ends under 35', async () => {
  const { educators } = await admin.data(`{ educators(filter: { nameContains: "новикова" }) { nodes {
    before: isEarlyCareer(on: "2026-08-31") on: isEarlyCareer(on: "2026-09-01")
    young: isUnder35(on: "2036-03-09") notYoung: isUnder35(on: "2036-03-10") } } }`);
  expect(educators.nodes).toEqual([{ before: true, on: false, young: true, notYoung: false }]);
});

test('lists filter early-career and under-35 educators on the day employed, or at the start of the academic year', async () => {
  expect(await names({ earlyCareer: true, employedOn: '2025-01-15' })).toEqual(['Новикова', 'Позднякова']);
  expect(await names({ earlyCareer: false, employedOn: '2025-01-15' })).toEqual(['Безстажева']);
  expect(await names({ under35: true, employedDuring: '2024/2025' })).toEqual(['Безстажева', 'Новикова']);
  expect(await names({ earlyCareer: true, under35: true, employedDuring: '2025/2026' })).toEqual(['Новикова']);
  // Старова left on 2024-06-30: employed during 2023/2024, not 2024/2025
  expect(await names({ employedDuring: '2023/2024', earlyCareer: false })).toEqual(['Старова']);
  expect(await names({ employedDuring: '2024/2025', earlyCareer: false })).toEqual(['Безстажева']);
});

test('an academic year is written 2024/2025; anything else, or a day and a year at once, is bad input', async () => {
  for (const employedDuring of ['2024/2026', '2024-2025', '24/25', '2024/2025 ']) {
    expect((await admin.error(list, { filter: { employedDuring } })).code).toBe('BAD_USER_INPUT');
  }
  const both = await admin.error(list, { filter: { employedDuring: '2024/2025', employedOn: '2025-01-01' } });
  expect(both.code).toBe('BAD_USER_INPUT');
  expect(both.message).toMatch(/either employedOn or employedDuring/);
});

test('an analyst sees the groups on 1 September of an academic year but not the age, which is derived from personal data', async () => {
  const analyst = graph.as({ role: 'analyst' });
  const result = await analyst.run(`query ($org: ID) { educators(filter: { organizationId: $org, employedDuring: "2025/2026", under35: true }) {
    totalCount nodes { isUnder35(on: "2025-09-01") isEarlyCareer(on: "2025-09-01") age } } }`, { org: school.id });
  expect(result.data?.educators.totalCount).toBe(2); // Безстажева and Новикова, counted on 2025-09-01
  expect(result.data?.educators.nodes).toEqual([
    { isUnder35: true, isEarlyCareer: expect.any(Boolean), age: null }, { isUnder35: true, isEarlyCareer: expect.any(Boolean), age: null }]);
  expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
});
