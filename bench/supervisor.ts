import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Not from @mms/platform: importing it here would create its logger before the worker sets LOG_LEVEL. */
const repoRoot = path.resolve(__dirname, '..');

/**
 * Runs a benchmark file again as a worker in a process group of its own and stays as its supervisor: tsx kills a child
 * that does not acknowledge Ctrl+C within milliseconds, which a process busy with load cannot do. The supervisor
 * passes signals on, kills the whole group past the deadline and a grace period, and removes the worker's temp dir
 * (the worker reports it with `process.send({ workDir })`).
 */
export const isBenchWorker = process.env.BENCH_WORKER === '1';

export function superviseWorker(file: string, deadlineSeconds: number): void {
  let workDir: string | undefined;
  let forwarded = false;
  const worker = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: repoRoot, env: { ...process.env, BENCH_WORKER: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true,
  });
  worker.on('message', (message: { workDir?: string }) => { workDir = message.workDir ?? workDir; });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (forwarded) return;
      forwarded = true;
      worker.kill('SIGTERM');
    });
  }
  // The worker stops itself at the deadline; past it and a grace period, its whole process group is killed.
  const killer = setTimeout(() => {
    console.error('bench: the worker did not stop in time; killing it');
    try { process.kill(-worker.pid!, 'SIGKILL'); } catch { /* already gone */ }
  }, (deadlineSeconds + 30) * 1000);
  worker.on('exit', (code, signal) => {
    clearTimeout(killer);
    if (workDir && fs.existsSync(workDir)) fs.rmSync(workDir, { recursive: true, force: true });
    process.exit(code ?? (signal ? 1 : 0));
  });
}

/**
 * The whole of a benchmark file's entry: run as `npm run …`, it becomes the supervisor of a worker (the same file run
 * again); as that worker it runs `main`, stops at the deadline, on a signal or when the supervisor goes away, and
 * always releases what it took (`shutdown`). Imported by another benchmark (bench/run.ts), it does nothing.
 */
export function runBenchmark(module: NodeModule, name: string, deadlineSeconds: number, main: () => Promise<number>, shutdown: () => Promise<void>): void {
  if (require.main !== module) return;
  if (!isBenchWorker) {
    superviseWorker(module.filename, deadlineSeconds);
    return;
  }
  let stopping = false;
  const stop = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.error(`${name}: ${why}, stopping`);
    void shutdown().then(() => process.exit(code));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal, 130));
  process.on('disconnect', () => stop('the supervising process is gone', 130));
  setTimeout(() => stop(`still running after ${deadlineSeconds} s`, 1), deadlineSeconds * 1000).unref();
  main()
    .then(async (code) => { await shutdown(); process.exit(code); })
    .catch(async (error) => {
      if (!stopping) console.error(`${name} failed: ${error instanceof Error ? error.stack : error}`);
      await shutdown();
      process.exit(1);
    });
}
