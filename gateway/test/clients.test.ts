import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Client as UrqlClient, cacheExchange, fetchExchange } from '@urql/core';
import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { mintDevToken, startSubgraphServer, type RunningServer } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { createMunicipality } from '../../services/staff/test/fixtures';

/**
 * The client libraries front-end teams use (issue 17), as they ship, against the real gateway over HTTP (gateway →
 * staff subgraph → PostgreSQL): urql (`@urql/core`, whose default `preferGetMethod` sends queries as GET) and Apollo
 * Client 4 (`@apollo/client` core with its HttpLink, POST by default). Each sends the token in a header and gets data;
 * neither needs any setting beyond the URL and that header. The only thing wrapped is `fetch`, to record the requests.
 */
let graph: TestGraph;
let staff: RunningServer;
let gateway: RunningServer;
let token: string;
let url: string;
let municipalityName: string;

/** A `fetch` that records the method and headers of each request, then sends it as is. */
function recordingFetch(): { fetch: typeof fetch; requests: { method: string; url: string; headers: Headers }[] } {
  const requests: { method: string; url: string; headers: Headers }[] = [];
  const recorder: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    requests.push({ method: request.method, url: request.url, headers: request.headers });
    return fetch(input, init);
  };
  return { fetch: recorder, requests };
}

beforeAll(async () => {
  graph = await createTestGraph();
  municipalityName = (await createMunicipality(graph.as(regionAdmin))).name;
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  gateway = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => `${staff.url}/graphql`), port: 0 });
  url = `${gateway.url}/graphql`;
  token = await mintDevToken({ role: 'region_admin' });
}, 60_000);
afterAll(async () => {
  await gateway.stop();
  await staff.stop();
  await graph.close();
});

const municipalitiesQuery = 'query Municipalities { municipalities { id name } }';

describe('urql (@urql/core) with its defaults', () => {
  const client = (headers: Record<string, string>, recorder = recordingFetch()) => ({
    recorder,
    urql: new UrqlClient({ url, exchanges: [cacheExchange, fetchExchange], fetch: recorder.fetch, fetchOptions: () => ({ headers }) }),
  });

  test('a query with a token header is sent as GET (urql\'s default) and answers data', async () => {
    const { urql, recorder } = client({ authorization: `Bearer ${token}` });
    const result = await urql.query(municipalitiesQuery, {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data.municipalities.map((m: { name: string }) => m.name)).toContain(municipalityName);
    expect(recorder.requests).toHaveLength(1);
    expect(recorder.requests[0].method).toBe('GET');
    expect(new URL(recorder.requests[0].url).searchParams.get('query')).toContain('municipalities');
    // urql sends neither a JSON content type nor Apollo's preflight header on a GET: the token alone gets it through.
    expect(recorder.requests[0].headers.get('content-type')).toBeNull();
    expect(recorder.requests[0].headers.get('apollo-require-preflight')).toBeNull();
  });

  test('a query with variables over GET, and a mutation (POST, as urql sends mutations)', async () => {
    const { urql, recorder } = client({ authorization: `Bearer ${token}` });
    const name = `Дальнереченский округ ${Date.now()}`;
    const created = await urql.mutation('mutation ($input: CreateMunicipalityInput!) { createMunicipality(input: $input) { id name } }',
      { input: { name, oktmo: String(20_000_000 + Math.floor(Math.random() * 10_000_000)) } }).toPromise();
    expect(created.error).toBeUndefined();
    const { id } = created.data.createMunicipality;
    const read = await urql.query('query ($id: ID!) { municipality(id: $id) { id name } }', { id }).toPromise();
    expect(read.error).toBeUndefined();
    // urql's document cache adds __typename to every selection.
    expect(read.data.municipality).toEqual({ __typename: 'Municipality', id, name });
    expect(recorder.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
  });

  test('without a token, or with a bad one, the answer is a clear error (no data)', async () => {
    const bad = await client({ authorization: 'Bearer not-a-token' }).urql.query(municipalitiesQuery, {}).toPromise();
    expect(bad.data).toBeUndefined();
    expect(bad.error?.response?.status).toBe(401);
    expect(bad.error?.graphQLErrors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // No token and a GET without a preflight-forcing header: Apollo's CSRF guard refuses it (README, "CSRF").
    const anonymous = await client({}).urql.query(municipalitiesQuery, {}).toPromise();
    expect(anonymous.data).toBeUndefined();
    expect(anonymous.error?.response?.status).toBe(400);
  });
});

describe('Apollo Client 4 (@apollo/client core, HttpLink)', () => {
  const client = (headers: Record<string, string>, options: { useGETForQueries?: boolean } = {}, recorder = recordingFetch()) => ({
    recorder,
    apollo: new ApolloClient({ link: new HttpLink({ uri: url, headers, fetch: recorder.fetch, ...options }) as ApolloLink, cache: new InMemoryCache() }),
  });

  test('a query with a token header answers data (POST, Apollo\'s default)', async () => {
    const { apollo, recorder } = client({ authorization: `Bearer ${token}` });
    const result = await apollo.query({ query: gql(municipalitiesQuery) });
    expect(result.error).toBeUndefined();
    expect((result.data as { municipalities: { name: string }[] }).municipalities.map((m) => m.name)).toContain(municipalityName);
    expect(recorder.requests.map((r) => r.method)).toEqual(['POST']);
  });

  test('with useGETForQueries the same query goes as GET and answers the same', async () => {
    const { apollo, recorder } = client({ authorization: `Bearer ${token}` }, { useGETForQueries: true });
    const result = await apollo.query({ query: gql(municipalitiesQuery) });
    expect((result.data as { municipalities: { name: string }[] }).municipalities.map((m) => m.name)).toContain(municipalityName);
    expect(recorder.requests.map((r) => r.method)).toEqual(['GET']);
  });

  test('a bad token is an UNAUTHENTICATED error, no data', async () => {
    const { apollo } = client({ authorization: 'Bearer not-a-token' });
    const result = await apollo.query({ query: gql(municipalitiesQuery), errorPolicy: 'all' }).catch((error: unknown) => ({ data: undefined, error }));
    expect(result.data).toBeUndefined();
    expect(JSON.stringify(result.error)).toContain('UNAUTHENTICATED');
  });
});
