import type { Knex } from 'knex';
import { auditTriggers, auditTriggersDown } from '@mms/platform';

/**
 * Issue 19, innovation infrastructure (part): projects (federal, regional, municipal) that group practices, events and
 * organizations, with their term. Events and organizations are other subgraphs' ids, checked when written.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table project (
      id uuid primary key default gen_random_uuid(),
      title text not null check (btrim(title) <> ''),
      level text not null check (level in ('federal', 'regional', 'municipal')),
      municipality_id uuid,
      description text,
      starts_on date not null,
      ends_on date,
      event_ids uuid[] not null default '{}',
      organization_ids uuid[] not null default '{}',
      created_at timestamptz not null default now(),
      check (ends_on is null or ends_on >= starts_on),
      check ((level = 'municipal') = (municipality_id is not null))
    );
    create table project_practice (
      id uuid primary key default gen_random_uuid(),
      project_id uuid not null references project (id),
      practice_id uuid not null references practice (id),
      unique (project_id, practice_id)
    );
    create index project_practice_practice on project_practice (practice_id);
  `);
  await knex.raw(auditTriggers('profdev', ['project', 'project_practice']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(auditTriggersDown('profdev', ['project', 'project_practice']));
  await knex.raw('drop table project_practice, project');
}
