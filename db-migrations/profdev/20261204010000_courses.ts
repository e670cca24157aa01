import type { Knex } from 'knex';
import { auditTriggers, auditTriggersDown } from '@mms/platform';

/**
 * Upskilling as the service runs it (issue 24): course runs (dated offerings of a program, with seats, a deadline and
 * the order that opens them), applications and nominations with a waiting list, and the certificates a finished run
 * issued (unique within a provider). Educators, organizations and municipalities are ids checked against staff_api.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table course_run (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references program (id),
      -- the municipality whose methodological service announces the run (and runs it when the provider is the service)
      municipality_id uuid not null,
      provider_kind text not null check (provider_kind in ('service', 'organization')),
      provider_organization_id uuid,
      provider_name text check (provider_name is null or btrim(provider_name) <> ''),
      -- whose certificates these are: certificate numbers are unique within one provider
      provider_key text not null generated always as (case
        when provider_kind = 'service' then 'service:' || municipality_id::text
        when provider_organization_id is not null then 'organization:' || provider_organization_id::text
        else 'name:' || lower(btrim(provider_name)) end) stored,
      starts_on date not null,
      ends_on date not null check (ends_on >= starts_on),
      format text not null check (format in ('in_person', 'distance', 'mixed')),
      seats integer not null check (seats > 0 and seats <= 10000),
      has_waiting_list boolean not null default true,
      audience text not null check (btrim(audience) <> ''),
      application_deadline date not null check (application_deadline <= ends_on),
      opening_order_number text,
      opening_order_date date,
      enrolment_order_number text,
      enrolment_order_date date,
      status text not null default 'planned' check (status in ('planned', 'open', 'running', 'finished', 'cancelled')),
      finished_on date check (finished_on is null or finished_on >= starts_on),
      cancelled_on date,
      created_at timestamptz not null default now(),
      check ((provider_kind = 'service') = (provider_organization_id is null and provider_name is null)),
      check ((opening_order_number is null) = (opening_order_date is null)),
      check ((enrolment_order_number is null) = (enrolment_order_date is null)),
      check (status = 'planned' or status = 'cancelled' or opening_order_number is not null),
      check ((status = 'finished') = (finished_on is not null))
    );
    create index course_run_status on course_run (status, starts_on, id);
    create index course_run_municipality on course_run (municipality_id, starts_on);
    create index course_run_program on course_run (program_id);

    create table course_application (
      id uuid primary key default gen_random_uuid(),
      run_id uuid not null references course_run (id),
      educator_id uuid not null,
      -- applied: the educator's own; nominated: by their organization; enrolled: by a methodist
      channel text not null check (channel in ('applied', 'nominated', 'enrolled')),
      nominated_by_organization_id uuid check ((channel = 'nominated') = (nominated_by_organization_id is not null)),
      status text not null check (status in ('enrolled', 'waitlisted', 'withdrawn', 'completed', 'not_completed')),
      applied_at timestamptz not null default clock_timestamp(),
      hours integer check (hours is null or (hours > 0 and hours <= 5000)),
      completion_id uuid references program_completion (id),
      check ((status = 'completed') = (completion_id is not null))
    );
    create unique index course_application_once on course_application (run_id, educator_id) where status <> 'withdrawn';
    create index course_application_educator on course_application (educator_id);

    create table course_certificate (
      id uuid primary key default gen_random_uuid(),
      provider_key text not null,
      certificate_number text not null check (btrim(certificate_number) <> ''),
      application_id uuid not null unique references course_application (id),
      unique (provider_key, certificate_number)
    );

    ${auditTriggers('profdev', ['course_run', 'course_application', 'course_certificate'])}

    create view profdev_api.course_run as
      select id, program_id, municipality_id, provider_kind, provider_organization_id, provider_name, starts_on, ends_on,
             format, seats, status, finished_on, opening_order_number, opening_order_date
      from profdev.course_run;

    create view profdev_api.course_application as
      select a.id, a.run_id, coalesce(mg.survivor_id, a.educator_id) as educator_id, a.channel, a.status, a.completion_id
      from profdev.course_application a left join staff_api.educator_merge mg on mg.duplicate_id = a.educator_id;

    grant select on profdev_api.course_run, profdev_api.course_application to profdev_api_reader;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop view profdev_api.course_application; drop view profdev_api.course_run;
    ${auditTriggersDown('profdev', ['course_run', 'course_application', 'course_certificate'])}
    drop table course_certificate; drop table course_application; drop table course_run;
  `);
}
