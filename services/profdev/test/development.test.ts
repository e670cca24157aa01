import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { createCompetency, createProgram, createRoute, fingerprint, recordDiagnostic } from './fixtures';

/**
 * Programs, completions, diagnostics, deficits and development routes through the gateway: the "done means"
 * query, the rules, and every bad input with its code and nothing written.
 */
let graph: TestGraph;
let admin: Client;
let methodistA: Client;
let orgAdminA1: Client;
const w = {} as {
  a: string; b: string; a1: string; a2: string; b1: string;
  young: string; senior: string; other: string; far: string;
  c1: string; c2: string; c3: string; p1: string; p2: string; pNone: string;
};

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.a = (await createMunicipality(admin)).id;
  w.b = (await createMunicipality(admin)).id;
  w.a1 = (await createOrganization(admin, w.a)).id;
  w.a2 = (await createOrganization(admin, w.a)).id;
  w.b1 = (await createOrganization(admin, w.b)).id;
  w.young = (await createEducator(admin, w.a1, { pedagogicalWorkStartedOn: '2024-09-01', birthDate: '2001-03-03' }, { startedOn: '2024-09-01' })).id;
  w.senior = (await createEducator(admin, w.a1, { pedagogicalWorkStartedOn: '2010-09-01' })).id;
  w.other = (await createEducator(admin, w.a2)).id;
  w.far = (await createEducator(admin, w.b1)).id;
  w.c1 = (await createCompetency(admin, { threshold: 60 })).id;
  w.c2 = (await createCompetency(admin, { threshold: 3.5, scaleMin: 1, scaleMax: 5 })).id;
  w.c3 = (await createCompetency(admin)).id;
  w.p1 = (await createProgram(admin, [w.c1], { title: 'А: формирующее оценивание' })).id;
  w.p2 = (await createProgram(admin, [w.c1, w.c3], { title: 'Б: не из реестра', registryNumber: null })).id;
  w.pNone = (await createProgram(admin, [], { title: 'В: без компетенций' })).id;
  methodistA = graph.as({ role: 'municipality_methodist', subject: 'methodist-a', municipalityId: w.a });
  orgAdminA1 = graph.as({ role: 'organization_admin', subject: 'admin-a1', organizationId: w.a1 });
});
afterAll(() => graph.close());

/** Runs a mutation that must fail with `code`, and checks that no profdev table changed. */
async function refused(client: Client, code: string, query: string, variables: Record<string, unknown>, message?: RegExp) {
  const before = await fingerprint(graph.db.profdev);
  const error = await client.error(query, variables);
  expect({ code: error.code, message: error.message }).toEqual({ code, message: message ? expect.stringMatching(message) : expect.any(String) });
  expect(await fingerprint(graph.db.profdev)).toEqual(before);
  return error;
}

const recordDiagnosticMutation = `mutation ($input: RecordDiagnosticInput!) { recordDiagnostic(input: $input) { id } }`;
const recordCompletionMutation = `mutation ($input: RecordCompletionInput!) { recordCompletion(input: $input) { id } }`;
const createRouteMutation = `mutation ($input: CreateRouteInput!) { createRoute(input: $input) { id } }`;
const addItemMutation = `mutation ($input: AddRouteItemInput!) { addRouteItem(input: $input) { id } }`;
const lifecycle = {
  activate: `mutation ($id: ID!, $on: Date) { activateRoute(id: $id, on: $on) { id status activatedOn } }`,
  complete: `mutation ($id: ID!, $on: Date) { completeRoute(id: $id, on: $on) { id status completedOn progress { total done dropped open share } } }`,
  abandon: `mutation ($id: ID!) { abandonRoute(id: $id, reason: "переезд", on: "2025-12-01") { id status abandonedOn abandonReason } }`,
  done: `mutation ($id: ID!, $on: Date!) { markRouteItemDone(id: $id, doneOn: $on) { id doneOn } }`,
  drop: `mutation ($id: ID!) { dropRouteItem(id: $id, reason: "не набрана группа") { id isDropped dropReason } }`,
};

describe('the course training database and diagnostics', () => {
  test('one query through the gateway shows an educator with employments (staff) and diagnostic, deficits, route and completions (profdev)', async () => {
    const diagnostic = await recordDiagnostic(methodistA, w.senior, '2025-10-01', [[w.c1, 40], [w.c2, 4.5], [w.c3, 80]]);
    await methodistA.data(recordCompletionMutation, { input: {
      educatorId: w.senior, programId: w.p1, startedOn: '2025-10-20', completedOn: '2025-11-10', certificateNumber: 'У-0001', diagnosticId: diagnostic.id } });
    await methodistA.data(recordCompletionMutation, { input: { educatorId: w.senior, programId: w.p2, startedOn: '2019-02-01', completedOn: '2019-03-01' } });
    const route = await createRoute(methodistA, w.senior, [{ competencyId: w.c1, activityKind: 'PROGRAM', programId: w.p1, title: 'Курс' }, {}]);
    await methodistA.data(lifecycle.activate, { id: route.id, on: '2025-09-10' });

    const { educator } = await methodistA.data(`query ($id: ID!) { educator(id: $id) {
      fullName employments { position organization { name } }
      diagnostics { takenOn instrument scores { competency { id } score threshold isDeficit } deficits { competency { id } score } }
      deficits { competency { id } score threshold diagnostic { takenOn } }
      routes { status progress { total done share } items { activityKind competency { id } program { title } } }
      activeRoute(on: "2025-12-01") { id }
      completions { completedOn certificateNumber isFromDiagnostic diagnostic { id } program { title isFederalRegistry } }
      lastUpskilling { completedOn } isUpskillingOverdue(on: "2026-01-01")
    } }`, { id: w.senior });
    expect(educator.fullName).toBe('Иванова Анна Сергеевна');
    expect(educator.employments).toHaveLength(1);
    expect(educator.diagnostics).toEqual([expect.objectContaining({ takenOn: '2025-10-01', deficits: [{ competency: { id: w.c1 }, score: 40 }] })]);
    expect(educator.diagnostics[0].scores.find((s: { competency: { id: string } }) => s.competency.id === w.c2)).toEqual({ competency: { id: w.c2 }, score: 4.5, threshold: 3.5, isDeficit: false });
    expect(educator.deficits.map((d: { competency: { id: string } }) => d.competency.id)).toContain(w.c1);
    expect(educator.routes).toEqual([{ status: 'ACTIVE', progress: { total: 2, done: 0, share: 0 }, items: [
      { activityKind: 'PROGRAM', competency: { id: w.c1 }, program: { title: 'А: формирующее оценивание' } },
      { activityKind: 'SELF_STUDY', competency: null, program: null }] }]);
    expect(educator.activeRoute).toEqual({ id: route.id });
    expect(educator.completions).toEqual([
      { completedOn: '2025-11-10', certificateNumber: 'У-0001', isFromDiagnostic: true, diagnostic: { id: diagnostic.id }, program: { title: 'А: формирующее оценивание', isFederalRegistry: true } },
      { completedOn: '2019-03-01', certificateNumber: null, isFromDiagnostic: false, diagnostic: null, program: { title: 'Б: не из реестра', isFederalRegistry: false } },
    ]);
    expect(educator.lastUpskilling).toEqual({ completedOn: '2025-11-10' });
    expect(educator.isUpskillingOverdue).toBe(false);
  });

  test('a diagnostic is evidence: no mutation edits it, the database refuses, and a re-diagnosis shows how scores moved', async () => {
    const { __schema } = await admin.data('{ __schema { mutationType { fields { name } } } }');
    const names = __schema.mutationType.fields.map((f: { name: string }) => f.name);
    expect(names.filter((n: string) => /diagnostic/i.test(n))).toEqual(['recordDiagnostic', 'draftRouteFromDiagnostic']);
    const first = await recordDiagnostic(methodistA, w.other, '2024-10-01', [[w.c1, 50], [w.c3, 70]]);
    await expect(graph.db.profdev.raw('update diagnostic_score set score = 99 where diagnostic_id = ?', [first.id])).rejects.toThrow(/evidence/);
    await expect(graph.db.profdev.raw('delete from diagnostic where id = ?', [first.id])).rejects.toThrow(/evidence/);
    await recordDiagnostic(methodistA, w.other, '2025-10-01', [[w.c1, 72], [w.c3, 55]]);
    const { educator } = await admin.data(`query ($id: ID!) { educator(id: $id) {
      diagnostics { takenOn scores { competency { id } score previousScore change isDeficit } }
      deficits { competency { id } score diagnostic { takenOn } } } }`, { id: w.other });
    expect(educator.diagnostics.map((d: { takenOn: string }) => d.takenOn)).toEqual(['2025-10-01', '2024-10-01']);
    const moved = Object.fromEntries(educator.diagnostics[0].scores.map((s: { competency: { id: string } }) => [s.competency.id, s]));
    expect(moved[w.c1]).toMatchObject({ score: 72, previousScore: 50, change: 22, isDeficit: false });
    expect(moved[w.c3]).toMatchObject({ score: 55, previousScore: 70, change: -15, isDeficit: true });
    expect(educator.diagnostics[1].scores.every((s: { previousScore: unknown }) => s.previousScore === null)).toBe(true);
    // current deficits are those of the latest diagnostic only
    expect(educator.deficits).toEqual([{ competency: { id: w.c3 }, score: 55, diagnostic: { takenOn: '2025-10-01' } }]);
  });

  test('scores outside the competency\'s scale, unknown or repeated competencies are refused', async () => {
    const input = (scores: unknown[]) => ({ input: { educatorId: w.young, takenOn: '2025-10-01', instrument: 'ЕФС', scores } });
    await refused(methodistA, 'BAD_USER_INPUT', recordDiagnosticMutation, input([{ competencyId: w.c1, score: 101 }]), /outside its scale 0–100/);
    await refused(methodistA, 'BAD_USER_INPUT', recordDiagnosticMutation, input([{ competencyId: w.c2, score: 0.5 }]), /outside its scale 1–5/);
    await refused(methodistA, 'BAD_USER_INPUT', recordDiagnosticMutation, input([{ competencyId: w.c1, score: -1 }]));
    await refused(methodistA, 'BAD_USER_INPUT', recordDiagnosticMutation, input([{ competencyId: w.c1, score: 50 }, { competencyId: w.c1, score: 60 }]), /twice/);
    await refused(methodistA, 'BAD_USER_INPUT', recordDiagnosticMutation, input([{ competencyId: '00000000-0000-4000-8000-000000000000', score: 50 }]), /not in the framework/);
    await refused(methodistA, 'BAD_USER_INPUT', recordDiagnosticMutation, input([]));
    await refused(methodistA, 'BAD_USER_INPUT', recordDiagnosticMutation, { input: { ...input([{ competencyId: w.c1, score: 5 }]).input, takenOn: '2099-01-01' } }, /future/);
  });

  test('a completion before its start, a diagnostic of someone else or without the program\'s deficit are refused', async () => {
    const base = { educatorId: w.young, programId: w.p1, startedOn: '2025-03-10', completedOn: '2025-03-01' };
    const error = await refused(methodistA, 'BAD_USER_INPUT', recordCompletionMutation, { input: base }, /completedOn/);
    expect(error.error.extensions?.field).toBe('input.completedOn');
    const othersDiagnostic = await recordDiagnostic(methodistA, w.other, '2025-01-01', [[w.c1, 10]]);
    await refused(methodistA, 'BAD_USER_INPUT', recordCompletionMutation, { input: { ...base, completedOn: '2025-04-01', diagnosticId: othersDiagnostic.id } }, /another educator/);
    const own = await recordDiagnostic(methodistA, w.young, '2025-01-01', [[w.c1, 90], [w.c3, 10]]);
    await refused(methodistA, 'BAD_USER_INPUT', recordCompletionMutation, { input: { ...base, completedOn: '2025-04-01', diagnosticId: own.id } }, /develops none/);
    await refused(methodistA, 'NOT_FOUND', recordCompletionMutation, { input: { ...base, completedOn: '2025-04-01', programId: '00000000-0000-4000-8000-000000000000' } });
  });

  test('unknown educator ids are NOT_FOUND, educators of another municipality FORBIDDEN', async () => {
    const unknown = '00000000-0000-4000-8000-000000000001';
    await refused(methodistA, 'NOT_FOUND', recordDiagnosticMutation, { input: { educatorId: unknown, takenOn: '2025-10-01', instrument: 'ЕФС', scores: [{ competencyId: w.c1, score: 50 }] } }, /does not exist/);
    await refused(methodistA, 'NOT_FOUND', recordCompletionMutation, { input: { educatorId: unknown, programId: w.p1, startedOn: '2025-01-01', completedOn: '2025-02-01' } });
    await refused(methodistA, 'NOT_FOUND', createRouteMutation, { input: { educatorId: unknown, title: 'ИОМ', periodFrom: '2025-09-01', periodTo: '2026-08-31' } });
    await refused(methodistA, 'FORBIDDEN', recordDiagnosticMutation, { input: { educatorId: w.far, takenOn: '2025-10-01', instrument: 'ЕФС', scores: [{ competencyId: w.c1, score: 50 }] } });
    await refused(orgAdminA1, 'FORBIDDEN', createRouteMutation, { input: { educatorId: w.other, title: 'ИОМ', periodFrom: '2025-09-01', periodTo: '2026-08-31' } });
    await refused(orgAdminA1, 'FORBIDDEN', recordDiagnosticMutation, { input: { educatorId: w.young, takenOn: '2025-10-01', instrument: 'ЕФС', scores: [{ competencyId: w.c1, score: 50 }] } }, /may not record competency diagnostics/);
    await refused(methodistA, 'FORBIDDEN', `mutation { createCompetency(input: { code: "X", title: "X", group: "X", scaleMin: 0, scaleMax: 10, threshold: 5 }) { id } }`, {});
    await refused(graph.as({ role: 'analyst' }), 'FORBIDDEN', recordCompletionMutation, { input: { educatorId: w.young, programId: w.p1, startedOn: '2025-01-01', completedOn: '2025-02-01' } });
  });

  test('reads are scoped: another municipality sees none of these records, an educator only their own', async () => {
    const methodistB = graph.as({ role: 'municipality_methodist', subject: 'methodist-b', municipalityId: w.b });
    const { completions } = await methodistB.data('{ completions { totalCount } }');
    expect(completions.totalCount).toBe(0);
    const { _entities } = await graph.subgraph('profdev', { role: 'municipality_methodist', municipalityId: w.b }).data(`query ($r: [_Any!]!) {
      _entities(representations: $r) { ... on Educator { diagnostics { id } completions { id } routes { id } deficits { score } } } }`,
    { r: [{ __typename: 'Educator', id: w.senior }] });
    expect(_entities).toEqual([{ diagnostics: [], completions: [], routes: [], deficits: [] }]);
    const self = graph.as({ role: 'educator', educatorId: w.senior });
    const mine = await self.data('{ completions { totalCount nodes { educator { id } } } }');
    expect(mine.completions.totalCount).toBe(2);
    expect(mine.completions.nodes.every((n: { educator: { id: string } }) => n.educator.id === w.senior)).toBe(true);
    expect(await graph.anonymous().error('{ competencies { id } }')).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  test('the course training database: who completed what in a year, and who had no upskilling in three years', async () => {
    const { completions } = await methodistA.data(`{ completions(filter: { academicYear: "2025/2026" }) { totalCount nodes { educator { id } program { title } completedOn } } }`);
    expect(completions.nodes).toEqual([{ educator: { id: w.senior }, program: { title: 'А: формирующее оценивание' }, completedOn: '2025-11-10' }]);
    const { upskillingDue } = await methodistA.data(`query ($o: ID!) { upskillingDue(scope: { organizationId: $o }, on: "2025-06-01") { educator { id } lastUpskilling { completedOn } } }`, { o: w.a1 });
    // on 2025-06-01 the senior's last course (2019) is more than 3 years old; the young one never had one
    expect(upskillingDue).toEqual(expect.arrayContaining([{ educator: { id: w.young }, lastUpskilling: null }, { educator: { id: w.senior }, lastUpskilling: { completedOn: '2019-03-01' } }]));
    const later = await methodistA.data(`query ($o: ID!) { upskillingDue(scope: { organizationId: $o }, on: "2026-01-01") { educator { id } } }`, { o: w.a1 });
    expect(later.upskillingDue.map((r: { educator: { id: string } }) => r.educator.id)).not.toContain(w.senior);
  });
});

describe('development routes', () => {
  test('a route item must address a deficit the educator has now', async () => {
    // the young educator's latest diagnostic: c3 deficient, c1 not
    await refused(methodistA, 'BAD_USER_INPUT', createRouteMutation, { input: { educatorId: w.young, title: 'ИОМ', periodFrom: '2025-09-01', periodTo: '2026-08-31',
      items: [{ activityKind: 'PROGRAM', title: 'Курс', competencyId: w.c1, plannedFrom: '2025-09-01', plannedTo: '2025-12-01' }] } }, /no deficit/);
    const route = await createRoute(methodistA, w.young, [{ competencyId: w.c3 }]);
    await refused(methodistA, 'BAD_USER_INPUT', addItemMutation, { input: { routeId: route.id, item: { activityKind: 'EVENT', title: 'Семинар', competencyId: w.c1, plannedFrom: '2025-09-01', plannedTo: '2025-09-02' } } });
    await refused(methodistA, 'BAD_USER_INPUT', addItemMutation, { input: { routeId: route.id, item: { activityKind: 'EVENT', title: 'Семинар', plannedFrom: '2025-09-02', plannedTo: '2025-09-01' } } }, /plannedTo/);
    await refused(methodistA, 'NOT_FOUND', addItemMutation, { input: { routeId: '00000000-0000-4000-8000-000000000002', item: { activityKind: 'EVENT', title: 'Семинар', plannedFrom: '2025-09-01', plannedTo: '2025-09-01' } } });
    await methodistA.data(lifecycle.abandon, { id: route.id });
  });

  test('lifecycle: draft → active → completed only with items, and only when every item is done or dropped', async () => {
    const empty = await createRoute(methodistA, w.other, [], { periodFrom: '2026-09-01', periodTo: '2027-08-31' });
    await refused(methodistA, 'CONFLICT', lifecycle.activate, { id: empty.id, on: '2026-09-01' }, /at least one item/);
    await refused(methodistA, 'CONFLICT', lifecycle.complete, { id: empty.id, on: '2026-09-01' }, /draft route cannot become completed/);
    await refused(methodistA, 'CONFLICT', lifecycle.done, { id: (await createRoute(methodistA, w.other, [{}], { periodFrom: '2028-09-01', periodTo: '2029-08-31' })).items[0].id, on: '2025-10-01' }, /only in an active route/);

    const route = await createRoute(methodistA, w.other, [{ competencyId: w.c3 }, {}, {}], { periodFrom: '2026-09-01', periodTo: '2027-08-31' });
    expect((await methodistA.data(lifecycle.activate, { id: route.id, on: '2026-09-05' })).activateRoute).toMatchObject({ status: 'ACTIVE', activatedOn: '2026-09-05' });
    await refused(methodistA, 'CONFLICT', lifecycle.activate, { id: route.id, on: '2026-09-06' }, /active route cannot become active/);
    await methodistA.data(lifecycle.done, { id: route.items[0].id, on: '2026-10-01' });
    await refused(methodistA, 'CONFLICT', lifecycle.done, { id: route.items[0].id, on: '2026-10-02' }, /already done/);
    await refused(methodistA, 'CONFLICT', lifecycle.complete, { id: route.id, on: '2026-11-01' }, /2 still open/);
    await methodistA.data(lifecycle.drop, { id: route.items[1].id });
    await methodistA.data(lifecycle.done, { id: route.items[2].id, on: '2026-10-15' });
    await refused(methodistA, 'BAD_USER_INPUT', lifecycle.complete, { id: route.id, on: '2026-10-10' }, /before its last item/);
    const { completeRoute } = await methodistA.data(lifecycle.complete, { id: route.id, on: '2026-11-01' });
    expect(completeRoute).toEqual({ id: route.id, status: 'COMPLETED', completedOn: '2026-11-01', progress: { total: 3, done: 2, dropped: 1, open: 0, share: 1 } });
    await refused(methodistA, 'CONFLICT', lifecycle.abandon, { id: route.id }, /completed route cannot become abandoned/);
    await refused(methodistA, 'CONFLICT', addItemMutation, { input: { routeId: route.id, item: { activityKind: 'EVENT', title: 'x', plannedFrom: '2026-09-01', plannedTo: '2026-09-01' } } }, /completed route/);
    expect((await methodistA.data(lifecycle.abandon, { id: empty.id })).abandonRoute).toMatchObject({ status: 'ABANDONED', abandonReason: 'переезд' });
  });

  test('one active route per educator per period, in the API and in the database', async () => {
    const first = await createRoute(methodistA, w.other, [{}], { periodFrom: '2030-09-01', periodTo: '2031-08-31' });
    const second = await createRoute(methodistA, w.other, [{}], { periodFrom: '2031-01-01', periodTo: '2031-12-31' });
    const later = await createRoute(methodistA, w.other, [{}], { periodFrom: '2031-09-01', periodTo: '2032-08-31' });
    await methodistA.data(lifecycle.activate, { id: first.id, on: '2030-09-01' });
    await refused(methodistA, 'CONFLICT', lifecycle.activate, { id: second.id, on: '2030-09-01' }, /one active route per educator per period/);
    await methodistA.data(lifecycle.activate, { id: later.id, on: '2031-09-01' }); // the next period: fine
    // even a write that skips the API's checks is refused by the database
    await expect(graph.db.profdev.raw(`update development_route set status = 'active', activated_on = '2030-09-01' where id = ?`, [second.id]))
      .rejects.toMatchObject({ code: '23P01', constraint: 'development_route_one_active' });
  });

  test('a route drafted from a diagnostic has one item per deficit, suggesting a federal-registry program for it', async () => {
    const educator = (await createEducator(admin, w.a2)).id;
    const diagnostic = await recordDiagnostic(methodistA, educator, '2025-10-01', [[w.c1, 20], [w.c2, 2], [w.c3, 30]]);
    const { draftRouteFromDiagnostic } = await methodistA.data(`mutation ($d: ID!) { draftRouteFromDiagnostic(input: { diagnosticId: $d, periodFrom: "2025-11-01", periodTo: "2026-08-31" }) {
      status title diagnostic { id } educator { id } items { activityKind competency { id } program { title isFederalRegistry } plannedFrom plannedTo } } }`, { d: diagnostic.id });
    const deficits = diagnostic.deficits.map((d) => d.competency.id);
    expect(deficits).toEqual(expect.arrayContaining([w.c1, w.c2, w.c3]));
    expect(draftRouteFromDiagnostic).toMatchObject({ status: 'DRAFT', diagnostic: { id: diagnostic.id }, educator: { id: educator } });
    const byCompetency = Object.fromEntries(draftRouteFromDiagnostic.items.map((i: { competency: { id: string } }) => [i.competency.id, i]));
    expect(byCompetency[w.c1]).toMatchObject({ activityKind: 'PROGRAM', program: { title: 'А: формирующее оценивание', isFederalRegistry: true } });
    expect(byCompetency[w.c3]).toMatchObject({ activityKind: 'SELF_STUDY', program: null }); // only a non-registry program develops c3
    expect(byCompetency[w.c2]).toMatchObject({ activityKind: 'SELF_STUDY', plannedFrom: '2025-11-01', plannedTo: '2026-08-31' });
    // nothing to route, or an older diagnostic: refused
    const clean = await recordDiagnostic(methodistA, educator, '2025-12-01', [[w.c1, 90]]);
    await refused(methodistA, 'CONFLICT', `mutation ($d: ID!) { draftRouteFromDiagnostic(input: { diagnosticId: $d, periodFrom: "2026-01-01", periodTo: "2026-08-31" }) { id } }`, { d: clean.id }, /no deficit/);
    await refused(methodistA, 'CONFLICT', `mutation ($d: ID!) { draftRouteFromDiagnostic(input: { diagnosticId: $d, periodFrom: "2026-01-01", periodTo: "2026-08-31" }) { id } }`, { d: diagnostic.id }, /newer diagnostic/);
  });

  test('a template assigned to the early-career educators of a municipality creates the missing routes and leaves the others alone', async () => {
    const { createRouteTemplate } = await methodistA.data(`mutation ($m: ID!, $p: ID!) { createRouteTemplate(input: { title: "ИОМ молодого специалиста", municipalityId: $m,
      items: [{ activityKind: MENTORING, title: "Наставничество" }, { activityKind: PROGRAM, title: "Курс", programId: $p }] }) { id items { position program { id } } } }`, { m: w.a, p: w.p1 });
    const youngA2 = (await createEducator(admin, w.a2, { pedagogicalWorkStartedOn: '2025-09-01', birthDate: '2002-02-02' }, { startedOn: '2025-09-01' })).id;
    const youngB = (await createEducator(admin, w.b1, { pedagogicalWorkStartedOn: '2025-09-01', birthDate: '2002-02-02' }, { startedOn: '2025-09-01' })).id;
    // the young educator of A1 already has a route over the period (drafted earlier): left alone
    await createRoute(methodistA, w.young, [{}], { periodFrom: '2025-10-01', periodTo: '2026-06-30' });
    const assign = `mutation ($t: ID!, $m: ID!) { assignRouteTemplate(input: { templateId: $t, municipalityId: $m, periodFrom: "2025-09-01", periodTo: "2026-08-31", earlyCareerOnly: true, activate: true }) {
      created { educator { id } status template { id } items { activityKind title plannedFrom plannedTo } } skippedCount } }`;
    const { assignRouteTemplate } = await methodistA.data(assign, { t: createRouteTemplate.id, m: w.a });
    expect(assignRouteTemplate.skippedCount).toBe(1);
    expect(assignRouteTemplate.created).toEqual([{ educator: { id: youngA2 }, status: 'ACTIVE', template: { id: createRouteTemplate.id }, items: [
      { activityKind: 'MENTORING', title: 'Наставничество', plannedFrom: '2025-09-01', plannedTo: '2026-08-31' },
      { activityKind: 'PROGRAM', title: 'Курс', plannedFrom: '2025-09-01', plannedTo: '2026-08-31' }] }]);
    const again = await methodistA.data(assign, { t: createRouteTemplate.id, m: w.a });
    expect(again.assignRouteTemplate).toEqual({ created: [], skippedCount: 2 });
    await refused(methodistA, 'FORBIDDEN', assign, { t: createRouteTemplate.id, m: w.b });
    const { educator } = await admin.data('query ($id: ID!) { educator(id: $id) { routes { id } } }', { id: youngB });
    expect(educator.routes).toEqual([]);
  });

  test('which educators have a deficit no route addresses', async () => {
    const { unaddressedDeficits } = await methodistA.data(`query ($o: ID!) { unaddressedDeficits(scope: { organizationId: $o }) { educator { id } deficit { competency { id } } } }`, { o: w.a2 });
    const pairs = unaddressedDeficits.map((u: { educator: { id: string }; deficit: { competency: { id: string } } }) => [u.educator.id, u.deficit.competency.id]);
    // w.other's current deficit c3 was addressed only by a completed route: unaddressed again
    expect(pairs).toContainEqual([w.other, w.c3]);
    const route = await createRoute(methodistA, w.other, [{ competencyId: w.c3 }], { periodFrom: '2033-09-01', periodTo: '2034-08-31' });
    const after = await methodistA.data(`query ($o: ID!) { unaddressedDeficits(scope: { organizationId: $o }) { educator { id } deficit { competency { id } } } }`, { o: w.a2 });
    expect(after.unaddressedDeficits.map((u: { educator: { id: string }; deficit: { competency: { id: string } } }) => [u.educator.id, u.deficit.competency.id])).not.toContainEqual([w.other, w.c3]);
    await methodistA.data(lifecycle.abandon, { id: route.id });
  });

  test('growth points: the most frequent deficits of an organization and a municipality in a year', async () => {
    const { organization } = await methodistA.data(`query ($o: ID!) { organization(id: $o) { growthPoints(academicYear: "2025/2026") { competency { id } educatorCount diagnosedCount share } } }`, { o: w.a2 });
    expect(organization.growthPoints[0].educatorCount).toBeGreaterThanOrEqual(organization.growthPoints.at(-1).educatorCount);
    expect(organization.growthPoints.find((g: { competency: { id: string } }) => g.competency.id === w.c3)).toBeTruthy();
    const { growthPoints } = await methodistA.data(`{ growthPoints(academicYear: "2025/2026") { competency { id } educatorCount diagnosedCount } }`);
    expect(growthPoints.length).toBeGreaterThan(0);
    const methodistB = graph.as({ role: 'municipality_methodist', municipalityId: w.b });
    const other = await methodistB.data(`query ($o: ID!) { organization(id: $o) { growthPoints(academicYear: "2025/2026") { educatorCount } } }`, { o: w.a2 });
    expect(other.organization.growthPoints).toEqual([]);
  });
});
