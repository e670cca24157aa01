import type { Knex } from 'knex';
import { auditTriggers, auditTriggersDown } from '@mms/platform';

/**
 * Self-education (самообразование; issue 24, seed 000 4.4): an educator's own record of a topic studied over a period,
 * with its result; a route item of kind self_study may link to one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table self_education (
      id uuid primary key default gen_random_uuid(),
      educator_id uuid not null,
      topic text not null check (btrim(topic) <> ''),
      period_from date not null,
      period_to date not null check (period_to >= period_from),
      result text check (result is null or btrim(result) <> ''),
      created_at timestamptz not null default now()
    );
    create index self_education_educator on self_education (educator_id, period_from);

    create table route_item_self_education (
      id uuid primary key default gen_random_uuid(),
      route_item_id uuid not null unique references route_item (id),
      self_education_id uuid not null references self_education (id)
    );

    ${auditTriggers('profdev', ['self_education', 'route_item_self_education'])}

    create view profdev_api.self_education as
      select s.id, coalesce(mg.survivor_id, s.educator_id) as educator_id, s.topic, s.period_from, s.period_to, s.result is not null as has_result
      from profdev.self_education s left join staff_api.educator_merge mg on mg.duplicate_id = s.educator_id;

    grant select on profdev_api.self_education to profdev_api_reader;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop view profdev_api.self_education;
    ${auditTriggersDown('profdev', ['self_education', 'route_item_self_education'])}
    drop table route_item_self_education; drop table self_education;
  `);
}
