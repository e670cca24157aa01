import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs, watchedSupergraph } from '@mms/gateway';
import { mintDevToken, startSubgraphServer, subgraphKnex, withDatabase, type RunningServer, type SubgraphDefinition } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, type TestGraph } from '@mms/testing';
import { parse } from 'graphql';

/**
 * The production shape over real sockets: readiness that a load balancer can trust (database reachable, migrations
 * applied, not shutting down), and a supergraph that changes under a running gateway without a restart.
 */
let graph: TestGraph;
let staff: RunningServer;
let token: string;

beforeAll(async () => {
  graph = await createTestGraph();
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  token = await mintDevToken({ role: 'region_admin' });
});
afterAll(async () => {
  await staff.stop();
  await graph.close();
});

const ready = async (url: string) => {
  const response = await fetch(`${url}/ready`);
  return { status: response.status, body: await response.json() };
};

test('a migrated subgraph with its database is ready, and so is a gateway whose subgraphs are', async () => {
  expect(await ready(staff.url)).toEqual({ status: 200, body: { status: 'ready', service: 'staff' } });
  const gateway = await startGatewayServer({
    supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => `${staff.url}/graphql`), port: 0,
    readinessUrls: [`${staff.url}/ready`],
  });
  try {
    expect(await ready(gateway.url)).toEqual({ status: 200, body: { status: 'ready', service: 'gateway' } });
  } finally {
    await gateway.stop();
  }
});

test('a subgraph whose database is unreachable is alive but not ready, and neither is its gateway', async () => {
  const broken = subgraphKnex('staff', 'postgres://svc_staff:wrong@127.0.0.1:1/nowhere', { min: 0, max: 1 });
  const brokenStaff = await startSubgraphServer(staffSubgraph, broken, 0);
  const gateway = await startGatewayServer({
    supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => `${brokenStaff.url}/graphql`), port: 0,
    readinessUrls: [`${brokenStaff.url}/ready`],
  });
  try {
    expect(await ready(brokenStaff.url)).toEqual({ status: 503, body: { status: 'not ready', service: 'staff', reason: 'database unreachable' } });
    expect(await ready(gateway.url)).toEqual({ status: 503, body: { status: 'not ready', service: 'gateway', reason: 'staff: database unreachable' } });
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200); // alive: nothing to restart
  } finally {
    await gateway.stop();
    await brokenStaff.stop();
    await broken.destroy();
  }
});

test('a gateway whose subgraph does not answer at all is not ready', async () => {
  const gateway = await startGatewayServer({
    supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => 'http://127.0.0.1:1/graphql'), port: 0,
    readinessUrls: ['http://127.0.0.1:1/ready'],
  });
  try {
    expect(await ready(gateway.url)).toEqual({ status: 503, body: { status: 'not ready', service: 'gateway', reason: 'http://127.0.0.1:1/ready: unreachable' } });
  } finally {
    await gateway.stop();
  }
});

test('a subgraph with a migration not yet applied is not ready until it is', async () => {
  const admin = knexFactory({ client: 'pg', connection: withDatabase(process.env.MMS_TEST_SERVER_URL!, graph.database), pool: { min: 0, max: 1 } });
  const other = subgraphKnex('staff', (graph.db.staff.client.config.connection as string), { min: 0, max: 1 });
  const server = await startSubgraphServer(staffSubgraph, other, 0);
  try {
    const [last] = await admin('staff.knex_migrations').orderBy('id', 'desc').limit(1);
    await admin('staff.knex_migrations').where({ id: last.id }).delete();
    expect(await ready(server.url)).toEqual({ status: 503, body: { status: 'not ready', service: 'staff', reason: '1 migration(s) pending: npm run migrate' } });
    await admin('staff.knex_migrations').insert(last);
    expect(await ready(server.url)).toEqual({ status: 200, body: { status: 'ready', service: 'staff' } });
  } finally {
    await server.stop();
    await other.destroy();
    await admin.destroy();
  }
});

test('the gateway picks up a changed supergraph file without a restart, and keeps the old one when the new is broken', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'supergraph-'));
  const file = path.join(folder, 'supergraph.graphql');
  fs.writeFileSync(file, composeSupergraph(subgraphs));
  // A second version of the graph: the same subgraphs plus a small one with a field the first version lacks.
  const greeting: Pick<SubgraphDefinition, 'name' | 'sdl'> = {
    name: 'greeting',
    sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@shareable"])
          type Query { greeting: String }`,
  };
  parse(greeting.sdl);
  const gateway = await startGatewayServer({
    supergraphSdl: watchedSupergraph(file, 20), buildService: httpDataSources(() => `${staff.url}/graphql`), port: 0,
  });
  const queryFields = async (): Promise<string[]> => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __type(name: "Query") { fields { name } } }' }),
    });
    const body = await response.json() as { data: { __type: { fields: { name: string }[] } } };
    return body.data.__type.fields.map((field) => field.name);
  };
  const eventually = async (check: () => Promise<boolean>) => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  };
  try {
    expect(await queryFields()).not.toContain('greeting');
    // Written as deploy tools do: a new file renamed over the old one.
    fs.writeFileSync(`${file}.next`, composeSupergraph([...subgraphs, greeting]));
    fs.renameSync(`${file}.next`, file);
    expect(await eventually(async () => (await queryFields()).includes('greeting'))).toBe(true);

    fs.writeFileSync(file, 'this is not a supergraph');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await queryFields()).toContain('greeting'); // the previous supergraph still serves
    expect(await queryFields()).toContain('municipalities');
  } finally {
    await gateway.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
