/**
 * npm run demo:reset: loads the demo municipality again (after `npm start -- --empty`, or after trying things out on
 * the demo), on a database that holds only demo data; refuses, changing nothing, when it holds anything else.
 *
 * How "only demo data" is known: every row remembers the transaction that last wrote it (PostgreSQL's xmin). The
 * demo seed notes its transaction's id on the subgraph's schema (scripts/seed.ts); migrations write their
 * knex_migrations row in the transaction of their batch. A row written by any other transaction (added, imported,
 * or changed after the demo was loaded) is somebody's data, and demo:reset refuses. Deleted demo rows are no one's
 * data: they come back. The reset deletes the demo's rows and seeds again; it uses the running npm start's
 * PostgreSQL when there is one (the services see the new data at once).
 */
import { subgraphs } from '@mms/gateway';
import knexFactory, { type Knex } from 'knex';
import { ensureDatabase } from './lib/database';
import { demoMarkerPrefix, seedIfEmpty } from './seed';

interface Survey { schema: string; demoXid?: number; tables: string[]; foreign: string[] }

async function survey(admin: Knex, schema: string): Promise<Survey> {
  const comment = (await admin.raw('select obj_description(oid, \'pg_namespace\') as comment from pg_namespace where nspname = ?', [schema])).rows[0]?.comment as string | null;
  const demoXid = comment?.startsWith(demoMarkerPrefix) ? Number(comment.slice(demoMarkerPrefix.length)) : undefined;
  const known = (await admin.raw(`select distinct xmin::text as xid from "${schema}".knex_migrations`)).rows.map((row: { xid: string }) => Number(row.xid));
  if (demoXid !== undefined) known.push(demoXid);
  const tables = (await admin.raw(`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ? and c.relkind = 'r' and c.relname not like 'knex_migrations%' order by 1`, [schema])).rows.map((row: { name: string }) => row.name as string);
  const foreign: string[] = [];
  for (const table of tables) {
    const { rows } = await admin.raw(`select count(*)::int as count from "${schema}"."${table}" where not (xmin::text::bigint = any(?::bigint[]))`, [known]);
    if (rows[0].count > 0) foreign.push(`${schema}.${table} (${rows[0].count})`);
  }
  return { schema, demoXid, tables, foreign };
}

async function main() {
  const database = await ensureDatabase();
  const admin = knexFactory({ client: 'pg', connection: database.url, pool: { min: 0, max: 1 } });
  try {
    const surveys: Survey[] = [];
    for (const { name, demoSeed } of subgraphs) if (demoSeed) surveys.push(await survey(admin, name));
    const foreign = surveys.flatMap((s) => s.foreign);
    if (foreign.length) {
      throw new Error(`demo:reset: the database holds data that is not the demo's (rows added or changed after it was loaded): ${foreign.join(', ')}. Nothing changed. Start afresh on another data directory (MMS_DATA_DIR) instead.`);
    }
    let deleted = 0;
    await admin.transaction(async (trx) => {
      // Every demo row goes, in any order: the foreign keys are not checked meanwhile (needs a superuser, as the
      // embedded PostgreSQL's admin is).
      await trx.raw('set local session_replication_role = replica');
      for (const { schema, demoXid, tables } of surveys) {
        if (demoXid === undefined) continue;
        for (const table of tables) deleted += (await trx.raw(`delete from "${schema}"."${table}" where xmin::text::bigint = ?`, [demoXid])).rowCount ?? 0;
      }
    });
    console.log(`demo:reset: ${deleted} demo rows removed`);
    console.log(await seedIfEmpty());
  } finally {
    await admin.destroy();
    await database.stop();
  }
}

main().catch((error) => { console.error(error instanceof Error ? error.message : error); process.exitCode = 1; });
