import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { mintDevToken, startSubgraphServer, type RunningServer } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, type TestGraph } from '@mms/testing';

/**
 * In-flight deduplication at the gateway: identical reads that arrive together cost one subgraph call; a different
 * token, different variables or a mutation never share an answer. A slow proxy in front of the subgraph makes the
 * requests overlap for certain.
 */
let graph: TestGraph;
let staff: RunningServer;
let slow: http.Server;
let gateway: RunningServer;
const seen: string[] = [];

beforeAll(async () => {
  graph = await createTestGraph();
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  slow = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      seen.push(body);
      setTimeout(() => {
        const upstream = http.request(`${staff.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
        });
        upstream.end(body);
      }, 300);
    });
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  const port = (slow.address() as AddressInfo).port;
  gateway = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => `http://127.0.0.1:${port}/graphql`), port: 0 });
});
afterAll(async () => {
  await gateway.stop();
  slow.closeAllConnections();
  await new Promise((resolve) => slow.close(resolve));
  await staff.stop();
  await graph.close();
});

const post = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }),
  });
  return response.json() as Promise<{ data?: any; errors?: unknown[] }>;
};

test('identical reads in flight together cost one subgraph call, and each caller gets the whole answer', async () => {
  const token = await mintDevToken({ role: 'region_admin' });
  seen.length = 0;
  const answers = await Promise.all(Array.from({ length: 5 }, () => post(token, '{ municipalities { id name } }')));
  expect(answers).toEqual(Array.from({ length: 5 }, () => ({ data: { municipalities: [] } })));
  expect(seen).toHaveLength(1);
});

test('different tokens or different variables are never shared', async () => {
  const [admin, analyst] = [await mintDevToken({ role: 'region_admin' }), await mintDevToken({ role: 'analyst' })];
  seen.length = 0;
  await Promise.all([post(admin, '{ municipalities { id } }'), post(analyst, '{ municipalities { id } }')]);
  expect(seen).toHaveLength(2);
  seen.length = 0;
  const query = 'query ($id: ID!) { organization(id: $id) { id } }';
  await Promise.all([post(admin, query, { id: '00000000-0000-4000-8000-000000000001' }), post(admin, query, { id: '00000000-0000-4000-8000-000000000002' })]);
  expect(seen).toHaveLength(2);
});

test('mutations are never shared, even when identical', async () => {
  const token = await mintDevToken({ role: 'region_admin' });
  seen.length = 0;
  const mutation = `mutation { createMunicipality(input: { name: "Дубль", oktmo: "05701000", timeZone: "Asia/Vladivostok" }) { id } }`;
  const answers = await Promise.all([post(token, mutation), post(token, mutation)]);
  expect(seen).toHaveLength(2);
  // One created it, the other was told it exists: two calls, two different answers.
  expect(answers.filter((answer) => answer.data?.createMunicipality)).toHaveLength(1);
  expect(answers.filter((answer) => answer.errors)).toHaveLength(1);
});
