import type { Knex } from 'knex';
import { auditTriggers, auditTriggersDown } from '@mms/platform';

/**
 * Issue 20: data requests to organizations (запрос материалов и отчётности, 004 4.1): the service asks every
 * organization of a scope (optionally of one kind) for a document or a few figures by a deadline; each organization
 * submits once, a text or a link and the figures asked. One target row per organization, made when the request is.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table data_request (
      id uuid primary key default gen_random_uuid(),
      title text not null check (btrim(title) <> ''),
      description text,
      -- null: the whole region (region_admin's)
      municipality_id uuid,
      organization_kind text check (organization_kind in ('school', 'kindergarten', 'additional_education', 'methodological_centre', 'other')),
      due_on date not null,
      -- the names of the figures asked; empty for a document only
      fields text[] not null default '{}',
      created_on date not null,
      created_at timestamptz not null default now(),
      check (due_on >= created_on)
    );

    create table data_request_target (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references data_request (id),
      organization_id uuid not null,
      submitted_on date,
      text_value text,
      link text,
      figures jsonb,
      unique (request_id, organization_id),
      check ((submitted_on is null) = (text_value is null and link is null and figures is null))
    );
    create index data_request_target_organization on data_request_target (organization_id);

    ${auditTriggers('profdev', ['data_request', 'data_request_target'])}
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ${auditTriggersDown('profdev', ['data_request', 'data_request_target'])}
    drop table data_request_target, data_request;
  `);
}
