import type { Knex } from 'knex';

/**
 * The published contract of the events subgraph (schema `events_api`, services/events/README.md): read-only views
 * for the indicators subgraph (indicators 13 and 15). Every educator id shows the survivor of a merge.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create view events_api.event as
      select e.id, e.kind, e.level, e.title, e.municipality_id, e.organizer_organization_id as organization_id,
        e.organizer_association_id as association_id, e.starts_at, e.ends_at,
        (e.starts_at at time zone e.time_zone)::date as starts_on, (e.ends_at at time zone e.time_zone)::date as ends_on,
        e.status, e.is_in_regional_calendar, e.venue_organization_id, e.time_zone
      from events.event e;

    create view events_api.participation as
      select p.id, p.event_id, coalesce(mg.survivor_id, p.educator_id) as educator_id, p.role, p.registered_at,
        p.is_attended, p.is_waitlisted
      from events.participation p
      left join staff_api.educator_merge mg on mg.duplicate_id = p.educator_id;

    create view events_api.competition as
      select c.id, c.title, c.level, c.municipality_id, c.year,
        (select min(s.starts_on) from events.stage s where s.competition_id = c.id) as starts_on,
        (select max(s.ends_on) from events.stage s where s.competition_id = c.id) as ends_on
      from events.competition c;

    create view events_api.competition_application as
      select a.id, a.competition_id, a.nomination_id, coalesce(mg.survivor_id, a.educator_id) as educator_id,
        a.organization_id, a.filed_on, a.status
      from events.application a
      left join staff_api.educator_merge mg on mg.duplicate_id = a.educator_id;

    create view events_api.competition_result as
      select s.competition_id, r.stage_id, r.application_id, coalesce(mg.survivor_id, r.educator_id) as educator_id,
        r.place, r.outcome, r.is_advanced, r.nomination_id, r.score, s.ordinal as stage_ordinal,
        s.ordinal = (select max(x.ordinal) from events.stage x where x.competition_id = s.competition_id) as is_final_stage
      from events.stage_result r
      join events.stage s on s.id = r.stage_id and s.closed_at is not null
      left join staff_api.educator_merge mg on mg.duplicate_id = r.educator_id;

    grant usage on schema events_api to events_api_reader;
    grant select on all tables in schema events_api to events_api_reader;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop view events_api.competition_result, events_api.competition_application, events_api.competition,
    events_api.participation, events_api.event`);
}
