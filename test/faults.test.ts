import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  freePort, mintDevToken, runMigrations, startSubgraphServer, subgraphDatabaseUrl, subgraphKnex, withDatabase,
} from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { createDatabaseIfMissing } from '../scripts/lib/database';
import { serviceProcess, supervise, type Running } from '../scripts/lib/supervisor';

/** The embedded PostgreSQL in a process of its own (test/support/embedded-postgres-process.ts): its URL and postmaster. */
function postgresProcess(databaseDir: string, port: number, started: (server: { url: string; pid: number }) => void): () => Promise<Running> {
  return async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support', 'embedded-postgres-process.ts'), databaseDir, String(port)], {
      cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(String(signal ?? code))));
    const line = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once('line', resolve);
      void exited.then((how) => reject(new Error(`embedded PostgreSQL did not start (${how})`)));
    });
    started(JSON.parse(line));
    return { pid: child.pid, exited, stop: async () => { if (child.exitCode === null && child.signalCode === null) { child.kill('SIGTERM'); await exited; } } };
  };
}

/**
 * Issue 14, "faults are survived", with real processes over HTTP: a subgraph started the way `npm start` starts it
 * comes back after kill -9, and a subgraph whose PostgreSQL dies is not ready (503) and answers DATABASE_UNAVAILABLE
 * until the supervised server is back, then ready (200) and answering again, without being restarted itself.
 */
let token: string;
beforeAll(async () => { token = await mintDevToken(regionAdmin); });

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

const status = async (url: string) => (await fetch(url)).status;
async function municipalities(url: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ municipalities { name } }' }),
  });
  return { status: response.status, body: await response.json() as { data?: { municipalities: { name: string }[] } | null; errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe('npm start restarts a crashed subgraph', () => {
  let graph: TestGraph;
  beforeAll(async () => { graph = await createTestGraph(); });
  afterAll(() => graph.close());

  test('kill -9 of the staff process: the console says so, it is back after the back-off and answers; the back-off doubles', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const databaseUrl = withDatabase(process.env.MMS_TEST_SERVER_URL!, graph.database);
    const lines: string[] = [];
    // The same command line and environment as scripts/start.ts gives a subgraph.
    const staff = await supervise('staff', serviceProcess('staff', 'services/staff/src/main.ts', {
      PORT: String(port), STAFF_DATABASE_URL: subgraphDatabaseUrl('staff', databaseUrl), DATABASE_URL: '', LOG_LEVEL: 'warn',
    }, 'pipe'), { backOff: { initialMs: 300, maxMs: 5_000, resetAfterMs: 60_000 }, log: (line) => lines.push(line) });
    try {
      await until('staff healthy', async () => ((await status(`${url}/health`)) === 200 ? true : undefined));
      expect((await municipalities(url)).body).toEqual({ data: { municipalities: [] } });

      const first = staff.current()!.pid!;
      const back = staff.nextStart();
      const killedAt = Date.now();
      process.kill(first, 'SIGKILL');
      const second = await back;
      expect(second.pid).not.toBe(first);
      await until('staff healthy again', async () => ((await status(`${url}/health`)) === 200 ? true : undefined));
      const downtime = Date.now() - killedAt;
      expect((await municipalities(url)).body).toEqual({ data: { municipalities: [] } });
      expect(lines).toEqual([`staff exited (SIGKILL); restarting in 0.3 s (restart 1)`, `staff restarted (pid ${second.pid})`]);
      expect(downtime).toBeGreaterThanOrEqual(300);

      const again = staff.nextStart();
      process.kill(second.pid!, 'SIGKILL');
      await again;
      expect(lines[2]).toBe('staff exited (SIGKILL); restarting in 0.6 s (restart 2)');
      await until('staff healthy a third time', async () => ((await status(`${url}/health`)) === 200 ? true : undefined));
      expect(staff.restarts).toBe(2);
    } finally {
      await staff.stop();
    }
    // Stopped on purpose: not restarted.
    await sleep(700);
    expect(lines.filter((line) => line.includes('restarting'))).toHaveLength(2);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  }, 90_000);
});

describe('PostgreSQL dies and comes back', () => {
  test('the subgraph is not ready and says DATABASE_UNAVAILABLE while it is down, then ready and answering once the supervisor restarted it', async () => {
    const options = { databaseDir: path.join(process.env.MMS_TEST_DIR!, 'faults-postgres'), port: await freePort(), persistent: true };
    const lines: string[] = [];
    let server = { url: '', pid: 0 };
    const postgres = await supervise('PostgreSQL', postgresProcess(options.databaseDir, options.port, (s) => { server = s; }),
      { backOff: { initialMs: 2500, maxMs: 5_000, resetAfterMs: 60_000 }, log: (line) => lines.push(line) });
    const serverUrl = server.url;
    await createDatabaseIfMissing(serverUrl, 'mms');
    const appUrl = withDatabase(serverUrl, 'mms');
    await runMigrations('up', ['staff'], appUrl);
    const db = subgraphKnex('staff', subgraphDatabaseUrl('staff', appUrl), { min: 0, max: 3 });
    const staff = await startSubgraphServer(staffSubgraph, db, 0);
    try {
      expect(await status(`${staff.url}/ready`)).toBe(200);
      // Three connections in the pool, idle when the server dies: none of them may be handed out afterwards.
      await Promise.all([1, 2, 3].map(() => db.raw('select pg_sleep(0.05)')));
      expect((await municipalities(staff.url)).body.data).toEqual({ municipalities: [] });

      const back = postgres.nextStart();
      process.kill(server.pid, 'SIGKILL'); // the postmaster itself
      // Down: alive, not ready, and a query is told why (not a bare INTERNAL_SERVER_ERROR).
      // (The server's backends notice their postmaster's death within moments: poll for it.)
      const ready = await until('staff not ready', async () => {
        const response = await fetch(`${staff.url}/ready`);
        return response.status === 503 ? { status: response.status, body: await response.json() } : undefined;
      }, 2000);
      expect(ready).toEqual({ status: 503, body: { status: 'not ready', service: 'staff', reason: 'database unreachable' } });
      expect(await status(`${staff.url}/health`)).toBe(503);
      const down = await municipalities(staff.url);
      expect(down.body.errors?.[0]).toMatchObject({ message: 'the database is unavailable; try again shortly', extensions: { code: 'DATABASE_UNAVAILABLE' } });

      await back;
      // The server accepts connections again: the very first request answers (no dead connection reused), and ready.
      expect((await municipalities(staff.url)).body).toEqual({ data: { municipalities: [] } });
      expect(await status(`${staff.url}/ready`)).toBe(200);
      for (let i = 0; i < 5; i += 1) expect((await Promise.all([1, 2, 3].map(() => db.raw('select 1 as ok')))).map((r) => r.rows[0].ok)).toEqual([1, 1, 1]);
      expect(lines[0]).toBe('PostgreSQL exited (SIGKILL); restarting in 2.5 s (restart 1)');
      expect(lines.at(-1)).toMatch(/^PostgreSQL restarted \(pid \d+\)$/);
    } finally {
      await staff.stop();
      await db.destroy();
      await postgres.stop();
    }
  }, 120_000);
});
