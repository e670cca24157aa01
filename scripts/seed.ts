/** Seeds the demo municipality when the registry is empty (npm start does this; docker compose's migrate step too). */
import { subgraphKnex } from '@mms/platform';
import { subgraphs } from '@mms/gateway';
import { ensureDatabase } from './lib/database';

/** Each subgraph seeds its own tables, as its own role, in composition order (staff first: the others refer to it). */
export async function seedIfEmpty(): Promise<string> {
  const lines: string[] = [];
  for (const { name, demoSeed } of subgraphs) {
    if (!demoSeed) continue;
    const db = subgraphKnex(name, undefined, { min: 0, max: 1 });
    try {
      if (!(await demoSeed.isEmpty(db))) lines.push(`demo data (${name}): already has data, left as it is`);
      else lines.push(`demo data (${name}): ${await db.transaction((trx) => demoSeed.seed(trx))}`);
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
