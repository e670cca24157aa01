import http from 'node:http';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser } from 'puppeteer-core';
import { composeSupergraph, corsMaxAgeSeconds, corsOrigins, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { eventsSubgraph } from '@mms/events';
import { mintDevToken, startSubgraphServer, type RunningServer } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { createMunicipality } from '../../services/staff/test/fixtures';

/**
 * CORS (issue 17) over real HTTP, gateway → staff and events subgraphs → PostgreSQL: the preflight and the actual
 * requests' headers as a browser reads them, and then a real headless Chromium (Debian's `chromium`, driven by
 * puppeteer-core) running queries from a page on another origin, allowed and not.
 */
let graph: TestGraph;
let staff: RunningServer;
let events: RunningServer;
let gateway: RunningServer;
let closed: RunningServer;
let pages: http.Server;
let strangerPages: http.Server;
let allowed: string;
let stranger: string;
let token: string;

/** A server of one empty page, at its own origin (another port of 127.0.0.1 is another origin). */
async function pageServer(): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer((_req, res) => { res.setHeader('content-type', 'text/html'); res.end('<!doctype html><title>app</title>'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  graph = await createTestGraph();
  await createMunicipality(graph.as(regionAdmin), { name: 'Партизанск' });
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  events = await startSubgraphServer(eventsSubgraph, graph.db.events, 0);
  const urls: Record<string, string> = { staff: `${staff.url}/graphql`, events: `${events.url}/graphql` };
  ({ server: pages, origin: allowed } = await pageServer());
  ({ server: strangerPages, origin: stranger } = await pageServer());
  const supergraphSdl = composeSupergraph(subgraphs);
  gateway = await startGatewayServer({ supergraphSdl, buildService: httpDataSources((name) => urls[name]), port: 0,
    corsOrigins: corsOrigins(`https://app.example.org, ${allowed}`) });
  // The default: no CORS_ORIGINS, no origin allowed.
  closed = await startGatewayServer({ supergraphSdl, buildService: httpDataSources((name) => urls[name]), port: 0, corsOrigins: corsOrigins('') });
  token = await mintDevToken({ role: 'region_admin' });
}, 60_000);

afterAll(async () => {
  await gateway.stop();
  await closed.stop();
  await new Promise((resolve) => pages.close(resolve));
  await new Promise((resolve) => strangerPages.close(resolve));
  await events.stop();
  await staff.stop();
  await graph.close();
});

const preflight = (url: string, origin: string, method = 'POST', headers = 'authorization,content-type,x-request-id') =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });

describe('over plain HTTP', () => {
  test('CORS_ORIGINS is a comma-separated list of exact origins; anything else stops the gateway from starting', () => {
    expect(corsOrigins(undefined)).toEqual([]);
    expect(corsOrigins(' https://app.example.org ,http://localhost:5173,')).toEqual(['https://app.example.org', 'http://localhost:5173']);
    for (const bad of ['*', 'app.example.org', 'https://app.example.org/', 'https://app.example.org/path', 'ftp://files.example.org']) {
      expect(() => corsOrigins(bad)).toThrow(/CORS_ORIGINS: .* is not an origin/);
    }
  });

  test.each(['/graphql', '/export/indicators.csv', '/export/educators.csv', '/calendar.ics'])('a preflight of %s from an allowed origin is answered, cached and names the headers', async (path) => {
    const response = await preflight(`${gateway.url}${path}`, allowed, path === '/graphql' ? 'POST' : 'GET');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,HEAD,POST');
    expect(response.headers.get('access-control-allow-headers')!.toLowerCase().split(',')).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-request-id']));
    expect(response.headers.get('access-control-max-age')).toBe(String(corsMaxAgeSeconds));
    expect(response.headers.get('vary')).toMatch(/origin/i);
    // Header auth, no cookies: credentials are never allowed.
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  test('a preflight from an origin not listed, or to a gateway without CORS_ORIGINS, allows nothing', async () => {
    for (const response of [await preflight(`${gateway.url}/graphql`, stranger), await preflight(`${gateway.url}/graphql`, 'https://evil.example'),
      await preflight(`${closed.url}/graphql`, allowed), await preflight(`${closed.url}/calendar.ics`, allowed, 'GET')]) {
      // Without Access-Control-Allow-Origin the browser refuses, whatever else the answer says.
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  test('a query over GET with a token from an allowed origin answers, exposing x-request-id and Retry-After', async () => {
    const response = await fetch(`${gateway.url}/graphql?${new URLSearchParams({ query: '{ municipalities { name } }' })}`,
      { headers: { origin: allowed, authorization: `Bearer ${token}`, 'x-request-id': 'cors-get-1' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { municipalities: [{ name: 'Партизанск' }] } });
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('x-request-id')).toBe('cors-get-1');
    expect(response.headers.get('access-control-expose-headers')!.toLowerCase().split(',')).toEqual(expect.arrayContaining(['retry-after', 'x-request-id']));
  });

  test('the calendar and the exports carry the CORS headers too; other origins get none', async () => {
    const calendar = await fetch(`${gateway.url}/calendar.ics`, { headers: { origin: allowed } });
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(calendar.headers.get('access-control-expose-headers')).toMatch(/ETag/);
    const csv = await fetch(`${gateway.url}/export/educators.csv`, { headers: { origin: allowed, authorization: `Bearer ${token}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('access-control-allow-origin')).toBe(allowed);
    const unlisted = await fetch(`${gateway.url}/calendar.ics`, { headers: { origin: stranger } });
    expect(unlisted.status).toBe(200); // the browser, not the server, withholds the answer
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull();
    // A route not listed (health) has no CORS headers at all.
    expect((await fetch(`${gateway.url}/health`, { headers: { origin: allowed } })).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('from a headless Chromium page on another origin', () => {
  let browser: Browser;
  const executablePath = process.env.CHROMIUM_PATH ?? (() => {
    try { return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim(); } catch { return ''; }
  })();

  beforeAll(async () => {
    if (!executablePath) throw new Error('this test needs a Chromium: `apt-get install -y chromium` (or set CHROMIUM_PATH)');
    browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  }, 60_000);
  afterAll(async () => { await browser?.close(); });

  /** Runs in the page: a GET as urql sends it by default, a POST as JSON, and the calendar; each an answer or the error. */
  async function fromPage(origin: string) {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(async (graph: string, bearer: string) => {
        const attempt = async (run: () => Promise<Response>, read: (r: Response) => Promise<unknown>) => {
          try {
            const response = await run();
            return { status: response.status, requestId: response.headers.get('x-request-id'), body: await read(response) };
          } catch (error) {
            return { error: String(error) };
          }
        };
        const headers = { authorization: `Bearer ${bearer}` };
        const accept = 'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed';
        return {
          get: await attempt(() => fetch(`${graph}/graphql?query=${encodeURIComponent('{ municipalities { name } }')}`, { headers: { ...headers, accept } }), (r) => r.json()),
          post: await attempt(() => fetch(`${graph}/graphql`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify({ query: 'query Towns { municipalities { name } }' }) }), (r) => r.json()),
          calendar: await attempt(() => fetch(`${graph}/calendar.ics`), async (r) => (await r.text()).slice(0, 15)),
        };
      }, gateway.url, token);
    } finally {
      await page.close();
    }
  }

  test('a page on an allowed origin runs queries over GET (urql\'s default) and POST, and reads the calendar and x-request-id', async () => {
    const answers = await fromPage(allowed);
    const towns = { data: { municipalities: [{ name: 'Партизанск' }] } };
    expect(answers.get).toEqual({ status: 200, requestId: expect.any(String), body: towns });
    expect(answers.post).toEqual({ status: 200, requestId: expect.any(String), body: towns });
    expect(answers.calendar).toEqual({ status: 200, requestId: null, body: 'BEGIN:VCALENDAR' });
  }, 60_000);

  test('a page on an origin not listed is refused by the browser', async () => {
    const answers = await fromPage(stranger);
    for (const answer of [answers.get, answers.post, answers.calendar]) expect(answer).toEqual({ error: expect.stringMatching(/TypeError: Failed to fetch/) });
  }, 60_000);
});
