import type { Knex } from 'knex';

/**
 * The data the indicators read besides bench/region.ts's staff: set-based, deterministic (row numbers and md5), five
 * years back from today, written directly as each owning subgraph's role (a generated history is not a sequence of
 * mutations: the audit triggers stay off while it is written).
 */

/** 1 educator in 50 a regional methodist (from a day in the last 5 years, open); 15 of the next 49 assigned to them. */
export async function fillRegionalMethodists(staff: Knex): Promise<{ methodists: number; assignments: number }> {
  return staff.transaction(async (trx) => {
    for (const table of ['educator_status', 'regional_methodist_assignment']) await trx.raw(`alter table ${table} disable trigger user`);
    await trx.raw(`create temp table bench_rm on commit drop as
      select id, n, n / 50 as block, current_date - (n * 37 % 1800)::int as valid_from
      from (select id, (row_number() over (order by id))::int as n from educator) e`);
    const methodists = await trx.raw(`insert into educator_status (educator_id, kind, valid_from, document_number, document_date)
      select id, 'regional_methodist', valid_from, 'РМ-' || n, valid_from from bench_rm where n % 50 = 0`);
    const assignments = await trx.raw(`insert into regional_methodist_assignment (methodist_id, educator_id, valid_from, valid_to)
      select m.id, e.id, m.valid_from + (e.n % 200), case when e.n % 3 = 0 then m.valid_from + (e.n % 200) + 365 end
      from bench_rm e join bench_rm m on m.n % 50 = 0 and m.block = e.block + 1
      where e.n % 50 between 1 and 15`);
    for (const table of ['educator_status', 'regional_methodist_assignment']) await trx.raw(`alter table ${table} enable trigger user`);
    return { methodists: methodists.rowCount, assignments: assignments.rowCount };
  });
}


/** The first day of the academic year `years` back from the current one (0: the current one), in SQL. */
export const yearStart = (years: string) => `make_date(extract(year from current_date - interval '8 months')::int - ${years}, 9, 1)`;

/** Every educator with a row number and the municipality of their latest main job, as a temp table of the session. */
export const people = `create temp table bench_people on commit drop as
  select e.educator_id, (row_number() over (order by e.educator_id))::int as n, e.municipality_id, e.organization_id
  from (select distinct on (educator_id) educator_id, municipality_id, organization_id from staff_api.employment
        order by educator_id, is_main_job desc, started_on desc) e`;

/** How many rows bench_people has (draws of another person wrap around it). */
export async function peopleCount(trx: Knex): Promise<number> {
  const [{ n }] = await trx('bench_people').count({ n: '*' });
  return Math.max(1, Number(n));
}

export async function withoutTriggers<T>(db: Knex, tables: string[], work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx.raw("set local statement_timeout = '120s'");
    for (const table of tables) await trx.raw(`alter table ${table} disable trigger user`);
    const result = await work(trx);
    for (const table of tables) await trx.raw(`alter table ${table} enable trigger user`);
    return result;
  });
}

export async function counted(trx: Knex, tables: string[]): Promise<string> {
  const parts: string[] = [];
  for (const table of tables) parts.push(`${table} ${Number((await trx(table).count({ n: '*' }))[0].n).toLocaleString('en')}`);
  return parts.join(', ');
}

/**
 * Five academic years of professional development, as the profdev role: 200 programs; a diagnostic for half the
 * educators each year; an upskilling or retraining completion for 40% a year (a third of them chosen from that year's
 * diagnostic); a route a year for 30% (completed, abandoned or still active); 5% mentees a year; support for 20%;
 * 10 municipal associations per municipality and one per organization, with members, a plan a year (4 items) and
 * complaints.
 */
export async function fillProfdev(db: Knex): Promise<string> {
  const tables = ['competency', 'program', 'diagnostic', 'program_completion', 'development_route', 'mentorship', 'support',
    'method_association', 'association_member', 'association_plan', 'association_plan_item', 'complaint', 'course_run', 'course_application'];
  return withoutTriggers(db, tables, async (trx) => {
    await trx.raw(people);
    await trx.raw(`insert into competency (id, code, title, competency_group, scale_min, scale_max, threshold)
      select md5('competency-' || g)::uuid, 'B-' || g, 'Компетенция ' || g, 'группа ' || (g % 3), 0, 100, 60 from generate_series(1, 8) g`);
    await trx.raw(`insert into program (id, kind, title, hours, format, is_federal_registry, registry_number, provider_name)
      select md5('program-' || g)::uuid, case when g % 4 = 0 then 'retraining' else 'upskilling' end, 'Программа ' || g,
        case when g % 4 = 0 then 300 else 36 end, 'distance', g % 2 = 0, case when g % 2 = 0 then 'ФР-' || g end, 'Институт развития образования'
      from generate_series(1, 200) g`);
    await trx.raw(`insert into diagnostic (id, educator_id, taken_on, instrument)
      select md5('diagnostic-' || p.n || '-' || y)::uuid, p.educator_id, ${yearStart('y')} + 30 + (p.n * 7 + y) % 250, 'ЕФС'
      from bench_people p cross join generate_series(0, 4) y where (p.n + y) % 2 = 0 and ${yearStart('y')} + 30 + (p.n * 7 + y) % 250 < current_date`);
    await trx.raw(`insert into program_completion (id, educator_id, program_id, started_on, completed_on, diagnostic_id)
      select md5('completion-' || p.educator_id || '-' || y)::uuid, p.educator_id, md5('program-' || (1 + (p.n * 13 + y + p.n % 2) % 200))::uuid, d - 20, d,
        case when (p.n + y) % 2 = 0 and p.n % 3 = 0 then md5('diagnostic-' || p.n || '-' || y)::uuid end
      from bench_people p cross join generate_series(0, 4) y
      cross join lateral (select ${yearStart('y')} + 290 + (p.n * 11 + y) % 40 as d) c
      where (p.n * 3 + y) % 5 < 2 and d < current_date`);
    // Course runs the service carried out (indicator 11, issue 24): a third of each municipality's upskilling programs
    // completed in a year were the service's run, finished on the last completion day, its finishers enrolled in it.
    await trx.raw(`create temp table bench_runs on commit drop as
      select c.id as completion_id, c.educator_id, md5('run-' || p.municipality_id || '-' || c.program_id || '-' || y.y)::uuid as run_id,
        c.program_id, p.municipality_id, c.started_on, c.completed_on
      from program_completion c join bench_people p on p.educator_id = c.educator_id
      join program pr on pr.id = c.program_id and pr.kind = 'upskilling'
      cross join lateral (select extract(year from c.completed_on - interval '8 months')::int as y) y
      where ('x' || substr(md5(p.municipality_id::text || c.program_id::text), 1, 2))::bit(8)::int % 3 = 0`);
    await trx.raw(`insert into course_run (id, program_id, municipality_id, provider_kind, starts_on, ends_on, format, seats, audience,
        application_deadline, opening_order_number, opening_order_date, enrolment_order_number, enrolment_order_date, status, finished_on)
      select run_id, program_id, municipality_id, 'service', min(started_on), max(completed_on), 'distance', count(*), 'педагоги',
        min(started_on), 'ПК-' || left(run_id::text, 6), min(started_on) - 10, 'З-' || left(run_id::text, 6), min(started_on), 'finished', max(completed_on)
      from bench_runs group by run_id, program_id, municipality_id`);
    await trx.raw(`insert into course_application (run_id, educator_id, channel, status, completion_id)
      select distinct on (run_id, educator_id) run_id, educator_id, 'enrolled', 'completed', completion_id from bench_runs order by run_id, educator_id, completion_id`);
    await trx.raw(`insert into development_route (id, educator_id, title, period_from, period_to, status, activated_on, completed_on, abandoned_on)
      select md5('route-' || p.educator_id || '-' || y)::uuid, p.educator_id, 'ИОМ', s, s + 364,
        case when y = 0 then 'active' when p.n % 7 = 0 then 'abandoned' when p.n % 5 = 0 then 'draft' else 'completed' end,
        case when y = 0 or p.n % 5 <> 0 or p.n % 7 = 0 then s + 14 end,
        case when y > 0 and p.n % 7 <> 0 and p.n % 5 <> 0 then s + 300 end,
        case when y > 0 and p.n % 7 = 0 then s + 200 end
      from bench_people p cross join generate_series(0, 4) y cross join lateral (select ${yearStart('y')} as s) b
      where (p.n + y * 3) % 10 < 3`);
    await trx.raw(`insert into mentorship (mentor_id, mentee_id, form, started_on, ended_on)
      select m.educator_id, p.educator_id, 'experienced_young_specialist', ${yearStart('y')} + 20, case when y > 0 then ${yearStart('y')} + 360 end
      from bench_people p cross join generate_series(0, 4) y join bench_people m on m.n = 1 + (p.n + 500) % ${await peopleCount(trx)}
      where (p.n + y) % 20 = 0 and m.educator_id <> p.educator_id`);
    await trx.raw(`insert into support (methodist_id, educator_id, given_on, form, topic)
      select m.educator_id, p.educator_id, ${yearStart('y')} + (p.n * 3 + k * 100) % 330,
        (array['consultation', 'lesson_visit', 'association_meeting', 'seminar', 'other'])[1 + (p.n + k) % 5], 'Тема'
      from bench_people p cross join generate_series(0, 4) y cross join generate_series(0, 1) k
      join bench_people m on m.n = 1 + (p.n + 777) % ${await peopleCount(trx)}
      where (p.n + y) % 5 = 0 and (k = 0 or p.n % 2 = 0) and m.educator_id <> p.educator_id
        and ${yearStart('y')} + (p.n * 3 + k * 100) % 330 < current_date`);
    await trx.raw(`insert into method_association (id, level, municipality_id, organization_id, subject_area, title, leader_id)
      select md5('assoc-m-' || m.id || '-' || g)::uuid, 'municipal', m.id, null, 'Предмет ' || g, 'ГМО ' || g,
        (select educator_id from bench_people p where p.municipality_id = m.id order by p.n offset g limit 1)
      from staff_api.municipality m cross join generate_series(1, 10) g
      union all
      select md5('assoc-o-' || o.id)::uuid, 'organization', o.municipality_id, o.id, 'Все предметы', 'ШМО',
        (select educator_id from bench_people p where p.organization_id = o.id order by p.n limit 1)
      from staff_api.organization o`);
    await trx.raw(`insert into association_member (association_id, educator_id, joined_on)
      select case when p.n % 2 = 0 then md5('assoc-o-' || p.organization_id)::uuid else md5('assoc-m-' || p.municipality_id || '-' || (1 + p.n % 10))::uuid end,
        p.educator_id, ${yearStart('4')}
      from bench_people p where p.n % 2 = 0 or p.n % 3 = 0`);
    await trx.raw(`insert into association_plan (id, association_id, academic_year, is_adopted, adopted_on)
      select md5('plan-' || a.id || '-' || y)::uuid, a.id,
        extract(year from ${yearStart('y')})::int || '/' || (extract(year from ${yearStart('y')})::int + 1),
        ('x' || substr(a.id::text, 1, 1))::bit(4)::int % 5 <> 0, case when ('x' || substr(a.id::text, 1, 1))::bit(4)::int % 5 <> 0 then ${yearStart('y')} + 5 end
      from method_association a cross join generate_series(0, 4) y`);
    await trx.raw(`insert into association_plan_item (plan_id, title, planned_on, done_on)
      select pl.id, 'Пункт ' || k, pl.adopted_on + k * 60, case when pl.is_adopted and (k + ('x' || substr(pl.id::text, 1, 1))::bit(4)::int) % 3 <> 0 and pl.adopted_on + k * 60 < current_date then pl.adopted_on + k * 60 end
      from association_plan pl cross join generate_series(1, 4) k where pl.adopted_on is not null`);
    await trx.raw(`insert into complaint (received_on, municipality_id, organization_id, educator_id, subject)
      select ${yearStart('y')} + (g * 37) % 360, p.municipality_id, case when g % 2 = 0 then p.organization_id end,
        case when g % 3 <> 0 then p.educator_id end, 'Жалоба ' || g
      from generate_series(1, 200) g cross join generate_series(0, 4) y join bench_people p on p.n = 1 + (g * 271 + y * 13) % ${await peopleCount(trx)}
      where ${yearStart('y')} + (g * 37) % 360 < current_date`);
    return `profdev: ${await counted(trx, tables)}`;
  });
}

/**
 * Five academic years of events, as the events role: 40 events per municipality and year (one in ten networked, one
 * in twenty cancelled) with 30 participants each (attended, but for one in six); 1 competition per municipality and
 * year with applications from 2% of the educators.
 */
export async function fillEvents(db: Knex): Promise<string> {
  const tables = ['event', 'participation', 'competition', 'nomination', 'stage', 'application'];
  return withoutTriggers(db, tables, async (trx) => {
    await trx.raw(people);
    await trx.raw(`insert into event (id, kind, level, title, municipality_id, time_zone, starts_at, ends_at, online_url, status)
      select md5('event-' || m.id || '-' || y || '-' || g)::uuid,
        case when g % 10 = 0 then 'networked_event' else (array['seminar', 'workshop', 'conference', 'master_class', 'webinar'])[1 + g % 5] end,
        'municipal', 'Событие ' || g, m.id, m.time_zone, d, d + interval '3 hours', 'https://example.org/' || g,
        case when g % 20 = 0 then 'cancelled' when d < now() then 'held' else 'planned' end
      from staff_api.municipality m cross join generate_series(0, 4) y cross join generate_series(1, 40) g
      cross join lateral (select (${yearStart('y')} + g * 8)::timestamp at time zone m.time_zone + interval '10 hours' as d) t`);
    await trx.raw(`insert into participation (id, event_id, educator_id, role, is_attended)
      select md5('participation-' || e.id || '-' || k)::uuid, e.id, p.educator_id, case when k = 0 then 'speaker' else 'listener' end, e.status = 'held' and k % 6 <> 5
      from events.event e cross join generate_series(0, 29) k
      join bench_people p on p.n = 1 + (('x' || substr(e.id::text, 1, 7))::bit(28)::int + k * 1999) % ${await peopleCount(trx)}`);
    await trx.raw(`insert into competition (id, title, level, municipality_id, year)
      select md5('competition-' || m.id || '-' || y)::uuid, 'Учитель года', 'municipal', m.id, extract(year from ${yearStart('y')})::int + 1
      from staff_api.municipality m cross join generate_series(0, 4) y`);
    await trx.raw(`insert into nomination (id, competition_id, title) select md5('nomination-' || c.id)::uuid, c.id, 'Учитель' from competition c`);
    await trx.raw(`insert into stage (id, competition_id, ordinal, title, starts_on, ends_on, application_deadline)
      select md5('stage-' || c.id || '-1')::uuid, c.id, 1, 'Заочный', make_date(c.year, 1, 10), make_date(c.year, 3, 31), make_date(c.year, 2, 1) from competition c`);
    await trx.raw(`insert into application (id, competition_id, nomination_id, educator_id, organization_id, filed_on, status)
      select md5('application-' || c.id || '-' || p.educator_id)::uuid, c.id, md5('nomination-' || c.id)::uuid, p.educator_id, p.organization_id, make_date(c.year, 1, 10) + p.n % 20,
        (array['filed', 'accepted', 'rejected', 'withdrawn'])[1 + p.n % 4]
      from competition c join bench_people p on p.municipality_id = c.municipality_id and (p.n + c.year) % 50 = 0
      where make_date(c.year, 1, 10) + p.n % 20 < current_date`);
    return `events: ${await counted(trx, tables)}`;
  });
}
