import type { Knex } from 'knex';

/**
 * The staff registry: municipalities, organizations, educators and their employments.
 * Runs as role svc_staff with search_path `staff`; every table lands in schema `staff`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table municipality (
      id uuid primary key default gen_random_uuid(),
      name text not null check (btrim(name) <> ''),
      oktmo text not null unique check (oktmo ~ '^[0-9]{8}([0-9]{3}){0,1}$'),
      time_zone text not null default 'Europe/Moscow',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table organization (
      id uuid primary key default gen_random_uuid(),
      municipality_id uuid not null references municipality (id),
      name text not null check (btrim(name) <> ''),
      short_name text,
      kind text not null check (kind in ('school', 'kindergarten', 'additional_education', 'methodological_centre', 'other')),
      -- the natural key regional systems match organizations by; legal entities have 10 digits
      inn text unique check (inn ~ '^[0-9]{10}$'),
      address text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index organization_municipality on organization (municipality_id, name);

    create table educator (
      id uuid primary key default gen_random_uuid(),
      last_name text not null check (btrim(last_name) <> ''),
      first_name text not null check (btrim(first_name) <> ''),
      patronymic text,
      birth_date date not null,
      -- 11 digits without separators; the checksum is checked by the store before insert
      snils text not null unique check (snils ~ '^[0-9]{11}$'),
      email text,
      phone text,
      pedagogical_work_started_on date,
      education_level text check (education_level in ('secondary_general', 'secondary_vocational', 'higher_bachelor', 'higher_specialist_or_master', 'higher_qualification')),
      -- name search and sorting: lower case, ё folded into е so that "Семенов" finds "Семёнов"
      sort_name text generated always as (translate(lower(last_name || ' ' || first_name || ' ' || coalesce(patronymic, '')), 'ё', 'е')) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index educator_sort_name on educator (sort_name, id);

    create table employment (
      id uuid primary key default gen_random_uuid(),
      educator_id uuid not null references educator (id),
      organization_id uuid not null references organization (id),
      position text not null check (btrim(position) <> ''),
      staff_category text not null check (staff_category in ('pedagogical', 'managerial')),
      rate numeric(4, 2) not null check (rate > 0 and rate <= 2),
      is_main_job boolean not null,
      started_on date not null,
      -- the last day worked, inclusive; null while the employment lasts
      ended_on date check (ended_on >= started_on),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index employment_educator on employment (educator_id, started_on);
    create index employment_organization on employment (organization_id, started_on);
    create index employment_position on employment (lower(position));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table employment; drop table educator; drop table organization; drop table municipality;');
}
