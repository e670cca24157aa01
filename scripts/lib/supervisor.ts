import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@mms/platform';

/**
 * What `npm start` keeps running: each subgraph, the gateway and the embedded PostgreSQL. One that exits while
 * nobody asked it to is started again after a back-off (0.5 s, doubling up to 30 s; back to 0.5 s once a run has
 * lasted a minute), and the console says so:
 *   staff exited (SIGKILL); restarting in 0.5 s (restart 1)
 *   staff restarted (pid 4711)
 * The other processes keep serving meanwhile: the gateway answers the rest of a query (SUBGRAPH_UNAVAILABLE for the
 * missing part), and the subgraphs reconnect to PostgreSQL on their own when it is back.
 */
export interface Running {
  pid?: number;
  /** Resolves when the thing stops, with how it ended ("1", "SIGKILL"). */
  exited: Promise<string>;
  /** Stops it on purpose. */
  stop(): Promise<void>;
}

export interface BackOff {
  /** The first wait after a crash (ms); env RESTART_BACKOFF_MS. */
  initialMs: number;
  /** The longest wait (ms). */
  maxMs: number;
  /** A run at least this long resets the wait to `initialMs`. */
  resetAfterMs: number;
}

export const defaultBackOff = (): BackOff => ({
  initialMs: Number(process.env.RESTART_BACKOFF_MS ?? 500), maxMs: 30_000, resetAfterMs: 60_000,
});

export interface Supervised {
  readonly name: string;
  /** The current run (undefined while waiting to restart). */
  current(): Running | undefined;
  /** How many times it was restarted. */
  readonly restarts: number;
  /** Resolves with the next run once it has started (after a restart). */
  nextStart(): Promise<Running>;
  /** Stops it and every restart to come. */
  stop(): Promise<void>;
}

/** Keeps `start()` running: starts it now, and again after each exit that `stop()` did not ask for. */
export async function supervise(name: string, start: () => Promise<Running>, options: {
  backOff?: BackOff;
  log?: (line: string) => void;
  /** True once the whole system is shutting down: an exit then is expected (Ctrl+C reaches every process at once). */
  shuttingDown?: () => boolean;
} = {}): Promise<Supervised> {
  const backOff = options.backOff ?? defaultBackOff();
  const log = options.log ?? ((line: string) => console.error(line));
  let stopped = false;
  const stopping = () => stopped || (options.shuttingDown?.() ?? false);
  let run: Running | undefined = await start();
  let restarts = 0;
  let failures = 0;
  let startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let waiters: ((running: Running) => void)[] = [];

  const watch = (running: Running) => {
    void running.exited.then((how) => {
      if (stopping() || run !== running) return;
      run = undefined;
      if (Date.now() - startedAt >= backOff.resetAfterMs) failures = 0;
      scheduleRestart(`${name} exited (${how})`);
    });
  };
  const scheduleRestart = (what: string) => {
    const delay = Math.min(backOff.maxMs, backOff.initialMs * 2 ** failures);
    failures += 1;
    log(`${what}; restarting in ${(delay / 1000).toFixed(1)} s (restart ${restarts + 1})`);
    timer = setTimeout(() => {
      timer = undefined;
      if (stopping()) return;
      startedAt = Date.now();
      start().then((running) => {
        if (stopping()) return void running.stop();
        restarts += 1;
        run = running;
        log(`${name} restarted${running.pid ? ` (pid ${running.pid})` : ''}`);
        watch(running);
        const ready = waiters;
        waiters = [];
        for (const resolve of ready) resolve(running);
      }, (error: unknown) => {
        if (!stopping()) scheduleRestart(`${name} did not start (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
      });
    }, delay);
  };
  watch(run);

  return {
    name,
    current: () => run,
    get restarts() { return restarts; },
    nextStart: () => new Promise((resolve) => { waiters.push(resolve); }),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await run?.stop();
    },
  };
}

/**
 * A service of this repository as its own Node process, the way `npm start` runs it: `node --import tsx <entry>`,
 * with its output on our console. Stopping sends SIGTERM (the service drains and exits), SIGKILL after 5 s.
 */
export function serviceProcess(name: string, entry: string, env: Record<string, string>, stdio: 'inherit' | 'pipe' = 'inherit'): () => Promise<Running> {
  return async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, entry)], {
      cwd: repoRoot,
      env: { ...process.env, ...env, MMS_SERVICE: name },
      stdio: ['ignore', stdio, stdio],
    });
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(String(signal ?? code)));
      child.once('error', (error) => resolve(error.message));
    });
    if (stdio === 'pipe') {
      child.stdout?.resume();
      child.stderr?.resume();
    }
    return {
      pid: child.pid,
      exited,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      },
    };
  };
}
