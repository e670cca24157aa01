import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { isEmpty, seedDemo } from '../src/seed';

/** The demo municipality `npm start` seeds: written through the registry's own rules, and worth opening. */
let graph: TestGraph;
beforeAll(async () => {
  graph = await createTestGraph();
});
afterAll(() => graph.close());

test('the demo municipality is seeded into an empty registry and answers the journeys', async () => {
  expect(await isEmpty(graph.db.staff)).toBe(true);
  const counts = await graph.db.staff.transaction((trx) => seedDemo(trx));
  expect(counts).toEqual({ municipalities: 1, organizations: 7, educators: 60 });
  expect(await isEmpty(graph.db.staff)).toBe(false);

  const admin = graph.as(regionAdmin);
  const { municipalities } = await admin.data(`{ municipalities { id name timeZone organizations { id } } }`);
  expect(municipalities).toEqual([expect.objectContaining({ name: 'Партизанский городской округ', timeZone: 'Asia/Vladivostok' })]);
  const data = await admin.data(`query ($m: ID!) {
    due: attestationsDue(scope: { municipalityId: $m }, before: "2027-01-01") { dueOn educator { fullName } }
    council: educatorStatuses(kind: COUNCIL_MEMBER, on: "2025-01-15") { educator { fullName } }
    methodists: educatorStatuses(kind: REGIONAL_METHODIST, academicYear: "2025/2026") { educator { assignedEducators { educator { isEarlyCareer } } } }
    sites: organizationStatuses(kind: INTERNSHIP_SITE, academicYear: "2025/2026") { direction organization { shortName } }
    early: educators(filter: { earlyCareer: true }) { totalCount }
  }`, { m: municipalities[0].id });
  expect(data.due.length).toBeGreaterThan(3);
  expect(data.council).toHaveLength(5);
  expect(data.methodists).toHaveLength(2);
  expect(data.methodists.flatMap((m: { educator: { assignedEducators: unknown[] } }) => m.educator.assignedEducators).length).toBeGreaterThan(0);
  expect(data.sites).toEqual([{ direction: 'Наставничество молодых педагогов', organization: { shortName: 'МБОУ Гимназия № 1' } }]);
  expect(data.early.totalCount).toBeGreaterThan(0);
});
