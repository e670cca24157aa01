import type { TokenRequest } from '@mms/platform';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';

/**
 * The role matrix of issue 20's actions (packages/platform/src/policy.ts: help-request:read, :file, :handle, :rate,
 * support:write for sessions, survey:write, survey:answer, survey-results:read, indicator:read for the quality figure,
 * data-request:write and :submit)
 * walked cell by cell through the gateway. World: municipalities A and B; schools A1 (A) and B1 (B); educators a1 (A1),
 * methodist m (A1), b1 (B1).
 */
type Outcome = 'ok' | string | string[];
type RoleName = TokenRequest['role'] | 'anonymous';

let graph: TestGraph;
const w: Record<string, string> = {};
const clients = {} as Record<RoleName, Client>;
const roles: RoleName[] = ['region_admin', 'municipality_methodist', 'organization_admin', 'educator', 'analyst', 'integration', 'anonymous'];
const file = `mutation ($input: FileHelpRequestInput!) { fileHelpRequest(input: $input) { id } }`;

beforeAll(async () => {
  graph = await createTestGraph();
  const admin = graph.as(regionAdmin);
  for (const m of ['A', 'B']) w[m] = (await createMunicipality(admin)).id;
  for (const [o, m] of [['A1', 'A'], ['B1', 'B']]) w[o] = (await createOrganization(admin, w[m])).id;
  for (const [e, o] of [['a1', 'A1'], ['m', 'A1'], ['b1', 'B1']]) w[e] = (await createEducator(admin, w[o])).id;
  const tokens: Record<Exclude<RoleName, 'anonymous'>, TokenRequest> = {
    region_admin: regionAdmin,
    municipality_methodist: { role: 'municipality_methodist', municipalityId: w.A },
    organization_admin: { role: 'organization_admin', organizationId: w.A1 },
    educator: { role: 'educator', educatorId: w.a1 },
    analyst: { role: 'analyst' },
    integration: { role: 'integration', municipalityId: w.A },
  };
  for (const [role, token] of Object.entries(tokens)) clients[role as RoleName] = graph.as(token);
  clients.anonymous = graph.anonymous();
  // requests of each kind of requester, and one answered for the school (to be rated)
  w.schoolRequest = (await clients.organization_admin.data(file, { input: { topic: 'Школа', kind: 'CONSULTATION', filedOn: '2026-10-01' } })).fileHelpRequest.id;
  w.ownRequest = (await clients.educator.data(file, { input: { topic: 'Своё', kind: 'ROUTE', filedOn: '2026-10-01' } })).fileHelpRequest.id;
  w.bRequest = (await admin.data(file, { input: { educatorId: w.b1, topic: 'Б', kind: 'OTHER', filedOn: '2026-10-01' } })).fileHelpRequest.id;
  await admin.data(`mutation ($id: ID!, $m: ID!) { assignHelpRequest(id: $id, methodistId: $m) { id } }`, { id: w.schoolRequest, m: w.m });
  await admin.data(`mutation ($id: ID!) { answerHelpRequest(input: { id: $id, answer: "Ответ", answeredOn: "2026-10-05" }) { id } }`, { id: w.schoolRequest });
  const { createSurvey } = await admin.data(`mutation ($input: CreateSurveyInput!) { createSurvey(input: $input) { id questions { id } } }`, { input: {
    title: 'Анкета', municipalityId: w.A, isAnonymous: false, opensOn: '2020-01-01', closesOn: '2099-12-31', questions: [{ kind: 'SCALE', text: 'Оценка', scaleMin: 1, scaleMax: 5 }] } });
  w.survey = createSurvey.id;
  w.question = createSurvey.questions[0].id;
}, 60_000);
afterAll(() => graph.close());

let serial = 0;
const named = (id: string) => Object.keys(w).find((k) => w[k] === id);
const cells: { action: string; query: string; variables: () => Promise<Record<string, unknown>> | Record<string, unknown>; list?: (data: any) => string[]; expect: Record<RoleName, Outcome> }[] = [
  {
    action: 'list requests for help',
    query: '{ helpRequests { id } }',
    variables: () => ({}),
    list: (data) => data.helpRequests.map((r: { id: string }) => named(r.id)),
    expect: { region_admin: ['bRequest', 'ownRequest', 'schoolRequest'], municipality_methodist: ['ownRequest', 'schoolRequest'], organization_admin: ['schoolRequest'], educator: ['ownRequest'], analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'file a request for oneself or one\'s organization (no requester named)',
    query: file,
    variables: () => ({ input: { topic: `Вопрос ${++serial}`, kind: 'OTHER', municipalityId: w.A, filedOn: '2026-10-01' } }),
    expect: { region_admin: 'BAD_USER_INPUT', municipality_methodist: 'BAD_USER_INPUT', organization_admin: 'ok', educator: 'ok', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'record a parent\'s request to A',
    query: file,
    variables: () => ({ input: { outsider: { name: 'Родитель', contact: '+7 900 000-00-00' }, topic: 'Вопрос родителя', kind: 'CONSULTATION', municipalityId: w.A, filedOn: '2026-10-01' } }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'assign a methodist of A to a new request of A',
    query: `mutation ($id: ID!, $m: ID!) { assignHelpRequest(id: $id, methodistId: $m) { status } }`,
    variables: async () => ({ id: (await graph.as(regionAdmin).data(file, { input: { organizationId: w.A1, topic: 'x', kind: 'OTHER', filedOn: '2026-10-01' } })).fileHelpRequest.id, m: w.m }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'rate the school\'s answered request (only the school rates, once)',
    query: `mutation ($id: ID!) { rateHelpRequest(id: $id, rating: 4) { rating } }`,
    variables: () => ({ id: w.schoolRequest }),
    expect: { region_admin: 'FORBIDDEN', municipality_methodist: 'FORBIDDEN', organization_admin: 'ok', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'record a group consultation in A',
    query: `mutation ($input: RecordSupportSessionInput!) { recordSupportSession(input: $input) { id } }`,
    variables: () => ({ input: { methodistId: w.m, municipalityId: w.A, heldOn: '2026-10-10', form: 'GROUP_CONSULTATION', topic: 'Консультация', participantIds: [w.a1], othersCount: 1 } }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'create a survey of A',
    query: `mutation ($input: CreateSurveyInput!) { createSurvey(input: $input) { id } }`,
    variables: () => ({ input: { title: `Анкета ${++serial}`, municipalityId: w.A, isAnonymous: true, opensOn: '2026-01-01', closesOn: '2026-12-31', questions: [{ kind: 'TEXT', text: 'Что нужно?' }] } }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'answer an open survey of A',
    query: `mutation ($s: ID!, $q: ID!) { answerSurvey(surveyId: $s, answers: [{ questionId: $q, scaleValue: 4 }]) { submittedOn } }`,
    variables: () => ({ s: w.survey, q: w.question }),
    expect: { region_admin: 'FORBIDDEN', municipality_methodist: 'FORBIDDEN', organization_admin: 'FORBIDDEN', educator: 'ok', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'read the survey\'s results',
    query: `query ($s: ID!) { surveyResults(surveyId: $s) { isSuppressed } }`,
    variables: () => ({ s: w.survey }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'ok', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'read who answered the named survey',
    query: `query ($s: ID!) { surveyRespondents(surveyId: $s) { educator { id } } }`,
    variables: () => ({ s: w.survey }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'send a data request to the schools of A',
    query: `mutation ($input: CreateDataRequestInput!) { createDataRequest(input: $input) { id } }`,
    variables: () => ({ input: { title: `Запрос ${++serial}`, municipalityId: w.A, dueOn: '2099-01-01', fields: ['Число'] } }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'FORBIDDEN', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'submit for school A1 what a data request asks (once: only the school submits)',
    query: `mutation ($input: SubmitDataRequestInput!) { submitDataRequest(input: $input) { submittedOn } }`,
    variables: async () => ({ input: { requestId: (await graph.as(regionAdmin).data(`mutation ($m: ID!) { createDataRequest(input: { title: "Запрос", municipalityId: $m, dueOn: "2099-01-01", fields: ["Число"] }) { id } }`, { m: w.A })).createDataRequest.id,
      organizationId: w.A1, figures: [{ field: 'Число', value: 1 }] } }),
    expect: { region_admin: 'ok', municipality_methodist: 'FORBIDDEN', organization_admin: 'ok', educator: 'FORBIDDEN', analyst: 'FORBIDDEN', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    action: 'read the quality figure of the help',
    query: `query ($m: ID!) { helpQuality(from: "2026-01-01", to: "2026-12-31", municipalityId: $m) { filedCount } }`,
    variables: () => ({ m: w.A }),
    expect: { region_admin: 'ok', municipality_methodist: 'ok', organization_admin: 'ok', educator: 'FORBIDDEN', analyst: 'ok', integration: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
];

const matrix = cells.flatMap((cell) => roles.map((role) => ({ role, cell, outcome: cell.expect[role] })));

test.each(matrix.map((m) => [m.role, m.cell.action, Array.isArray(m.outcome) ? `sees ${m.outcome.join(', ')}` : m.outcome === 'ok' ? 'allowed' : m.outcome, m] as const))(
  '%s: %s → %s', async (_role, _action, _outcome, { role, cell, outcome }) => {
    const result = await clients[role].run(cell.query, await cell.variables());
    if (outcome === 'ok') {
      expect(result.errors ?? []).toEqual([]);
    } else if (Array.isArray(outcome)) {
      expect(result.errors ?? []).toEqual([]);
      expect(cell.list!(result.data).sort()).toEqual(outcome);
    } else {
      expect(result.errors?.map((e) => e.extensions?.code)).toContain(outcome);
    }
  });
