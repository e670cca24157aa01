import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { isEmpty as staffIsEmpty, seedDemo as seedStaff } from '../../staff/src/seed';
import { isEmpty, seedDemo } from '../src/seed';

/** The demo data `npm start` loads: staff's municipality, then a year of events, a competition with results, olympiads, a plan. */
let graph: TestGraph;
beforeAll(async () => {
  graph = await createTestGraph();
  expect(await staffIsEmpty(graph.db.staff)).toBe(true);
  await graph.db.staff.transaction((trx) => seedStaff(trx));
}, 120_000);
afterAll(() => graph.close());

test('the demo seed holds a competition with two stages, a jury and final results with the educators\' organizations', async () => {
  expect(await isEmpty(graph.db.events)).toBe(true);
  const counts = await graph.db.events.transaction((trx) => seedDemo(trx));
  expect(counts).toEqual({ events: 8, competitions: 1, stages: 2, olympiads: 2, activities: 7, announcements: 4 });
  // issue 20: the association meeting's attendance, published for indicator 9 (the registered but absent one is not)
  const { rows: attended } = await graph.db.indicators.raw(`select count(*)::int as n from events_api.association_meeting_attendance`);
  const { rows: registered } = await graph.db.events.raw(`select count(*)::int as n from participation p join event e on e.id = p.event_id where e.kind = 'association_meeting'`);
  expect({ attended: attended[0].n, registered: registered[0].n }).toEqual({ attended: 8, registered: 9 });
  expect(await isEmpty(graph.db.events)).toBe(false);

  const admin = graph.as(regionAdmin);
  const { competitions } = await admin.data(`{ competitions { id title year stages { ordinal isClosed jury { fullName educator { id } } results { place outcome isAdvanced } } } }`);
  expect(competitions).toHaveLength(1);
  const [competition] = competitions;
  expect(competition.stages.map((s: { ordinal: number; isClosed: boolean }) => [s.ordinal, s.isClosed])).toEqual([[1, true], [2, true]]);
  expect(competition.stages[0].jury).toHaveLength(4);
  expect(competition.stages[0].jury.filter((j: { fullName: string | null }) => j.fullName === 'Кузьмина Ирина Павловна')).toHaveLength(1);
  expect(competition.stages[0].results.filter((r: { isAdvanced: boolean }) => r.isAdvanced).length).toBeGreaterThanOrEqual(4);

  const { competition: final } = await admin.data(`query ($id: ID!) { competition(id: $id) { title finalResults {
    nomination { title } place outcome score educator { fullName } organization { shortName } } } }`, { id: competition.id });
  expect(final.finalResults.length).toBeGreaterThanOrEqual(4);
  for (const result of final.finalResults) {
    expect(result.educator.fullName).toEqual(expect.any(String));
    expect(result.organization.shortName).toEqual(expect.any(String));
  }
  expect(final.finalResults.filter((r: { outcome: string }) => r.outcome === 'WINNER').length).toBeGreaterThanOrEqual(2);

  const { municipalities } = await admin.data('{ municipalities { id } }');
  const { annualPlan, olympiads, events } = await admin.data(`query ($m: ID!) {
    annualPlan(municipalityId: $m, academicYear: "2025/2026") { activitiesTotal activitiesDone completionShare activities { title isDone calendarEvent { title } events { status } } }
    olympiads(academicYear: "2025/2026") { subject stage venues { shortName } tasks { title isDone responsible { fullName } } }
    events(filter: { municipalityId: $m }) { title status capacity seatsTaken participations { isWaitlisted waitlistPosition } }
  }`, { m: municipalities[0].id });
  expect(annualPlan).toMatchObject({ activitiesTotal: 7, activitiesDone: 4 });
  expect(annualPlan.completionShare).toBeCloseTo(4 / 7, 4);
  expect(olympiads).toHaveLength(2);
  expect(olympiads[0].tasks.filter((t: { isDone: boolean }) => t.isDone)).toHaveLength(2);
  const seminar = events.find((e: { title: string }) => e.title.startsWith('Семинар'));
  expect(seminar).toMatchObject({ capacity: 3, seatsTaken: 3 });
  expect(seminar.participations.filter((p: { isWaitlisted: boolean }) => p.isWaitlisted)).toEqual([{ isWaitlisted: true, waitlistPosition: 1 }]);
  expect(events.filter((e: { status: string }) => e.status === 'CANCELLED')).toHaveLength(1);
});

test('the demo announcements: three published in the public feed, the pinned regional one first, the draft not public', async () => {
  const { newsFeed, announcements } = await graph.anonymous().data(`{ newsFeed { title pinned } announcements { totalCount } }`);
  expect(announcements.totalCount).toBe(3);
  expect(newsFeed[0]).toEqual({ title: 'Открыта запись на курсы по функциональной грамотности', pinned: true });
  expect(newsFeed.map((n: { title: string }) => n.title)).not.toContain('Итоги конкурса «Педагог года — 2026» (черновик)');
});
