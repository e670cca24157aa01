import type { Knex } from 'knex';

/**
 * Where a Node's type is found: the staff subgraph's own tables of its Node types, and the `node` view each other
 * subgraph publishes (id, type) of its own (rule 3 of docs/architecture.md: another subgraph's rows only through its
 * `<name>_api` views; migrations 20261204050000_node_view). Ids are UUIDs that no two objects of the graph share, so
 * at most one of these holds an id.
 */
export const nodeSources: readonly string[] = [
  "select id, 'Educator' as type from staff.educator",
  "select id, 'Organization' from staff.organization",
  "select id, 'Municipality' from staff.municipality",
  "select id, 'Employment' from staff.employment",
  "select id, 'CategoryAward' from staff.category_award",
  "select id, 'Attestation' from staff.attestation",
  "select id, 'EducatorStatus' from staff.educator_status",
  "select id, 'OrganizationStatus' from staff.organization_status",
  "select id, 'RegionalMethodistAssignment' from staff.regional_methodist_assignment",
  'select id, type from profdev_api.node',
  'select id, type from events_api.node',
  'select id, type from indicators_api.node',
];

/** The types of the ids that name a Node: one statement (each branch an index look-up by primary key). */
export async function nodeTypesByIds(db: Knex, ids: readonly string[]): Promise<{ id: string; type: string }[]> {
  if (!ids.length) return [];
  const sql = nodeSources.map((source) => `${source} where id = any(?::uuid[])`).join('\nunion all\n');
  const { rows } = await db.raw(sql, nodeSources.map(() => [...ids]));
  return rows;
}
