import type { Knex } from 'knex';
import { educatorKeys } from '@mms/platform';

/**
 * Rows that hold an educator id, read with the survivor of a merge in its place (staff_api.educator_merge): a merged
 * record's participations, applications and results belong to the survivor. `educatorIds` narrows inside, where the
 * index on educator_id helps (the survivor's own rows and those of records merged into it).
 */
export function withSurvivor(db: Knex, table: string, columns: (string | Knex.Raw)[], educatorIds?: readonly string[]): Knex.QueryBuilder {
  const query = db(`${table} as t`).leftJoin('staff_api.educator_merge as mg', 'mg.duplicate_id', 't.educator_id')
    .select(...columns, db.raw('coalesce(mg.survivor_id, t.educator_id) as current_educator_id'));
  if (educatorIds) {
    // One IN over a union, not two ORed conditions: an OR across an id list and a subquery kept PostgreSQL from the
    // educator_id index, and it read the whole table (bench/: 180,000 participations for one profile).
    query.whereIn('t.educator_id', db.from(educatorKeys(db, educatorIds).as('k')).select('k.educator_id'));
  }
  return query;
}

/** An entity another subgraph owns (Educator, Organization, Municipality), as this subgraph hands it to the gateway. */
export interface Ref { id: string }
