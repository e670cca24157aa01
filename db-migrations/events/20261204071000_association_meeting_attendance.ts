import type { Knex } from 'knex';

/**
 * Issue 20, indicator 9 (seed 004 6.1 names "регистрационные листы … РМО" as a source): who attended a meeting of a
 * method association, read from the events already recorded, so that nobody enters the attendance a second time as
 * support. An association meeting is an event of kind `association_meeting` (the kind the events subgraph already
 * has; `association_id` is its organizing association when one was given). One row per educator marked attended at
 * a meeting that was not cancelled; `attended_on` is the meeting's first local day. Part of the published contract
 * (services/events/README.md); the educator id shows the survivor of a merge.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create view events_api.association_meeting_attendance as
      select pa.event_id, ev.association_id, ev.municipality_id, pa.educator_id, ev.starts_on as attended_on
      from events_api.participation pa
      join events_api.event ev on ev.id = pa.event_id
      where ev.kind = 'association_meeting' and ev.status <> 'cancelled' and pa.is_attended and not pa.is_waitlisted;
    grant select on events_api.association_meeting_attendance to events_api_reader;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop view events_api.association_meeting_attendance');
}
