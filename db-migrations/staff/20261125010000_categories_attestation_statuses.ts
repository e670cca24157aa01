import type { Knex } from 'knex';

/**
 * Qualification categories and attestation (seeds 000, 003), statuses with terms (seed 001: regional methodists,
 * the municipal methodological council and active, internship and base sites), and the regional methodists'
 * assignments (seed 002, section 4). Terms are [valid_from, valid_to] with both days included; valid_to null is open.
 * History is never overwritten: a term is ended, an award stays.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table attestation (
      id uuid primary key default gen_random_uuid(),
      educator_id uuid not null references educator (id),
      requested_category text not null check (requested_category in ('conformity', 'first', 'highest', 'methodologist', 'mentor')),
      position text not null check (btrim(position) <> ''),
      filed_on date not null,
      stage text not null default 'filed' check (stage in ('filed', 'under_review', 'decided')),
      review_started_on date,
      outcome text check (outcome in ('granted', 'refused')),
      decided_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((stage = 'decided') = (outcome is not null and decided_on is not null)),
      check (decided_on is null or decided_on >= filed_on)
    );
    -- the rule "no second open request": at most one undecided attestation per educator
    create unique index attestation_one_open on attestation (educator_id) where stage <> 'decided';
    create index attestation_educator on attestation (educator_id, filed_on desc);

    create table category_award (
      id uuid primary key default gen_random_uuid(),
      educator_id uuid not null references educator (id),
      category text not null check (category in ('conformity', 'first', 'highest', 'methodologist', 'mentor')),
      position text not null check (btrim(position) <> ''),
      awarded_on date not null,
      -- valid five years: the last valid day is the day before the fifth anniversary
      valid_until date not null check (valid_until >= awarded_on),
      order_number text not null check (btrim(order_number) <> ''),
      order_date date not null,
      attestation_id uuid unique references attestation (id),
      created_at timestamptz not null default now()
    );
    create index category_award_educator on category_award (educator_id, awarded_on desc);
    create index category_award_due on category_award (valid_until);

    create table educator_status (
      id uuid primary key default gen_random_uuid(),
      educator_id uuid not null references educator (id),
      kind text not null check (kind in ('regional_methodist', 'council_member', 'methodological_active')),
      -- whose council or active; for a regional methodist, the municipality they work from (may be null)
      municipality_id uuid references municipality (id),
      valid_from date not null,
      valid_to date check (valid_to >= valid_from),
      document_number text not null check (btrim(document_number) <> ''),
      document_date date not null,
      document_title text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index educator_status_educator on educator_status (educator_id, kind, valid_from);
    create index educator_status_kind on educator_status (kind, valid_from);

    create table organization_status (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organization (id),
      kind text not null check (kind in ('internship_site', 'base_site')),
      direction text not null check (btrim(direction) <> ''),
      valid_from date not null,
      valid_to date check (valid_to >= valid_from),
      document_number text not null check (btrim(document_number) <> ''),
      document_date date not null,
      document_title text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index organization_status_organization on organization_status (organization_id, kind, valid_from);
    create index organization_status_kind on organization_status (kind, valid_from);

    create table regional_methodist_assignment (
      id uuid primary key default gen_random_uuid(),
      methodist_id uuid not null references educator (id),
      educator_id uuid not null references educator (id),
      valid_from date not null,
      valid_to date check (valid_to >= valid_from),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (methodist_id <> educator_id)
    );
    create index regional_methodist_assignment_methodist on regional_methodist_assignment (methodist_id, valid_from);
    create index regional_methodist_assignment_educator on regional_methodist_assignment (educator_id, valid_from);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table regional_methodist_assignment; drop table organization_status; drop table educator_status;
    drop table category_award; drop table attestation;
  `);
}
