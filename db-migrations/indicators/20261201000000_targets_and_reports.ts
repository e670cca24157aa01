import type { Knex } from 'knex';
import { auditDownMigration, auditMigration } from '@mms/platform';

/**
 * The indicators subgraph keeps only what people decide and what they reported: targets per indicator and academic
 * year (of the region, or of one municipality), and frozen reports. Values themselves are never stored; they are
 * computed at query time from the other subgraphs' published views (staff_api, profdev_api, events_api), which this
 * schema does not reference: a migration here must run before or without those subgraphs.
 * Runs as role svc_indicators with search_path `indicators`.
 */
const codes = [
  'association_roadmap', 'diagnostics_share', 'registry_programs_from_diagnostics_share', 'development_routes_share',
  'regional_methodists_share', 'educators_per_regional_methodist', 'routes_completed_share', 'early_career_supported_share',
  'targeted_support_count', 'diagnostic_based_upskilling_count', 'programs_carried_out_count', 'mentoring_count',
  'networked_events_count', 'no_complaints', 'competition_applicants_count',
];
const codeCheck = `check (indicator_code in (${codes.map((c) => `'${c}'`).join(', ')}))`;
const yearCheck = `check (academic_year ~ '^[0-9]{4}/[0-9]{4}$' and substr(academic_year, 6, 4)::int = substr(academic_year, 1, 4)::int + 1)`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- A target of the region (municipality_id null) or of one municipality, for one indicator and academic year.
    create table target (
      id uuid primary key default gen_random_uuid(),
      indicator_code text not null ${codeCheck},
      academic_year text not null ${yearCheck},
      municipality_id uuid,
      value numeric not null,
      set_by_role text not null,
      set_by_subject text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    -- one target per indicator, year and scope; the region's row has a null municipality
    create unique index target_scope on target (indicator_code, academic_year, municipality_id) nulls not distinct;
    create index target_year on target (academic_year, municipality_id);

    -- The values of one scope and year as they were reported: they stay as reported whatever changes later.
    create table report (
      id uuid primary key default gen_random_uuid(),
      scope_kind text not null check (scope_kind in ('region', 'municipality', 'organization')),
      municipality_id uuid,
      organization_id uuid,
      academic_year text not null ${yearCheck},
      title text not null check (btrim(title) <> ''),
      frozen_at timestamptz not null default now(),
      frozen_by_role text not null,
      frozen_by_subject text,
      -- an organization's report also names its municipality, so a municipality's methodist finds it
      check ((scope_kind = 'region') = (municipality_id is null)),
      check ((scope_kind = 'organization') = (organization_id is not null))
    );
    create index report_scope on report (academic_year, municipality_id, organization_id, frozen_at desc);

    create table report_value (
      report_id uuid not null references report (id) on delete cascade,
      indicator_code text not null ${codeCheck},
      numerator integer,
      denominator integer,
      value numeric,
      target numeric,
      is_target_met boolean,
      reason text check (reason in ('empty_scope', 'no_denominator', 'source_unavailable')),
      primary key (report_id, indicator_code)
    );
  `);
  await knex.raw(auditMigration('indicators', ['target', 'report']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(auditDownMigration('indicators', ['target', 'report']));
  await knex.raw('drop table report_value; drop table report; drop table target;');
}
