import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { repoRoot } from '@mms/platform';

/**
 * The data the indicators read besides bench/region.ts's staff: set-based, deterministic (row numbers and md5), five
 * years back from today, written directly as each owning subgraph's role (a generated history is not a sequence of
 * mutations: the audit triggers stay off while it is written).
 */

/** 1 educator in 50 a regional methodist (from a day in the last 5 years, open); 15 of the next 49 assigned to them. */
export async function fillRegionalMethodists(staff: Knex): Promise<{ methodists: number; assignments: number }> {
  return staff.transaction(async (trx) => {
    for (const table of ['educator_status', 'regional_methodist_assignment']) await trx.raw(`alter table ${table} disable trigger user`);
    await trx.raw(`create temp table bench_rm on commit drop as
      select id, n, n / 50 as block, current_date - (n * 37 % 1800)::int as valid_from
      from (select id, (row_number() over (order by id))::int as n from educator) e`);
    const methodists = await trx.raw(`insert into educator_status (educator_id, kind, valid_from, document_number, document_date)
      select id, 'regional_methodist', valid_from, 'РМ-' || n, valid_from from bench_rm where n % 50 = 0`);
    const assignments = await trx.raw(`insert into regional_methodist_assignment (methodist_id, educator_id, valid_from, valid_to)
      select m.id, e.id, m.valid_from + (e.n % 200), case when e.n % 3 = 0 then m.valid_from + (e.n % 200) + 365 end
      from bench_rm e join bench_rm m on m.n % 50 = 0 and m.block = e.block + 1
      where e.n % 50 between 1 and 15`);
    for (const table of ['educator_status', 'regional_methodist_assignment']) await trx.raw(`alter table ${table} enable trigger user`);
    return { methodists: methodists.rowCount, assignments: assignments.rowCount };
  });
}

const hasMigrations = (name: string) => fs.existsSync(path.join(repoRoot, 'db-migrations', name));

/**
 * The professional development and events data. Until those subgraphs are part of this build (their migrations in
 * db-migrations/), there is nothing to fill: the indicators that read them answer SOURCE_UNAVAILABLE.
 */
export async function fillOtherSubgraphs(knexOf: (name: string) => Knex, say: (line: string) => void): Promise<string[]> {
  const lines: string[] = [];
  for (const name of ['profdev', 'events']) {
    if (!hasMigrations(name)) lines.push(`${name}: not in this build; its indicators answer SOURCE_UNAVAILABLE`);
    else say(`${name}: (filled below)`);
  }
  void knexOf;
  return lines;
}
