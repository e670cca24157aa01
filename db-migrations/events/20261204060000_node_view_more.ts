import type { Knex } from 'knex';

/**
 * Relay, more Node types (issue 17): `events_api.node` also tells the ids of participations and jury members, read as
 * `Event.participations` and `Stage.jury` show them (docs/architecture.md, "Global object identification"). Ids only;
 * the view keeps its columns (id, type).
 */
const before = `
      select id, 'Event'::text as type from events.event
      union all select id, 'Competition' from events.competition
      union all select id, 'Nomination' from events.nomination
      union all select id, 'Stage' from events.stage
      union all select id, 'Criterion' from events.criterion
      union all select id, 'CompetitionApplication' from events.application
      union all select id, 'Olympiad' from events.olympiad
      union all select id, 'OlympiadTask' from events.olympiad_task
      union all select id, 'AnnualPlan' from events.annual_plan
      union all select id, 'PlanActivity' from events.plan_activity`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace view events_api.node as ${before}
      union all select id, 'Participation' from events.participation
      union all select id, 'JuryMember' from events.jury_member;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`create or replace view events_api.node as ${before};`);
}
