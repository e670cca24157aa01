import type { Knex } from 'knex';
import { auditTriggers, auditTriggersDown } from '@mms/platform';

/**
 * The yearly upskilling plan of a municipality (issue 24; seed 000 2.2, 3.2 "планирование"): quotas by direction
 * (optionally a competency) for an academic year; progress is computed from the completions when read.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table upskilling_plan (
      id uuid primary key default gen_random_uuid(),
      municipality_id uuid not null,
      academic_year text not null check (academic_year ~ '^[0-9]{4}/[0-9]{4}$'),
      created_at timestamptz not null default now(),
      unique (municipality_id, academic_year)
    );

    create table upskilling_plan_quota (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references upskilling_plan (id),
      direction text not null check (btrim(direction) <> ''),
      competency_id uuid references competency (id),
      planned_count integer not null check (planned_count > 0 and planned_count <= 100000),
      unique (plan_id, direction)
    );

    ${auditTriggers('profdev', ['upskilling_plan', 'upskilling_plan_quota'])}
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ${auditTriggersDown('profdev', ['upskilling_plan', 'upskilling_plan_quota'])}
    drop table upskilling_plan_quota; drop table upskilling_plan;
  `);
}
