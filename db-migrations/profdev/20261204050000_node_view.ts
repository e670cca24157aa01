import type { Knex } from 'knex';

/**
 * Relay (docs/architecture.md, "Global object identification"): `profdev_api.node` (id, type) tells the GraphQL type
 * of each id of profdev's Node types, so that the staff subgraph's `node(id:)` knows where to send an id without
 * reading profdev's tables. Ids only: nothing else of the rows. Part of the published contract (services/profdev/README.md).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create view profdev_api.node as
      select id, 'Program'::text as type from profdev.program
      union all select id, 'Competency' from profdev.competency
      union all select id, 'Diagnostic' from profdev.diagnostic
      union all select id, 'DevelopmentRoute' from profdev.development_route
      union all select id, 'MethodAssociation' from profdev.method_association;
    grant select on profdev_api.node to profdev_api_reader;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop view profdev_api.node');
}
