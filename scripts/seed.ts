/** Seeds the demo municipality when the registry is empty (npm start does this; docker compose's migrate step too). */
import { subgraphKnex } from '@mms/platform';
import { subgraphs } from '@mms/gateway';
import { ensureDatabase } from './lib/database';

/** The comment on a subgraph's schema that names the transaction which loaded its demo data (see demo-reset.ts). */
export const demoMarkerPrefix = 'mms demo data: transaction ';

/**
 * Each subgraph seeds its own tables, as its own role, in composition order (staff first: the others refer to it),
 * in one transaction whose id it notes on its schema: the rows of that transaction are the demo's.
 */
export async function seedIfEmpty(): Promise<string> {
  const lines: string[] = [];
  for (const { name, demoSeed } of subgraphs) {
    if (!demoSeed) continue;
    const db = subgraphKnex(name, undefined, { min: 0, max: 1 });
    try {
      if (!(await demoSeed.isEmpty(db))) lines.push(`demo data (${name}): already has data, left as it is`);
      else {
        lines.push(`demo data (${name}): ${await db.transaction(async (trx) => {
          const line = await demoSeed.seed(trx);
          // The 32-bit id that the rows' xmin shows (txid_current() counts epochs too).
          const { rows } = await trx.raw('select (txid_current() % 4294967296)::text as xid');
          await trx.raw(`comment on schema "${name}" is '${demoMarkerPrefix}${Number(rows[0].xid)}'`);
          return line;
        })}`);
      }
    } finally {
      await db.destroy();
    }
  }
  return lines.join('\n');
}

if (require.main === module) {
  ensureDatabase()
    .then(async (database) => { try { console.log(await seedIfEmpty()); } finally { await database.stop(); } })
    .catch((error) => { console.error(error); process.exit(1); });
}
