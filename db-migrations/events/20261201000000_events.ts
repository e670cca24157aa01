import type { Knex } from 'knex';
import { auditDownMigration, auditMigration } from '@mms/platform';

/**
 * The events subgraph's own tables (schema `events`, role `svc_events`): events and participation, professional
 * competitions (nominations, stages, criteria, jury, applications, conflict declarations, scores, frozen results),
 * olympiads and their support tasks, the annual plan. Educators, organizations, municipalities and method
 * associations are other subgraphs' ids (checked through staff_api when written), never foreign keys.
 * The lists of values are written out here, not imported: a migration stays as it ran.
 */
const tables = [
  'event', 'participation', 'competition', 'nomination', 'stage', 'criterion', 'jury_member', 'application',
  'conflict_declaration', 'score', 'stage_result', 'olympiad', 'olympiad_venue', 'olympiad_task', 'annual_plan',
  'plan_activity', 'plan_activity_event',
];

const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');
const eventKinds = ['seminar', 'workshop', 'conference', 'master_class', 'webinar', 'pedagogical_readings', 'open_lesson',
  'association_meeting', 'forum', 'networked_event'];
const levels = ['organization', 'municipal', 'regional', 'federal'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table event (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in (${list(eventKinds)})),
      level text not null check (level in (${list(levels)})),
      title text not null,
      description text,
      municipality_id uuid not null,
      -- the municipality's IANA zone when the event was written: the feed's TZID, the local dates
      time_zone text not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      venue_organization_id uuid,
      online_url text,
      organizer_organization_id uuid,
      organizer_association_id uuid,
      audience text,
      is_in_regional_calendar boolean not null default false,
      status text not null default 'planned' check (status in ('planned', 'held', 'cancelled')),
      capacity integer check (capacity > 0),
      has_waiting_list boolean not null default true,
      -- iCalendar SEQUENCE: raised by every change of the event
      sequence integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint event_ends_after_start check (ends_at > starts_at),
      constraint event_has_place check (venue_organization_id is not null or online_url is not null)
    );
    create index event_municipality_starts on event (municipality_id, starts_at);
    create index event_starts on event (starts_at);
    create index event_venue on event (venue_organization_id) where venue_organization_id is not null;
    create index event_organizer on event (organizer_organization_id) where organizer_organization_id is not null;

    create table participation (
      id uuid primary key default gen_random_uuid(),
      event_id uuid not null references event,
      educator_id uuid not null,
      role text not null check (role in ('listener', 'speaker', 'organizer', 'master_class_host')),
      registered_at timestamptz not null default now(),
      is_attended boolean not null default false,
      is_waitlisted boolean not null default false,
      constraint participation_once unique (event_id, educator_id),
      check (not (is_waitlisted and is_attended))
    );
    create index participation_educator on participation (educator_id);

    create table competition (
      id uuid primary key default gen_random_uuid(),
      title text not null,
      level text not null check (level in (${list(levels)})),
      municipality_id uuid not null,
      year integer not null check (year between 1990 and 2200),
      description text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index competition_municipality on competition (municipality_id, year);

    create table nomination (
      id uuid primary key default gen_random_uuid(),
      competition_id uuid not null references competition,
      title text not null,
      constraint nomination_title unique (competition_id, title)
    );

    create table stage (
      id uuid primary key default gen_random_uuid(),
      competition_id uuid not null references competition,
      ordinal integer not null check (ordinal > 0),
      title text not null,
      starts_on date not null,
      ends_on date not null,
      application_deadline date,
      winner_places integer not null default 1 check (winner_places >= 0),
      prize_winner_places integer not null default 3,
      advance_count integer check (advance_count > 0),
      closed_at timestamptz,
      constraint stage_ordinal unique (competition_id, ordinal),
      check (ends_on >= starts_on),
      check (prize_winner_places >= winner_places)
    );

    create table criterion (
      id uuid primary key default gen_random_uuid(),
      stage_id uuid not null references stage,
      ordinal integer not null,
      title text not null,
      scale_min numeric(8, 2) not null,
      scale_max numeric(8, 2) not null,
      weight numeric(8, 3) not null default 1 check (weight > 0),
      check (scale_max > scale_min)
    );
    create index criterion_stage on criterion (stage_id, ordinal);

    create table jury_member (
      id uuid primary key default gen_random_uuid(),
      stage_id uuid not null references stage,
      -- a registry educator, matched with the token's educator_id claim
      educator_id uuid,
      -- or a person outside the registry, matched with the token's sub
      subject text,
      full_name text,
      organization_id uuid,
      is_chair boolean not null default false,
      constraint jury_member_educator unique (stage_id, educator_id),
      constraint jury_member_subject unique (stage_id, subject),
      check (educator_id is not null or (subject is not null and full_name is not null))
    );
    create index jury_member_educator_id on jury_member (educator_id) where educator_id is not null;
    create index jury_member_subject_id on jury_member (subject) where subject is not null;

    create table application (
      id uuid primary key default gen_random_uuid(),
      competition_id uuid not null references competition,
      nomination_id uuid not null references nomination,
      educator_id uuid not null,
      organization_id uuid not null,
      title text,
      filed_on date not null,
      status text not null default 'filed' check (status in ('filed', 'accepted', 'rejected', 'withdrawn')),
      created_at timestamptz not null default now()
    );
    create unique index application_once on application (nomination_id, educator_id) where status <> 'withdrawn';
    create index application_educator on application (educator_id);
    create index application_competition on application (competition_id);

    create table conflict_declaration (
      id uuid primary key default gen_random_uuid(),
      jury_member_id uuid not null references jury_member,
      application_id uuid not null references application,
      reason text not null,
      declared_at timestamptz not null default now(),
      constraint conflict_once unique (jury_member_id, application_id)
    );

    create table score (
      id uuid primary key default gen_random_uuid(),
      jury_member_id uuid not null references jury_member,
      application_id uuid not null references application,
      criterion_id uuid not null references criterion,
      value numeric(8, 2) not null,
      scored_at timestamptz not null default now(),
      constraint score_once unique (jury_member_id, application_id, criterion_id)
    );
    create index score_application on score (application_id);

    create table stage_result (
      id uuid primary key default gen_random_uuid(),
      stage_id uuid not null references stage,
      application_id uuid not null references application,
      nomination_id uuid not null references nomination,
      educator_id uuid not null,
      score numeric(12, 4),
      place integer,
      outcome text not null check (outcome in ('winner', 'prize_winner', 'participant')),
      is_advanced boolean not null,
      jurors_counted integer not null,
      constraint stage_result_once unique (stage_id, application_id)
    );
    create index stage_result_educator on stage_result (educator_id);

    -- Frozen when the stage closes: scores of a closed stage and results once written cannot change.
    create function refuse_closed_stage_scores() returns trigger language plpgsql as $$
    declare
      closed timestamptz;
    begin
      select s.closed_at into closed from criterion c join stage s on s.id = c.stage_id
        where c.id = coalesce(new.criterion_id, old.criterion_id);
      if closed is not null then
        raise exception 'the stage is closed: its scores are frozen' using errcode = 'check_violation';
      end if;
      return coalesce(new, old);
    end $$;
    create trigger frozen before insert or update or delete on score
      for each row execute function refuse_closed_stage_scores();
    create function refuse_result_change() returns trigger language plpgsql as $$
    begin
      raise exception 'stage results are frozen: % is not allowed', lower(tg_op) using errcode = 'check_violation';
    end $$;
    create trigger frozen before update or delete on stage_result
      for each row execute function refuse_result_change();

    create table olympiad (
      id uuid primary key default gen_random_uuid(),
      subject text not null,
      stage text not null check (stage in ('school', 'municipal', 'regional')),
      academic_year text not null,
      municipality_id uuid not null,
      starts_on date not null,
      ends_on date not null,
      description text,
      check (ends_on >= starts_on)
    );
    create index olympiad_municipality on olympiad (municipality_id, academic_year);
    create table olympiad_venue (
      id uuid primary key default gen_random_uuid(),
      olympiad_id uuid not null references olympiad,
      organization_id uuid not null,
      constraint olympiad_venue_once unique (olympiad_id, organization_id)
    );
    create table olympiad_task (
      id uuid primary key default gen_random_uuid(),
      olympiad_id uuid not null references olympiad,
      title text not null,
      responsible_id uuid,
      due_on date,
      done_on date
    );
    create index olympiad_task_olympiad on olympiad_task (olympiad_id);

    create table annual_plan (
      id uuid primary key default gen_random_uuid(),
      municipality_id uuid not null,
      academic_year text not null,
      title text not null,
      approved_on date,
      constraint annual_plan_once unique (municipality_id, academic_year)
    );
    create table plan_activity (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references annual_plan,
      kind text not null check (kind in (${list([...eventKinds, 'competition', 'olympiad', 'other'])})),
      title text not null,
      -- the first day of the planned month
      planned_month date not null check (extract(day from planned_month) = 1),
      responsible_id uuid,
      calendar_event_id uuid references event
    );
    create index plan_activity_plan on plan_activity (plan_id, planned_month);
    create table plan_activity_event (
      id uuid primary key default gen_random_uuid(),
      activity_id uuid not null references plan_activity,
      event_id uuid not null references event,
      constraint plan_activity_event_once unique (activity_id, event_id)
    );
  `);
  await knex.raw(auditMigration('events', tables));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(auditDownMigration('events', tables));
  await knex.raw(`
    drop table plan_activity_event, plan_activity, annual_plan, olympiad_task, olympiad_venue, olympiad, stage_result, score,
      conflict_declaration, application, jury_member, criterion, stage, nomination, competition, participation, event;
    drop function refuse_closed_stage_scores();
    drop function refuse_result_change();
  `);
}
