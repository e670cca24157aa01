import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { seedDemo as seedStaff } from '../services/staff/src/seed';
import { seedDemo as seedProfdev } from '../services/profdev/src/seed';
import { seedDemo as seedEvents } from '../services/events/src/seed';
import { createEducator, createMunicipality, createOrganization } from '../services/staff/test/fixtures';

/**
 * Relay through the whole supergraph (createTestGraph): node(id)/nodes(ids) across subgraphs, with the owners' scope
 * and personal-data rules; paging backward; distinct ids for a calendar entry and its event.
 */
let graph: TestGraph;
let admin: Client;
let ids: { educator: string; event: string; program: string; competition: string; municipality: string; foreignEducator: string; foreignEmployment: string; municipalityOfDemo: string };

beforeAll(async () => {
  graph = await createTestGraph();
  await graph.db.staff.transaction((trx) => seedStaff(trx));
  await graph.db.profdev.transaction((trx) => seedProfdev(trx));
  await graph.db.events.transaction((trx) => seedEvents(trx));
  admin = graph.as(regionAdmin);
  const { educators, events, programs, competitions, municipalities } = await admin.data(`{
    educators(first: 1) { nodes { id } } events { id } programs { id } competitions { id } municipalities { id } }`);
  const other = await createMunicipality(admin);
  const school = await createOrganization(admin, other.id);
  const foreign = await createEducator(admin, school.id);
  ids = { educator: educators.nodes[0].id, event: events[0].id, program: programs[0].id, competition: competitions[0].id,
    municipality: other.id, foreignEducator: foreign.id, foreignEmployment: foreign.employments[0].id, municipalityOfDemo: municipalities[0].id };
}, 180_000);
afterAll(() => graph.close());

const nodeQuery = `query ($id: ID!) { node(id: $id) { __typename id
  ... on Educator { fullName } ... on Event { title } ... on Program { title } ... on Competition { title } ... on Municipality { name } } }`;

test('node(id) of an educator, an event, a program, a competition and a municipality round-trips to the same object', async () => {
  const { educator } = await admin.data('query ($id: ID!) { educator(id: $id) { id fullName } }', { id: ids.educator });
  expect((await admin.data(nodeQuery, { id: ids.educator })).node).toEqual({ __typename: 'Educator', ...educator });
  const { event } = await admin.data('query ($id: ID!) { event(id: $id) { id title } }', { id: ids.event });
  expect((await admin.data(nodeQuery, { id: ids.event })).node).toEqual({ __typename: 'Event', ...event });
  const { program } = await admin.data('query ($id: ID!) { program(id: $id) { id title } }', { id: ids.program });
  expect((await admin.data(nodeQuery, { id: ids.program })).node).toEqual({ __typename: 'Program', ...program });
  const { competition } = await admin.data('query ($id: ID!) { competition(id: $id) { id title } }', { id: ids.competition });
  expect((await admin.data(nodeQuery, { id: ids.competition })).node).toEqual({ __typename: 'Competition', ...competition });
  expect((await admin.data(nodeQuery, { id: ids.municipality })).node).toMatchObject({ __typename: 'Municipality', id: ids.municipality });
});

test('node(id) of every other Node type: competency, diagnostic, route, association, nomination, stage, criterion, frozen report, olympiad, task, plan, activity', async () => {
  const { competition } = await admin.data('query ($id: ID!) { competition(id: $id) { nominations { id } stages { id criteria { id } } applications { id } } }', { id: ids.competition });
  const { competencies, methodAssociations } = await admin.data('{ competencies { id } methodAssociations { id } }');
  const { educators } = await admin.data('{ educators(first: 60) { nodes { diagnostics { id } routes { id } } } }');
  const diagnostic = educators.nodes.flatMap((e: { diagnostics: { id: string }[] }) => e.diagnostics)[0];
  const route = educators.nodes.flatMap((e: { routes: { id: string }[] }) => e.routes)[0];
  const { freezeIndicatorReport: report } = await admin.data(`mutation { freezeIndicatorReport(input: { scope: { region: true }, academicYear: "2025/2026" }) { id } }`);
  const { olympiads, annualPlan } = await admin.data(`query ($m: ID!) { olympiads(academicYear: "2025/2026") { id tasks { id } }
    annualPlan(municipalityId: $m, academicYear: "2025/2026") { id activities { id } } }`, { m: ids.municipalityOfDemo });
  const task = olympiads.flatMap((o: { tasks: { id: string }[] }) => o.tasks)[0];
  const expected = [
    ['Competency', competencies[0].id], ['Diagnostic', diagnostic.id], ['DevelopmentRoute', route.id], ['MethodAssociation', methodAssociations[0].id],
    ['Nomination', competition.nominations[0].id], ['Stage', competition.stages[0].id], ['Criterion', competition.stages[0].criteria[0].id],
    ['IndicatorReport', report.id], ['Olympiad', olympiads[0].id], ['OlympiadTask', task.id], ['AnnualPlan', annualPlan.id],
    ['PlanActivity', annualPlan.activities[0].id], ['CompetitionApplication', competition.applications[0].id],
  ];
  const { nodes } = await admin.data(`query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id
    ... on Competency { title } ... on Diagnostic { takenOn } ... on DevelopmentRoute { status } ... on MethodAssociation { title }
    ... on Nomination { title } ... on Stage { ordinal } ... on Criterion { title } ... on IndicatorReport { academicYear }
    ... on Olympiad { subject } ... on OlympiadTask { title } ... on AnnualPlan { planTitle: title } ... on PlanActivity { month }
    ... on CompetitionApplication { filedOn } } }`,
  { ids: expected.map(([, id]) => id) });
  expect(nodes.map((n: { __typename: string; id: string }) => [n.__typename, n.id])).toEqual(expected);
  expect(nodes.every((n: Record<string, unknown>) => Object.keys(n).length === 3 && Object.values(n).every((v) => v !== null))).toBe(true);

  // A methodist of another municipality: the region's report is refused by its owner (FORBIDDEN), as indicatorReport(id:) is.
  const outsider = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
  const refused = await outsider.run('query ($id: ID!) { node(id: $id) { id ... on IndicatorReport { academicYear } } }', { id: report.id });
  expect(refused.data?.node).toBeNull();
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  // An application the caller may not see is null, as the competition's applications leave it out.
  expect((await outsider.data('query ($id: ID!) { node(id: $id) { id ... on CompetitionApplication { filedOn } } }', { id: competition.applications[0].id })).node).toBeNull();
  // Selecting the id alone asks no owner: the id's type is all it tells (docs/architecture.md, "Global object identification").
  expect((await outsider.data('query ($id: ID!) { node(id: $id) { __typename id } }', { id: report.id })).node).toEqual({ __typename: 'IndicatorReport', id: report.id });
});

test('node(id) of an educator\'s records (employment, category award, attestation, status) and of an organization\'s status', async () => {
  const { educators } = await admin.data(`{ educators(first: 100) { nodes { id employments { id } categoryHistory { id } attestations { id } statuses { id } } } }`);
  type Row = Record<'employments' | 'categoryHistory' | 'attestations' | 'statuses', { id: string }[]>;
  const first = (field: keyof Row) => (educators.nodes as Row[]).flatMap((e) => e[field])[0].id;
  const { organizationStatuses } = await admin.data('{ organizationStatuses(kind: INTERNSHIP_SITE, academicYear: "2025/2026") { id } }');
  const expected = [['Employment', first('employments')], ['CategoryAward', first('categoryHistory')], ['Attestation', first('attestations')],
    ['EducatorStatus', first('statuses')], ['OrganizationStatus', organizationStatuses[0].id]];
  const { nodes } = await admin.data(`query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id
    ... on Employment { position educator { id } } ... on CategoryAward { category } ... on Attestation { stage }
    ... on EducatorStatus { educatorKind: kind } ... on OrganizationStatus { organizationKind: kind organization { id } } } }`, { ids: expected.map(([, id]) => id) });
  expect(nodes.map((n: { __typename: string; id: string }) => [n.__typename, n.id])).toEqual(expected);
  expect(nodes.every((n: Record<string, unknown>) => Object.values(n).every((v) => v !== null))).toBe(true);

  // Shown exactly when its educator is: another municipality's employment is FORBIDDEN to a methodist, as its educator is.
  const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo });
  const refused = await methodist.run('query ($id: ID!) { node(id: $id) { id ... on Employment { position } } }', { id: ids.foreignEmployment });
  expect(refused.data?.node).toBeNull();
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await methodist.data('query ($id: ID!) { node(id: $id) { id } }', { id: first('employments') })).node).toEqual({ id: first('employments') });
});

test('nodes(ids) mixes types in the order asked; an unknown or malformed id is null', async () => {
  const unknown = '22222222-2222-4222-8222-222222222222';
  const { nodes } = await admin.data(`query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`,
    { ids: [ids.program, unknown, ids.educator, 'not-an-id', ids.event] });
  expect(nodes).toEqual([{ __typename: 'Program', id: ids.program }, null, { __typename: 'Educator', id: ids.educator }, null,
    { __typename: 'Event', id: ids.event }]);
  expect((await admin.data(nodeQuery, { id: unknown })).node).toBeNull();
});

test('nodes(ids) takes at most 100 ids: BAD_USER_INPUT beyond', async () => {
  const { code } = await admin.error(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 101 }, () => ids.educator) });
  expect(code).toBe('BAD_USER_INPUT');
});

test('node(id) keeps the owner\'s scope: a methodist cannot fetch another municipality\'s educator', async () => {
  const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo });
  expect((await methodist.data(nodeQuery, { id: ids.educator })).node).toMatchObject({ __typename: 'Educator', id: ids.educator });
  const result = await methodist.run(nodeQuery, { id: ids.foreignEducator });
  expect(result.data?.node).toBeNull();
  expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(JSON.stringify(result)).not.toContain('Иванова');
  // The same through nodes(ids): the other ids still answer.
  const many = await methodist.run(`query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Educator { fullName } } }`, { ids: [ids.foreignEducator, ids.educator] });
  expect(many.data?.nodes[0]).toBeNull();
  expect(many.data?.nodes[1]).toMatchObject({ id: ids.educator });
  expect(many.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

test('node(id) keeps the classification: an analyst gets no personal fields of an educator', async () => {
  const analyst = graph.as({ role: 'analyst' });
  const result = await analyst.run(`query ($id: ID!) { node(id: $id) { id ... on Educator { fullName snils isEarlyCareer } } }`, { id: ids.educator });
  expect(result.data?.node).toMatchObject({ id: ids.educator, fullName: null, snils: null });
  expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  expect(await graph.anonymous().error(nodeQuery, { id: ids.event })).toMatchObject({ code: 'UNAUTHENTICATED' });
});

test('last/before pages back through educators to the same rows forward paging gave', async () => {
  const page = `query ($first: Int, $after: String, $last: Int, $before: String) { educators(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
  const all = (await admin.data(page, { first: 200 })).educators.edges.map((e: { node: { id: string } }) => e.node.id);
  expect(all.length).toBeGreaterThan(20);
  const first = (await admin.data(page, { first: 10 })).educators;
  const second = (await admin.data(page, { first: 10, after: first.pageInfo.endCursor })).educators;
  const back = (await admin.data(page, { last: 10, before: second.pageInfo.startCursor })).educators;
  expect(back.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(all.slice(0, 10));
  expect(back.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true, startCursor: first.pageInfo.startCursor, endCursor: first.pageInfo.endCursor });
  const tail = (await admin.data(page, { last: 5 })).educators;
  expect(tail.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(all.slice(-5));
  expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
  const middle = (await admin.data(page, { last: 3, before: tail.pageInfo.startCursor })).educators;
  expect(middle.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(all.slice(-8, -5));
  // A cursor of another list is refused on `before`, and after with before is refused.
  const { organizations } = await admin.data('{ organizations(first: 1) { pageInfo { endCursor } } }');
  expect(await admin.error(page, { last: 2, before: organizations.pageInfo.endCursor })).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect((await admin.error(page, { after: first.pageInfo.endCursor, before: second.pageInfo.endCursor })).error.extensions?.field).toBe('before');
  expect((await admin.error(page, { last: 3, after: first.pageInfo.endCursor })).error.extensions?.field).toBe('after');
  expect((await admin.error(page, { last: 201 })).error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
  expect((await admin.error(page, { last: -1 })).error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
  expect((await admin.error(page, { last: 2, before: 'garbage' })).error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'before' });
});

test('last/before on the audit log and completions (ordered newest first) gives the rows before the cursor', async () => {
  for (const [field, args] of [['auditLog', ''], ['completions', '']] as const) {
    const q = `query ($first: Int, $after: String, $last: Int, $before: String) { ${field}(${args}first: $first, after: $after, last: $last, before: $before) {
      nodes { id } pageInfo { startCursor endCursor } } }`;
    const all = (await admin.data(q, { first: 12 }))[field].nodes.map((n: { id: unknown }) => n.id);
    expect(all.length).toBe(12);
    const second = (await admin.data(q, { first: 6, after: (await admin.data(q, { first: 6 }))[field].pageInfo.endCursor }))[field];
    const back = (await admin.data(q, { last: 6, before: second.pageInfo.startCursor }))[field];
    expect(back.nodes.map((n: { id: unknown }) => n.id)).toEqual(all.slice(0, 6));
  }
});

test('a calendar entry\'s id is its own, not its event\'s; eventId names the event', async () => {
  const { calendar } = await graph.anonymous().data('{ calendar { id eventId } }');
  expect(calendar.length).toBeGreaterThan(0);
  for (const entry of calendar) {
    expect(entry.id).not.toBe(entry.eventId);
    expect(entry.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  }
  const { events } = await admin.data('{ events { id } }');
  expect(events.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining(calendar.map((e: { eventId: string }) => e.eventId)));
  expect(new Set(calendar.map((e: { id: string }) => e.id)).size).toBe(calendar.length);
});

test('the change feed\'s edges carry each change with its cursor', async () => {
  const { changes } = await admin.data('{ changes(first: 5) { edges { cursor node { cursor entityType } } nodes { cursor } pageInfo { endCursor } } }');
  expect(changes.edges).toHaveLength(5);
  expect(changes.edges.map((e: { cursor: string }) => e.cursor)).toEqual(changes.nodes.map((n: { cursor: string }) => n.cursor));
  expect(changes.edges.map((e: { node: { cursor: string } }) => e.node.cursor)).toEqual(changes.nodes.map((n: { cursor: string }) => n.cursor));
});

test('nodes(ids) of 50 ids of three types takes a bounded number of SQL statements', async () => {
  const { educators, programs, events } = await admin.data('{ educators(first: 40) { nodes { id } } programs { id } events { id } }');
  const educatorIds = educators.nodes.map((n: { id: string }) => n.id);
  const programIds = programs.map((p: { id: string }) => p.id);
  const eventIds = events.map((e: { id: string }) => e.id);
  const fifty = [...educatorIds, ...programIds, ...eventIds].slice(0, 50);
  expect(fifty).toHaveLength(50);
  expect(fifty.filter((id) => eventIds.includes(id)).length).toBeGreaterThan(0);
  const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Educator { fullName } ... on Program { title } ... on Event { title } } }`;
  const count = (ids: string[]) => graph.countSql(() => admin.data(query, { ids }));
  const three = await count([educatorIds[0], programIds[0], eventIds[0]]);
  const many = await count(fifty);
  // One type look-up, one statement for the educators, one for the programs (profdev), one for the events.
  expect(many).toBe(three);
  expect(many).toBeLessThanOrEqual(4);
});

test('last/before pages back through the educators behind an indicator value', async () => {
  const values = `query ($first: Int, $after: String, $last: Int, $before: String) { indicatorValues(scope: { region: true }, academicYear: "2025/2026") {
    indicator { code } denominatorEducators(first: $first, after: $after, last: $last, before: $before) {
      nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
  type Value = { indicator: { code: string }; denominatorEducators: { nodes: { id: string }[]; pageInfo: Record<string, unknown> } };
  const pick = async (variables: Record<string, unknown>, code: string) =>
    ((await admin.data(values, variables)).indicatorValues as Value[]).find((v) => v.indicator.code === code)!.denominatorEducators;
  const all = ((await admin.data(values, { first: 200 })).indicatorValues as Value[]).find((v) => v.denominatorEducators.nodes.length >= 8)!;
  const code = all.indicator.code;
  const ids = all.denominatorEducators.nodes.map((n) => n.id);
  const first = await pick({ first: 3 }, code);
  const second = await pick({ first: 3, after: first.pageInfo.endCursor }, code);
  const back = await pick({ last: 3, before: second.pageInfo.startCursor }, code);
  expect(back.nodes.map((n) => n.id)).toEqual(ids.slice(0, 3));
  expect(back.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  const tail = await pick({ last: 2 }, code);
  expect(tail.nodes.map((n) => n.id)).toEqual(ids.slice(-2));
  expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
});

describe('more Node types (issue 17): course runs, internships, requests for help, surveys', () => {
  const query = `query ($id: ID!) { node(id: $id) { __typename id
    ... on CourseRun { startsOn } ... on Internship { programTitle } ... on HelpRequest { filedOn topic } ... on Survey { title } } }`;
  let found: Record<'CourseRun' | 'Internship' | 'HelpRequest' | 'Survey', { id: string } & Record<string, unknown>>;
  beforeAll(async () => {
    const { courseRuns, internships, helpRequests, surveys } = await admin.data(`{ courseRuns(first: 1) { nodes { id startsOn } }
      internships(first: 1) { nodes { id programTitle } } helpRequests(first: 20) { id filedOn topic } surveys { id title } }`);
    found = { CourseRun: courseRuns.nodes[0], Internship: internships.nodes[0], HelpRequest: helpRequests.find((r: { topic: string | null }) => r.topic), Survey: surveys[0] };
    expect(Object.values(found).every(Boolean)).toBe(true);
  });

  test('node(id) and nodes(ids) round-trip to what the type\'s own by-id query gives', async () => {
    const byId = {
      CourseRun: 'query ($id: ID!) { one: courseRun(id: $id) { id startsOn } }',
      Internship: 'query ($id: ID!) { one: internship(id: $id) { id programTitle } }',
      HelpRequest: 'query ($id: ID!) { one: helpRequest(id: $id) { id filedOn topic } }',
      Survey: 'query ($id: ID!) { one: survey(id: $id) { id title } }',
    };
    for (const [type, row] of Object.entries(found)) {
      const { one } = await admin.data(byId[type as keyof typeof byId], { id: row.id });
      expect(one).toEqual(row);
      expect((await admin.data(query, { id: row.id })).node).toEqual({ __typename: type, ...row });
    }
    const { nodes } = await admin.data(`query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids: Object.values(found).map((r) => r.id) });
    expect(nodes).toEqual(Object.entries(found).map(([type, row]) => ({ __typename: type, id: row.id })));
  });

  test('an outside caller gets what the by-id query gives them: null (out of scope) or FORBIDDEN', async () => {
    // A methodist of another municipality: the demo internship, request for help and survey are outside their scope.
    const outsider = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
    for (const type of ['Internship', 'HelpRequest', 'Survey'] as const) {
      const result = await outsider.run(query, { id: found[type].id });
      expect(result.errors).toBeUndefined();
      expect(result.data?.node).toBeNull();
    }
    // As everywhere in the graph (README, "For front-end teams: Relay"), an object its owner withholds is null when a
    // non-null field is asked (as above); asking only nullable fields gets those null, never the values.
    const nullable = await outsider.run('query ($id: ID!) { node(id: $id) { id ... on HelpRequest { topic requesterName } } }', { id: found.HelpRequest.id });
    expect(nullable.data?.node).toEqual({ id: found.HelpRequest.id, topic: null, requesterName: null });
    // An analyst may not read requests for help at all (no help-request:read), as helpRequest(id:) refuses them.
    const analyst = graph.as({ role: 'analyst' });
    const refused = await analyst.run(query, { id: found.HelpRequest.id });
    expect(refused.data?.node).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(refused)).not.toContain(String(found.HelpRequest.topic));
    // Course runs are every signed-in caller's (courseRuns), so the outsider sees one; node(id:) itself needs sign-in.
    expect((await outsider.data(query, { id: found.CourseRun.id })).node).toEqual({ __typename: 'CourseRun', ...found.CourseRun });
    expect(await graph.anonymous().error(query, { id: found.CourseRun.id })).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('more Node types (issue 17): support sessions, course applications, data requests (no by-id query: read as their lists)', () => {
  const query = `query ($id: ID!) { node(id: $id) { __typename id
    ... on SupportSession { heldOn } ... on CourseApplication { status } ... on DataRequest { title } } }`;
  let found: Record<'SupportSession' | 'CourseApplication' | 'DataRequest', { id: string } & Record<string, unknown>>;
  beforeAll(async () => {
    const { supportSessions, courseRuns, dataRequests } = await admin.data(`{ supportSessions(from: "2000-01-01", to: "2100-12-31") { id heldOn }
      courseRuns(first: 50) { nodes { applications { id status } } } dataRequests { id title } }`);
    const application = courseRuns.nodes.flatMap((r: { applications: unknown[] }) => r.applications)[0];
    found = { SupportSession: supportSessions[0], CourseApplication: application, DataRequest: dataRequests[0] };
    expect(Object.values(found).every(Boolean)).toBe(true);
  });

  test('node(id) and nodes(ids) give each as its list gives it', async () => {
    for (const [type, row] of Object.entries(found)) {
      expect((await admin.data(query, { id: row.id })).node).toEqual({ __typename: type, ...row });
    }
    const { nodes } = await admin.data(`query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids: Object.values(found).map((r) => r.id) });
    expect(nodes).toEqual(Object.entries(found).map(([type, row]) => ({ __typename: type, id: row.id })));
    // Its own methodists see their municipality's (the demo's) as the region admin does.
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo });
    for (const [type, row] of Object.entries(found)) {
      expect((await methodist.data(query, { id: row.id })).node).toEqual({ __typename: type, ...row });
    }
  });

  test('outside the caller\'s scope each is null, as its list leaves it out; a role that may not read data requests gets FORBIDDEN', async () => {
    const outsider = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
    for (const type of ['SupportSession', 'CourseApplication', 'DataRequest'] as const) {
      const result = await outsider.run(query, { id: found[type].id });
      expect(result.errors).toBeUndefined();
      expect(result.data?.node).toBeNull();
    }
    expect((await outsider.data('{ dataRequests { id } }')).dataRequests.map((d: { id: string }) => d.id)).not.toContain(found.DataRequest.id);
    const educator = graph.as({ role: 'educator', educatorId: ids.educator });
    expect(await educator.error('{ dataRequests { id } }')).toMatchObject({ code: 'FORBIDDEN' });
    const refused = await educator.run(query, { id: found.DataRequest.id });
    expect(refused.data?.node).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(refused)).not.toContain(String(found.DataRequest.title));
  });
});

describe('more Node types (issue 17): self-education records and upskilling plans', () => {
  const query = `query ($id: ID!) { node(id: $id) { __typename id ... on SelfEducation { topic } ... on UpskillingPlan { academicYear municipalityId } } }`;
  let record: { id: string; topic: string };
  let plan: { id: string; academicYear: string; municipalityId: string };
  beforeAll(async () => {
    const { educators, upskillingPlan } = await admin.data(`query ($m: ID!) { educators(first: 200) { nodes { selfEducation { id topic } } }
      upskillingPlan(municipalityId: $m, academicYear: "2025/2026") { id academicYear municipalityId } }`, { m: ids.municipalityOfDemo });
    record = educators.nodes.flatMap((e: { selfEducation: unknown[] }) => e.selfEducation)[0];
    plan = upskillingPlan;
    expect(record && plan).toBeTruthy();
  });

  test('node(id) gives each as Educator.selfEducation and upskillingPlan give it, to the region and to the municipality\'s methodist', async () => {
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo });
    for (const client of [admin, methodist]) {
      expect((await client.data(query, { id: record.id })).node).toEqual({ __typename: 'SelfEducation', ...record });
      expect((await client.data(query, { id: plan.id })).node).toEqual({ __typename: 'UpskillingPlan', ...plan });
    }
  });

  test('another municipality\'s methodist: the record is null (out of scope), the plan FORBIDDEN as upskillingPlan refuses it', async () => {
    const outsider = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
    const hidden = await outsider.run(query, { id: record.id });
    expect(hidden.errors).toBeUndefined();
    expect(hidden.data?.node).toBeNull();
    const byArgs = await outsider.run('query ($m: ID!) { upskillingPlan(municipalityId: $m, academicYear: "2025/2026") { id } }', { m: ids.municipalityOfDemo });
    expect(byArgs.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const refused = await outsider.run(query, { id: plan.id });
    expect(refused.data?.node).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('more Node types (issue 17): method councils, council meetings, complaints', () => {
  const query = `query ($id: ID!) { node(id: $id) { __typename id
    ... on MethodCouncil { title } ... on CouncilMeeting { heldOn } ... on Complaint { receivedOn } } }`;
  let found: Record<'MethodCouncil' | 'CouncilMeeting' | 'Complaint', { id: string } & Record<string, unknown>>;
  beforeAll(async () => {
    const { methodCouncils, complaints } = await admin.data(`{ methodCouncils { id title meetings { id heldOn } }
      complaints(from: "2000-01-01", to: "2100-12-31") { id receivedOn } }`);
    const { meetings, ...council } = methodCouncils[0];
    found = { MethodCouncil: council, CouncilMeeting: meetings[0], Complaint: complaints[0] };
    expect(Object.values(found).every(Boolean)).toBe(true);
  });

  test('node(id) gives each as methodCouncils and complaints give it, to the region and to the municipality\'s methodist', async () => {
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo });
    for (const client of [admin, methodist]) {
      for (const [type, row] of Object.entries(found)) {
        expect((await client.data(query, { id: row.id })).node).toEqual({ __typename: type, ...row });
      }
    }
  });

  test('another municipality\'s methodist gets null for each, as the lists leave them out', async () => {
    const outsider = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
    const lists = await outsider.data('{ methodCouncils { id } complaints(from: "2000-01-01", to: "2100-12-31") { id } }');
    expect(lists).toEqual({ methodCouncils: [], complaints: [] });
    for (const type of ['MethodCouncil', 'CouncilMeeting', 'Complaint'] as const) {
      const result = await outsider.run(query, { id: found[type].id });
      expect(result.errors).toBeUndefined();
      expect(result.data?.node).toBeNull();
    }
  });
});

describe('more Node types (issue 17): indicator targets', () => {
  const query = 'query ($id: ID!) { node(id: $id) { __typename id ... on IndicatorTarget { academicYear value } } }';
  const set = (municipalityId: string | null, value: number) => admin.data(`mutation ($input: SetIndicatorTargetInput!) {
    setIndicatorTarget(input: $input) { id academicYear value } }`, { input: { code: 'DIAGNOSTICS_SHARE', academicYear: '2024/2025', municipalityId, value } })
    .then((d) => d.setIndicatorTarget as { id: string; academicYear: string; value: number });

  test('the region\'s target to every reader of indicators; a municipality\'s to its own methodists and the region, null to another; FORBIDDEN without indicator:read', async () => {
    const region = await set(null, 60);
    const demo = await set(ids.municipalityOfDemo, 70);
    const other = await set(ids.municipality, 80);
    expect((await admin.data(`query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on IndicatorTarget { academicYear value } } }`, { ids: [region.id, demo.id, other.id] })).nodes)
      .toEqual([region, demo, other].map((t) => ({ __typename: 'IndicatorTarget', ...t })));
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo });
    const listed = (await methodist.data('{ indicatorTargets(academicYear: "2024/2025") { id } }')).indicatorTargets.map((t: { id: string }) => t.id);
    expect(listed).toEqual(expect.arrayContaining([region.id, demo.id]));
    expect(listed).not.toContain(other.id);
    expect((await methodist.data(query, { id: region.id })).node).toEqual({ __typename: 'IndicatorTarget', ...region });
    expect((await methodist.data(query, { id: demo.id })).node).toEqual({ __typename: 'IndicatorTarget', ...demo });
    const hidden = await methodist.run(query, { id: other.id });
    expect(hidden.errors).toBeUndefined();
    expect(hidden.data?.node).toBeNull();
    // An educator has no indicator:read: indicatorTargets is FORBIDDEN to them, and so is the target by id.
    const educator = graph.as({ role: 'educator', educatorId: ids.educator });
    expect(await educator.error('{ indicatorTargets(academicYear: "2024/2025") { id } }')).toMatchObject({ code: 'FORBIDDEN' });
    const refused = await educator.run(query, { id: region.id });
    expect(refused.data?.node).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('more Node types (issue 17): program completions and route templates', () => {
  const query = 'query ($id: ID!) { node(id: $id) { __typename id ... on ProgramCompletion { completedOn } ... on RouteTemplate { title municipalityId } } }';

  test('a completion as `completions` shows it: the region and the educator\'s municipality, null to another municipality', async () => {
    const { completions } = await admin.data('{ completions(first: 1) { nodes { id completedOn } } }');
    const completion = completions.nodes[0];
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo });
    for (const client of [admin, methodist]) {
      expect((await client.data(query, { id: completion.id })).node).toEqual({ __typename: 'ProgramCompletion', ...completion });
    }
    const outsider = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
    expect((await outsider.data('{ completions(first: 200) { nodes { id } } }')).completions.nodes).toEqual([]);
    const hidden = await outsider.run(query, { id: completion.id });
    expect(hidden.errors).toBeUndefined();
    expect(hidden.data?.node).toBeNull();
  });

  test('a route template as `routeTemplates` shows it: the region\'s to all, a municipality\'s to it and the region', async () => {
    const { routeTemplates } = await admin.data('{ routeTemplates { id title municipalityId } }');
    expect(routeTemplates.length).toBeGreaterThan(0);
    const outsider = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
    const seenByOutsider = (await outsider.data('{ routeTemplates { id } }')).routeTemplates.map((t: { id: string }) => t.id);
    for (const template of routeTemplates) {
      expect((await admin.data(query, { id: template.id })).node).toEqual({ __typename: 'RouteTemplate', ...template });
      const result = await outsider.run(query, { id: template.id });
      expect(result.errors).toBeUndefined();
      expect(result.data?.node).toEqual(seenByOutsider.includes(template.id) ? { __typename: 'RouteTemplate', ...template } : null);
    }
    // A template of the demo municipality: made here, so that the outsider's null is tested whatever the seed holds.
    const { createRouteTemplate: own } = await admin.data(`mutation ($input: CreateRouteTemplateInput!) { createRouteTemplate(input: $input) { id } }`,
      { input: { title: 'Шаблон муниципалитета', municipalityId: ids.municipalityOfDemo, items: [{ activityKind: 'SELF_STUDY', title: 'Самообразование' }] } });
    expect((await outsider.data(query, { id: own.id })).node).toBeNull();
    expect((await graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo }).data(query, { id: own.id })).node)
      .toMatchObject({ __typename: 'RouteTemplate', id: own.id, municipalityId: ids.municipalityOfDemo });
  });
});

describe('more Node types (issue 17): mentorships and targeted support', () => {
  const query = 'query ($id: ID!) { node(id: $id) { __typename id ... on Mentorship { startedOn } ... on Support { givenOn } } }';

  test('each as `mentorships` and `supportGiven` show it: the region and the municipality\'s methodist; null to another municipality', async () => {
    const { mentorships, supportGiven } = await admin.data('{ mentorships { id startedOn } supportGiven(from: "2000-01-01", to: "2100-12-31") { id givenOn } }');
    const found = { Mentorship: mentorships[0], Support: supportGiven[0] };
    expect(found.Mentorship && found.Support).toBeTruthy();
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo });
    const outsider = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
    expect(await outsider.data('{ mentorships { id } supportGiven(from: "2000-01-01", to: "2100-12-31") { id } }')).toEqual({ mentorships: [], supportGiven: [] });
    for (const [type, row] of Object.entries(found)) {
      for (const client of [admin, methodist]) {
        expect((await client.data(query, { id: row.id })).node).toEqual({ __typename: type, ...row });
      }
      const hidden = await outsider.run(query, { id: row.id });
      expect(hidden.errors).toBeUndefined();
      expect(hidden.data?.node).toBeNull();
    }
  });
});

describe('more Node types (issue 17): an association\'s members, plans and publications', () => {
  const query = `query ($id: ID!) { node(id: $id) { __typename id
    ... on AssociationMember { joinedOn } ... on AssociationPlan { academicYear } ... on Publication { title } } }`;

  test('shown with their association (members: the educator in scope too), as methodAssociation(id:) shows them; null otherwise', async () => {
    const { methodAssociations } = await admin.data('{ methodAssociations { id members { id joinedOn } plans { id academicYear } publications { id title } } }');
    type Association = { id: string; members: { id: string }[]; plans: { id: string }[]; publications: { id: string }[] };
    const full = (methodAssociations as Association[]).find((a) => a.members.length && a.plans.length && a.publications.length)!;
    expect(full).toBeDefined();
    const found = { AssociationMember: full.members[0], AssociationPlan: full.plans[0], Publication: full.publications[0] };
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo });
    const outsider = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
    const outsiderSees = (await outsider.run('query ($id: ID!) { methodAssociation(id: $id) { id } }', { id: full.id })).data?.methodAssociation;
    expect(outsiderSees).toBeNull();
    for (const [type, row] of Object.entries(found)) {
      for (const client of [admin, methodist]) {
        expect((await client.data(query, { id: row.id })).node).toEqual({ __typename: type, ...row });
      }
      const hidden = await outsider.run(query, { id: row.id });
      expect(hidden.errors).toBeUndefined();
      expect(hidden.data?.node).toBeNull();
    }
  });
});

describe('more Node types (issue 17): route items and association plan items', () => {
  const query = 'query ($id: ID!) { node(id: $id) { __typename id ... on RouteItem { title } ... on AssociationPlanItem { title } } }';

  test('shown with their route / their plan\'s association, to the region and the municipality\'s methodist; null to another municipality', async () => {
    const { educators, methodAssociations } = await admin.data(`{ educators(first: 100) { nodes { routes { items { id title } } } }
      methodAssociations { plans { items { id title } } } }`);
    const routeItem = educators.nodes.flatMap((e: { routes: { items: unknown[] }[] }) => e.routes.flatMap((r) => r.items))[0];
    const planItem = methodAssociations.flatMap((a: { plans: { items: unknown[] }[] }) => a.plans.flatMap((p) => p.items))[0];
    const found = { RouteItem: routeItem, AssociationPlanItem: planItem };
    expect(routeItem && planItem).toBeTruthy();
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo });
    const outsider = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
    for (const [type, row] of Object.entries(found)) {
      for (const client of [admin, methodist]) {
        expect((await client.data(query, { id: row.id })).node).toEqual({ __typename: type, ...row });
      }
      const hidden = await outsider.run(query, { id: row.id });
      expect(hidden.errors).toBeUndefined();
      expect(hidden.data?.node).toBeNull();
    }
  });
});

describe('more Node types (issue 17): participations and jury members', () => {
  const query = 'query ($id: ID!) { node(id: $id) { __typename id ... on Participation { role } ... on JuryMember { stageJuror: isChair } } }';

  test('a participation as Event.participations shows it (educators in scope), a juror as Stage.jury (every signed-in caller)', async () => {
    const { events, competitions } = await admin.data('{ events { participations { id role } } competitions { stages { jury { id stageJuror: isChair } } } }');
    const participation = events.flatMap((e: { participations: unknown[] }) => e.participations)[0];
    const juror = competitions.flatMap((c: { stages: { jury: unknown[] }[] }) => c.stages.flatMap((s) => s.jury))[0];
    expect(participation && juror).toBeTruthy();
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo });
    const outsider = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
    for (const client of [admin, methodist]) {
      expect((await client.data(query, { id: participation.id })).node).toEqual({ __typename: 'Participation', ...participation });
      expect((await client.data(query, { id: juror.id })).node).toEqual({ __typename: 'JuryMember', ...juror });
    }
    // Another municipality's methodist: the demo's educators' participations are not theirs; the jury is public to them.
    const hidden = await outsider.run(query, { id: participation.id });
    expect(hidden.errors).toBeUndefined();
    expect(hidden.data?.node).toBeNull();
    expect((await outsider.data(query, { id: juror.id })).node).toEqual({ __typename: 'JuryMember', ...juror });
    expect(await graph.anonymous().error(query, { id: juror.id })).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('more Node types (issue 17): regional methodists\' assignments', () => {
  const query = 'query ($id: ID!) { node(id: $id) { __typename id ... on RegionalMethodistAssignment { validFrom } } }';

  test('shown when both the methodist and the educator are (as assignedEducators shows it); FORBIDDEN otherwise', async () => {
    const { educators } = await admin.data('{ educators(first: 200) { nodes { assignedEducators { id validFrom } } } }');
    const assignment = educators.nodes.flatMap((e: { assignedEducators: unknown[] }) => e.assignedEducators)[0];
    expect(assignment).toBeTruthy();
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipalityOfDemo });
    for (const client of [admin, methodist]) {
      expect((await client.data(query, { id: assignment.id })).node).toEqual({ __typename: 'RegionalMethodistAssignment', ...assignment });
    }
    const outsider = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
    const refused = await outsider.run(query, { id: assignment.id });
    expect(refused.data?.node).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
