import type { Knex } from 'knex';
import type { ValueScope } from '../scope';

/** The child scopes of a region (its municipalities, by name) and of municipalities (their organizations, by name). */
export async function municipalityScopes(db: Knex): Promise<ValueScope[]> {
  const rows: { id: string }[] = await db('staff_api.municipality').select('id').orderBy(['name', 'id']);
  return rows.map((row) => ({ kind: 'municipality', id: row.id }));
}

export async function organizationScopes(db: Knex, municipalityIds: readonly string[]): Promise<ValueScope[]> {
  if (!municipalityIds.length) return [];
  const rows: { id: string; municipality_id: string }[] = await db('staff_api.organization')
    .select('id', 'municipality_id').whereIn('municipality_id', municipalityIds).orderBy(['name', 'id']);
  return rows.map((row) => ({ kind: 'organization', id: row.id, municipalityId: row.municipality_id }));
}

/** Organizations by id, as scopes (with their municipality). */
export async function organizationScopesByIds(db: Knex, ids: readonly string[]): Promise<(ValueScope & { kind: 'organization' })[]> {
  if (!ids.length) return [];
  const rows: { id: string; municipality_id: string }[] = await db('staff_api.organization').select('id', 'municipality_id').whereIn('id', ids);
  return rows.map((row) => ({ kind: 'organization', id: row.id, municipalityId: row.municipality_id }));
}
