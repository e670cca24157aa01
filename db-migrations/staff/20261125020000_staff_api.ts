import type { Knex } from 'knex';

/**
 * The staff registry's published contract for analytics (docs/architecture.md, rule 3): read-only views and one function
 * in schema staff_api, granted to role staff_api_reader, which every other subgraph's role is a member of. No names,
 * SNILS or contacts: ids, dates and the facts indicators count by. Documented in services/staff/README.md; a column
 * is never renamed or dropped without a new contract version.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create view staff_api.organization as
      select id, municipality_id, kind, name, short_name from staff.organization;

    create view staff_api.employment as
      select m.id, m.educator_id, m.organization_id, o.municipality_id, m.position, m.staff_category, m.rate,
             m.is_main_job, m.started_on, m.ended_on
      from staff.employment m join staff.organization o on o.id = m.organization_id;

    create view staff_api.educator as
      select id, birth_date, pedagogical_work_started_on from staff.educator;

    create view staff_api.category_award as
      select id, educator_id, category, position, awarded_on, valid_until from staff.category_award;

    create view staff_api.educator_status as
      select id, educator_id, kind, municipality_id, valid_from, valid_to from staff.educator_status;

    create view staff_api.organization_status as
      select id, organization_id, kind, direction, valid_from, valid_to from staff.organization_status;

    create view staff_api.regional_methodist_assignment as
      select id, methodist_id, educator_id, valid_from, valid_to from staff.regional_methodist_assignment;

    -- Educators employed in an organization at any time in [period_from, period_to], one row per educator and
    -- organization, with the facts judged on the period's first day (the same day the staff subgraph's filters use).
    create function staff_api.employed_during(period_from date, period_to date)
    returns table (
      educator_id uuid, organization_id uuid, municipality_id uuid,
      is_pedagogical boolean, is_managerial boolean, has_main_job boolean,
      age_on_from integer, experience_years_on_from integer, is_under_35 boolean, is_early_career boolean
    )
    language sql stable
    as $$
      select m.educator_id, m.organization_id, m.municipality_id,
             bool_or(m.staff_category = 'pedagogical'), bool_or(m.staff_category = 'managerial'), bool_or(m.is_main_job),
             extract(year from age(period_from, e.birth_date))::integer,
             case when e.pedagogical_work_started_on is null then null
                  else greatest(0, extract(year from age(period_from, e.pedagogical_work_started_on))::integer) end,
             e.birth_date > (period_from - interval '35 years')::date,
             coalesce(e.pedagogical_work_started_on > (period_from - interval '3 years')::date, false)
      from staff_api.employment m
      join staff_api.educator e on e.id = m.educator_id
      where m.started_on <= period_to and (m.ended_on is null or m.ended_on >= period_from)
      group by m.educator_id, m.organization_id, m.municipality_id, e.birth_date, e.pedagogical_work_started_on
    $$;

    grant usage on schema staff_api to staff_api_reader;
    grant select on all tables in schema staff_api to staff_api_reader;
    grant execute on function staff_api.employed_during(date, date) to staff_api_reader;
    revoke execute on function staff_api.employed_during(date, date) from public;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function staff_api.employed_during(date, date);
    drop view staff_api.regional_methodist_assignment; drop view staff_api.organization_status;
    drop view staff_api.educator_status; drop view staff_api.category_award; drop view staff_api.educator;
    drop view staff_api.employment; drop view staff_api.organization;
  `);
}
