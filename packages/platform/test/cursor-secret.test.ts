import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from '../src/config';

/**
 * A production run (tokens from an identity provider) without CURSOR_SECRET would seal cursors with a key of its own:
 * page 2 would fail on another replica or after a restart. It refuses to start instead, and says why.
 */
test('a subgraph with AUTH_JWKS_URL and no CURSOR_SECRET refuses to start, naming the variable', async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env, AUTH_JWKS_URL: 'https://idp.example.org/jwks.json', CURSOR_SECRET: '', PORT: '0',
    STAFF_DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none', LOG_LEVEL: 'silent',
  };
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'services/staff/src/main.ts'], { cwd: repoRoot, env, timeout: 60_000 });
  const failure = await run.then(() => null, (error: { code: number; stderr: string }) => error);
  expect(failure).not.toBeNull();
  expect(failure!.code).not.toBe(0);
  expect(failure!.stderr).toMatch(/CURSOR_SECRET must be set in production/);
});
