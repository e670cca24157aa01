import type { Knex } from 'knex';
import { hashFunction } from './region';
import { counted, people, peopleCount, withoutTriggers, yearStart } from './indicators-data';

/**
 * What the front-end pages read besides bench/region.ts (staff) and bench/indicators-data.ts (profdev, events): the
 * rest of issue 10's list. Set-based, deterministic (md5 ids, hashed draws), written directly as each owning
 * subgraph's role with its audit triggers off, as indicators-data.ts does.
 *
 * - staff: qualification categories over five academic years with the attestations that granted them, an older award
 *   for a third of them (the history), refused and still open attestations;
 * - profdev: every diagnostic's scores on the 8 competencies (the deficits), 4 items on every development route;
 * - events: a regional competition a year with two nominations; criteria, an outside jury of three, every juror's
 *   scores of every accepted application, and the frozen results of each stage that has ended (closed);
 * - indicators: the region's targets for the five academic years.
 */

/** Categories and attestations, as the staff role. */
export async function fillCategories(staff: Knex, seed = 1): Promise<string> {
  const tables = ['attestation', 'category_award'];
  return withoutTriggers(staff, tables, async (trx) => {
    await trx.raw(hashFunction(seed));
    await trx.raw(`create temp table bench_cat on commit drop as
      select e.id as educator_id, e.n, m.position, e.pedagogical_work_started_on as ped_start,
        pg_temp.r(e.n, 'cat') as rc, pg_temp.r(e.n, 'cat-kind') as rk,
        greatest(e.pedagogical_work_started_on + 730, current_date - 1 - floor(1825 * pg_temp.r(e.n, 'cat-day'))::int) as awarded_on
      from (select id, pedagogical_work_started_on, (row_number() over (order by id))::int as n from educator) e
      cross join lateral (select position from employment m where m.educator_id = e.id order by is_main_job desc, started_on desc limit 1) m
      where e.pedagogical_work_started_on is not null`);
    // The award in force: 70% of those with two years of work, awarded within the last five years.
    await trx.raw(`create temp table bench_award on commit drop as
      select educator_id, n, position, awarded_on, 'current' as which,
        case when rk < 0.50 then 'first' when rk < 0.95 then 'highest' else 'mentor' end as category
      from bench_cat where rc < 0.70 and awarded_on < current_date
      union all
      -- the award before it, five years earlier, for a third: the category history
      select educator_id, n, position, awarded_on - 1826, 'previous', 'first'
      from bench_cat where rc < 0.35 and awarded_on - 1826 > ped_start + 730`);
    await trx.raw(`insert into attestation (id, educator_id, requested_category, position, filed_on, stage, review_started_on, outcome, decided_on)
      select md5('attestation-' || which || '-' || educator_id)::uuid, educator_id, category, position, awarded_on - 45, 'decided', awarded_on - 30, 'granted', awarded_on
      from bench_award`);
    await trx.raw(`insert into category_award (id, educator_id, category, position, awarded_on, valid_until, order_number, order_date, attestation_id)
      select md5('award-' || which || '-' || educator_id)::uuid, educator_id, category, position, awarded_on,
        (awarded_on + interval '5 years')::date - 1, 'ПР-' || extract(year from awarded_on) || '/' || n, awarded_on,
        md5('attestation-' || which || '-' || educator_id)::uuid
      from bench_award`);
    // Refused (2%) and still undecided (3%: filed or under review) requests.
    await trx.raw(`insert into attestation (id, educator_id, requested_category, position, filed_on, stage, review_started_on, outcome, decided_on)
      select md5('attestation-refused-' || educator_id)::uuid, educator_id, 'highest', position, awarded_on - 45, 'decided', awarded_on - 30, 'refused', awarded_on
      from bench_cat where rc >= 0.70 and rc < 0.72 and awarded_on < current_date
      union all
      select md5('attestation-open-' || educator_id)::uuid, educator_id, case when rk < 0.5 then 'first' else 'highest' end, position,
        current_date - 1 - (n % 60), case when n % 2 = 0 then 'under_review' else 'filed' end,
        case when n % 2 = 0 then current_date - 1 - (n % 60) + 10 end, null, null
      from bench_cat where rc >= 0.72 and rc < 0.75 and ped_start < current_date - 730`);
    return `staff: ${await counted(trx, tables)}`;
  });
}

/** Diagnostic scores (deficits) of the last `scoredYears` academic years' diagnostics, and route items, as the profdev role; after fillProfdev. */
export async function fillProfdevDetail(profdev: Knex, scoredYears = 5): Promise<string> {
  const tables = ['diagnostic_score', 'route_item'];
  return withoutTriggers(profdev, tables, async (trx) => {
    // Scores 35–100 on 0–100 with the threshold 60: about one competency in four below it.
    await trx.raw(`insert into diagnostic_score (id, diagnostic_id, competency_id, score, threshold, scale_min, scale_max)
      select md5('score-' || d.id || '-' || c.code)::uuid, d.id, c.id,
        35 + floor(66 * (hashtext(d.id::text || c.code) & 2147483647)::float8 / 2147483648), c.threshold, c.scale_min, c.scale_max
      from diagnostic d cross join competency c where d.taken_on >= ${yearStart(String(scoredYears - 1))}`);
    // Four items a route, a quarter of its period each: a program, a master class, self-study, an event. Done when
    // the route was completed (the fourth dropped on one in three), or when an active route's item is past (but for
    // one in three); the first done on an abandoned route.
    await trx.raw(`insert into route_item (id, route_id, position, activity_kind, title, competency_id, program_id, planned_from, planned_to, done_on, is_dropped, drop_reason)
      select md5('route-item-' || r.id || '-' || k)::uuid, r.id, k, (array['program', 'master_class', 'self_study', 'event'])[k],
        (array['Курсы повышения квалификации', 'Мастер-класс', 'Самообразование', 'Семинар'])[k],
        md5('competency-' || (1 + (('x' || substr(h, 1, 4))::bit(16)::int + k) % 8))::uuid,
        case when k = 1 then md5('program-' || (1 + ('x' || substr(h, 5, 4))::bit(16)::int % 200))::uuid end,
        f, f + 80, done, dropped, case when dropped then 'Не состоялось' end
      from development_route r cross join lateral (select md5(r.id::text) as h) hh cross join generate_series(1, 4) k
      cross join lateral (select r.period_from + (k - 1) * 91 as f) p
      cross join lateral (select r.status = 'completed' and k = 4 and ('x' || substr(h, 9, 2))::bit(8)::int % 3 = 0 as dropped) d
      cross join lateral (select case
        when dropped then null
        when r.status = 'completed' then least(f + 70, r.completed_on)
        when r.status = 'active' and f + 80 < current_date and ('x' || substr(h, 11, 2))::bit(8)::int % 3 + k <> 4 then f + 70
        when r.status = 'abandoned' and k = 1 then least(f + 70, r.abandoned_on)
      end as done) x`);
    return `profdev: ${await counted(trx, tables)}`;
  });
}

/**
 * A regional competition a year, then for every stage of every competition: criteria, a jury, scores and, once the
 * stage has ended, its frozen results (the mean over the jurors of Σ weight × score, ranked per nomination with ties
 * sharing a place, as ranking.ts computes them). As the events role; after fillEvents.
 */
export async function fillCompetitionResults(events: Knex): Promise<string> {
  const tables = ['competition', 'nomination', 'stage', 'criterion', 'jury_member', 'application', 'score', 'stage_result'];
  return withoutTriggers(events, tables, async (trx) => {
    await trx.raw(people);
    const count = await peopleCount(trx);
    await trx.raw(`insert into competition (id, title, level, municipality_id, year)
      select md5('competition-regional-' || y)::uuid, 'Педагогический дебют', 'regional',
        (select id from staff_api.municipality order by oktmo, id limit 1), extract(year from ${yearStart('y')})::int + 1
      from generate_series(0, 4) y`);
    await trx.raw(`insert into nomination (id, competition_id, title)
      select md5('nomination-' || c.id || '-' || k)::uuid, c.id, (array['Молодой учитель', 'Молодой воспитатель'])[k]
      from competition c cross join generate_series(1, 2) k where c.level = 'regional'`);
    await trx.raw(`insert into stage (id, competition_id, ordinal, title, starts_on, ends_on, application_deadline, winner_places, prize_winner_places)
      select md5('stage-' || c.id || '-1')::uuid, c.id, 1, 'Заочный', make_date(c.year, 1, 15), make_date(c.year, 4, 15), make_date(c.year, 2, 15), 1, 3
      from competition c where c.level = 'regional'`);
    // One educator in a hundred a year applies: the results page of a regional competition holds a few hundred.
    await trx.raw(`insert into application (id, competition_id, nomination_id, educator_id, organization_id, title, filed_on, status)
      select md5('application-' || c.id || '-' || p.educator_id)::uuid, c.id, md5('nomination-' || c.id || '-' || (1 + p.n % 2))::uuid,
        p.educator_id, p.organization_id, 'Конкурсная работа ' || p.n, make_date(c.year, 1, 15) + p.n % 30,
        case when p.n % 3 = 0 then 'filed' else 'accepted' end
      from competition c join bench_people p on (p.n * 7 + c.year) % 100 = 0
      where c.level = 'regional' and make_date(c.year, 1, 15) + p.n % 30 < current_date and ${count} > 0`);
    await trx.raw(`insert into criterion (id, stage_id, ordinal, title, scale_min, scale_max, weight)
      select md5('criterion-' || s.id || '-' || k)::uuid, s.id, k, (array['Содержание', 'Методика', 'Представление'])[k], 0, 10, (array[1, 1.5, 0.5])[k]
      from stage s cross join generate_series(1, 3) k`);
    await trx.raw(`insert into jury_member (id, stage_id, subject, full_name, is_chair)
      select md5('jury-' || s.id || '-' || k)::uuid, s.id, 'bench-jury-' || k, (array['Председатель жюри', 'Член жюри', 'Член жюри'])[k] || ' ' || k, k = 1
      from stage s cross join generate_series(1, 3) k`);
    await trx.raw(`insert into score (id, jury_member_id, application_id, criterion_id, value, scored_at)
      select md5('score-' || j.id || '-' || a.id || '-' || c.id)::uuid, j.id, a.id, c.id,
        3 + (hashtext(j.id::text || a.id::text || c.id::text) & 2147483647) % 8, s.ends_on::timestamp
      from stage s join application a on a.competition_id = s.competition_id and a.status = 'accepted'
      join jury_member j on j.stage_id = s.id join criterion c on c.stage_id = s.id
      where s.ends_on < current_date`);
    await trx.raw(`insert into stage_result (id, stage_id, application_id, nomination_id, educator_id, score, place, outcome, is_advanced, jurors_counted)
      select md5('result-' || stage_id || '-' || application_id)::uuid, stage_id, application_id, nomination_id, educator_id, score, place,
        case when place <= winner_places then 'winner' when place <= prize_winner_places then 'prize_winner' else 'participant' end,
        advance_count is not null and place <= advance_count, jurors
      from (
        select t.*, (rank() over (partition by stage_id, nomination_id order by score desc))::int as place
        from (
          select s.id as stage_id, a.id as application_id, a.nomination_id, a.educator_id, s.winner_places, s.prize_winner_places, s.advance_count,
            round(sum(c.weight * v.value) / count(distinct v.jury_member_id), 4) as score, count(distinct v.jury_member_id)::int as jurors
          from stage s join application a on a.competition_id = s.competition_id and a.status = 'accepted'
          join score v on v.application_id = a.id join criterion c on c.id = v.criterion_id and c.stage_id = s.id
          where s.ends_on < current_date
          group by s.id, a.id
        ) t
      ) ranked`);
    await trx.raw(`update stage set closed_at = (ends_on + 1)::timestamp where ends_on < current_date`);
    return `events: ${await counted(trx, tables)}`;
  });
}

/** The region's targets for the last five academic years and the current one, as the indicators role. */
const regionTargets: Record<string, number> = {
  association_roadmap: 1, diagnostics_share: 60, registry_programs_from_diagnostics_share: 25, development_routes_share: 50,
  regional_methodists_share: 3, educators_per_regional_methodist: 10, routes_completed_share: 70, early_career_supported_share: 90,
  targeted_support_count: 30, diagnostic_based_upskilling_count: 15, programs_carried_out_count: 5, mentoring_count: 12,
  networked_events_count: 20, no_complaints: 1, competition_applicants_count: 5,
};
export async function fillTargets(indicators: Knex): Promise<string> {
  return withoutTriggers(indicators, ['target'], async (trx) => {
    await trx.raw(`insert into target (id, indicator_code, academic_year, municipality_id, value, set_by_role, set_by_subject)
      select md5('target-' || t.code || '-' || y)::uuid, t.code,
        extract(year from ${yearStart('y')})::int || '/' || (extract(year from ${yearStart('y')})::int + 1), null, t.value::numeric, 'system', 'bench-seed'
      from jsonb_each_text(?::jsonb) as t(code, value) cross join generate_series(0, 4) y`, [JSON.stringify(regionTargets)]);
    return `indicators: ${await counted(trx, ['target'])}`;
  });
}
