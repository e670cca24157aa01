import type { Knex } from 'knex';

/**
 * Where a Node's type is found: each owner's table or published view of a Node type (rule 3 of docs/architecture.md:
 * another subgraph's rows only through its `<name>_api` views). Ids are UUIDs that no two objects of the graph share,
 * so at most one of these holds an id.
 */
export const nodeSources: readonly { type: string; from: string }[] = [
  { type: 'Educator', from: 'staff.educator' },
  { type: 'Organization', from: 'staff.organization' },
  { type: 'Municipality', from: 'staff.municipality' },
  { type: 'Program', from: 'profdev_api.program' },
  { type: 'Diagnostic', from: 'profdev_api.diagnostic' },
  { type: 'DevelopmentRoute', from: 'profdev_api.development_route' },
  { type: 'MethodAssociation', from: 'profdev_api.method_association' },
  { type: 'Event', from: 'events_api.event' },
  { type: 'Competition', from: 'events_api.competition' },
];

/** The types of the ids that name a Node: one statement (each branch an index look-up by primary key). */
export async function nodeTypesByIds(db: Knex, ids: readonly string[]): Promise<{ id: string; type: string }[]> {
  if (!ids.length) return [];
  const sql = nodeSources.map((source) => `select id, '${source.type}' as type from ${source.from} where id = any(?::uuid[])`).join('\nunion all\n');
  const { rows } = await db.raw(sql, nodeSources.map(() => [...ids]));
  return rows;
}
