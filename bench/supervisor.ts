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
