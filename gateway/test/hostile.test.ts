import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { mintDevToken, startSubgraphServer, type RunningServer } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, regionAdmin, type TestGraph, startRecordingProxy, type RecordingProxy } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../services/staff/test/fixtures';

/**
 * Hostile inputs, sent over real HTTP to the gateway (gateway → counting proxy → staff subgraph → PostgreSQL) with a
 * region_admin token, and a few anonymously. Each must be answered with a clear error or a valid (here: empty)
 * result, never INTERNAL_SERVER_ERROR, and after each the gateway must still answer a normal query.
 *
 * `cases` is the record of what was tried and what each got: the status, the code, and for limits which one.
 */
let graph: TestGraph;
let staff: RunningServer;
let proxy: RecordingProxy;
let gateway: RunningServer;
let subgraphCalls = 0;
let token: string;
let educatorCount: number;

beforeAll(async () => {
  graph = await createTestGraph();
  // Something for a wildcard or an injected OR to find: a `%` that matched anything would return these.
  const admin = graph.as(regionAdmin);
  const municipality = await createMunicipality(admin);
  const school = await createOrganization(admin, municipality.id);
  await createEducator(admin, school.id);
  await createEducator(admin, school.id, { lastName: 'Петрова' });
  educatorCount = 2;

  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  proxy = await startRecordingProxy(staff.url, (req) => { subgraphCalls += 1; });
  const proxyUrl = proxy.url;
  gateway = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => proxyUrl), port: 0 });
  token = await mintDevToken({ role: 'region_admin' });
});
afterAll(async () => {
  await gateway.stop();
  await proxy.close();
  await staff.stop();
  await graph.close();
});

interface HostileRequest {
  method?: 'GET' | 'POST';
  /** A JSON body (stringified), or the exact bytes to send. */
  json?: unknown;
  raw?: string | Uint8Array<ArrayBuffer>;
  /** GET: the query string. */
  search?: Record<string, string>;
  headers?: Record<string, string>;
  anonymous?: boolean;
}

interface Expected {
  status: number;
  /** extensions.code of the first error; absent when the answer must have no errors. */
  code?: string;
  /** For a limit's refusal: which limit. */
  limit?: string;
  message?: RegExp;
  /** For an answer with data: what the data must be. */
  data?: unknown;
  /** Whether the request may reach a subgraph (false for everything the gateway refuses by itself). */
  reachesSubgraph?: boolean;
}

interface HostileCase {
  name: string;
  request: HostileRequest;
  expected: Expected;
}

const query = (text: string, variables?: Record<string, unknown>): HostileRequest => ({ json: { query: text, variables } });
const refusedLimit = (limit: string, message: RegExp): Expected => ({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit, message, reachesSubgraph: false });
const badRequest = (status: number, message: RegExp): Expected => ({ status, code: 'BAD_REQUEST', message, reachesSubgraph: false });

/** `municipalities { organizations { municipality { … id } } }`, `depth` levels of real fields. */
function nested(depth: number): string {
  const fields = Array.from({ length: depth - 1 }, (_, level) => (level === 0 ? 'municipalities' : level % 2 ? 'organizations' : 'municipality'));
  return `{ ${fields.join(' { ')} { id${' }'.repeat(depth - 1)} }`;
}

const sqlLike = ["'; drop table staff.educator; --", '%', '_', '\\', "' OR 1=1 --", 'a\u0000b'];
const textFilters: { name: string; query: string; empty: unknown }[] = [
  { name: 'educators.nameContains', query: 'query ($v: String!) { educators(filter: { nameContains: $v }) { totalCount } }', empty: { educators: { totalCount: 0 } } },
  { name: 'educators.position', query: 'query ($v: String!) { educators(filter: { position: $v }) { totalCount } }', empty: { educators: { totalCount: 0 } } },
  { name: 'organizations.nameContains', query: 'query ($v: String!) { organizations(filter: { nameContains: $v }) { totalCount } }', empty: { organizations: { totalCount: 0 } } },
  { name: 'educatorBySnils', query: 'query ($v: String!) { educatorBySnils(snils: $v) { id } }', empty: { educatorBySnils: null } },
];

const cases: HostileCase[] = [
  // Shape of the query: stopped by the gateway's limits, no subgraph called.
  { name: 'a query nested 50 levels deep', request: query(nested(50)), expected: refusedLimit('depth', /^query depth 50 exceeds the limit of 12$/) },
  { name: 'a query nested 50 levels deep, anonymous', request: { ...query(nested(50)), anonymous: true }, expected: refusedLimit('depth', /^query depth 50 exceeds the limit of 12$/) },
  // 1,000 aliases and 500 directives are over 2,000 tokens: the token limit, checked while parsing, refuses them first
  // (limits.test.ts shows the alias and directive limits refusing the same queries when the token limit is lifted).
  {
    name: '1,000 aliases', request: query(`{ ${Array.from({ length: 1000 }, (_, i) => `m${i}: municipalities { id }`).join(' ')} }`),
    expected: refusedLimit('tokens', /^query has 6002 tokens, over the limit of 2000$/),
  },
  {
    name: '500 directives', request: query(`{ municipalities { ${'id @include(if: true) '.repeat(500)} } }`),
    expected: refusedLimit('tokens', /^query has 4005 tokens, over the limit of 2000$/),
  },
  {
    name: 'a query of 100,000 tokens', request: query(`{ municipalities { ${'id '.repeat(99_995)}} }`),
    expected: refusedLimit('tokens', /^query has 100000 tokens, over the limit of 2000$/),
  },
  {
    name: 'one field repeated 1,000 times (quadratic field merging)', request: query(`{ municipalities { ${'id '.repeat(1000)}} }`),
    expected: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: /^Validation aborted\.$/, reachesSubgraph: false },
  },
  {
    name: 'a cost bomb: the largest page with a deep selection, twice', request: query(`{ a: educators(first: 200) { edges { node { employments {
      organization { municipality { organizations { municipality { organizations { name } } } } } } } } }
      b: educators(first: 200) { edges { node { employments { organization { municipality { organizations { name } } } } } } } }`),
    expected: refusedLimit('cost', /^query cost \d+ exceeds the limit of 500000$/),
  },

  // Size of the body and its bytes.
  {
    name: 'a 5 MB string argument', request: query(`{ educators(filter: { nameContains: ${JSON.stringify('x'.repeat(5 * 1024 * 1024))} }) { totalCount } }`),
    expected: badRequest(413, /^request body exceeds 4 MB$/),
  },
  {
    name: 'a 500 KB nameContains variable (within the body limit)',
    request: query('query ($v: String!) { educators(filter: { nameContains: $v }) { totalCount } }', { v: 'я'.repeat(250 * 1024) }),
    expected: { status: 200, code: 'BAD_USER_INPUT', message: /^filter\.nameContains: must be at most 200 characters$/ },
  },
  {
    name: 'a 500 KB nameContains literal (within the body limit)',
    request: query(`{ organizations(filter: { nameContains: ${JSON.stringify('x'.repeat(500 * 1024))} }) { totalCount } }`),
    expected: { status: 200, code: 'BAD_USER_INPUT', message: /^filter\.nameContains: must be at most 200 characters$/ },
  },
  {
    name: 'invalid UTF-8 (0xC3 0x28) inside a JSON string',
    request: { raw: new Uint8Array(Buffer.concat([Buffer.from('{"query":"{ educators(filter: { nameContains: \\"'), Buffer.from([0xc3, 0x28]), Buffer.from('\\" }) { totalCount } }"}')])) },
    expected: badRequest(400, /^request body is not valid UTF-8$/),
  },
  { name: 'a body of invalid UTF-8 alone', request: { raw: new Uint8Array([0xc3, 0x28]) }, expected: badRequest(400, /^request body is not valid UTF-8$/) },
  { name: 'malformed JSON', request: { raw: '{"query": "{ municipalities { id } }"' }, expected: badRequest(400, /^request body is not valid JSON$/) },
  { name: 'variables nested 100,000 arrays deep', request: { raw: `{"query":"{ municipalities { id } }","variables":{"v":${'['.repeat(100_000)}${']'.repeat(100_000)}}}` },
    expected: { status: 200, data: 'municipalities' } },
  { name: 'an empty body', request: { raw: '' }, expected: badRequest(400, /non-empty `query`|body missing/) },
  { name: 'a batch (an array of operations)', request: { json: [{ query: '{ municipalities { id } }' }, { query: '{ municipalities { id } }' }] },
    expected: badRequest(400, /batching/i) },
  { name: 'a body that is a JSON string, not an object', request: { raw: '"{ municipalities { id } }"' }, expected: badRequest(400, /^request body must be a JSON object/) },

  // Wrong scalar types.
  { name: 'an Int where a Date goes (employedOn: 20240101)', request: query('{ educators(filter: { employedOn: 20240101 }) { totalCount } }'),
    expected: { status: 200, code: 'GRAPHQL_VALIDATION_FAILED', message: /^Date must be a calendar day written YYYY-MM-DD/ } },
  { name: 'a string where an Int goes (first: "10")', request: query('{ educators(first: "10") { totalCount } }'),
    expected: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: /Int cannot represent/, reachesSubgraph: false } },
  { name: 'a Date that is no day ("2024-13-45") as a literal', request: query('{ educators(filter: { employedOn: "2024-13-45" }) { totalCount } }'),
    expected: { status: 200, code: 'GRAPHQL_VALIDATION_FAILED', message: /^Date must be a calendar day written YYYY-MM-DD, got "2024-13-45"$/ } },
  { name: 'a Date that is no day ("2024-13-45") as a variable', request: query('query ($d: Date) { educators(filter: { employedOn: $d }) { totalCount } }', { d: '2024-13-45' }),
    expected: { status: 200, code: 'BAD_USER_INPUT', message: /^Variable "\$d" got invalid value "2024-13-45"; Date must be a calendar day/ } },
  { name: 'an ID array where one ID goes (literal)', request: query('{ educator(id: ["a", "b"]) { id } }'),
    expected: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: /ID/, reachesSubgraph: false } },
  { name: 'an ID array where one ID goes (variable)', request: query('query ($id: ID!) { educator(id: $id) { id } }', { id: ['a', 'b'] }),
    expected: { status: 400, code: 'BAD_USER_INPUT', message: /\$id/, reachesSubgraph: false } },
  { name: 'an id that is not a uuid', request: query('{ educator(id: "1; select pg_sleep(10)") { id } }'),
    expected: { status: 200, code: 'BAD_USER_INPUT', message: /not an id/ } },

  // Transport.
  { name: 'a mutation over GET', request: { method: 'GET', search: { query: 'mutation { createMunicipality(input: { name: "X", oktmo: "12345678" }) { id } }' }, headers: { 'apollo-require-preflight': 'true' } },
    expected: badRequest(405, /GET requests only support query operations/) },
  // A token in the Authorization header forces a browser's preflight, so it counts as a CSRF-preventing header (issue 17).
  { name: 'a mutation over GET with a token and no other header', request: { method: 'GET', search: { query: 'mutation { createMunicipality(input: { name: "X", oktmo: "12345678" }) { id } }' } },
    expected: badRequest(405, /GET requests only support query operations/) },
  { name: 'a query over GET with a token and no other header (urql\'s default)', request: { method: 'GET', search: { query: '{ municipalities { id } }' } },
    expected: { status: 200, data: 'municipalities' } },
  { name: 'a mutation over GET without a token or a preflight header (CSRF)', request: { method: 'GET', search: { query: 'mutation { createMunicipality(input: { name: "X", oktmo: "12345678" }) { id } }' }, anonymous: true },
    expected: badRequest(400, /Cross-Site Request Forgery/) },
  { name: 'a query over GET without a token or a preflight header (CSRF)', request: { method: 'GET', search: { query: '{ calendar { id } }' }, anonymous: true },
    expected: badRequest(400, /Cross-Site Request Forgery/) },
  { name: 'a POST as text/plain with a token: not CSRF (a token forces a preflight), but not JSON either', request: { raw: JSON.stringify({ query: '{ municipalities { id } }' }), headers: { 'content-type': 'text/plain' } },
    expected: badRequest(400, /^POST body missing, invalid Content-Type, or JSON object has no keys\.$/) },
  { name: 'a POST as text/plain without a token (CSRF)', request: { raw: JSON.stringify({ query: '{ municipalities { id } }' }), headers: { 'content-type': 'text/plain' }, anonymous: true },
    expected: badRequest(400, /Cross-Site Request Forgery/) },

  // Introspection and suggestions, anonymous.
  { name: 'introspection, anonymous', request: { ...query('{ __schema { types { name } } }'), anonymous: true },
    expected: { status: 401, code: 'UNAUTHENTICATED', message: /sign in/, reachesSubgraph: false } },
  { name: 'an SQL-looking name search, anonymous', request: { ...query(textFilters[0].query, { v: "' OR 1=1 --" }), anonymous: true },
    expected: { status: 200, code: 'UNAUTHENTICATED', message: /sign in/ } },

  // SQL-looking text in every text filter of the staff schema: no match, or a clear refusal.
  // PostgreSQL's text cannot hold U+0000: the gateway refuses it for every subgraph before any is called.
  ...textFilters.flatMap((filter) => sqlLike.map((value): HostileCase => ({
    name: `${filter.name} = ${JSON.stringify(value)}`,
    request: query(filter.query, { v: value }),
    expected: value.includes('\u0000') ? { status: 400, code: 'BAD_USER_INPUT', message: /^\$v contains the NUL character \(U\+0000\)/, reachesSubgraph: false }
      : filter.name === 'educatorBySnils' ? { status: 200, code: 'BAD_USER_INPUT', message: /^snils must have 11 digits$/ }
        : { status: 200, data: filter.empty },
  }))),
  { name: 'a NUL character in a string literal', request: query('{ organizations(filter: { nameContains: "a\\u0000b" }) { totalCount } }'),
    expected: { status: 400, code: 'BAD_USER_INPUT', message: /^nameContains contains the NUL character \(U\+0000\)/, reachesSubgraph: false } },
];

async function send(request: HostileRequest): Promise<Response> {
  const headers: Record<string, string> = { ...(request.anonymous ? {} : { authorization: `Bearer ${token}` }) };
  if (request.method === 'GET') {
    return fetch(`${gateway.url}/graphql?${new URLSearchParams(request.search)}`, { headers: { ...headers, ...request.headers } });
  }
  const body = request.raw ?? JSON.stringify(request.json);
  return fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers, ...request.headers }, body });
}

test.each(cases)('$name', async ({ request, expected }) => {
  const before = subgraphCalls;
  const response = await send(request);
  const text = await response.text();
  // Status and body together, so that a failure shows what came back.
  expect(`${response.status} ${text.slice(0, 500)}`).toMatch(new RegExp(`^${expected.status} `));
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = JSON.parse(text);
  expect(text).not.toMatch(/INTERNAL_SERVER_ERROR|127\.0\.0\.1|select |stack/i);
  if (expected.code) {
    expect(body.errors?.[0]?.extensions?.code).toBe(expected.code);
    if (expected.limit) expect(body.errors[0].extensions.limit).toBe(expected.limit);
    if (expected.message) expect(body.errors[0].message).toMatch(expected.message);
  } else {
    expect(body.errors).toBeUndefined();
    if (expected.data === 'municipalities') expect(body.data.municipalities).toHaveLength(1);
    else expect(body.data).toEqual(expected.data);
  }
  if (expected.reachesSubgraph === false) expect(subgraphCalls).toBe(before);

  // The next ordinary request is served as if nothing had happened.
  const next = await send(query('{ municipalities { id } }'));
  expect(next.status).toBe(200);
  const answer = await next.json();
  expect(answer.errors).toBeUndefined();
  expect(answer.data.municipalities).toHaveLength(1);
});

test('after all of it the registry is intact: nothing dropped, nothing changed', async () => {
  const response = await send(query('{ educators { totalCount } organizations { totalCount } }'));
  expect(await response.json()).toEqual({ data: { educators: { totalCount: educatorCount }, organizations: { totalCount: 1 } } });
});
