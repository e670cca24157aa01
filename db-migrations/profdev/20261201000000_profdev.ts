import type { Knex } from 'knex';

/**
 * Professional development (issue 5): programs and their completions, the competency framework and diagnostics,
 * development routes, mentoring, targeted support, method associations, the method council and complaints.
 * Runs as role svc_profdev with search_path `profdev`. Educators, organizations and municipalities belong to the staff
 * subgraph: only their ids are kept here, checked against staff_api when written (no foreign key across schemas).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table competency (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (btrim(code) <> ''),
      title text not null check (btrim(title) <> ''),
      competency_group text not null check (btrim(competency_group) <> ''),
      -- a score below the threshold is a deficit; the scale is the instrument's range for this competency
      scale_min numeric(6, 2) not null,
      scale_max numeric(6, 2) not null,
      threshold numeric(6, 2) not null,
      created_at timestamptz not null default now(),
      check (scale_min < scale_max and threshold > scale_min and threshold <= scale_max)
    );

    create table program (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('upskilling', 'retraining')),
      title text not null check (btrim(title) <> ''),
      hours integer not null check (hours > 0 and hours <= 5000),
      format text not null check (format in ('in_person', 'distance', 'blended')),
      is_federal_registry boolean not null default false,
      registry_number text,
      provider_name text not null check (btrim(provider_name) <> ''),
      provider_inn text check (provider_inn ~ '^[0-9]{10}([0-9]{2}){0,1}$'),
      created_at timestamptz not null default now(),
      check (is_federal_registry = (registry_number is not null))
    );
    create unique index program_registry_number on program (registry_number) where registry_number is not null;

    -- the competencies a program develops: what a route drafted from a diagnostic suggests for each deficit
    create table program_competency (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references program (id),
      competency_id uuid not null references competency (id),
      unique (program_id, competency_id)
    );
    create index program_competency_competency on program_competency (competency_id);

    create table diagnostic (
      id uuid primary key default gen_random_uuid(),
      educator_id uuid not null,
      taken_on date not null,
      instrument text not null check (btrim(instrument) <> ''),
      provider_name text,
      created_at timestamptz not null default now()
    );
    create index diagnostic_educator on diagnostic (educator_id, taken_on);
    create index diagnostic_taken_on on diagnostic (taken_on);

    create table diagnostic_score (
      id uuid primary key default gen_random_uuid(),
      diagnostic_id uuid not null references diagnostic (id),
      competency_id uuid not null references competency (id),
      score numeric(6, 2) not null,
      -- the competency's threshold and scale when the diagnostic was recorded: evidence does not move with the framework
      threshold numeric(6, 2) not null,
      scale_min numeric(6, 2) not null,
      scale_max numeric(6, 2) not null,
      unique (diagnostic_id, competency_id),
      check (score between scale_min and scale_max)
    );
    create index diagnostic_score_competency on diagnostic_score (competency_id);

    -- A diagnostic is evidence: recorded once, never changed or removed; a re-diagnosis is a new record.
    create function diagnostic_is_evidence() returns trigger
    language plpgsql
    as $evidence$
    begin
      raise exception 'a diagnostic is evidence: % of % is not allowed (record a new diagnostic instead)', lower(tg_op), tg_table_name
        using errcode = 'insufficient_privilege';
    end
    $evidence$;
    create trigger evidence before update or delete on diagnostic for each row execute function diagnostic_is_evidence();
    create trigger evidence before update or delete on diagnostic_score for each row execute function diagnostic_is_evidence();
    create trigger evidence_truncate before truncate on diagnostic for each statement execute function diagnostic_is_evidence();
    create trigger evidence_truncate before truncate on diagnostic_score for each statement execute function diagnostic_is_evidence();

    create table program_completion (
      id uuid primary key default gen_random_uuid(),
      educator_id uuid not null,
      program_id uuid not null references program (id),
      started_on date not null,
      completed_on date not null check (completed_on >= started_on),
      certificate_number text,
      -- the diagnostic whose deficits the program was chosen for, when it was
      diagnostic_id uuid references diagnostic (id),
      created_at timestamptz not null default now()
    );
    create index program_completion_educator on program_completion (educator_id, completed_on);
    create index program_completion_completed_on on program_completion (completed_on, id);

    create table route_template (
      id uuid primary key default gen_random_uuid(),
      title text not null check (btrim(title) <> ''),
      -- the municipality whose methodists keep it; null for a regional template
      municipality_id uuid,
      created_at timestamptz not null default now()
    );

    create table route_template_item (
      id uuid primary key default gen_random_uuid(),
      template_id uuid not null references route_template (id),
      position integer not null,
      activity_kind text not null check (activity_kind in ('program', 'internship', 'master_class', 'mentoring', 'self_study', 'event')),
      title text not null check (btrim(title) <> ''),
      program_id uuid references program (id),
      unique (template_id, position)
    );

    create table development_route (
      id uuid primary key default gen_random_uuid(),
      educator_id uuid not null,
      title text not null check (btrim(title) <> ''),
      period_from date not null,
      period_to date not null check (period_to >= period_from),
      status text not null default 'draft' check (status in ('draft', 'active', 'completed', 'abandoned')),
      diagnostic_id uuid references diagnostic (id),
      template_id uuid references route_template (id),
      activated_on date,
      completed_on date,
      abandoned_on date,
      abandon_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((status = 'draft') = (activated_on is null) or status = 'abandoned'),
      check ((status = 'completed') = (completed_on is not null)),
      check ((status = 'abandoned') = (abandoned_on is not null))
    );
    create index development_route_educator on development_route (educator_id, period_from);

    -- One active route per educator per period: no two active routes of one educator share a day. Checked by a trigger
    -- that first takes a lock per educator, so two concurrent activations cannot both pass.
    create function development_route_one_active() returns trigger
    language plpgsql
    as $one_active$
    begin
      if new.status <> 'active' then return new; end if;
      perform pg_advisory_xact_lock(hashtextextended('profdev.development_route:' || new.educator_id::text, 0));
      if exists (select from development_route r
                 where r.educator_id = new.educator_id and r.id <> new.id and r.status = 'active'
                   and r.period_from <= new.period_to and r.period_to >= new.period_from) then
        raise exception 'educator % already has an active development route over these days', new.educator_id
          using errcode = 'exclusion_violation', constraint = 'development_route_one_active';
      end if;
      return new;
    end
    $one_active$;
    create trigger one_active before insert or update of status, period_from, period_to, educator_id on development_route
      for each row execute function development_route_one_active();

    create table route_item (
      id uuid primary key default gen_random_uuid(),
      route_id uuid not null references development_route (id),
      position integer not null,
      activity_kind text not null check (activity_kind in ('program', 'internship', 'master_class', 'mentoring', 'self_study', 'event')),
      title text not null check (btrim(title) <> ''),
      -- the competency whose deficit the item addresses; null for a general item (e.g. a cohort's template)
      competency_id uuid references competency (id),
      program_id uuid references program (id),
      planned_from date not null,
      planned_to date not null check (planned_to >= planned_from),
      done_on date,
      is_dropped boolean not null default false,
      drop_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (route_id, position),
      check (not (is_dropped and done_on is not null))
    );
    create index route_item_competency on route_item (competency_id);

    create table mentorship (
      id uuid primary key default gen_random_uuid(),
      mentor_id uuid not null,
      mentee_id uuid not null,
      form text not null check (form in ('teacher_teacher', 'experienced_young_specialist', 'manager_teacher', 'group')),
      started_on date not null,
      ended_on date check (ended_on >= started_on),
      outcome text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (mentor_id <> mentee_id)
    );
    create index mentorship_mentor on mentorship (mentor_id, started_on);
    create index mentorship_mentee on mentorship (mentee_id, started_on);

    -- The same mentor and mentee are not paired twice over the same days (locked per pair, as routes are).
    create function mentorship_no_overlap() returns trigger
    language plpgsql
    as $no_overlap$
    begin
      perform pg_advisory_xact_lock(hashtextextended('profdev.mentorship:' || new.mentor_id::text || new.mentee_id::text, 0));
      if exists (select from mentorship m
                 where m.mentor_id = new.mentor_id and m.mentee_id = new.mentee_id and m.id <> new.id
                   and m.started_on <= coalesce(new.ended_on, 'infinity'::date) and coalesce(m.ended_on, 'infinity'::date) >= new.started_on) then
        raise exception 'this mentor and mentee are already paired over these days'
          using errcode = 'exclusion_violation', constraint = 'mentorship_no_overlap';
      end if;
      return new;
    end
    $no_overlap$;
    create trigger no_overlap before insert or update of mentor_id, mentee_id, started_on, ended_on on mentorship
      for each row execute function mentorship_no_overlap();

    create table support (
      id uuid primary key default gen_random_uuid(),
      methodist_id uuid not null,
      educator_id uuid not null,
      given_on date not null,
      form text not null check (form in ('consultation', 'lesson_visit', 'association_meeting', 'seminar', 'other')),
      topic text not null check (btrim(topic) <> ''),
      follow_up text,
      created_at timestamptz not null default now(),
      check (methodist_id <> educator_id)
    );
    create index support_educator on support (educator_id, given_on);
    create index support_given_on on support (given_on);

    create table method_association (
      id uuid primary key default gen_random_uuid(),
      level text not null check (level in ('organization', 'municipal', 'district')),
      municipality_id uuid not null,
      organization_id uuid,
      subject_area text not null check (btrim(subject_area) <> ''),
      title text not null check (btrim(title) <> ''),
      leader_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((level = 'organization') = (organization_id is not null))
    );
    create index method_association_municipality on method_association (municipality_id, title);

    create table association_member (
      id uuid primary key default gen_random_uuid(),
      association_id uuid not null references method_association (id),
      educator_id uuid not null,
      joined_on date not null,
      left_on date check (left_on >= joined_on),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index association_member_association on association_member (association_id, joined_on);
    create index association_member_educator on association_member (educator_id);

    create table association_plan (
      id uuid primary key default gen_random_uuid(),
      association_id uuid not null references method_association (id),
      academic_year text not null check (academic_year ~ '^[0-9]{4}/[0-9]{4}$'),
      is_adopted boolean not null default false,
      adopted_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (association_id, academic_year),
      check (is_adopted = (adopted_on is not null))
    );

    create table association_plan_item (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references association_plan (id),
      title text not null check (btrim(title) <> ''),
      planned_on date not null,
      done_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index association_plan_item_plan on association_plan_item (plan_id, planned_on);

    create table publication (
      id uuid primary key default gen_random_uuid(),
      association_id uuid not null references method_association (id),
      published_on date not null,
      title text not null check (btrim(title) <> ''),
      url text not null check (url ~ '^https{0,1}://'),
      created_at timestamptz not null default now()
    );
    create index publication_association on publication (association_id, published_on);

    create table method_council (
      id uuid primary key default gen_random_uuid(),
      municipality_id uuid not null,
      title text not null check (btrim(title) <> ''),
      created_at timestamptz not null default now()
    );
    create index method_council_municipality on method_council (municipality_id);

    create table council_meeting (
      id uuid primary key default gen_random_uuid(),
      council_id uuid not null references method_council (id),
      held_on date not null,
      agenda text not null check (btrim(agenda) <> ''),
      decisions text,
      minutes_number text,
      created_at timestamptz not null default now()
    );
    create index council_meeting_council on council_meeting (council_id, held_on);

    create table complaint (
      id uuid primary key default gen_random_uuid(),
      received_on date not null,
      municipality_id uuid not null,
      organization_id uuid,
      -- null when the appeal comes from someone not in the registry
      educator_id uuid,
      subject text not null check (btrim(subject) <> ''),
      resolution text,
      resolved_on date check (resolved_on >= received_on),
      is_upheld boolean,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((resolved_on is null) = (is_upheld is null) and (resolved_on is null) = (resolution is null))
    );
    create index complaint_municipality on complaint (municipality_id, received_on);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table complaint; drop table council_meeting; drop table method_council; drop table publication;
    drop table association_plan_item; drop table association_plan; drop table association_member; drop table method_association;
    drop table support; drop table mentorship; drop function mentorship_no_overlap();
    drop table route_item; drop table development_route; drop function development_route_one_active();
    drop table route_template_item; drop table route_template; drop table program_completion;
    drop table diagnostic_score; drop table diagnostic; drop function diagnostic_is_evidence();
    drop table program_competency; drop table program; drop table competency;
  `);
}
