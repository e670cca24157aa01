import type { Knex } from 'knex';

/**
 * Relay (docs/architecture.md, "Global object identification"): `indicators_api.node` (id, type) tells the GraphQL
 * type of each id of the indicators subgraph's Node types (frozen reports), so that the staff subgraph's
 * `node(id:)` knows where to send an id. Ids only. The first view of indicators_api (services/indicators/README.md).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create view indicators_api.node as
      select id, 'IndicatorReport'::text as type from indicators.report;
    grant usage on schema indicators_api to indicators_api_reader;
    grant select on indicators_api.node to indicators_api_reader;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop view indicators_api.node');
}
