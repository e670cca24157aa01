import knexFactory, { type Knex } from 'knex';
import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import {
  FairShare, mintDevToken, startSubgraphServer, subgraphDatabaseUrl, subgraphKnex, withDatabase, type RunningServer,
} from '@mms/platform';
import { eventsSubgraph } from '@mms/events';
import { indicatorsSubgraph } from '@mms/indicators';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { createMunicipality } from '../../services/staff/test/fixtures';

/**
 * Issue 14 over real sockets: gateway → staff, events, indicators subgraphs → PostgreSQL. Abandoned work stops (the
 * gateway's timeout, a client that leaves, a subgraph's own deadline, the statement_timeout backstop: no statement
 * of the subgraph's role stays active), expensive reads are limited per caller and in total (RATE_LIMITED, 429,
 * Retry-After), and the calendar feed is served from its cache until an event changes.
 *
 * Slow SQL without a big database: an admin transaction holds an ACCESS EXCLUSIVE lock on the staff tables the
 * queries read, so their statements wait (state `active` in pg_stat_activity) for as long as the test wants.
 */
let graph: TestGraph;
let admin: Knex;
let staff: RunningServer;
let events: RunningServer;
let indicators: RunningServer;
let gateway: RunningServer;
let databaseUrl: string;
const tokens = {} as Record<'analystA' | 'analystB' | 'admin', string>;
const gatewayTimeoutMs = 1500;

beforeAll(async () => {
  graph = await createTestGraph();
  databaseUrl = withDatabase(process.env.MMS_TEST_SERVER_URL!, graph.database);
  admin = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 2 } });
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  events = await startSubgraphServer(eventsSubgraph, graph.db.events, 0);
  // The indicators subgraph's own limiter: one expensive request per caller, one in total, 300 ms in the queue.
  indicators = await startSubgraphServer(indicatorsSubgraph, graph.db.indicators, 0,
    { fairShare: new FairShare({ enabled: true, perCaller: 1, total: 1, queue: 1, queueWaitMs: 300, dbConnections: 2 }) });
  const urls: Record<string, string> = { staff: `${staff.url}/graphql`, events: `${events.url}/graphql`, indicators: `${indicators.url}/graphql` };
  gateway = await startGatewayServer({
    supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources((name) => urls[name], { timeoutMs: gatewayTimeoutMs }), port: 0,
    fairShare: new FairShare({ enabled: true, perCaller: 1, total: 1, queue: 2, queueWaitMs: 400, dbConnections: 2 }),
  });
  tokens.analystA = await mintDevToken({ role: 'analyst', subject: 'analyst-a' });
  tokens.analystB = await mintDevToken({ role: 'analyst', subject: 'analyst-b' });
  tokens.admin = await mintDevToken(regionAdmin);
}, 60_000);

afterAll(async () => {
  await gateway.stop();
  await indicators.stop();
  await events.stop();
  await staff.stop();
  await admin.destroy();
  await graph.close();
});

const trend = '{ indicatorTrend(code: DIAGNOSTICS_SHARE, scope: { region: true }, academicYears: ["2024/2025", "2025/2026"]) { value } }';

async function post(url: string, token: string | undefined, query: string, signal?: AbortSignal) {
  const response = await fetch(url, {
    method: 'POST', signal,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  const body = await response.json() as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body, code: body.errors?.[0]?.extensions?.code };
}

/** Statements of a role running (or waiting for a lock) in this test's database. */
async function activeStatements(role: string): Promise<number> {
  const { rows: [row] } = await admin.raw(`select count(*)::int as n from pg_stat_activity
    where datname = current_database() and usename = ? and state = 'active'`, [role]);
  return row.n;
}

async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/** Runs `work` while the staff tables every indicator reads are locked: their statements wait. */
async function whileLocked<T>(work: () => Promise<T>): Promise<T> {
  const trx = await admin.transaction();
  await trx.raw('lock table staff.educator, staff.employment in access exclusive mode');
  try {
    return await work();
  } finally {
    await trx.rollback();
  }
}

describe('abandoned work stops', () => {
  test('when the gateway gives up (its timeout), the subgraph cancels the statement: none of its role stays active', async () => {
    await whileLocked(async () => {
      const answer = post(`${gateway.url}/graphql`, tokens.analystA, trend);
      expect(await eventually(async () => (await activeStatements('svc_indicators')) > 0)).toBe(true);
      const { code } = await answer;
      // The gateway's SUBGRAPH_TIMEOUT; on a loaded machine the subgraph's own cancellation (TIMEOUT) has once been
      // seen to reach the caller first. Either way the caller is told the work was stopped, and the check below holds.
      expect(['SUBGRAPH_TIMEOUT', 'TIMEOUT']).toContain(code);
      // The lock is still held: without the cancel the statement would wait on.
      expect(await eventually(async () => (await activeStatements('svc_indicators')) === 0, 1500)).toBe(true);
    });
  });

  test('when the HTTP client goes away, the subgraph cancels its statement', async () => {
    await whileLocked(async () => {
      const leave = new AbortController();
      const answer = post(`${indicators.url}/graphql`, tokens.analystA, trend, leave.signal).catch((error: Error) => error.name);
      expect(await eventually(async () => (await activeStatements('svc_indicators')) > 0)).toBe(true);
      leave.abort();
      expect(await answer).toBe('AbortError');
      expect(await eventually(async () => (await activeStatements('svc_indicators')) === 0, 1500)).toBe(true);
    });
    // The pool is whole again: the same read answers once the lock is gone.
    const again = await post(`${indicators.url}/graphql`, tokens.analystA, trend);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.indicatorTrend).toHaveLength(2);
  });

  test('when the gateway\'s own client goes away, the gateway abandons its subgraph call and the subgraph cancels its statement', async () => {
    const urls: Record<string, string> = { staff: `${staff.url}/graphql`, events: `${events.url}/graphql`, indicators: `${indicators.url}/graphql` };
    // A patient gateway (60 s): only the client's leaving can stop the statement within the test's time.
    const patient = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources((name) => urls[name], { timeoutMs: 60_000 }), port: 0 });
    try {
      await whileLocked(async () => {
        const leave = new AbortController();
        const answer = post(`${patient.url}/graphql`, tokens.analystA, trend, leave.signal).catch((error: Error) => error.name);
        expect(await eventually(async () => (await activeStatements('svc_indicators')) > 0)).toBe(true);
        leave.abort();
        expect(await answer).toBe('AbortError');
        expect(await eventually(async () => (await activeStatements('svc_indicators')) === 0, 2000)).toBe(true);
      });
    } finally {
      await patient.stop();
    }
  });

  test('a subgraph stops a request at its own deadline (SUBGRAPH_DEADLINE_MS) with code TIMEOUT, and starts no more SQL for it', async () => {
    process.env.SUBGRAPH_DEADLINE_MS = '600';
    try {
      const sent: number[] = [];
      const record = () => { sent.push(Date.now()); };
      graph.db.indicators.on('query', record);
      await whileLocked(async () => {
        const started = Date.now();
        const { status, code, body } = await post(`${indicators.url}/graphql`, tokens.analystA, trend);
        await new Promise((resolve) => setTimeout(resolve, 300));
        graph.db.indicators.off('query', record);
        // Statements were sent before the deadline, none after it (the cancel's own goes outside the pool).
        expect(sent.length).toBeGreaterThan(0);
        expect(sent.filter((at) => at > started + 600 + 50)).toEqual([]);
        expect(Date.now() - started).toBeLessThan(gatewayTimeoutMs);
        expect(status).toBe(200);
        expect(code).toBe('TIMEOUT');
        expect(body.errors!.every((e) => e.extensions?.code === 'TIMEOUT' || e.extensions?.code === 'REQUEST_CANCELLED')).toBe(true);
        // Nothing of the SQL reaches the caller.
        expect(body.errors!.every((e) => /^the request did not finish within its deadline of 600 ms/.test(e.message))).toBe(true);
        expect(await eventually(async () => (await activeStatements('svc_indicators')) === 0, 1000)).toBe(true);
      });
    } finally {
      delete process.env.SUBGRAPH_DEADLINE_MS;
    }
  });

  test('the statement_timeout backstop of a running subgraph stops a statement by itself: TIMEOUT, not INTERNAL_SERVER_ERROR', async () => {
    process.env.SUBGRAPH_DEADLINE_MS = '0'; // no deadline: only the backstop
    const knex = subgraphKnex('staff', subgraphDatabaseUrl('staff', databaseUrl), { min: 0, max: 2 }, { statementTimeoutMs: 300 });
    const server = await startSubgraphServer(staffSubgraph, knex, 0);
    try {
      await whileLocked(async () => {
        const { code, body } = await post(`${server.url}/graphql`, tokens.admin, '{ educators(first: 1) { totalCount } }');
        expect(code).toBe('TIMEOUT');
        expect(JSON.stringify(body)).not.toMatch(/select|statement timeout/i);
      });
    } finally {
      delete process.env.SUBGRAPH_DEADLINE_MS;
      await server.stop();
      await knex.destroy();
    }
  });
});

describe('no caller can starve the others', () => {
  test('past a caller\'s limit and the total, expensive reads get RATE_LIMITED with retryAfter (429, Retry-After); others are served', async () => {
    await whileLocked(async () => {
      const first = post(`${gateway.url}/graphql`, tokens.analystA, trend);
      expect(await eventually(async () => (await activeStatements('svc_indicators')) > 0)).toBe(true);
      const queued = post(`${gateway.url}/graphql`, tokens.analystA, trend);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The same analyst's third: over the per-caller limit and its share of the queue, refused at once.
      const third = await post(`${gateway.url}/graphql`, tokens.analystA, trend);
      expect(third.status).toBe(429);
      expect(third.code).toBe('RATE_LIMITED');
      expect(third.body.errors![0].extensions!.retryAfter).toEqual(expect.any(Number));
      expect(Number(third.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(third.body.data).toBeUndefined();
      // Another analyst: the total is taken; it waits its 400 ms in the queue, then is refused.
      const other = await post(`${gateway.url}/graphql`, tokens.analystB, trend);
      expect(other.status).toBe(429);
      expect(other.code).toBe('RATE_LIMITED');
      // The indicator export is an expensive route: same caller, same limit.
      const exported = await fetch(`${gateway.url}/export/indicators.csv?academicYear=2025/2026`, { headers: { authorization: `Bearer ${tokens.analystA}` } });
      expect(exported.status).toBe(429);
      expect(Number(exported.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await exported.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');
      // An ordinary read of anyone is not held back.
      const started = Date.now();
      const cheap = await post(`${gateway.url}/graphql`, tokens.analystB, '{ municipalities { id } }');
      expect(cheap.body.errors).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(1000);
      expect((await first).code).toBe('SUBGRAPH_TIMEOUT');
      // The queued one waited its 400 ms while the first held the slot (1.5 s, the gateway's timeout), then was refused.
      expect((await queued).code).toBe('RATE_LIMITED');
    });
    // Every slot was given back.
    const after = await post(`${gateway.url}/graphql`, tokens.analystB, trend);
    expect(after.body.errors).toBeUndefined();
  }, 30_000);

  test('an indicator table without breakdown, trend or drill-down is an ordinary read: not limited', async () => {
    await whileLocked(async () => {
      const first = post(`${gateway.url}/graphql`, tokens.analystA, trend);
      expect(await eventually(async () => (await activeStatements('svc_indicators')) > 0)).toBe(true);
      const table = post(`${gateway.url}/graphql`, tokens.analystA, '{ indicatorValues(scope: { region: true }, academicYear: "2025/2026") { value } }');
      const breakdown = await post(`${gateway.url}/graphql`, tokens.analystA,
        '{ indicatorValues(scope: { region: true }, academicYear: "2025/2026") { value breakdown @include(if: true) { value } } }');
      expect(breakdown.code).toBe('RATE_LIMITED');
      // The table waits on the lock like everything else, but it was let through: it ends in the gateway's timeout, not a refusal.
      expect((await table).code).toBe('SUBGRAPH_TIMEOUT');
      await first;
    });
  }, 30_000);

  test('the indicators subgraph limits callers who reach its port directly', async () => {
    await whileLocked(async () => {
      const leave = new AbortController();
      const first = post(`${indicators.url}/graphql`, tokens.analystA, trend, leave.signal);
      expect(await eventually(async () => (await activeStatements('svc_indicators')) > 0)).toBe(true);
      const second = await post(`${indicators.url}/graphql`, tokens.analystA, trend);
      expect(second.status).toBe(429);
      expect(second.code).toBe('RATE_LIMITED');
      expect(Number(second.retryAfter)).toBeGreaterThanOrEqual(1);
      leave.abort();
      await first.catch(() => undefined);
    });
    // The first one's slot was given back when its caller left.
    const other = await post(`${indicators.url}/graphql`, tokens.analystB, trend);
    expect(other.body.errors).toBeUndefined();
  }, 30_000);
});

describe('the calendar feed is cached until the data change', () => {
  test('served from the cache, built once for concurrent requests, rebuilt after an event changes', async () => {
    const get = async (search = '', headers: Record<string, string> = {}) => {
      const response = await fetch(`${gateway.url}/calendar.ics${search}`, { headers });
      return { status: response.status, cache: response.headers.get('x-calendar-cache'), etag: response.headers.get('etag'), text: await response.text() };
    };
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.cache).toBe('miss');
    const second = await get();
    expect(second).toEqual({ ...first, cache: 'hit' });
    expect((await get('', { 'if-none-match': first.etag! })).status).toBe(304);

    const concurrent = await Promise.all(Array.from({ length: 6 }, () => get('?level=MUNICIPAL')));
    expect(concurrent.every((answer) => answer.status === 200 && answer.text === concurrent[0].text)).toBe(true);
    expect(concurrent.filter((answer) => answer.cache === 'miss')).toHaveLength(1);

    const client = graph.as(regionAdmin);
    const town = await createMunicipality(client, { name: 'Кэшград', timeZone: 'Europe/Moscow' });
    const created = await client.data(`mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }`, { input: {
      title: 'Новый семинар после кэша', kind: 'SEMINAR', level: 'MUNICIPAL', municipalityId: town.id, onlineUrl: 'https://edu.example/s',
      startsAt: '2026-12-10T10:00:00+03:00', endsAt: '2026-12-10T11:00:00+03:00',
    } });
    const rebuilt = await get();
    expect(rebuilt.cache).toBe('miss');
    expect(rebuilt.text).toContain(`${created.createEvent.id}@mms`);
    expect(rebuilt.etag).not.toBe(first.etag);
    expect((await get()).cache).toBe('hit');

    // A change of an event (its title) is seen too.
    await client.data(`mutation ($id: ID!) { updateEvent(id: $id, input: { title: "Переименованный семинар" }) { id } }`, { id: created.createEvent.id });
    const renamed = await get();
    expect(renamed.cache).toBe('miss');
    expect(renamed.text).toContain('Переименованный семинар');
  }, 30_000);
});
