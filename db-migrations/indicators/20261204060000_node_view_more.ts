import type { Knex } from 'knex';

/**
 * Relay, more Node types (issue 17): `indicators_api.node` also tells the ids of indicator targets, whose entity
 * resolver reads them as `indicatorTargets` shows them (docs/architecture.md, "Global object identification"). Ids
 * only; the view keeps its columns (id, type).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace view indicators_api.node as
      select id, 'IndicatorReport'::text as type from indicators.report
      union all select id, 'IndicatorTarget' from indicators.target;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`create or replace view indicators_api.node as select id, 'IndicatorReport'::text as type from indicators.report;`);
}
