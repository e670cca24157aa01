import type { Knex } from 'knex';
import { fillEvents, fillProfdev, fillRegionalMethodists } from './indicators-data';
import { generateRegion, regionSizeFor, type RegionCounts, type RegionSize } from './region';
import { fillCategories, fillCompetitionResults, fillProfdevDetail, fillTargets } from './region-history';

/**
 * The whole generated region across the four subgraphs, each part written as its owner's role: bench/region.ts
 * (staff registry), bench/indicators-data.ts (regional methodists, profdev, events), bench/region-history.ts
 * (categories and attestations, diagnostic scores, route items, competition results, targets). Used by
 * `npm run bench:seed`, `npm run bench` and test/bench-seed.test.ts.
 */
export type SubgraphKnexes = Record<'staff' | 'profdev' | 'events' | 'indicators', Knex>;

export interface SeedOptions {
  educators: number;
  seed?: number;
  /** Diagnostics of the last this many academic years get their scores (5, all, by default; the scores are most of the time). */
  scoredYears?: number;
  /** Each step's line as it finishes. */
  report?: (line: string) => void;
}

export interface SeedResult {
  size: RegionSize;
  region: RegionCounts;
  seconds: number;
  /** Rows per table, by subgraph. */
  rows: Record<string, Record<string, number>>;
}

export async function seedRegion(dbs: SubgraphKnexes, { educators, seed = 1, scoredYears = 5, report = () => {} }: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const step = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    const result = await work();
    report(`${what} (${((performance.now() - at) / 1000).toFixed(1)} s)${typeof result === 'string' ? `: ${result}` : ''}`);
    return result;
  };
  const size = regionSizeFor(educators);
  const region = await step(`staff registry: ${size.municipalities} municipalities, ${size.organizations} organizations, ${educators} educators`,
    () => generateRegion(dbs.staff, size, seed));
  await step('regional methodists', async () => JSON.stringify(await fillRegionalMethodists(dbs.staff)));
  await step('categories and attestations', () => fillCategories(dbs.staff, seed));
  await step('professional development', () => fillProfdev(dbs.profdev));
  await step('diagnostic scores and route items', () => fillProfdevDetail(dbs.profdev, scoredYears));
  await step('events and competitions', () => fillEvents(dbs.events));
  await step('regional competitions, juries, scores, results', () => fillCompetitionResults(dbs.events));
  await step('indicator targets', () => fillTargets(dbs.indicators));
  // Statistics and the visibility map, as autovacuum would have them on a region's database (each role its tables).
  await step('vacuum analyze', async () => {
    for (const [name, db] of Object.entries(dbs)) {
      const tables = await ownTables(db, name);
      if (tables.length) await db.raw(`vacuum analyze ${tables.map((t) => `"${name}"."${t}"`).join(', ')}`);
    }
    return '';
  });
  return { size, region, seconds: (performance.now() - started) / 1000, rows: await countRows(dbs) };
}

/** The tables a subgraph's role owns in its schema, but for knex's bookkeeping. */
export async function ownTables(db: Knex, name: string): Promise<string[]> {
  const { rows } = await db.raw(`select tablename from pg_tables where schemaname = ? and tablename not like 'knex\\_migrations%' order by tablename`, [name]);
  return rows.map((row: { tablename: string }) => row.tablename);
}

export async function countRows(dbs: SubgraphKnexes): Promise<SeedResult['rows']> {
  const rows: SeedResult['rows'] = {};
  for (const [name, db] of Object.entries(dbs)) {
    const tables = await ownTables(db, name);
    if (!tables.length) continue;
    // Exact counts in one statement per subgraph.
    const { rows: [counts] } = await db.raw(`select ${tables.map((t) => `(select count(*) from "${name}"."${t}")::int as "${t}"`).join(', ')}`);
    rows[name] = counts;
  }
  return rows;
}

/** The subgraphs that already hold data (their own tables, but for the audit log and change feed, not empty). */
export async function subgraphsWithData(dbs: SubgraphKnexes): Promise<string[]> {
  const found: string[] = [];
  for (const [name, db] of Object.entries(dbs)) {
    const tables = (await ownTables(db, name)).filter((t) => t !== 'audit_log');
    if (!tables.length) continue;
    const { rows: [row] } = await db.raw(`select ${tables.map((t) => `exists (select from "${name}"."${t}")`).join(' or ')} as any`);
    if (row.any) found.push(name);
  }
  return found;
}

/**
 * Empties a subgraph's own tables (its audit log included), as its role: one TRUNCATE with user triggers off (a
 * diagnostic is evidence and refuses TRUNCATE through a trigger; a generated region is not).
 */
export async function truncateSubgraph(db: Knex, name: string): Promise<number> {
  const tables = await ownTables(db, name);
  if (!tables.length) return 0;
  await db.transaction(async (trx) => {
    for (const table of tables) await trx.raw(`alter table "${name}"."${table}" disable trigger user`);
    await trx.raw(`truncate ${tables.map((t) => `"${name}"."${t}"`).join(', ')} restart identity`);
    for (const table of tables) await trx.raw(`alter table "${name}"."${table}" enable trigger user`);
  });
  return tables.length;
}
