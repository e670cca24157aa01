import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getIntrospectionQuery } from 'graphql';
import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { limits, mintDevToken, startSubgraphServer, type RunningServer } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, type TestGraph, startRecordingProxy, type RecordingProxy } from '@mms/testing';
import { countTokens } from '../src/limits';

/**
 * The gateway's limits over real HTTP, each at its boundary: a query at the limit is answered, one over it is refused
 * (400, GRAPHQL_VALIDATION_FAILED, the limit and both figures in the message) without any subgraph being called.
 * Then introspection (signed in yes, anonymous no), the subgraph timeout and the body limit.
 * Gateway → counting proxy → staff subgraph → PostgreSQL, as in http.test.ts.
 */
let graph: TestGraph;
let staff: RunningServer;
let proxy: RecordingProxy;
let proxyUrl: string;
let gateway: RunningServer;
/** The same gateway with the cost limit lifted: the depth tests nest lists, which the cost model counts. */
let uncosted: RunningServer;
let subgraphCalls = 0;
let token: string;
const supergraphSdl = composeSupergraph(subgraphs);

beforeAll(async () => {
  graph = await createTestGraph();
  // The subgraph's own limits are tested in bounded.test.ts; here it lets through what the gateway lets through.
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0, { limits: { maxCost: Number.MAX_SAFE_INTEGER } });
  proxy = await startRecordingProxy(staff.url, (req) => { subgraphCalls += 1; });
  proxyUrl = proxy.url;
  gateway = await startGatewayServer({ supergraphSdl, buildService: httpDataSources(() => proxyUrl), port: 0 });
  uncosted = await startGatewayServer({ supergraphSdl, buildService: httpDataSources(() => proxyUrl), port: 0, limits: { maxCost: Number.MAX_SAFE_INTEGER } });
  token = await mintDevToken({ role: 'region_admin' });
});
afterAll(async () => {
  await uncosted.stop();
  await gateway.stop();
  await proxy.close();
  await staff.stop();
  await graph.close();
});

const post = (server: RunningServer, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
  fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Sends a query and says how it went, and whether any subgraph was asked. */
async function ask(query: string, server = gateway) {
  const before = subgraphCalls;
  const response = await post(server, { query });
  const body = await response.json();
  return { status: response.status, body, error: body.errors?.[0], subgraphCalled: subgraphCalls > before };
}

async function expectAnswered(query: string, server = gateway) {
  const result = await ask(query, server);
  expect(result.body.errors).toBeUndefined();
  expect(result.status).toBe(200);
  return result.body.data;
}

async function expectRefused(query: string, limit: string, found: number, max: number, server = gateway) {
  const result = await ask(query, server);
  expect(result.status).toBe(400);
  expect(result.body.errors).toHaveLength(1);
  expect(result.error.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit, found, max });
  expect(result.error.message).toContain(String(found));
  expect(result.error.message).toContain(`limit of ${max}`);
  expect(result.body.data).toBeUndefined();
  expect(result.subgraphCalled).toBe(false);
  return result.error.message as string;
}

/** `municipalities { organizations { municipality { organizations { … id } } } }`: `depth` levels of fields. */
export function nested(depth: number): string {
  const fields = Array.from({ length: depth - 1 }, (_, level) => (level === 0 ? 'municipalities' : level % 2 ? 'organizations' : 'municipality'));
  return `{ ${fields.join(' { ')} { id${' }'.repeat(depth - 1)} }`;
}

/** A query of exactly `tokens` tokens: a municipality list and aliases of `__typename` (which no limit counts as aliases). */
export function ofTokens(tokens: number): string {
  const base = 6; // { municipalities { id } }
  const extra = (tokens - base) % 3;
  const fields = ['id', 'name', 'oktmo'].slice(0, 1 + extra).join(' ');
  const aliases = Array.from({ length: Math.floor((tokens - base) / 3) }, (_, i) => `t${i}: __typename`).join(' ');
  return `{ municipalities { ${fields} } ${aliases} }`;
}

describe('query limits, each at its boundary', () => {
  test('the configured defaults are the ones documented in config', () => {
    expect(limits).toMatchObject({ maxDepth: 12, maxAliases: 30, maxDirectives: 20, maxTokens: 2000, maxCost: 500_000, maxRows: 20_000, maxBodyBytes: 4 * 1024 * 1024, subgraphTimeoutMs: 10_000 });
  });

  test('the deepest query of the project (8 levels) is answered', async () => {
    await expectAnswered(`{ educators(first: 50) { edges { node { employments { organization { municipality { organizations { name } } } } } } } }`);
  });

  test('depth: 12 levels are answered, 13 are refused with both figures', async () => {
    await expectAnswered(nested(12), uncosted);
    expect(await expectRefused(nested(13), 'depth', 13, 12, uncosted)).toBe('query depth 13 exceeds the limit of 12');
  });

  test('depth counts fields, not fragments: the same 12 levels written with fragments are answered', async () => {
    await expectAnswered(`{ municipalities { ...M } } fragment M on Municipality { organizations { ... on Organization { municipality {
      organizations { municipality { organizations { municipality { organizations { municipality { organizations { id } } } } } } } } } } }`, uncosted);
  });

  test('aliases: 30 are answered, 31 are refused', async () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `m${i}: municipalities { id }`).join(' ')} }`;
    await expectAnswered(aliased(30));
    expect(await expectRefused(aliased(31), 'aliases', 31, 30)).toBe('query has 31 aliases, over the limit of 30');
  });

  test('directives: 20 are answered, 21 are refused', async () => {
    const directed = (n: number) => `{ municipalities { ${'id @include(if: true) '.repeat(n)} } }`;
    await expectAnswered(directed(20));
    expect(await expectRefused(directed(21), 'directives', 21, 20)).toBe('query has 21 directives, over the limit of 20');
  });

  test('tokens: 2000 are answered, 2001 are refused, counting the whole document', async () => {
    expect(countTokens(ofTokens(2000))).toBe(2000);
    expect(countTokens(ofTokens(2001))).toBe(2001);
    await expectAnswered(ofTokens(2000));
    expect(await expectRefused(ofTokens(2001), 'tokens', 2001, 2000)).toBe('query has 2001 tokens, over the limit of 2000');
    // The parser stops at the first token over; the figure in the refusal is the document's whole count all the same.
    await expectRefused(ofTokens(5000), 'tokens', 5000, 2000);
  });

  test('cost: 500,000 is answered, 500,001 is refused', async () => {
    // The estimated values of the answer: organizations(first: 200) is 1, its nodes 200 × (1 + employments), an
    // estimated 40 an organization × (1 + 61 ids): 1 + 200 × (1 + 40 × 62) = 496,201; 30 municipalities × (1 + 125
    // ids) = 3,780; each totalCount adds 1 (once: it is not in a list).
    const costing = (n: number) => `{ organizations(first: 200) { nodes { employments { ${'id '.repeat(61)}} } ${'totalCount '.repeat(n - 499_981)} }
      municipalities { ${'id '.repeat(125)}} }`;
    await expectAnswered(costing(500_000));
    expect(await expectRefused(costing(500_001), 'cost', 500_001, 500_000)).toBe('query cost 500001 exceeds the limit of 500000');
  });

  test('the bench\'s staff page at the largest page size is within the cost limit', async () => {
    await expectAnswered(`{ educators(first: 200) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id fullName employments { id position rate isMainJob startedOn endedOn
        organization { id shortName municipality { id name } } } } } } }`);
  });

  test('each limit stands on its own: with the token limit lifted, 1,000 aliases meet the alias limit', async () => {
    const lifted = await startGatewayServer({ supergraphSdl, buildService: httpDataSources(() => proxyUrl), port: 0, limits: { maxTokens: 100_000 } });
    try {
      await expectRefused(`{ ${Array.from({ length: 1000 }, (_, i) => `m${i}: municipalities { id }`).join(' ')} }`, 'aliases', 1000, 30, lifted);
      await expectRefused(`{ municipalities { ${'id @include(if: true) '.repeat(500)} } }`, 'directives', 500, 20, lifted);
    } finally {
      await lifted.stop();
    }
  });

  test('limits given when the gateway is started replace the configured ones', async () => {
    const strict = await startGatewayServer({
      supergraphSdl, buildService: httpDataSources(() => proxyUrl), port: 0,
      limits: { maxDepth: 3, maxAliases: 1, maxDirectives: 1, maxTokens: 20, maxCost: 100 },
    });
    try {
      await expectAnswered('{ municipalities { id } }', strict);
      await expectRefused('{ municipalities { organizations { municipality { id } } } }', 'depth', 4, 3, strict);
      await expectRefused('{ a: municipalities { id } b: municipalities { id } }', 'aliases', 2, 1, strict);
      await expectRefused('{ municipalities @include(if: true) { id @include(if: true) } }', 'directives', 2, 1, strict);
      await expectRefused(ofTokens(21), 'tokens', 21, 20, strict);
      // educators 1 + 50 nodes × (1 + id 1) = 101.
      await expectRefused('{ educators(first: 50) { nodes { id } } }', 'cost', 101, 100, strict);
    } finally {
      await strict.stop();
    }
  });
});

describe('introspection', () => {
  const schemaQuery = '{ __schema { types { name } } }';

  test('a signed-in caller reads the schema; GraphiQL\'s whole introspection query is within every limit', async () => {
    const data = await expectAnswered(schemaQuery);
    expect(data.__schema.types.map((t: { name: string }) => t.name)).toContain('Educator');
    const analyst = await mintDevToken({ role: 'analyst' });
    const response = await post(gateway, { query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }) },
      { authorization: `Bearer ${analyst}` });
    expect(response.status).toBe(200);
    expect((await response.json()).data.__schema.queryType.name).toBe('Query');
  });

  test('an anonymous caller is told to sign in, for __schema, __type and introspection hidden in fragments', async () => {
    // The signed-in test above sent the same document first: Apollo's cache of validated documents must not let it through.
    for (const query of [schemaQuery, '{ __type(name: "Educator") { fields { name } } }',
      '{ ...Schema } fragment Schema on Query { ... on Query { __schema { queryType { name } } } }']) {
      const response = await post(gateway, { query }, {});
      expect(response.status).toBe(401);
      const body = await response.json();
      expect(body.data).toBeUndefined();
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0].message).toMatch(/sign in/);
    }
  });

  test('__typename alone is not introspection and stays open to anonymous callers', async () => {
    const response = await post(gateway, { query: '{ __typename }' }, {});
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  test('anonymous callers get no field suggestions, which would spell the schema out; signed-in callers do', async () => {
    const anonymous = await (await post(gateway, { query: '{ educatorz { totalCount } }' }, {})).json();
    expect(anonymous.errors[0].message).toBe('Cannot query field "educatorz" on type "Query".');
    const signedIn = await (await post(gateway, { query: '{ educatorz { totalCount } }' })).json();
    expect(signedIn.errors[0].message).toMatch(/Did you mean "educator/);
  });
});

describe('subgraph timeout', () => {
  test('a subgraph that does not answer in time is an error that names no address, and the next request is served', async () => {
    // A stand-in for the subgraph that, while `stalled`, takes requests and never answers (or sends headers and stops).
    let mode: 'stalled' | 'headers only' | 'answering' = 'stalled';
    const slow = http.createServer((req, res) => {
      if (mode === 'stalled') return;
      if (mode === 'headers only') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data":');
        return;
      }
      const upstream = http.request(`${staff.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const port = (slow.address() as AddressInfo).port;
    const timed = await startGatewayServer({
      supergraphSdl, buildService: httpDataSources(() => `http://127.0.0.1:${port}/graphql`, { timeoutMs: 300 }), port: 0,
    });
    try {
      for (const stuck of ['stalled', 'headers only'] as const) {
        mode = stuck;
        const started = Date.now();
        const response = await post(timed, { query: '{ municipalities { id } }' });
        const elapsed = Date.now() - started;
        const text = await response.text();
        expect(elapsed).toBeGreaterThanOrEqual(290);
        expect(elapsed).toBeLessThan(5000);
        const body = JSON.parse(text);
        expect(body.data).toBeNull();
        expect(body.errors).toEqual([{ message: 'the staff subgraph did not answer within 300 ms; try again, or narrow the query',
          extensions: { code: 'SUBGRAPH_TIMEOUT', service: 'staff' } }]);
        expect(text).not.toMatch(new RegExp(`127\\.0\\.0\\.1|localhost|${port}|http:|abort`, 'i'));
      }
      mode = 'answering';
      const next = await post(timed, { query: '{ municipalities { id } }' });
      expect(next.status).toBe(200);
      expect(await next.json()).toEqual({ data: { municipalities: [] } });
    } finally {
      await timed.stop();
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});

describe('request body', () => {
  const bodyOfBytes = (bytes: number) => {
    const shell = JSON.stringify({ query: '{ municipalities { id } }', variables: { pad: '' } });
    return JSON.stringify({ query: '{ municipalities { id } }', variables: { pad: 'x'.repeat(bytes - Buffer.byteLength(shell)) } });
  };
  const send = (body: string) => fetch(`${gateway.url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body,
  });

  test('a body of exactly 4 MB is read; one byte more is 413 with a GraphQL-style JSON error', async () => {
    const atLimit = bodyOfBytes(4 * 1024 * 1024);
    expect(Buffer.byteLength(atLimit)).toBe(4 * 1024 * 1024);
    const answered = await send(atLimit);
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ data: { municipalities: [] } });

    const before = subgraphCalls;
    const refused = await send(bodyOfBytes(4 * 1024 * 1024 + 1));
    expect(refused.status).toBe(413);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await refused.json()).toEqual({ errors: [{ message: 'request body exceeds 4 MB', extensions: { code: 'BAD_REQUEST' } }] });
    expect(subgraphCalls).toBe(before);
  });

  test('the body limit given when the gateway is started is the one enforced and named', async () => {
    const small = await startGatewayServer({ supergraphSdl, buildService: httpDataSources(() => proxyUrl), port: 0, limits: { maxBodyBytes: 512 * 1024 } });
    try {
      const response = await fetch(`${small.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodyOfBytes(600 * 1024) });
      expect(response.status).toBe(413);
      expect((await response.json()).errors[0].message).toBe('request body exceeds 512 KB');
    } finally {
      await small.stop();
    }
  });

  test('malformed JSON is 400 with a JSON error, not an HTML page', async () => {
    const response = await send('{"query": "{ municipalities { id } }"');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
  });
});
