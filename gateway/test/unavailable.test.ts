import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { mintDevToken, startSubgraphServer, type RunningServer } from '@mms/platform';
import { profdevSubgraph } from '@mms/profdev';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../services/staff/test/fixtures';

/**
 * Issue 14, "faults are survived", at the gateway: a query touching a subgraph that is down gets the rest of its
 * answer, and an error naming the path and the service (SUBGRAPH_UNAVAILABLE), over real sockets.
 */
let graph: TestGraph;
let staff: RunningServer;
let profdev: RunningServer | undefined;
let profdevPort: number;
let gateway: RunningServer;
let token: string;
/** A port that refuses connections, and a proxy answering 502 the way a load balancer with nothing behind it does. */
let badGateway: http.Server;
let badGatewayUrl: string;

beforeAll(async () => {
  graph = await createTestGraph();
  const admin = graph.as(regionAdmin);
  const town = await createMunicipality(admin);
  const school = await createOrganization(admin, town.id);
  await createEducator(admin, school.id, { lastName: 'Доступная' });
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  profdev = await startSubgraphServer(profdevSubgraph, graph.db.profdev, 0);
  profdevPort = profdev.port;
  badGateway = http.createServer((_req, res) => { res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>'); });
  await new Promise<void>((resolve) => badGateway.listen(0, '127.0.0.1', resolve));
  badGatewayUrl = `http://127.0.0.1:${(badGateway.address() as AddressInfo).port}/graphql`;
  const urls: Record<string, string> = { staff: `${staff.url}/graphql`, profdev: `http://127.0.0.1:${profdevPort}/graphql`, events: badGatewayUrl, indicators: 'http://127.0.0.1:1/graphql' };
  gateway = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources((name) => urls[name]), port: 0 });
  token = await mintDevToken(regionAdmin);
}, 120_000);
afterAll(async () => {
  await gateway.stop();
  await profdev?.stop();
  await staff.stop();
  await new Promise((resolve) => badGateway.close(resolve));
  await graph.close();
});

async function post(query: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() as { data?: any; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] } };
}

const mixed = `query ($id: ID!) {
  educators(first: 5) { nodes { lastName lastUpskilling { completedOn } activeRoute { status } } }
  program(id: $id) { title }
}`;
const someId = '11111111-1111-4111-8111-111111111111';

test('with every subgraph up, the mixed query answers in full', async () => {
  const { status, body } = await post(mixed, { id: someId });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data).toEqual({ educators: { nodes: [{ lastName: 'Доступная', lastUpskilling: null, activeRoute: null }] }, program: null });
});

test('with profdev down, staff\'s part answers and each profdev field is null with SUBGRAPH_UNAVAILABLE naming its path and the service', async () => {
  await profdev!.stop();
  profdev = undefined;
  const { status, body } = await post(mixed, { id: someId });
  expect(status).toBe(200);
  expect(body.data).toEqual({ educators: { nodes: [{ lastName: 'Доступная', lastUpskilling: null, activeRoute: null }] }, program: null });
  const errors = body.errors!.map((e) => ({ path: e.path, code: e.extensions?.code, service: e.extensions?.service, message: e.message }));
  expect(errors).toEqual(expect.arrayContaining([
    { path: ['program'], code: 'SUBGRAPH_UNAVAILABLE', service: 'profdev', message: 'the profdev subgraph is unavailable; try again shortly' },
    { path: ['educators', 'nodes', 0, 'lastUpskilling'], code: 'SUBGRAPH_UNAVAILABLE', service: 'profdev', message: expect.any(String) },
    { path: ['educators', 'nodes', 0, 'activeRoute'], code: 'SUBGRAPH_UNAVAILABLE', service: 'profdev', message: expect.any(String) },
  ]));
  expect(errors).toHaveLength(3);
  // Nothing internal: no URL, host, port or Node error code.
  expect(JSON.stringify(body.errors)).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED|fetch failed|Internal server error/);
});

test('once profdev is back, the same query answers in full again', async () => {
  profdev = await startSubgraphServer(profdevSubgraph, graph.db.profdev, profdevPort);
  const { body } = await post(mixed, { id: someId });
  expect(body.errors).toBeUndefined();
  expect(body.data.educators.nodes).toHaveLength(1);
});

test('a proxy\'s 502 with nothing behind it is SUBGRAPH_UNAVAILABLE too, and a mutation to a down subgraph says so', async () => {
  const { body } = await post(`{ educators(first: 1) { totalCount } events { id } }`);
  expect(body.data).toBeNull(); // events is a non-null list: its null reaches the root, as GraphQL requires
  expect(body.errors).toEqual([{ message: 'the events subgraph is unavailable; try again shortly', path: ['events'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'events', serviceName: 'events' } }]);

  // A mutation whose subgraph refuses the connection: it was never sent, and the error says which service.
  const mutation = await post(`mutation ($input: SetIndicatorTargetInput!) { setIndicatorTarget(input: $input) { __typename } }`,
    { input: { code: 'DIAGNOSTICS_SHARE', academicYear: '2025/2026', value: 50 } });
  expect(mutation.body.errors?.[0]).toMatchObject({ path: ['setIndicatorTarget'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'indicators' } });
});
