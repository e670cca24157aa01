import type { Knex } from 'knex';

/**
 * staff_api.municipality: the events subgraph writes event times in the municipality's own time zone (the iCalendar
 * feed, "today" of a calendar), and every subgraph checks a referenced municipality exists. Part of the contract in
 * services/staff/README.md.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create view staff_api.municipality as select id, name, oktmo, time_zone from staff.municipality;
    grant select on staff_api.municipality to staff_api_reader;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop view staff_api.municipality');
}
