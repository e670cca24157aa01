import type { Knex } from 'knex';

/**
 * Relay (docs/architecture.md, "Global object identification"): `events_api.node` (id, type) tells the GraphQL type
 * of each id of the events subgraph's Node types, so that the staff subgraph's `node(id:)` knows where to send an id
 * without reading events' tables. Ids only. Part of the published contract (services/events/README.md).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create view events_api.node as
      select id, 'Event'::text as type from events.event
      union all select id, 'Competition' from events.competition
      union all select id, 'Nomination' from events.nomination
      union all select id, 'Stage' from events.stage
      union all select id, 'Criterion' from events.criterion
      union all select id, 'CompetitionApplication' from events.application
      union all select id, 'Olympiad' from events.olympiad
      union all select id, 'OlympiadTask' from events.olympiad_task
      union all select id, 'AnnualPlan' from events.annual_plan
      union all select id, 'PlanActivity' from events.plan_activity;
    grant select on events_api.node to events_api_reader;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop view events_api.node');
}
