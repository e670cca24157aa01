import type { Knex } from 'knex';
import { auditTriggers, auditTriggersDown } from '@mms/platform';

/**
 * Internships (стажировки) at internship sites (issue 24; seed 001, 3.3.3): the program of the site, participants
 * (educators, or a school's management team), dates and outcome; a route item of kind internship may link to one.
 * The site's status (staff_api.organization_status, kind internship_site) is checked when written.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table internship (
      id uuid primary key default gen_random_uuid(),
      -- the internship site (an organization of staff's registry) and its municipality, copied when written
      organization_id uuid not null,
      municipality_id uuid not null,
      program_title text not null check (btrim(program_title) <> ''),
      form text not null check (form in ('individual', 'team')),
      -- form team: the school whose management team takes part
      team_organization_id uuid check (form = 'team' or team_organization_id is null),
      starts_on date not null,
      ends_on date not null check (ends_on >= starts_on),
      outcome text check (outcome is null or btrim(outcome) <> ''),
      completed_on date check (completed_on is null or completed_on >= starts_on),
      created_at timestamptz not null default now(),
      check ((outcome is null) = (completed_on is null))
    );
    create index internship_site on internship (organization_id, starts_on);
    create index internship_municipality on internship (municipality_id, starts_on);

    create table internship_participant (
      id uuid primary key default gen_random_uuid(),
      internship_id uuid not null references internship (id),
      educator_id uuid not null,
      unique (internship_id, educator_id)
    );
    create index internship_participant_educator on internship_participant (educator_id);

    -- a route item of kind internship carried out as this internship
    create table route_item_internship (
      id uuid primary key default gen_random_uuid(),
      route_item_id uuid not null unique references route_item (id),
      internship_id uuid not null references internship (id)
    );
    create index route_item_internship_internship on route_item_internship (internship_id);

    ${auditTriggers('profdev', ['internship', 'internship_participant', 'route_item_internship'])}

    create view profdev_api.internship as
      select id, organization_id, municipality_id, program_title, form, team_organization_id, starts_on, ends_on, completed_on
      from profdev.internship;

    create view profdev_api.internship_participant as
      select p.internship_id, coalesce(mg.survivor_id, p.educator_id) as educator_id
      from profdev.internship_participant p left join staff_api.educator_merge mg on mg.duplicate_id = p.educator_id;

    grant select on profdev_api.internship, profdev_api.internship_participant to profdev_api_reader;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop view profdev_api.internship_participant; drop view profdev_api.internship;
    ${auditTriggersDown('profdev', ['internship', 'internship_participant', 'route_item_internship'])}
    drop table route_item_internship; drop table internship_participant; drop table internship;
  `);
}
