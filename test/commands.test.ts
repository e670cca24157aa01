/**
 * The everyday commands against real processes, as a user runs them: `npm start`, then `npm run migrate:status`,
 * `npm run token …`, `npm run import …` and a second `npm start` beside it; then `npm start -- --empty` and `npm run demo:reset`.
 * Each instance has its own data directory and ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { freePort, mintDevToken, repoRoot } from '@mms/platform';

jest.setTimeout(180_000);

interface Instance { env: NodeJS.ProcessEnv; child: ChildProcess; output: () => string; gateway: string; dataDir: string }
const started: Instance[] = [];
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mms-commands-'));

async function environment(name: string): Promise<NodeJS.ProcessEnv> {
  const dataDir = path.join(workDir, name);
  const env: NodeJS.ProcessEnv = {
    ...process.env, MMS_DATA_DIR: dataDir, AUTH_DEV_KEY_FILE: path.join(dataDir, 'dev-signing-key.json'),
    EMBEDDED_PG_PORT: String(await freePort()), GATEWAY_PORT: String(await freePort()), STAFF_PORT: String(await freePort()),
    PROFDEV_PORT: String(await freePort()), EVENTS_PORT: String(await freePort()), INDICATORS_PORT: String(await freePort()),
    NODE_ENV: 'development', RESTART_BACKOFF_MS: '200',
  };
  for (const variable of ['DATABASE_URL', 'AUTH_JWKS_URL', 'MMS_TEST_SERVER_URL', 'LOG_LEVEL']) delete env[variable];
  return env;
}

/** npm run <args> to its end: exit code and output. */
function npm(env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['--silent', ...args], { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function start(env: NodeJS.ProcessEnv, extra: string[] = []): Promise<Instance> {
  const child = spawn('npm', ['--silent', 'start', ...(extra.length ? ['--', ...extra] : [])], { cwd: repoRoot, env, detached: true });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  const instance: Instance = { env, child, output: () => output, gateway: `http://localhost:${env.GATEWAY_PORT}/graphql`, dataDir: env.MMS_DATA_DIR! };
  started.push(instance);
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Press Ctrl+C to stop.')) { clearInterval(timer); resolve(); }
      if (child.exitCode !== null) { clearInterval(timer); reject(new Error(`npm start exited ${child.exitCode}:\n${output}`)); }
    }, 100);
  });
  return instance;
}

async function stop(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  process.kill(-instance.child.pid!, 'SIGINT');
  await exited;
}

async function query(instance: Instance, text: string): Promise<any> {
  const token = await mintDevToken({ role: 'region_admin' }, path.join(instance.dataDir, 'dev-signing-key.json'));
  const response = await fetch(instance.gateway, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: text }),
  });
  return response.json();
}

test('the tests never use DATABASE_URL: the global setup drops it, and the workers run on their own server', () => {
  // Run with DATABASE_URL set to a server that does not exist, this file and every other one still pass.
  expect(process.env.DATABASE_URL).toBeUndefined();
  expect(process.env.MMS_TEST_SERVER_URL).toMatch(/^postgres(ql)?:\/\//);
});

afterAll(async () => {
  await Promise.all(started.map(stop));
  fs.rmSync(workDir, { recursive: true, force: true });
});

test('npm start, then migrate:status, token, import and a second npm start beside it: the first keeps serving', async () => {
  const env = await environment('demo');
  const first = await start(env);
  // What a user sees: the dev-key warning once, no log lines of the services.
  expect(first.output().match(/AUTH_JWKS_URL is not set/g)).toHaveLength(1);
  expect(first.output()).not.toMatch(/listening/);
  const before = await query(first, '{ municipalities { name } }');
  expect(before.data.municipalities).toHaveLength(1);

  const status = await npm(env, ['run', 'migrate:status']);
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(/^staff: \d+ applied/m);
  expect(status.stderr).toMatch(/PostgreSQL: the running one of npm start \(pid \d+\), left running/);

  const refused = await npm(env, ['run', 'token', '--', '--role', 'municipality_methodist']);
  expect(refused.code).not.toBe(0);
  expect(refused.stdout).toBe('');
  expect(refused.stderr.trim()).toBe('--role municipality_methodist needs --municipality <id> (the gateway refuses its token without the claim municipality_id)');
  const notAnId = await npm(env, ['run', 'token', '--', '--role', 'educator', '--educator', '42']);
  expect(notAnId.code).not.toBe(0);
  expect(notAnId.stderr.trim()).toBe('--educator must be an id (8-4-4-4-12 hex), not "42"');
  const token = await npm(env, ['run', 'token', '--', '--role', 'analyst']);
  expect(token.code).toBe(0);
  expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

  // The import finds the running instance's gateway by itself (not localhost:4000, nor GATEWAY_PORT's).
  const { data: demo } = await query(first, '{ municipalities { id } educators(first: 1) { nodes { snils } } }');
  const file = path.join(workDir, 'one-educator.csv');
  fs.writeFileSync(file, `СНИЛС\r\n${demo.educators.nodes[0].snils}\r\n`);
  const imported = await npm({ ...env, GATEWAY_PORT: '9' }, ['run', 'import', '--', file, '--municipality', demo.municipalities[0].id, '--dry-run']);
  expect(imported.stderr).toContain(`gateway: ${first.gateway} (the running npm start, pid `);
  expect({ code: imported.code, stdout: imported.stdout.trim() })
    .toEqual({ code: 0, stdout: 'educators: 1 rows (dry run: nothing was written): 0 created, 0 updated, 1 unchanged, 0 rejected' });

  // The second npm start, on the same data directory and ports: one line, exit 1, nothing touched.
  const second = await npm(env, ['start']);
  expect(second.code).toBe(1);
  expect(second.stdout.trim()).toBe('');
  expect(second.stderr.trim()).toBe(`npm start is already running (pid ${JSON.parse(fs.readFileSync(path.join(first.dataDir, 'instance.json'), 'utf8')).pid}) on this data directory: ${first.gateway}`);
  // On another data directory but the same ports: refused too, naming the port.
  const elsewhere = await npm({ ...env, MMS_DATA_DIR: path.join(workDir, 'elsewhere') }, ['start']);
  expect(elsewhere.code).toBe(1);
  expect(elsewhere.stderr.trim()).toBe(`npm start: port ${env.GATEWAY_PORT} (GATEWAY_PORT) is in use, by another npm start or another program; stop it or set GATEWAY_PORT`);

  // The first is still serving, its PostgreSQL too.
  const after = await query(first, '{ municipalities { name } }');
  expect(after).toEqual(before);
  expect(first.child.exitCode).toBeNull();
  expect(first.output()).not.toMatch(/exited|restarting/);
  await stop(first);
});

test('npm start -- --empty serves an empty graph; demo:reset loads the demo, and refuses once somebody changed it', async () => {
  const env = await environment('empty');
  const instance = await start(env, ['--empty']);
  expect(instance.output()).toMatch(/^demo data: none \(--empty\)/m);
  expect(await query(instance, '{ municipalities { name } }')).toEqual({ data: { municipalities: [] } });

  const reset = await npm(env, ['run', 'demo:reset']);
  expect(reset.code).toBe(0);
  expect(reset.stdout).toMatch(/demo data \(staff\): 1 municipality/);
  const seeded = await query(instance, '{ municipalities { name } }');
  expect(seeded.data.municipalities).toHaveLength(1);
  // Again: the demo rows go and come back (the same demo, not twice).
  const again = await npm(env, ['run', 'demo:reset']);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/demo:reset: [1-9]\d* demo rows removed/);
  expect(await query(instance, '{ municipalities { name } }')).toEqual(seeded);

  // Somebody's change (here straight in the database): demo:reset refuses and changes nothing.
  const admin = knexFactory({ client: 'pg', connection: `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT}/mms` });
  try {
    await admin.raw('update staff.municipality set name = ?', ['Renamed by a user']);
  } finally {
    await admin.destroy();
  }
  const refused = await npm(env, ['run', 'demo:reset']);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(/^demo:reset: the database holds data that is not the demo's .*staff\.municipality \(1\).*Nothing changed/m);
  expect(await query(instance, '{ municipalities { name } }')).toEqual({ data: { municipalities: [{ name: 'Renamed by a user' }] } });
});
