import { addDays, today } from '@mms/platform';
import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';

/**
 * Issue 20's "done means", in one world through the gateway: a school admin asks for help, the methodist answers with
 * a group consultation of five educators, the request closes and is rated; a needs survey is answered by 30 educators
 * and its result by municipality shows the top requested directions, with one group suppressed for the analyst;
 * indicator 9 for that municipality counts the five once.
 */
let graph: TestGraph;
beforeAll(async () => {
  graph = await createTestGraph();
}, 60_000);
afterAll(() => graph.close());

test('done means', async () => {
  const admin = graph.as(regionAdmin);
  const a = (await createMunicipality(admin)).id;
  const b = (await createMunicipality(admin)).id;
  const school = (await createOrganization(admin, a)).id;
  const centre = (await createOrganization(admin, a, { kind: 'METHODOLOGICAL_CENTRE' })).id;
  const farSchool = (await createOrganization(admin, b)).id;
  const methodist = (await createEducator(admin, centre)).id;
  const inA: string[] = [];
  const inB: string[] = [];
  for (let i = 0; i < 26; i += 1) inA.push((await createEducator(admin, school)).id);
  for (let i = 0; i < 4; i += 1) inB.push((await createEducator(admin, farSchool)).id);
  const schoolAdmin = graph.as({ role: 'organization_admin', organizationId: school });
  const service = graph.as({ role: 'municipality_methodist', municipalityId: a });
  const analyst = graph.as({ role: 'analyst' });
  const five = inA.slice(0, 5);

  // a school admin asks for help; the methodist answers with a group consultation of five; closed and rated
  const { fileHelpRequest: asked } = await schoolAdmin.data(`mutation { fileHelpRequest(input: { topic: "Наставничество в школе", kind: CONSULTATION, filedOn: "2026-10-01" }) { id status dueOn } }`);
  expect(asked).toMatchObject({ status: 'NEW', dueOn: '2026-10-11' });
  await service.data(`mutation ($id: ID!, $m: ID!) { assignHelpRequest(id: $id, methodistId: $m, on: "2026-10-02") { status } }`, { id: asked.id, m: methodist });
  const { recordSupportSession: consultation } = await service.data(`mutation ($input: RecordSupportSessionInput!) { recordSupportSession(input: $input) { id participantCount } }`,
    { input: { methodistId: methodist, heldOn: '2026-10-07', form: 'GROUP_CONSULTATION', topic: 'Целевая модель наставничества', organizationId: school, participantIds: five, helpRequestId: asked.id } });
  expect(consultation.participantCount).toBe(5);
  await service.data(`mutation ($id: ID!, $s: ID!) { answerHelpRequest(input: { id: $id, answer: "Групповая консультация", answeredOn: "2026-10-07", supportSessionIds: [$s] }) { status } }`, { id: asked.id, s: consultation.id });
  await schoolAdmin.data(`mutation ($id: ID!) { closeHelpRequest(id: $id, on: "2026-10-09") { status } }`, { id: asked.id });
  const { rateHelpRequest } = await schoolAdmin.data(`mutation ($id: ID!) { rateHelpRequest(id: $id, rating: 5) { status rating supportSessions { participantCount } } }`, { id: asked.id });
  expect(rateHelpRequest).toEqual({ status: 'CLOSED', rating: 5, supportSessions: [{ participantCount: 5 }] });

  // a needs survey answered by 30 educators: top directions by municipality, B (4 answers) suppressed for the analyst
  const day = today();
  const { createSurvey } = await admin.data(`mutation ($input: CreateSurveyInput!) { createSurvey(input: $input) { id questions { id } } }`, { input: {
    title: 'Мониторинг потребностей', isAnonymous: true, opensOn: addDays(day, -1), closesOn: addDays(day, 1),
    questions: [{ kind: 'MULTIPLE', text: 'Направления повышения квалификации', options: ['ФОП', 'Функциональная грамотность', 'ОВЗ'], isUpskillingDirection: true }] } });
  for (const [i, educatorId] of [...inA, ...inB].entries()) {
    await graph.as({ role: 'educator', educatorId }).data(`mutation ($s: ID!, $q: ID!, $c: [String!]!) { answerSurvey(surveyId: $s, answers: [{ questionId: $q, choices: $c }]) { submittedOn } }`,
      { s: createSurvey.id, q: createSurvey.questions[0].id, c: i % 2 ? ['Функциональная грамотность'] : ['Функциональная грамотность', i % 4 ? 'ОВЗ' : 'ФОП'] });
  }
  const { surveyResults } = await analyst.data(`query ($s: ID!) { surveyResults(surveyId: $s) { municipalityId responseCount isSuppressed topDirections { rank direction count } } }`, { s: createSurvey.id });
  expect(surveyResults.find((g: { municipalityId: string }) => g.municipalityId === b)).toEqual({ municipalityId: b, responseCount: null, isSuppressed: true, topDirections: [] });
  expect(surveyResults.find((g: { municipalityId: string }) => g.municipalityId === a)).toEqual({ municipalityId: a, responseCount: 26, isSuppressed: false, topDirections: [
    { rank: 1, direction: 'Функциональная грамотность', count: 26 }, { rank: 2, direction: 'ФОП', count: 7 }, { rank: 3, direction: 'ОВЗ', count: 6 }] });

  // indicator 9 of A counts the five once
  const { indicatorValues } = await service.data(`query ($m: ID!) { indicatorValues(scope: { municipalityId: $m }, academicYear: "2026/2027") { indicator { code } numerator numeratorEducators(first: 50) { nodes { id } } } }`, { m: a });
  const nine = indicatorValues.find((v: { indicator: { code: string } }) => v.indicator.code === 'TARGETED_SUPPORT_COUNT');
  expect({ numerator: nine.numerator, ids: nine.numeratorEducators.nodes.map((n: { id: string }) => n.id).sort() }).toEqual({ numerator: 5, ids: [...five].sort() });
}, 120_000);
