/** Seeds the demo municipality when the registry is empty (npm start does this; docker compose's migrate step too). */
import { subgraphKnex } from '@mms/platform';
import { isEmpty, seedDemo } from '@mms/staff/src/seed';
import { ensureDatabase } from './lib/database';

export async function seedIfEmpty(): Promise<string> {
  const db = subgraphKnex('staff', undefined, { min: 0, max: 1 });
  try {
    if (!(await isEmpty(db))) return 'demo data: the registry already has data, left as it is';
    const counts = await db.transaction((trx) => seedDemo(trx));
    return `demo data: ${counts.municipalities} municipality, ${counts.organizations} organizations, ${counts.educators} educators`;
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  ensureDatabase()
    .then(async (database) => { try { console.log(await seedIfEmpty()); } finally { await database.stop(); } })
    .catch((error) => { console.error(error); process.exit(1); });
}
