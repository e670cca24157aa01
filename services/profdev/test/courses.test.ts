import type { Knex } from 'knex';
import { academicYearOf, addDays, today } from '@mms/platform';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { createProgram, fingerprint } from './fixtures';

/**
 * Course runs (issue 24) through the gateway: the service opens a run of a federal-registry program, educators apply
 * (a waiting list beyond the seats), the run finishes with the completions written in one mutation, indicator 11 shows
 * the run, an anonymous client sees open runs; every bad input with its code and nothing written.
 */
let graph: TestGraph;
let admin: Client;
let methodistA: Client;
let methodistB: Client;
let orgAdminA1: Client;
const w = {} as { a: string; b: string; a1: string; a2: string; b1: string; program: string; educators: string[]; other: string; far: string };
const day = (offset: number) => addDays(today(), offset);

const courseTables = ['course_run', 'course_application', 'course_certificate'];
/** Every profdev table, the course tables included: equal before and after means nothing was written. */
async function allTables(db: Knex) {
  const result = await fingerprint(db);
  for (const table of courseTables) {
    const { rows } = await db.raw(`select count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as f from profdev.${table} t`);
    result[table] = rows[0].f;
  }
  return result;
}

/** Runs a mutation that must fail with `code`, and checks that no profdev table changed. */
async function refused(client: Client, code: string, query: string, variables: Record<string, unknown>, message?: RegExp) {
  const before = await allTables(graph.db.profdev);
  const error = await client.error(query, variables);
  expect({ code: error.code, message: error.message }).toEqual({ code, message: message ? expect.stringMatching(message) : expect.any(String) });
  expect(await allTables(graph.db.profdev)).toEqual(before);
  return error;
}

const runFields = 'id status seats seatsTaken waitingCount providerKind openingOrder { number date } enrolmentOrder { number date } finishedOn';
const m = {
  create: `mutation ($input: CreateCourseRunInput!) { createCourseRun(input: $input) { ${runFields} } }`,
  open: `mutation ($id: ID!, $order: CourseOrderInput!) { openCourseRun(id: $id, order: $order) { ${runFields} } }`,
  start: `mutation ($id: ID!, $order: CourseOrderInput!) { startCourseRun(id: $id, enrolmentOrder: $order) { ${runFields} } }`,
  cancel: `mutation ($id: ID!) { cancelCourseRun(id: $id) { ${runFields} cancelledOn } }`,
  apply: `mutation ($runId: ID!) { applyForCourseRun(runId: $runId) { id status channel educator { id } } }`,
  nominate: `mutation ($runId: ID!, $educatorId: ID!) { nominateForCourseRun(runId: $runId, educatorId: $educatorId) { id status channel nominatedBy { id } } }`,
  enrol: `mutation ($runId: ID!, $educatorId: ID!) { enrolInCourseRun(runId: $runId, educatorId: $educatorId) { id status channel } }`,
  withdraw: `mutation ($id: ID!) { withdrawCourseApplication(id: $id) { id status } }`,
  finish: `mutation ($runId: ID!, $finishedOn: Date, $outcomes: [CourseOutcomeInput!]!) {
    finishCourseRun(runId: $runId, finishedOn: $finishedOn, outcomes: $outcomes) { ${runFields} } }`,
};

let serial = 0;
function runInput(overrides: Record<string, unknown> = {}) {
  return {
    programId: w.program, municipalityId: w.a, providerKind: 'SERVICE', startsOn: day(-2), endsOn: day(30), format: 'MIXED', seats: 20,
    audience: 'учителя математики 5–9 классов', applicationDeadline: day(1), ...overrides,
  };
}
const order = (prefix: string) => ({ number: `${prefix}-${++serial}`, date: day(-5) });

/** A run of municipality A (or as given), created and opened by its methodist. */
async function openRun(overrides: Record<string, unknown> = {}, client = methodistA) {
  const { createCourseRun } = await client.data(m.create, { input: runInput(overrides) });
  const { openCourseRun } = await client.data(m.open, { id: createCourseRun.id, order: order('ИМЦ-пк') });
  return openCourseRun as { id: string; status: string };
}

const educatorClient = (educatorId: string) => graph.as({ role: 'educator', subject: `e-${educatorId}`, educatorId });

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.a = (await createMunicipality(admin)).id;
  w.b = (await createMunicipality(admin)).id;
  w.a1 = (await createOrganization(admin, w.a)).id;
  w.a2 = (await createOrganization(admin, w.a)).id;
  w.b1 = (await createOrganization(admin, w.b)).id;
  w.educators = [];
  for (let i = 0; i < 25; i += 1) w.educators.push((await createEducator(admin, i % 2 ? w.a2 : w.a1)).id);
  w.other = (await createEducator(admin, w.a1)).id;
  w.far = (await createEducator(admin, w.b1)).id;
  w.program = (await createProgram(admin, [], { title: 'Функциональная грамотность: математическая', registryNumber: `ФР-К-${Date.now()}` })).id;
  methodistA = graph.as({ role: 'municipality_methodist', subject: 'methodist-a', municipalityId: w.a });
  methodistB = graph.as({ role: 'municipality_methodist', subject: 'methodist-b', municipalityId: w.b });
  orgAdminA1 = graph.as({ role: 'organization_admin', subject: 'admin-a1', organizationId: w.a1 });
});
afterAll(() => graph.close());

describe('the done-means journey', () => {
  test('the service opens a run of 20 seats, 25 educators apply (5 wait), it finishes with 18 completions in one mutation, indicator 11 shows it, anonymous clients see open runs', async () => {
    const { createCourseRun: planned } = await methodistA.data(m.create, { input: runInput() });
    expect(planned).toMatchObject({ status: 'PLANNED', seats: 20, seatsTaken: 0, providerKind: 'SERVICE', openingOrder: null });

    // An anonymous client sees open runs only: not the planned one yet.
    const anonymous = graph.anonymous();
    const listed = async () => (await anonymous.data(`{ courseRuns(first: 200) { nodes { id status } } }`)).courseRuns.nodes.map((n: { id: string }) => n.id);
    expect(await listed()).not.toContain(planned.id);
    expect((await anonymous.data(`query ($id: ID!) { courseRun(id: $id) { id } }`, { id: planned.id })).courseRun).toBeNull();

    const opening = order('ИМЦ-пк');
    const { openCourseRun: run } = await methodistA.data(m.open, { id: planned.id, order: opening });
    expect(run).toMatchObject({ status: 'OPEN', openingOrder: opening });
    const { courseRuns } = await anonymous.data(`{ courseRuns(filter: { status: PLANNED }, first: 200) {
      totalCount nodes { id status seats seatsTaken applicationDeadline format audience program { title isFederalRegistry registryNumber } } } }`);
    expect(courseRuns.nodes.every((n: { status: string }) => n.status === 'OPEN')).toBe(true);
    expect(courseRuns.nodes.find((n: { id: string }) => n.id === run.id)).toMatchObject({ seats: 20, format: 'MIXED', program: { isFederalRegistry: true } });

    for (const educatorId of w.educators) await educatorClient(educatorId).data(m.apply, { runId: run.id });
    const { courseRun: full } = await methodistA.data(`query ($id: ID!) { courseRun(id: $id) { seatsTaken waitingCount applications { status channel educator { id } } } }`, { id: run.id });
    expect(full).toMatchObject({ seatsTaken: 20, waitingCount: 5 });
    expect(full.applications.map((a: { status: string }) => a.status)).toEqual([...Array(20).fill('ENROLLED'), ...Array(5).fill('WAITLISTED')]);
    expect(full.applications.map((a: { educator: { id: string } }) => a.educator.id)).toEqual(w.educators);

    const enrolment = order('ИМЦ-зач');
    expect((await methodistA.data(m.start, { id: run.id, order: enrolment })).startCourseRun).toMatchObject({ status: 'RUNNING', enrolmentOrder: enrolment });

    const seated = w.educators.slice(0, 20);
    const outcomes = seated.map((educatorId, i) => (i < 18
      ? { educatorId, completed: true, certificateNumber: `ИМЦ-${run.id.slice(0, 8)}-${String(i + 1).padStart(3, '0')}`, hours: 36 }
      : { educatorId, completed: false, hours: 10 }));
    const statements = await graph.countSql(async () => {
      const { finishCourseRun } = await methodistA.data(m.finish, { runId: run.id, finishedOn: day(-1), outcomes });
      expect(finishCourseRun).toMatchObject({ status: 'FINISHED', finishedOn: day(-1), seatsTaken: 20, waitingCount: 5 });
    });
    expect(statements).toBeLessThan(40); // set-based: not one statement per educator (20 seated here)
    const [{ count }] = await graph.db.profdev('program_completion').where('program_id', w.program).count({ count: '*' });
    expect(Number(count)).toBe(18);
    const { courseRun: finished } = await methodistA.data(`query ($id: ID!) { courseRun(id: $id) {
      applications { status hours educator { id } completion { completedOn certificateNumber startedOn program { id } } } } }`, { id: run.id });
    expect(finished.applications.filter((a: { status: string }) => a.status === 'COMPLETED')).toHaveLength(18);
    expect(finished.applications.filter((a: { status: string }) => a.status === 'NOT_COMPLETED')).toHaveLength(2);
    expect(finished.applications[0]).toMatchObject({ hours: 36, completion: { completedOn: day(-1), startedOn: day(-2), certificateNumber: outcomes[0].certificateNumber, program: { id: w.program } } });
    // The completions are the course training database's: on the educator's profile.
    const { educator } = await methodistA.data(`query ($id: ID!) { educator(id: $id) { completions { certificateNumber program { id } } } }`, { id: w.educators[0] });
    expect(educator.completions).toContainEqual({ certificateNumber: outcomes[0].certificateNumber, program: { id: w.program } });

    // Indicator 11 of municipality A for the year: the run is behind the number; not in municipality B.
    const indicator11 = async (client: Client, scope: Record<string, unknown>) => (await client.data(`query ($scope: IndicatorScopeInput!, $y: AcademicYear!) {
      indicatorValues(scope: $scope, academicYear: $y) { indicator { number } numerator value courseRuns { id } numeratorEducators(first: 200) { totalCount } } }`,
    { scope, y: academicYearOf(day(-1)) })).indicatorValues.find((v: { indicator: { number: number } }) => v.indicator.number === 11);
    expect(await indicator11(methodistA, { municipalityId: w.a })).toMatchObject({ numerator: 1, value: 1, courseRuns: [{ id: run.id }], numeratorEducators: { totalCount: 18 } });
    expect(await indicator11(admin, { municipalityId: w.b })).toMatchObject({ numerator: 0, courseRuns: [] });
    expect((await indicator11(admin, { region: true })).courseRuns).toContainEqual({ id: run.id });
    expect((await indicator11(admin, { organizationId: w.a1 })).courseRuns).toEqual([{ id: run.id }]);
    // The finished run is no longer offered to anonymous clients.
    expect(await listed()).not.toContain(run.id);
  });
});

describe('indicator 11 and frozen reports', () => {
  test('a report frozen before a run finishes keeps its value; the live value counts the run', async () => {
    const c = await createMunicipality(admin);
    const school = (await createOrganization(admin, c.id)).id;
    const learner = (await createEducator(admin, school)).id;
    const methodistC = graph.as({ role: 'municipality_methodist', subject: 'methodist-c', municipalityId: c.id });
    const y = academicYearOf(day(-1));
    const { freezeIndicatorReport: report } = await methodistC.data(`mutation ($input: FreezeIndicatorReportInput!) { freezeIndicatorReport(input: $input) { id } }`,
      { input: { scope: { municipalityId: c.id }, academicYear: y } });
    const run = await openRun({ municipalityId: c.id }, methodistC);
    await methodistC.data(m.enrol, { runId: run.id, educatorId: learner });
    await methodistC.data(m.start, { id: run.id, order: order('зач') });
    await methodistC.data(m.finish, { runId: run.id, finishedOn: day(-1), outcomes: [{ educatorId: learner, completed: true, certificateNumber: 'С-1' }] });
    const { indicatorReports } = await methodistC.data(`query ($y: AcademicYear!, $m: ID!) { indicatorReports(scope: { municipalityId: $m }, academicYear: $y) {
      id values { indicator { number } numerator isChanged live { numerator courseRuns { id } } } } }`, { y, m: c.id });
    const eleven = indicatorReports.find((r: { id: string }) => r.id === report.id).values.find((v: { indicator: { number: number } }) => v.indicator.number === 11);
    expect(eleven).toEqual({ indicator: { number: 11 }, numerator: 0, isChanged: true, live: { numerator: 1, courseRuns: [{ id: run.id }] } });
  });
});

describe('applications, nominations and the waiting list', () => {
  test('an organization admin nominates their own staff only; a methodist enrols; a withdrawn seat goes to the first waiting', async () => {
    const run = await openRun({ seats: 2 });
    const nominated = (await orgAdminA1.data(m.nominate, { runId: run.id, educatorId: w.other })).nominateForCourseRun;
    expect(nominated).toMatchObject({ status: 'ENROLLED', channel: 'NOMINATED', nominatedBy: { id: w.a1 } });
    await refused(orgAdminA1, 'FORBIDDEN', m.nominate, { runId: run.id, educatorId: w.educators[1] }); // works in A2
    const enrolled = (await methodistA.data(m.enrol, { runId: run.id, educatorId: w.educators[0] })).enrolInCourseRun;
    expect(enrolled).toMatchObject({ status: 'ENROLLED', channel: 'ENROLLED' });
    const waiting = (await educatorClient(w.educators[2]).data(m.apply, { runId: run.id })).applyForCourseRun;
    expect(waiting).toMatchObject({ status: 'WAITLISTED', channel: 'APPLIED' });
    await refused(methodistA, 'FORBIDDEN', m.enrol, { runId: run.id, educatorId: w.far }); // another municipality's educator
    await refused(educatorClient(w.educators[3]), 'FORBIDDEN', m.withdraw, { id: nominated.id }); // somebody else's
    expect((await educatorClient(w.other).data(m.withdraw, { id: nominated.id })).withdrawCourseApplication).toMatchObject({ status: 'WITHDRAWN' });
    const { courseRun } = await methodistA.data(`query ($id: ID!) { courseRun(id: $id) { seatsTaken waitingCount applications { id status } } }`, { id: run.id });
    expect(courseRun).toMatchObject({ seatsTaken: 2, waitingCount: 0 });
    expect(courseRun.applications.find((a: { id: string }) => a.id === waiting.id).status).toBe('ENROLLED');
    // Withdrawn, the educator may apply again (and waits: the seats are taken again).
    expect((await educatorClient(w.other).data(m.apply, { runId: run.id })).applyForCourseRun.status).toBe('WAITLISTED');
  });

  test('applicants at the same moment never take more seats than there are (the run is locked while seats are counted)', async () => {
    const run = await openRun({ seats: 2, hasWaitingList: false });
    const results = await Promise.all(w.educators.slice(14, 20).map((educatorId) => educatorClient(educatorId).run(m.apply, { runId: run.id })));
    expect(results.filter((r) => !r.errors).length).toBe(2);
    expect(results.filter((r) => r.errors).map((r) => r.errors![0].extensions?.code)).toEqual(Array(4).fill('CONFLICT'));
    const { courseRun } = await methodistA.data(`query ($id: ID!) { courseRun(id: $id) { seatsTaken waitingCount } }`, { id: run.id });
    expect(courseRun).toEqual({ seatsTaken: 2, waitingCount: 0 });
  });

  test('an anonymous client may list open runs but not who applied', async () => {
    const run = await openRun();
    const result = await graph.anonymous().run(`query ($id: ID!) { courseRun(id: $id) { id seatsTaken applications { id } } }`, { id: run.id });
    expect(result.data?.courseRun).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.code)).toContain('UNAUTHENTICATED');
    expect((await graph.anonymous().error(m.apply, { runId: run.id })).code).toBe('UNAUTHENTICATED');
  });
});

describe('bad input: coded errors, nothing written', () => {
  test('applying after the deadline', async () => {
    const run = await openRun({ startsOn: day(-10), applicationDeadline: day(-1) });
    await refused(educatorClient(w.educators[0]), 'CONFLICT', m.apply, { runId: run.id }, /deadline/);
    await refused(orgAdminA1, 'CONFLICT', m.nominate, { runId: run.id, educatorId: w.other }, /deadline/);
  });

  test('applying twice', async () => {
    const run = await openRun();
    await educatorClient(w.educators[4]).data(m.apply, { runId: run.id });
    await refused(educatorClient(w.educators[4]), 'CONFLICT', m.apply, { runId: run.id }, /already applied/);
    await refused(methodistA, 'CONFLICT', m.enrol, { runId: run.id, educatorId: w.educators[4] }, /already applied/);
  });

  test('applying for a run that is not open', async () => {
    const { createCourseRun } = await methodistA.data(m.create, { input: runInput() });
    await refused(educatorClient(w.educators[0]), 'CONFLICT', m.apply, { runId: createCourseRun.id }, /planned/);
  });

  test('enrolling beyond the seats without a waiting list', async () => {
    const run = await openRun({ seats: 1, hasWaitingList: false });
    await methodistA.data(m.enrol, { runId: run.id, educatorId: w.educators[5] });
    await refused(methodistA, 'CONFLICT', m.enrol, { runId: run.id, educatorId: w.educators[6] }, /no waiting list/);
    await refused(educatorClient(w.educators[7]), 'CONFLICT', m.apply, { runId: run.id }, /no waiting list/);
  });

  test('finishing a run that has not started', async () => {
    const run = await openRun();
    await methodistA.data(m.enrol, { runId: run.id, educatorId: w.educators[8] });
    await refused(methodistA, 'CONFLICT', m.finish, { runId: run.id, outcomes: [{ educatorId: w.educators[8], completed: true, certificateNumber: 'Н-1' }] }, /not started/);
  });

  test('invalid transitions, another municipality, bad dates and providers', async () => {
    const run = await openRun();
    await refused(methodistA, 'CONFLICT', m.open, { id: run.id, order: order('x') });
    await refused(methodistB, 'FORBIDDEN', m.start, { id: run.id, order: order('x') });
    await refused(methodistB, 'FORBIDDEN', m.create, { input: runInput() });
    await refused(methodistA, 'BAD_USER_INPUT', m.create, { input: runInput({ endsOn: day(-3) }) });
    await refused(methodistA, 'BAD_USER_INPUT', m.create, { input: runInput({ applicationDeadline: day(31) }) });
    await refused(methodistA, 'BAD_USER_INPUT', m.create, { input: runInput({ seats: 0 }) });
    await refused(methodistA, 'BAD_USER_INPUT', m.create, { input: runInput({ providerKind: 'ORGANIZATION' }) });
    await refused(methodistA, 'BAD_USER_INPUT', m.create, { input: runInput({ providerName: 'ИРО' }) });
    await refused(methodistA, 'NOT_FOUND', m.create, { input: runInput({ programId: '00000000-0000-4000-8000-000000000001' }) });
    expect((await methodistA.data(m.cancel, { id: run.id })).cancelCourseRun).toMatchObject({ status: 'CANCELLED', cancelledOn: expect.any(String) });
    await refused(methodistA, 'CONFLICT', m.cancel, { id: run.id });
    await refused(methodistA, 'CONFLICT', m.start, { id: run.id, order: order('x') });
  });

  test('a certificate number reused within a provider; another provider may use it', async () => {
    const running = async (overrides: Record<string, unknown> = {}, client = methodistA, educatorId = w.educators[9]) => {
      const run = await openRun(overrides, client);
      await client.data(m.enrol, { runId: run.id, educatorId });
      await client.data(m.start, { id: run.id, order: order('зач') });
      return run;
    };
    const first = await running();
    const number = `ИМЦ-ПОВТОР-${Date.now()}`;
    await methodistA.data(m.finish, { runId: first.id, finishedOn: day(-1), outcomes: [{ educatorId: w.educators[9], completed: true, certificateNumber: number }] });
    const second = await running({}, methodistA, w.educators[10]);
    await refused(methodistA, 'CONFLICT', m.finish, { runId: second.id, outcomes: [{ educatorId: w.educators[10], completed: true, certificateNumber: number }] }, /already issued/);
    // Twice in one finishing, an outcome for somebody without a seat, a completion without its number, a day in the future.
    await methodistA.data(m.enrol, { runId: second.id, educatorId: w.educators[11] });
    await refused(methodistA, 'CONFLICT', m.finish, { runId: second.id, outcomes: [
      { educatorId: w.educators[10], completed: true, certificateNumber: 'ДВАЖДЫ' }, { educatorId: w.educators[11], completed: true, certificateNumber: 'ДВАЖДЫ' }] }, /twice/);
    await refused(methodistA, 'BAD_USER_INPUT', m.finish, { runId: second.id, outcomes: [{ educatorId: w.educators[12], completed: true, certificateNumber: 'Ч-1' }] }, /no seat/);
    await refused(methodistA, 'BAD_USER_INPUT', m.finish, { runId: second.id, outcomes: [{ educatorId: w.educators[10], completed: true }] });
    await refused(methodistA, 'BAD_USER_INPUT', m.finish, { runId: second.id, finishedOn: day(5), outcomes: [] }, /future/);
    // Another provider (municipality B's service) issues its own numbers.
    const other = await running({ municipalityId: w.b }, methodistB, w.far);
    expect((await methodistB.data(m.finish, { runId: other.id, finishedOn: day(-1), outcomes: [{ educatorId: w.far, completed: true, certificateNumber: number }] }))
      .finishCourseRun.status).toBe('FINISHED');
  });
});

describe('the role matrix of the new actions', () => {
  type Role = 'region_admin' | 'municipality_methodist' | 'organization_admin' | 'educator' | 'analyst' | 'integration' | 'anonymous';
  const clientOf = (role: Role, educatorId: string): Client => {
    switch (role) {
      case 'region_admin': return admin;
      case 'municipality_methodist': return methodistA;
      case 'organization_admin': return orgAdminA1;
      case 'educator': return educatorClient(educatorId);
      case 'analyst': return graph.as({ role: 'analyst', subject: 'an' });
      case 'integration': return graph.as({ role: 'integration', subject: 'int', municipalityId: w.a });
      case 'anonymous': return graph.anonymous();
    }
  };
  const none = { analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } as const;
  const cells: { action: string; run: (client: Client, runId: string) => Promise<unknown>; expect: Record<Role, string> }[] = [
    { action: 'plan a run in A', run: (c) => c.run(m.create, { input: runInput() }),
      expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', ...none } },
    { action: 'apply for themself', run: (c, runId) => c.run(m.apply, { runId }),
      expect: { region_admin: 'FORBIDDEN', municipality_methodist: 'FORBIDDEN', organization_admin: 'FORBIDDEN', educator: 'ok', ...none } },
    { action: 'nominate an educator of A1', run: (c, runId) => c.run(m.nominate, { runId, educatorId: w.other }),
      expect: { region_admin: 'ok', municipality_methodist: 'FORBIDDEN', organization_admin: 'ok', educator: 'FORBIDDEN', ...none } },
    { action: 'enrol an educator of A1', run: (c, runId) => c.run(m.enrol, { runId, educatorId: w.other }),
      expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', ...none } },
    { action: 'start the run', run: (c, runId) => c.run(m.start, { id: runId, order: order('зач') }),
      expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', ...none } },
    { action: 'list the runs', run: (c) => c.run(`{ courseRuns(first: 5) { totalCount nodes { id } } }`),
      expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'ok', educator: 'ok', analyst: 'ok', integration: 'ok', anonymous: 'ok' } },
  ];
  const roles: Role[] = ['region_admin', 'municipality_methodist', 'organization_admin', 'educator', 'analyst', 'integration', 'anonymous'];
  test.each(cells.flatMap((cell) => roles.map((role) => [role, cell.action, cell.expect[role], cell] as const)))('%s: %s → %s', async (role, _action, outcome, cell) => {
    const run = await openRun();
    const result = await cell.run(clientOf(role, w.educators[13]), run.id) as { errors?: { extensions?: { code?: string } }[] };
    if (outcome === 'ok') expect(result.errors ?? []).toEqual([]);
    else expect(result.errors?.map((e) => e.extensions?.code)).toContain(outcome);
  });
});
