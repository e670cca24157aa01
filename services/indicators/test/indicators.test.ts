import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { createCompetency, createProgram, recordDiagnostic } from '../../profdev/test/fixtures';
import { sorted, startEmployment, valueOf, valuesOf, type ScopeArg } from './helpers';

/**
 * Indicators 1–4 and 7–15 (5 and 6: staff-indicators.test.ts), each on one small world built through the graph's own
 * mutations (staff, profdev, events), academic year 2024/2025, answers worked out by hand.
 *
 * Municipality M: organizations O1, O2. Municipality N: organization P1. Municipality E: an organization, no staff.
 *   x1  O1 from 2020, and O2 part-time              (in two organizations: once for M and the region)
 *   x2  O1 2020-09-01 – 2025-01-31                  (left mid-year: counted for 2024/2025)
 *   x3  O2 from 2020
 *   x4  O1 2020-09-01 – 2024-06-30                  (left before the year: never counted, whatever they did)
 *   x5  O2 from 2023-09-01, born 2000, pedagogical work since 2023-09-01  (under 35, early career)
 *   x6  O1 from 2022-09-01, born 1999, pedagogical work since 2022-09-01  (under 35, early career)
 *   y1  P1 from 2020
 * Population 2024/2025: O1 {x1, x2, x6} = 3; O2 {x1, x3, x5} = 3; M {x1, x2, x3, x5, x6} = 5; N = P1 {y1} = 1;
 * region 6; E 0.
 */
let graph: TestGraph;
let admin: Client;
const year = '2024/2025';
const w = {} as Record<'M' | 'N' | 'E' | 'O1' | 'O2' | 'P1' | 'x1' | 'x2' | 'x3' | 'x4' | 'x5' | 'x6' | 'y1', string>;

const M = () => ({ municipalityId: w.M });
const N = () => ({ municipalityId: w.N });
const O1 = () => ({ organizationId: w.O1 });
const O2 = () => ({ organizationId: w.O2 });
const region: ScopeArg = { region: true };

async function mutate(query: string, input: unknown) {
  return admin.data(query, { input });
}

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.M = (await createMunicipality(admin, { name: 'М-город' })).id;
  w.N = (await createMunicipality(admin, { name: 'Н-район' })).id;
  w.E = (await createMunicipality(admin, { name: 'Э-посёлок' })).id;
  w.O1 = (await createOrganization(admin, w.M, { name: 'О1 школа' })).id;
  w.O2 = (await createOrganization(admin, w.M, { name: 'О2 школа' })).id;
  w.P1 = (await createOrganization(admin, w.N, { name: 'П1 школа' })).id;
  await createOrganization(admin, w.E, { name: 'Э1 школа' });
  w.x1 = (await createEducator(admin, w.O1)).id;
  await startEmployment(admin, w.x1, w.O2);
  w.x2 = (await createEducator(admin, w.O1, {}, { endedOn: '2025-01-31' })).id;
  w.x3 = (await createEducator(admin, w.O2)).id;
  w.x4 = (await createEducator(admin, w.O1, {}, { endedOn: '2024-06-30' })).id;
  w.x5 = (await createEducator(admin, w.O2, { birthDate: '2000-03-03', pedagogicalWorkStartedOn: '2023-09-01' }, { startedOn: '2023-09-01' })).id;
  w.x6 = (await createEducator(admin, w.O1, { birthDate: '1999-05-05', pedagogicalWorkStartedOn: '2022-09-01' }, { startedOn: '2022-09-01' })).id;
  w.y1 = (await createEducator(admin, w.P1)).id;
}, 60_000);
afterAll(() => graph.close());

/** Checks numerator, denominator and value of one scope, and the drill-down lists (by id). */
async function expectValue(code: string, scope: ScopeArg, expected: { numerator: number; denominator: number; value: number | null; reason?: string | null;
  numeratorIds?: string[]; denominatorIds?: string[]; isYes?: boolean | null }) {
  const seen = await valueOf(admin, scope, year, code);
  const { numeratorIds, denominatorIds, ...figures } = expected;
  expect({ code, scope, ...pick(seen, Object.keys(figures)) }).toEqual({ code, scope, reason: null, ...figures });
  if (numeratorIds) expect({ code, scope, numeratorIds: seen.numeratorIds }).toEqual({ code, scope, numeratorIds: sorted(...numeratorIds) });
  if (denominatorIds) expect({ code, scope, denominatorIds: seen.denominatorIds }).toEqual({ code, scope, denominatorIds: sorted(...denominatorIds) });
}
const pick = (value: object, keys: string[]) => Object.fromEntries(Object.entries(value).filter(([key]) => keys.includes(key) || key === 'reason'));
const everyone = () => [w.x1, w.x2, w.x3, w.x5, w.x6];

describe('professional development (profdev)', () => {
  let competency: { id: string };
  let registry: { id: string };
  let nonRegistry: { id: string };
  let retraining: { id: string };
  const diagnostics = {} as Record<string, string>;

  beforeAll(async () => {
    competency = await createCompetency(admin, { threshold: 60 });
    registry = await createProgram(admin, [competency.id]);
    nonRegistry = await createProgram(admin, [competency.id], { registryNumber: null });
    retraining = await createProgram(admin, [competency.id], { kind: 'RETRAINING', hours: 260 });
    // Diagnostics: x1 twice in the year, x2 before leaving, y1; x3 the year before, x4 (gone) during it.
    diagnostics.x1 = (await recordDiagnostic(admin, w.x1, '2024-10-10', [[competency.id, 40]])).id;
    await recordDiagnostic(admin, w.x1, '2025-04-10', [[competency.id, 70]]);
    diagnostics.x2 = (await recordDiagnostic(admin, w.x2, '2025-01-15', [[competency.id, 30]])).id;
    diagnostics.y1 = (await recordDiagnostic(admin, w.y1, '2025-05-05', [[competency.id, 50]])).id;
    await recordDiagnostic(admin, w.x3, '2024-08-20', [[competency.id, 50]]);
    await recordDiagnostic(admin, w.x4, '2024-10-01', [[competency.id, 50]]);
    const complete = `mutation ($input: RecordCompletionInput!) { recordCompletion(input: $input) { id } }`;
    // x1: registry program from the diagnostic; x2: a program outside the registry from the diagnostic; x3: the registry
    // program, not from a diagnostic; y1: registry from the diagnostic; x5: retraining; x4 (gone): registry from nothing.
    await mutate(complete, { educatorId: w.x1, programId: registry.id, startedOn: '2025-02-01', completedOn: '2025-03-01', diagnosticId: diagnostics.x1 });
    await mutate(complete, { educatorId: w.x2, programId: nonRegistry.id, startedOn: '2025-01-16', completedOn: '2025-01-20', diagnosticId: diagnostics.x2 });
    await mutate(complete, { educatorId: w.x3, programId: registry.id, startedOn: '2024-11-01', completedOn: '2024-12-01' });
    await mutate(complete, { educatorId: w.y1, programId: registry.id, startedOn: '2025-05-10', completedOn: '2025-06-01', diagnosticId: diagnostics.y1 });
    await mutate(complete, { educatorId: w.x5, programId: retraining.id, startedOn: '2024-09-10', completedOn: '2025-02-01' });
    await mutate(complete, { educatorId: w.x4, programId: registry.id, startedOn: '2024-10-01', completedOn: '2024-10-20' });
  }, 60_000);

  test('2. share who passed competency diagnostics: x1 (twice, once counted), x2 (left in January); not x3 (a year before) nor x4 (gone)', async () => {
    await expectValue('DIAGNOSTICS_SHARE', M(), { numerator: 2, denominator: 5, value: 40, numeratorIds: [w.x1, w.x2], denominatorIds: everyone() });
    await expectValue('DIAGNOSTICS_SHARE', O1(), { numerator: 2, denominator: 3, value: 66.7, numeratorIds: [w.x1, w.x2] });
    await expectValue('DIAGNOSTICS_SHARE', O2(), { numerator: 1, denominator: 3, value: 33.3, numeratorIds: [w.x1] });
    await expectValue('DIAGNOSTICS_SHARE', N(), { numerator: 1, denominator: 1, value: 100, numeratorIds: [w.y1] });
    await expectValue('DIAGNOSTICS_SHARE', region, { numerator: 3, denominator: 6, value: 50, numeratorIds: [w.x1, w.x2, w.y1] });
  });

  test('3. share who completed a federal-registry program chosen from their diagnostic: x1 and y1 only', async () => {
    await expectValue('REGISTRY_PROGRAMS_FROM_DIAGNOSTICS_SHARE', M(), { numerator: 1, denominator: 5, value: 20, numeratorIds: [w.x1], denominatorIds: everyone() });
    await expectValue('REGISTRY_PROGRAMS_FROM_DIAGNOSTICS_SHARE', O2(), { numerator: 1, denominator: 3, value: 33.3, numeratorIds: [w.x1] });
    await expectValue('REGISTRY_PROGRAMS_FROM_DIAGNOSTICS_SHARE', region, { numerator: 2, denominator: 6, value: 33.3, numeratorIds: [w.x1, w.y1] });
  });

  test('10. number who upgraded their qualification from a diagnostic, any program: x1, x2 (left mid-year), y1', async () => {
    await expectValue('DIAGNOSTIC_BASED_UPSKILLING_COUNT', M(), { numerator: 2, denominator: 5, value: 2, numeratorIds: [w.x1, w.x2] });
    await expectValue('DIAGNOSTIC_BASED_UPSKILLING_COUNT', O2(), { numerator: 1, denominator: 3, value: 1, numeratorIds: [w.x1] });
    await expectValue('DIAGNOSTIC_BASED_UPSKILLING_COUNT', region, { numerator: 3, denominator: 6, value: 3, numeratorIds: [w.x1, w.x2, w.y1] });
  });

  test('11. programs the service carried out under its orders (issue 24): finished runs of the service in the year; not another provider\'s, a cancelled or last year\'s run', async () => {
    // The definition changed with issue 24 (before: distinct upskilling programs anyone of the scope completed). The
    // world keeps the figures of M, N and the region; O1 now counts only the run its educators finished.
    const run = async (municipalityId: string, programId: string, dates: [string, string, string], people: string[], provider: Record<string, unknown> = { providerKind: 'SERVICE' }, finish = true) => {
      const [startsOn, finishedOn, endsOn] = dates;
      const { createCourseRun } = await mutate(`mutation ($input: CreateCourseRunInput!) { createCourseRun(input: $input) { id } }`, {
        programId, municipalityId, ...provider, startsOn, endsOn, format: 'IN_PERSON', seats: 10, audience: 'учителя', applicationDeadline: startsOn });
      const id = createCourseRun.id as string;
      await admin.data(`mutation ($id: ID!) { openCourseRun(id: $id, order: { number: "1-пк", date: "${startsOn}" }) { id } }`, { id });
      for (const educatorId of people) await admin.data(`mutation ($id: ID!, $e: ID!) { enrolInCourseRun(runId: $id, educatorId: $e) { id } }`, { id, e: educatorId });
      await admin.data(`mutation ($id: ID!) { startCourseRun(id: $id, enrolmentOrder: { number: "2-пк", date: "${startsOn}" }) { id } }`, { id });
      if (finish) {
        await admin.data(`mutation ($id: ID!, $on: Date!, $outcomes: [CourseOutcomeInput!]!) { finishCourseRun(runId: $id, finishedOn: $on, outcomes: $outcomes) { id } }`,
          { id, on: finishedOn, outcomes: people.map((educatorId, i) => ({ educatorId, completed: true, certificateNumber: `${id.slice(0, 8)}-${i}` })) });
      }
      return id;
    };
    // M's service: the registry program (x1, x2) and the other one (x3; x4, gone, finished it too); N's service: the
    // registry program (y1). Not counted: a regional institute's run in M, M's run of the year before, a running one.
    const r1 = await run(w.M, registry.id, ['2025-02-01', '2025-03-01', '2025-03-10'], [w.x1, w.x2]);
    const r2 = await run(w.M, nonRegistry.id, ['2024-11-01', '2024-12-01', '2024-12-01'], [w.x3, w.x4]);
    const r5 = await run(w.N, registry.id, ['2025-05-10', '2025-06-01', '2025-06-01'], [w.y1]);
    await run(w.M, retraining.id, ['2024-09-10', '2025-02-01', '2025-02-01'], [w.x5], { providerKind: 'ORGANIZATION', providerName: 'ГАУ ДПО ПК ИРО' });
    await run(w.M, retraining.id, ['2024-03-01', '2024-04-01', '2024-04-01'], [w.x6]);
    await run(w.M, retraining.id, ['2025-03-01', '2025-04-01', '2025-08-31'], [w.x6], { providerKind: 'SERVICE' }, false);
    await expectValue('PROGRAMS_CARRIED_OUT_COUNT', M(), { numerator: 2, denominator: 5, value: 2, numeratorIds: [w.x1, w.x2, w.x3] });
    await expectValue('PROGRAMS_CARRIED_OUT_COUNT', O1(), { numerator: 1, denominator: 3, value: 1, numeratorIds: [w.x1, w.x2] });
    await expectValue('PROGRAMS_CARRIED_OUT_COUNT', O2(), { numerator: 2, denominator: 3, value: 2, numeratorIds: [w.x1, w.x3] });
    await expectValue('PROGRAMS_CARRIED_OUT_COUNT', N(), { numerator: 1, denominator: 1, value: 1, numeratorIds: [w.y1] });
    await expectValue('PROGRAMS_CARRIED_OUT_COUNT', region, { numerator: 2, denominator: 6, value: 2, numeratorIds: [w.x1, w.x2, w.x3, w.y1] });
    // The runs behind the number.
    const runsOf = async (scope: ScopeArg) => (await admin.data(`query ($scope: IndicatorScopeInput!) { indicatorValues(scope: $scope, academicYear: "${year}") {
      indicator { number } courseRuns { id } } }`, { scope })).indicatorValues.find((v: { indicator: { number: number } }) => v.indicator.number === 11).courseRuns.map((r: { id: string }) => r.id);
    expect(await runsOf(M())).toEqual([r2, r1]);
    expect(await runsOf(O1())).toEqual([r1]);
    expect(await runsOf(region)).toEqual([r2, r1, r5]);
  });

  describe('development routes', () => {
    beforeAll(async () => {
      const create = `mutation ($input: CreateRouteInput!) { createRoute(input: $input) { id items { id } } }`;
      const route = async (educatorId: string, periodFrom: string, periodTo: string) =>
        (await mutate(create, { educatorId, title: 'ИОМ', periodFrom, periodTo,
          items: [{ activityKind: 'SELF_STUDY', title: 'Самообразование', plannedFrom: periodFrom, plannedTo: periodTo }] })).createRoute as { id: string; items: { id: string }[] };
      const activate = (id: string, on: string) => admin.data(`mutation ($id: ID!, $on: Date) { activateRoute(id: $id, on: $on) { id } }`, { id, on });
      // x1: made and completed in the year. x3: made, due in May, abandoned. x5: a draft only. x6: made, due after the
      // year. y1: made and completed the year before.
      const x1 = await route(w.x1, '2024-09-01', '2025-08-31');
      await activate(x1.id, '2024-10-01');
      await admin.data(`mutation ($id: ID!) { markRouteItemDone(id: $id, doneOn: "2025-05-20") { id } }`, { id: x1.items[0].id });
      await admin.data(`mutation ($id: ID!) { completeRoute(id: $id, on: "2025-06-01") { id } }`, { id: x1.id });
      const x3 = await route(w.x3, '2024-09-01', '2025-05-31');
      await activate(x3.id, '2024-09-15');
      await admin.data(`mutation ($id: ID!) { abandonRoute(id: $id, reason: "переезд", on: "2025-03-01") { id } }`, { id: x3.id });
      await route(w.x5, '2024-09-01', '2025-08-31');
      const x6 = await route(w.x6, '2024-01-01', '2025-12-31');
      await activate(x6.id, '2024-02-01');
      const y1 = await route(w.y1, '2023-09-01', '2024-08-31');
      await activate(y1.id, '2023-09-10');
      await admin.data(`mutation ($id: ID!) { markRouteItemDone(id: $id, doneOn: "2024-08-01") { id } }`, { id: y1.items[0].id });
      await admin.data(`mutation ($id: ID!) { completeRoute(id: $id, on: "2024-08-20") { id } }`, { id: y1.id });
    }, 60_000);

    test('4. share with a development route made: x1, x3 (abandoned later), x6; not x5\'s draft, not y1\'s route of the year before', async () => {
      await expectValue('DEVELOPMENT_ROUTES_SHARE', M(), { numerator: 3, denominator: 5, value: 60, numeratorIds: [w.x1, w.x3, w.x6], denominatorIds: everyone() });
      await expectValue('DEVELOPMENT_ROUTES_SHARE', O1(), { numerator: 2, denominator: 3, value: 66.7, numeratorIds: [w.x1, w.x6] });
      await expectValue('DEVELOPMENT_ROUTES_SHARE', O2(), { numerator: 2, denominator: 3, value: 66.7, numeratorIds: [w.x1, w.x3] });
      await expectValue('DEVELOPMENT_ROUTES_SHARE', N(), { numerator: 0, denominator: 1, value: 0, numeratorIds: [] });
      await expectValue('DEVELOPMENT_ROUTES_SHARE', region, { numerator: 3, denominator: 6, value: 50 });
    });

    test('7. share who completed their route, of those with a route due: x1 of x1 and x3 (abandoned); x6 not yet due', async () => {
      await expectValue('ROUTES_COMPLETED_SHARE', M(), { numerator: 1, denominator: 2, value: 50, numeratorIds: [w.x1], denominatorIds: [w.x1, w.x3] });
      await expectValue('ROUTES_COMPLETED_SHARE', O1(), { numerator: 1, denominator: 1, value: 100, numeratorIds: [w.x1], denominatorIds: [w.x1] });
      await expectValue('ROUTES_COMPLETED_SHARE', O2(), { numerator: 1, denominator: 2, value: 50 });
      await expectValue('ROUTES_COMPLETED_SHARE', region, { numerator: 1, denominator: 2, value: 50 });
      const n = await valueOf(admin, N(), year, 'ROUTES_COMPLETED_SHARE');
      expect(n).toMatchObject({ numerator: 0, denominator: 0, value: null, reason: 'NO_DENOMINATOR' });
      // The year before: y1's route was due and completed.
      expect(await valueOf(admin, N(), '2023/2024', 'ROUTES_COMPLETED_SHARE')).toMatchObject({ numerator: 1, denominator: 1, value: 100 });
    });
  });

  describe('mentoring and support', () => {
    beforeAll(async () => {
      const mentor = `mutation ($input: StartMentorshipInput!) { startMentorship(input: $input) { id } }`;
      await mutate(mentor, { mentorId: w.x1, menteeId: w.x5, form: 'EXPERIENCED_YOUNG_SPECIALIST', startedOn: '2024-10-01' });
      await mutate(mentor, { mentorId: w.y1, menteeId: w.x3, form: 'TEACHER_TEACHER', startedOn: '2023-09-01', endedOn: '2024-06-30' });
      const support = `mutation ($input: RecordSupportInput!) { recordSupport(input: $input) { id } }`;
      await mutate(support, { methodistId: w.x3, educatorId: w.x2, givenOn: '2024-11-11', form: 'CONSULTATION', topic: 'ФОП' });
      await mutate(support, { methodistId: w.x1, educatorId: w.x3, givenOn: '2025-08-31', form: 'LESSON_VISIT', topic: 'Урок' });
      await mutate(support, { methodistId: w.x1, educatorId: w.y1, givenOn: '2025-09-01', form: 'SEMINAR', topic: 'Следующий год' });
      await mutate(support, { methodistId: w.x1, educatorId: w.x6, givenOn: '2024-05-10', form: 'CONSULTATION', topic: 'Прошлый год' });
    }, 60_000);

    test('8. share of the under-35 early-career educators supported: x5 (a mentee) of x5 and x6 (supported only the year before)', async () => {
      await expectValue('EARLY_CAREER_SUPPORTED_SHARE', M(), { numerator: 1, denominator: 2, value: 50, numeratorIds: [w.x5], denominatorIds: [w.x5, w.x6] });
      await expectValue('EARLY_CAREER_SUPPORTED_SHARE', O1(), { numerator: 0, denominator: 1, value: 0, numeratorIds: [], denominatorIds: [w.x6] });
      await expectValue('EARLY_CAREER_SUPPORTED_SHARE', O2(), { numerator: 1, denominator: 1, value: 100 });
      await expectValue('EARLY_CAREER_SUPPORTED_SHARE', region, { numerator: 1, denominator: 2, value: 50 });
      expect(await valueOf(admin, N(), year, 'EARLY_CAREER_SUPPORTED_SHARE')).toMatchObject({ numerator: 0, denominator: 0, value: null, reason: 'NO_DENOMINATOR' });
    });

    test('9. number receiving targeted support: x2 (November, left in January) and x3 (on 31 August); not y1 (1 September next)', async () => {
      await expectValue('TARGETED_SUPPORT_COUNT', M(), { numerator: 2, denominator: 5, value: 2, numeratorIds: [w.x2, w.x3], denominatorIds: everyone() });
      await expectValue('TARGETED_SUPPORT_COUNT', O1(), { numerator: 1, denominator: 3, value: 1, numeratorIds: [w.x2] });
      await expectValue('TARGETED_SUPPORT_COUNT', N(), { numerator: 0, denominator: 1, value: 0, numeratorIds: [] });
      await expectValue('TARGETED_SUPPORT_COUNT', region, { numerator: 2, denominator: 6, value: 2 });
    });

    test('12. number in the mentoring project: x1 (mentor, in two organizations) and x5; not y1 and x3 (ended before the year)', async () => {
      await expectValue('MENTORING_COUNT', M(), { numerator: 2, denominator: 5, value: 2, numeratorIds: [w.x1, w.x5] });
      await expectValue('MENTORING_COUNT', O1(), { numerator: 1, denominator: 3, value: 1, numeratorIds: [w.x1] });
      await expectValue('MENTORING_COUNT', O2(), { numerator: 2, denominator: 3, value: 2, numeratorIds: [w.x1, w.x5] });
      await expectValue('MENTORING_COUNT', region, { numerator: 2, denominator: 6, value: 2, numeratorIds: [w.x1, w.x5] });
      await expectValue('MENTORING_COUNT', N(), { numerator: 0, denominator: 1, value: 0 });
    });
  });

  describe('method associations and complaints', () => {
    beforeAll(async () => {
      const create = `mutation ($input: CreateMethodAssociationInput!) { createMethodAssociation(input: $input) { id } }`;
      const association = async (input: Record<string, unknown>) => (await mutate(create, { subjectArea: 'Математика', title: `МО ${Object.values(input).join(' ')}`, ...input })).createMethodAssociation.id as string;
      const plan = `mutation ($input: CreateAssociationPlanInput!) { createAssociationPlan(input: $input) { id items { id } } }`;
      const makePlan = async (associationId: string, adoptedOn: string | null, done: boolean) => {
        const { createAssociationPlan } = await mutate(plan, { associationId, academicYear: year, adoptedOn,
          items: [{ title: 'Семинар', plannedOn: '2024-10-10' }, { title: 'Конференция', plannedOn: '2025-03-10' }] });
        if (done) await admin.data(`mutation ($id: ID!) { markPlanItemDone(id: $id, doneOn: "2024-10-10") { id } }`, { id: createAssociationPlan.items[0].id });
      };
      // A1 (M): adopted, an item done. A2 (O2): a plan not adopted. A3 (N): adopted, nothing done. A4 (M): no plan,
      // no members: not active. A5 (O1): adopted, an item done.
      const a1 = await association({ level: 'MUNICIPAL', municipalityId: w.M, leaderId: w.x1 });
      await mutate(`mutation ($input: AddAssociationMemberInput!) { addAssociationMember(input: $input) { id } }`, { associationId: a1, educatorId: w.x2, joinedOn: '2024-09-01' });
      await makePlan(a1, '2024-09-05', true);
      await makePlan(await association({ level: 'ORGANIZATION', municipalityId: w.M, organizationId: w.O2, leaderId: w.x3 }), null, false);
      await makePlan(await association({ level: 'MUNICIPAL', municipalityId: w.N, leaderId: w.y1 }), '2024-09-05', false);
      await association({ level: 'MUNICIPAL', municipalityId: w.M, leaderId: w.x6 });
      await makePlan(await association({ level: 'ORGANIZATION', municipalityId: w.M, organizationId: w.O1, leaderId: w.x6 }), '2024-09-06', true);

      const complaint = `mutation ($input: RecordComplaintInput!) { recordComplaint(input: $input) { id } }`;
      await mutate(complaint, { receivedOn: '2025-04-01', municipalityId: w.M, organizationId: w.O1, educatorId: w.x2, subject: 'Не провели консультацию' });
      await mutate(complaint, { receivedOn: '2025-05-05', municipalityId: w.M, subject: 'Обращение родителя' });
      await mutate(complaint, { receivedOn: '2024-07-01', municipalityId: w.N, organizationId: w.P1, educatorId: w.y1, subject: 'Прошлый год' });
    }, 60_000);

    test('1. roadmap adopted and carried out: yes for O1 (A5), no for M (A2 not adopted), O2, N (nothing done) and the region', async () => {
      await expectValue('ASSOCIATION_ROADMAP', O1(), { numerator: 1, denominator: 1, value: 1, isYes: true, numeratorIds: [w.x6], denominatorIds: [w.x6] });
      await expectValue('ASSOCIATION_ROADMAP', M(), { numerator: 2, denominator: 3, value: 0, isYes: false, numeratorIds: [w.x1, w.x6], denominatorIds: [w.x1, w.x3, w.x6] });
      await expectValue('ASSOCIATION_ROADMAP', O2(), { numerator: 0, denominator: 1, value: 0, isYes: false, numeratorIds: [], denominatorIds: [w.x3] });
      await expectValue('ASSOCIATION_ROADMAP', N(), { numerator: 0, denominator: 1, value: 0, isYes: false, denominatorIds: [w.y1] });
      await expectValue('ASSOCIATION_ROADMAP', region, { numerator: 2, denominator: 4, value: 0, isYes: false });
      // No association was active the year before: no denominator.
      expect(await valueOf(admin, M(), '2023/2024', 'ASSOCIATION_ROADMAP')).toMatchObject({ denominator: 0, value: null, isYes: null, reason: 'NO_DENOMINATOR' });
    });

    test('14. no complaints: two appeals in M (one from x2, one from outside the registry), none in O2 and N this year', async () => {
      await expectValue('NO_COMPLAINTS', M(), { numerator: 2, denominator: 5, value: 0, isYes: false, numeratorIds: [w.x2] });
      await expectValue('NO_COMPLAINTS', O1(), { numerator: 1, denominator: 3, value: 0, isYes: false, numeratorIds: [w.x2] });
      await expectValue('NO_COMPLAINTS', O2(), { numerator: 0, denominator: 3, value: 1, isYes: true, numeratorIds: [] });
      await expectValue('NO_COMPLAINTS', N(), { numerator: 0, denominator: 1, value: 1, isYes: true });
      await expectValue('NO_COMPLAINTS', region, { numerator: 2, denominator: 6, value: 0, isYes: false, numeratorIds: [w.x2] });
    });
  });
});

describe('events and competitions (events)', () => {
  beforeAll(async () => {
    const create = `mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }`;
    const event = async (kind: string, day: string) => (await mutate(create, { kind, level: 'MUNICIPAL', title: `${kind} ${day}`, municipalityId: w.M,
      startsAt: `${day}T10:00:00+03:00`, endsAt: `${day}T13:00:00+03:00`, venueOrganizationId: w.O1 })).createEvent.id as string;
    const register = (eventId: string, educatorId: string, role = 'LISTENER') =>
      admin.data(`mutation ($input: RegisterForEventInput!) { registerForEvent(input: $input) { id } }`, { input: { eventId, educatorId, role } });
    const attend = (eventId: string, ids: string[]) => admin.data(`mutation ($e: ID!, $ids: [ID!]!) { markAttendance(eventId: $e, educatorIds: $ids, isAttended: true) { id } }`, { e: eventId, ids });
    const status = (id: string, s: string) => admin.data(`mutation ($id: ID!, $s: EventStatus!) { setEventStatus(id: $id, status: $s) { id } }`, { id, s });
    // A networked event in February: x2 attended (after leaving: still of the year's population), x3 registered but
    // absent, x6 a speaker. A cancelled networked event (x1), a seminar (x1 attended), a networked event the year
    // before (x5 attended).
    const networked = await event('NETWORKED_EVENT', '2025-02-10');
    await register(networked, w.x2);
    await register(networked, w.x3);
    await register(networked, w.x6, 'SPEAKER');
    await attend(networked, [w.x2]);
    await status(networked, 'HELD');
    const cancelled = await event('NETWORKED_EVENT', '2025-03-10');
    await register(cancelled, w.x1);
    await status(cancelled, 'CANCELLED');
    const seminar = await event('SEMINAR', '2025-03-11');
    await register(seminar, w.x1);
    await attend(seminar, [w.x1]);
    const before = await event('NETWORKED_EVENT', '2024-06-01');
    await register(before, w.x5);
    await attend(before, [w.x5]);
    // Association meetings (indicator 9, from the events' registration sheets): in January x3 (who also has a support
    // record in August) and x6 attended, x5 registered but absent; a cancelled meeting x1 "attended"; a meeting the
    // year before y1 attended.
    const meeting = await event('ASSOCIATION_MEETING', '2025-01-15');
    for (const id of [w.x3, w.x6, w.x5]) await register(meeting, id);
    await attend(meeting, [w.x3, w.x6]);
    await status(meeting, 'HELD');
    const cancelledMeeting = await event('ASSOCIATION_MEETING', '2025-02-15');
    await register(cancelledMeeting, w.x1);
    await attend(cancelledMeeting, [w.x1]);
    await status(cancelledMeeting, 'CANCELLED');
    const oldMeeting = await event('ASSOCIATION_MEETING', '2024-05-15');
    await register(oldMeeting, w.y1);
    await attend(oldMeeting, [w.y1]);

    const competition = async (municipalityId: string, y: number, stage: Record<string, string>) => (await mutate(`mutation ($input: CreateCompetitionInput!) {
      createCompetition(input: $input) { nominations { id } } }`, { title: `Учитель года — ${y}`, level: 'MUNICIPAL', municipalityId, year: y, nominations: ['Учитель'],
      stages: [{ title: 'Заочный', criteria: [{ title: 'Портфолио', scaleMin: 0, scaleMax: 10 }], ...stage }] })).createCompetition.nominations[0].id as string;
    const file = async (nominationId: string, educatorId: string, filedOn: string) =>
      (await mutate(`mutation ($input: FileApplicationInput!) { fileApplication(input: $input) { id } }`, { nominationId, educatorId, filedOn })).fileApplication.id as string;
    const nomination = await competition(w.M, 2025, { startsOn: '2025-01-10', endsOn: '2025-03-31', applicationDeadline: '2025-02-01' });
    const x1 = await file(nomination, w.x1, '2025-01-15');
    await admin.data(`mutation ($id: ID!) { reviewApplication(id: $id, status: ACCEPTED) { id } }`, { id: x1 });
    const x3 = await file(nomination, w.x3, '2025-01-20');
    await admin.data(`mutation ($id: ID!) { withdrawApplication(id: $id) { id } }`, { id: x3 });
    const x6 = await file(nomination, w.x6, '2025-01-20');
    await admin.data(`mutation ($id: ID!) { reviewApplication(id: $id, status: REJECTED) { id } }`, { id: x6 });
    const old = await competition(w.N, 2024, { startsOn: '2024-08-01', endsOn: '2024-10-31', applicationDeadline: '2024-08-31' });
    await file(old, w.y1, '2024-08-15');
  }, 60_000);

  test('13. number in networked events: x2 (attended) and x6 (speaker); not x3 (absent), x1 (cancelled, a seminar), x5 (the year before)', async () => {
    await expectValue('NETWORKED_EVENTS_COUNT', M(), { numerator: 2, denominator: 5, value: 2, numeratorIds: [w.x2, w.x6], denominatorIds: everyone() });
    await expectValue('NETWORKED_EVENTS_COUNT', O1(), { numerator: 2, denominator: 3, value: 2, numeratorIds: [w.x2, w.x6] });
    await expectValue('NETWORKED_EVENTS_COUNT', O2(), { numerator: 0, denominator: 3, value: 0, numeratorIds: [] });
    await expectValue('NETWORKED_EVENTS_COUNT', region, { numerator: 2, denominator: 6, value: 2 });
  });

  test('9 with association meetings: x6 (attended) joins x2 and x3 (support and a meeting: once); not x5 (registered, absent), x1 (a cancelled meeting, a seminar), y1 (the year before)', async () => {
    await expectValue('TARGETED_SUPPORT_COUNT', M(), { numerator: 3, denominator: 5, value: 3, numeratorIds: [w.x2, w.x3, w.x6], denominatorIds: everyone() });
    await expectValue('TARGETED_SUPPORT_COUNT', O1(), { numerator: 2, denominator: 3, value: 2, numeratorIds: [w.x2, w.x6] });
    await expectValue('TARGETED_SUPPORT_COUNT', O2(), { numerator: 1, denominator: 3, value: 1, numeratorIds: [w.x3] });
    await expectValue('TARGETED_SUPPORT_COUNT', N(), { numerator: 0, denominator: 1, value: 0, numeratorIds: [] });
    await expectValue('TARGETED_SUPPORT_COUNT', region, { numerator: 3, denominator: 6, value: 3, numeratorIds: [w.x2, w.x3, w.x6] });
    // the year before: y1's meeting (an association meeting of M's calendar counts for y1's own municipality N)
    expect(await valueOf(admin, N(), '2023/2024', 'TARGETED_SUPPORT_COUNT')).toMatchObject({ numerator: 1, value: 1, numeratorIds: [w.y1] });
  });

  test('15. number who filed competition applications: x1 (accepted) and x6 (rejected); not x3 (withdrawn), y1 (the year before)', async () => {
    await expectValue('COMPETITION_APPLICANTS_COUNT', M(), { numerator: 2, denominator: 5, value: 2, numeratorIds: [w.x1, w.x6] });
    await expectValue('COMPETITION_APPLICANTS_COUNT', O2(), { numerator: 1, denominator: 3, value: 1, numeratorIds: [w.x1] });
    await expectValue('COMPETITION_APPLICANTS_COUNT', N(), { numerator: 0, denominator: 1, value: 0, numeratorIds: [] });
    await expectValue('COMPETITION_APPLICANTS_COUNT', region, { numerator: 2, denominator: 6, value: 2, numeratorIds: [w.x1, w.x6] });
  });
});

test('an empty scope: every one of the 15 indicators is null with the reason EMPTY_SCOPE, never a division by zero', async () => {
  const values = await valuesOf(admin, { municipalityId: w.E }, year);
  expect(Object.values(values).map((v) => [v.value, v.reason, v.numeratorIds.length, v.denominatorIds.length]))
    .toEqual(Array.from({ length: 15 }, () => [null, 'EMPTY_SCOPE', 0, 0]));
});
