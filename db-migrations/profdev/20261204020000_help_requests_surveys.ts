import type { Knex } from 'knex';
import { auditTriggers, auditTriggersDown } from '@mms/platform';

/**
 * Issue 20: requests for help (обращения за методической помощью), support recorded as it happens (one record of a
 * group consultation, a seminar-practicum or a consultation of an organization's collective, with its participants),
 * and surveys of needs. Extends the published view profdev_api.support so that every participant of such a record is
 * one more row (indicator 9 counts educators behind support, each once).
 *
 * Anonymous surveys keep no link to the person by construction: `survey_response` of an anonymous survey holds no
 * educator id (a CHECK backed by a composite foreign key to the survey's `is_anonymous`), answers hang off the response,
 * and who answered lives in `survey_respondent` (survey, educator: no time, no response id), which alone stops a second
 * answer. Responses and answers are not audited: an audit row names who asked.
 */
/** Audited tables (the audit row keys on an `id`; link tables without one, responses and answers are left out). */
const audited = ['help_request', 'support_session', 'support_session_participant', 'survey', 'survey_question'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table help_request (
      id uuid primary key default gen_random_uuid(),
      municipality_id uuid not null,
      requester_kind text not null check (requester_kind in ('educator', 'organization', 'outsider')),
      requester_educator_id uuid,
      requester_organization_id uuid,
      -- a person outside the registry (e.g. a parent): personal data
      requester_name text check (btrim(requester_name) <> ''),
      requester_contact text check (btrim(requester_contact) <> ''),
      topic text not null check (btrim(topic) <> ''),
      subject_area text check (btrim(subject_area) <> ''),
      kind text not null check (kind in ('consultation', 'lesson_visit', 'attestation', 'route', 'competition_entry', 'other')),
      status text not null default 'new' check (status in ('new', 'assigned', 'in_progress', 'answered', 'closed', 'declined')),
      filed_on date not null,
      due_on date not null,
      methodist_id uuid,
      assigned_on date,
      answered_on date,
      answer text check (btrim(answer) <> ''),
      closed_on date,
      declined_on date,
      decline_reason text check (btrim(decline_reason) <> ''),
      rating smallint check (rating between 1 and 5),
      rated_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((requester_kind = 'educator') = (requester_educator_id is not null)),
      check ((requester_kind = 'organization') = (requester_organization_id is not null)),
      check ((requester_kind = 'outsider') = (requester_name is not null) and (requester_name is null) = (requester_contact is null)),
      check (due_on >= filed_on),
      check ((status = 'declined') = (decline_reason is not null)),
      check (methodist_id is not null or status in ('new', 'declined')),
      check ((answered_on is not null) = (status in ('answered', 'closed')) or status = 'declined'),
      check (rating is null or (status in ('answered', 'closed') and rated_on is not null))
    );
    create index help_request_municipality on help_request (municipality_id, status, due_on);
    create index help_request_educator on help_request (requester_educator_id) where requester_educator_id is not null;
    create index help_request_organization on help_request (requester_organization_id) where requester_organization_id is not null;

    create table support_session (
      id uuid primary key default gen_random_uuid(),
      municipality_id uuid not null,
      methodist_id uuid not null,
      held_on date not null,
      form text not null check (form in ('group_consultation', 'seminar_practicum', 'organization_consultation', 'other')),
      topic text not null check (btrim(topic) <> ''),
      -- the organization whose collective was consulted
      organization_id uuid,
      -- people present who are not in the registry (parents, guests, staff of other regions)
      others_count integer not null default 0 check (others_count >= 0 and others_count <= 100000),
      help_request_id uuid references help_request (id),
      route_item_id uuid references route_item (id),
      association_id uuid references method_association (id),
      created_at timestamptz not null default now(),
      check (form <> 'organization_consultation' or organization_id is not null)
    );
    create index support_session_municipality on support_session (municipality_id, held_on);
    create index support_session_help_request on support_session (help_request_id) where help_request_id is not null;

    create table support_session_participant (
      id uuid primary key default gen_random_uuid(),
      session_id uuid not null references support_session (id),
      educator_id uuid not null,
      unique (session_id, educator_id)
    );
    create index support_session_participant_educator on support_session_participant (educator_id);

    -- the individual support records an answer links
    create table help_request_support (
      help_request_id uuid not null references help_request (id),
      support_id uuid not null references support (id),
      primary key (help_request_id, support_id)
    );

    create table survey (
      id uuid primary key default gen_random_uuid(),
      title text not null check (btrim(title) <> ''),
      description text,
      -- the audience: the region (both null), a municipality, or an organization (with its municipality)
      municipality_id uuid,
      organization_id uuid,
      association_id uuid references method_association (id),
      early_career_only boolean not null default false,
      is_anonymous boolean not null,
      opens_on date not null,
      closes_on date not null,
      closed_on date,
      created_at timestamptz not null default now(),
      check (closes_on >= opens_on),
      check (organization_id is null or municipality_id is not null),
      unique (id, is_anonymous)
    );

    create table survey_question (
      id uuid primary key default gen_random_uuid(),
      survey_id uuid not null references survey (id),
      position integer not null,
      kind text not null check (kind in ('single', 'multiple', 'scale', 'text', 'competency')),
      text text not null check (btrim(text) <> ''),
      options text[] not null default '{}',
      scale_min integer,
      scale_max integer,
      -- answers to it are requests for upskilling directions (ranked per municipality)
      is_upskilling_direction boolean not null default false,
      unique (survey_id, position),
      check ((kind in ('single', 'multiple')) = (cardinality(options) > 0)),
      check ((kind = 'scale') = (scale_min is not null and scale_max is not null) and (scale_min is null or scale_min < scale_max))
    );

    -- who answered: stops a second answer; nothing here leads to the answer
    create table survey_respondent (
      survey_id uuid not null references survey (id),
      educator_id uuid not null,
      primary key (survey_id, educator_id)
    );

    create table survey_response (
      id uuid primary key default gen_random_uuid(),
      survey_id uuid not null,
      is_anonymous boolean not null,
      educator_id uuid,
      -- the municipality results are grouped by; a day, no time
      municipality_id uuid not null,
      submitted_on date not null,
      foreign key (survey_id, is_anonymous) references survey (id, is_anonymous),
      check (is_anonymous = (educator_id is null)),
      unique (survey_id, educator_id)
    );
    create index survey_response_survey on survey_response (survey_id, municipality_id);

    create table survey_answer (
      response_id uuid not null references survey_response (id),
      question_id uuid not null references survey_question (id),
      choices text[],
      scale_value integer,
      text_value text,
      competency_ids uuid[],
      primary key (response_id, question_id)
    );
    create index survey_answer_question on survey_answer (question_id);

    ${auditTriggers('profdev', audited)}

    -- indicator 9 and 8: every participant of a support session is one more support row (the session's id in session_id)
    create or replace view profdev_api.support as
      select s.id, coalesce(mm.survivor_id, s.methodist_id) as methodist_id, coalesce(mg.survivor_id, s.educator_id) as educator_id,
             s.given_on, s.form, s.topic, null::uuid as session_id
      from profdev.support s
      left join staff_api.educator_merge mm on mm.duplicate_id = s.methodist_id
      left join staff_api.educator_merge mg on mg.duplicate_id = s.educator_id
      union all
      select p.id, coalesce(mm.survivor_id, ss.methodist_id), coalesce(mg.survivor_id, p.educator_id), ss.held_on,
             case ss.form when 'seminar_practicum' then 'seminar' when 'other' then 'other' else 'consultation' end, ss.topic, ss.id
      from profdev.support_session_participant p
      join profdev.support_session ss on ss.id = p.session_id
      left join staff_api.educator_merge mm on mm.duplicate_id = ss.methodist_id
      left join staff_api.educator_merge mg on mg.duplicate_id = p.educator_id;

    create view profdev_api.help_request as
      select id, municipality_id, requester_kind, requester_organization_id, kind, status, filed_on, due_on, answered_on, closed_on, rating
      from profdev.help_request;

    grant select on all tables in schema profdev_api to profdev_api_reader;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop view profdev_api.help_request;
    drop view profdev_api.support;
    create view profdev_api.support as
      select s.id, coalesce(mm.survivor_id, s.methodist_id) as methodist_id, coalesce(mg.survivor_id, s.educator_id) as educator_id,
             s.given_on, s.form, s.topic
      from profdev.support s
      left join staff_api.educator_merge mm on mm.duplicate_id = s.methodist_id
      left join staff_api.educator_merge mg on mg.duplicate_id = s.educator_id;
    grant select on profdev_api.support to profdev_api_reader;
    ${auditTriggersDown('profdev', audited)}
    drop table survey_answer, survey_response, survey_respondent, survey_question, survey, help_request_support,
      support_session_participant, support_session, help_request;
  `);
}
