import type { Knex } from 'knex';
import { auditTriggers, auditTriggersDown } from '@mms/platform';

/**
 * Issue 19: the bank of best practices (передовой педагогический опыт) with its lifecycle and expert review, the
 * library of materials, and the files both carry, stored here in PostgreSQL (metadata in `stored_file`, content in
 * 256 KB chunks of `file_chunk`, streamed out chunk by chunk). Full-text search in Russian: a generated tsvector
 * column of the `russian` configuration with a GIN index on practices and materials.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table practice (
      id uuid primary key default gen_random_uuid(),
      title text not null check (btrim(title) <> ''),
      organization_id uuid not null,
      municipality_id uuid not null,
      subject_area text not null check (btrim(subject_area) <> ''),
      education_level text not null check (education_level in ('preschool', 'primary', 'basic', 'secondary', 'vocational', 'additional')),
      summary text not null check (btrim(summary) <> ''),
      results text,
      stage text not null default 'submitted' check (stage in ('submitted', 'under_study', 'generalised', 'recommended', 'declined')),
      recommended_level text check (recommended_level in ('municipal', 'regional')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      search tsvector generated always as (
        setweight(to_tsvector('russian', title), 'A') || setweight(to_tsvector('russian', subject_area), 'B')
        || setweight(to_tsvector('russian', summary), 'C') || setweight(to_tsvector('russian', coalesce(results, '')), 'D')) stored,
      check ((stage = 'recommended') = (recommended_level is not null))
    );
    create index practice_search on practice using gin (search);
    create index practice_stage on practice (stage, municipality_id);
    create index practice_organization on practice (organization_id);

    -- the authors: educators of the registry; each decides whether their name may be shown publicly
    create table practice_author (
      id uuid primary key default gen_random_uuid(),
      practice_id uuid not null references practice (id),
      educator_id uuid not null,
      organization_id uuid not null,
      ordinal integer not null,
      consent_to_publish boolean not null default false,
      public_name text check (public_name is null or btrim(public_name) <> ''),
      unique (practice_id, educator_id)
    );
    create index practice_author_educator on practice_author (educator_id);

    create table practice_competency (
      id uuid primary key default gen_random_uuid(),
      practice_id uuid not null references practice (id),
      competency_id uuid not null references competency (id),
      unique (practice_id, competency_id)
    );
    create index practice_competency_competency on practice_competency (competency_id);

    -- every step of the lifecycle: the stage entered, on which day, by whom, on which decision
    create table practice_step (
      id uuid primary key default gen_random_uuid(),
      practice_id uuid not null references practice (id),
      stage text not null check (stage in ('submitted', 'under_study', 'generalised', 'recommended', 'declined')),
      taken_on date not null,
      actor_role text not null,
      actor_subject text,
      actor_educator_id uuid,
      decision_kind text check (decision_kind in ('order', 'council_decision')),
      decision_number text,
      decision_on date,
      note text,
      created_at timestamptz not null default now()
    );
    create index practice_step_practice on practice_step (practice_id, created_at);

    -- events where the practice was presented (events subgraph's ids, checked against events_api.event)
    create table practice_presentation (
      id uuid primary key default gen_random_uuid(),
      practice_id uuid not null references practice (id),
      event_id uuid not null,
      role text not null check (role in ('speaker', 'master_class_host', 'open_lesson', 'exhibition')),
      educators_reached integer check (educators_reached >= 0),
      unique (practice_id, event_id, role)
    );
    create index practice_presentation_event on practice_presentation (event_id);

    -- expert review: weighted criteria, reviewers (never from an author's organization), scores hidden until closed
    create table practice_review (
      id uuid primary key default gen_random_uuid(),
      practice_id uuid not null references practice (id),
      opened_on date not null,
      closed_on date,
      created_at timestamptz not null default now()
    );
    create unique index practice_review_open on practice_review (practice_id) where closed_on is null;

    create table practice_review_criterion (
      id uuid primary key default gen_random_uuid(),
      review_id uuid not null references practice_review (id),
      ordinal integer not null,
      title text not null check (btrim(title) <> ''),
      weight numeric(6, 2) not null check (weight > 0),
      max_score integer not null check (max_score > 0 and max_score <= 100)
    );
    create index practice_review_criterion_review on practice_review_criterion (review_id);

    create table practice_reviewer (
      id uuid primary key default gen_random_uuid(),
      review_id uuid not null references practice_review (id),
      educator_id uuid not null,
      unique (review_id, educator_id)
    );
    create index practice_reviewer_educator on practice_reviewer (educator_id);

    create table practice_review_score (
      id uuid primary key default gen_random_uuid(),
      reviewer_id uuid not null references practice_reviewer (id),
      criterion_id uuid not null references practice_review_criterion (id),
      score integer not null check (score >= 0),
      unique (reviewer_id, criterion_id)
    );

    create table material (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('methodical_recommendation', 'normative_document', 'manual', 'collection', 'media', 'bibliography', 'other')),
      title text not null check (btrim(title) <> ''),
      subject_area text,
      audiences text[] not null default '{}',
      year integer check (year between 1900 and 2100),
      url text,
      visibility text not null check (visibility in ('public', 'internal')),
      -- null: a regional material; otherwise the municipality whose service keeps it
      municipality_id uuid,
      annotation text,
      outside_authors text,
      event_ids uuid[] not null default '{}',
      association_ids uuid[] not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      search tsvector generated always as (
        setweight(to_tsvector('russian', title), 'A') || setweight(to_tsvector('russian', coalesce(subject_area, '')), 'B')
        || setweight(to_tsvector('russian', coalesce(annotation, '')), 'C') || setweight(to_tsvector('russian', coalesce(outside_authors, '')), 'D')) stored
    );
    create index material_search on material using gin (search);
    create index material_municipality on material (municipality_id, visibility);

    create table material_author (
      id uuid primary key default gen_random_uuid(),
      material_id uuid not null references material (id),
      educator_id uuid not null,
      ordinal integer not null,
      consent_to_publish boolean not null default false,
      public_name text check (public_name is null or btrim(public_name) <> ''),
      unique (material_id, educator_id)
    );
    create index material_author_educator on material_author (educator_id);

    create table material_practice (
      id uuid primary key default gen_random_uuid(),
      material_id uuid not null references material (id),
      practice_id uuid not null references practice (id),
      unique (material_id, practice_id)
    );
    create index material_practice_practice on material_practice (practice_id);

    -- a file of a practice or of a material; its content is in file_chunk
    create table stored_file (
      id uuid primary key default gen_random_uuid(),
      practice_id uuid references practice (id),
      material_id uuid references material (id),
      name text not null check (btrim(name) <> ''),
      mime_type text not null,
      size_bytes bigint not null check (size_bytes > 0),
      sha256 text not null,
      uploaded_at timestamptz not null default now(),
      uploaded_by_role text not null,
      uploaded_by_subject text,
      check ((practice_id is null) <> (material_id is null))
    );
    create index stored_file_practice on stored_file (practice_id);
    create index stored_file_material on stored_file (material_id);

    create table file_chunk (
      file_id uuid not null references stored_file (id),
      seq integer not null,
      data bytea not null,
      primary key (file_id, seq)
    );
  `);
  // file_chunk is not audited: its rows are content (the audit row of stored_file names the file and its digest)
  await knex.raw(auditTriggers('profdev', ['practice', 'practice_author', 'practice_competency', 'practice_step', 'practice_presentation',
    'practice_review', 'practice_review_criterion', 'practice_reviewer', 'practice_review_score', 'material', 'material_author', 'material_practice', 'stored_file']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(auditTriggersDown('profdev', ['practice', 'practice_author', 'practice_competency', 'practice_step', 'practice_presentation',
    'practice_review', 'practice_review_criterion', 'practice_reviewer', 'practice_review_score', 'material', 'material_author', 'material_practice', 'stored_file']));
  await knex.raw(`drop table file_chunk, stored_file, material_practice, material_author, material, practice_review_score, practice_reviewer,
    practice_review_criterion, practice_review, practice_presentation, practice_step, practice_competency, practice_author, practice`);
}
