import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { seedDemo as seedStaff } from '../../staff/src/seed';
import { seedDemo } from '../src/seed';

/** Issue 20's demo data: what a newcomer sees after `npm start` (requests for help, sessions, the needs survey). */
let graph: TestGraph;
beforeAll(async () => {
  graph = await createTestGraph();
  await graph.db.staff.transaction((trx) => seedStaff(trx));
  await graph.db.profdev.transaction((trx) => seedDemo(trx));
}, 120_000);
afterAll(() => graph.close());

test('the demo holds requests in every state, two sessions and a needs survey with ranked directions', async () => {
  const admin = graph.as(regionAdmin);
  const { municipalities } = await admin.data('{ municipalities { id } }');
  const m = municipalities[0].id;
  const data = await admin.data(`query ($m: ID!) {
    helpRequests(filter: { municipalityId: $m }) { status kind requesterKind rating supportSessions { participantCount othersCount } }
    overdueHelpRequests(municipalityId: $m, on: "2026-11-20") { kind }
    helpQuality(from: "2026-09-01", to: "2026-12-31", municipalityId: $m) { filedCount averageRating onTimeShare }
    supportSessions(from: "2026-09-01", to: "2026-12-31", municipalityId: $m) { form participantCount association { title } }
    surveys { id title isAnonymous responseCount }
  }`, { m });
  expect(data.helpRequests.map((r: { status: string }) => r.status).sort()).toEqual(['CLOSED', 'DECLINED', 'IN_PROGRESS', 'NEW', 'NEW']);
  // a method association's request, filed by its leader
  expect(data.helpRequests.filter((r: { requesterKind: string }) => r.requesterKind === 'ASSOCIATION')).toEqual([expect.objectContaining({ status: 'NEW', kind: 'LESSON_VISIT' })]);
  expect(data.helpRequests.find((r: { status: string }) => r.status === 'CLOSED')).toMatchObject({ rating: 5, requesterKind: 'ORGANIZATION', supportSessions: [{ participantCount: 5, othersCount: 2 }] });
  expect(data.overdueHelpRequests).toEqual([{ kind: 'ATTESTATION' }]);
  expect(data.helpQuality).toEqual([{ filedCount: 5, averageRating: 5, onTimeShare: 1 }]);
  expect(data.supportSessions.map((s: { form: string }) => s.form)).toEqual(['SEMINAR_PRACTICUM', 'GROUP_CONSULTATION']);
  const needs = data.surveys.find((s: { title: string }) => s.title.startsWith('Мониторинг'));
  expect(needs.responseCount).toBeGreaterThan(30);
  const { surveyResults } = await graph.as({ role: 'analyst' }).data(`query ($s: ID!) { surveyResults(surveyId: $s) { isSuppressed topDirections { rank direction count } } }`, { s: needs.id });
  expect(surveyResults[1].isSuppressed).toBe(false);
  expect(surveyResults[1].topDirections[0]).toMatchObject({ rank: 1, direction: 'Цифровые инструменты педагога' });
  // a survey of managerial staff only, answered by the managers
  const managers = data.surveys.find((s: { title: string }) => s.title.startsWith('Анкета руководителей'));
  expect(managers.responseCount).toBeGreaterThan(0);
  const { rows: [{ n }] } = await graph.db.profdev.raw(`select count(distinct educator_id)::int as n from staff_api.employment where staff_category = 'managerial' and ended_on is null and municipality_id = ?`, [m]);
  expect(managers.responseCount).toBe(n);
  const poll = data.surveys.find((s: { title: string }) => s.title.startsWith('Экспресс'));
  const { dataRequests } = await admin.data('{ dataRequests { targetCount submittedCount late(on: "2026-12-10") { submittedOn } } }');
  expect(dataRequests).toHaveLength(1);
  expect(dataRequests[0].submittedCount).toBe(2);
  expect(dataRequests[0].late).toEqual([{ submittedOn: '2026-12-02' }, ...Array(dataRequests[0].targetCount - 2).fill({ submittedOn: null })]);
  const { surveyResults: small } = await admin.data(`query ($s: ID!) { surveyResults(surveyId: $s) { isSuppressed responseCount } }`, { s: poll.id });
  expect(small).toEqual([{ isSuppressed: false, responseCount: 0 }, { isSuppressed: true, responseCount: null }]);
});
