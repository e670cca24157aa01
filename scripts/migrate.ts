/**
 * npm run migrate                      every subgraph: create its role and schemas, then run its migrations
 * npm run migrate:status               applied and pending migrations of every subgraph
 * npm run migrate:rollback -- staff    undo the last batch of one subgraph
 */
import { logger, migratedSubgraphs, runMigrations, type MigrationAction } from '@mms/platform';
import { ensureDatabase } from './lib/database';

async function main() {
  const [action = 'up', ...names] = process.argv.slice(2) as [MigrationAction, ...string[]];
  if (!['up', 'status', 'rollback'].includes(action)) throw new Error(`unknown action ${action}: use up, status or rollback`);
  const known = migratedSubgraphs();
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length) throw new Error(`no migrations for ${unknown.join(', ')}; subgraphs: ${known.join(', ')}`);
  if (action === 'rollback' && names.length !== 1) throw new Error(`name the subgraph to roll back: npm run migrate:rollback -- <${known.join('|')}>`);
  const database = await ensureDatabase();
  if (database.sharedWith) console.error(`PostgreSQL: the running one of ${database.sharedWith}, left running`);
  try {
    for (const line of await runMigrations(action, names.length ? names : known)) console.log(line);
  } finally {
    await database.stop();
  }
}

main().catch((error) => { logger.error(error.message); console.error(error.message); process.exit(1); });
