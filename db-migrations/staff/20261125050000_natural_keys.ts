import type { Knex } from 'knex';
import { auditTriggers, auditTriggersDown } from '@mms/platform';

/**
 * Natural keys for regional integration: an organization's code in its municipality's own systems, and the ids other
 * systems give our records (per source system), kept beside ours so that a re-sent file matches the same records.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table organization add column code text check (btrim(code) <> '');
    create unique index organization_municipality_code on organization (municipality_id, code) where code is not null;

    create table external_id (
      id uuid primary key default gen_random_uuid(),
      source text not null check (btrim(source) <> ''),
      entity_type text not null check (entity_type in ('educator', 'organization', 'employment')),
      external_id text not null check (btrim(external_id) <> ''),
      entity_id uuid not null,
      created_at timestamptz not null default now(),
      unique (source, entity_type, external_id)
    );
    create index external_id_entity on external_id (entity_id);
  `);
  await knex.raw(auditTriggers('staff', ['external_id']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(auditTriggersDown('staff', ['external_id']));
  await knex.raw('drop table external_id; drop index organization_municipality_code; alter table organization drop column code;');
}
