import type { IndicatorCode, IndicatorKind } from '../catalog';

/**
 * The SQL of each indicator: CTEs over the published views (staff_api, profdev_api, events_api), evaluated for many
 * scopes and academic years at once. Every statement starts with the shared CTEs:
 *
 * - `asked(k, kind, id, y, period_from, period_to, after_id, lim, before_id, backward)`: one row per value asked (scope, academic year; the
 *   page of a drill-down list), given as JSON. The region's `id` is the nil uuid.
 * - `population(k, period_from, period_to, educator_id)`: the educators employed in the asked scope at any time during
 *   the asked year (the set of staff_api.employed_during), one row per educator and asked row however many
 *   employments they had there: an educator of two organizations is one educator of their municipality.
 *
 * Each indicator adds `den(k, educator_id)` and `num(k, educator_id)`: the educators behind the denominator and the
 * numerator (the drill-down lists, always within the population), and may override the counts with `den_n(k, n)`
 * and `num_n(k, n)` when it counts something else than educators (associations, programs, written appeals).
 *
 * Scopes are matched in three branches (the region; municipalities by equality of municipality_id; organizations by
 * organization_id), so that one statement serves one scope or 1,500 with hash joins, and a kind nobody asked for
 * costs nothing. Associations and appeals are matched by "exploding" each into its three scope keys.
 */
export const regionId = '00000000-0000-0000-0000-000000000000';

/**
 * An employment in force on at least one day of the asked row's period: the condition of staff_api.employed_during,
 * applied to staff_api.employment directly. The set is the same (test/population.test.ts compares them); the function
 * also computes age and experience for every row, which only indicator 8 needs and which would cost ~150 ms per
 * indicator at region scale.
 */
const employedIn = (asked: string) => `m.started_on <= ${asked}.period_to and (m.ended_on is null or m.ended_on >= ${asked}.period_from)`;

const shared = `
asked as (
  select a.k, a.kind, a.id, a.y, a.f as period_from, a.t as period_to, a.after_id, a.lim, a.before_id, coalesce(a.backward, false) as backward
  from json_to_recordset(?::json) as a(k text, kind text, id uuid, y text, f date, t date, after_id uuid, lim integer, before_id uuid, backward boolean)
),
population as (
  select distinct k, period_from, period_to, educator_id from (
    select a.k, a.period_from, a.period_to, m.educator_id
    from asked a join staff_api.employment m on ${employedIn('a')} where a.kind = 'region'
    union all
    select a.k, a.period_from, a.period_to, m.educator_id
    from asked a join staff_api.employment m on m.municipality_id = a.id and ${employedIn('a')} where a.kind = 'municipality'
    union all
    select a.k, a.period_from, a.period_to, m.educator_id
    from asked a join staff_api.employment m on m.organization_id = a.id and ${employedIn('a')} where a.kind = 'organization'
  ) scoped
)`;

/** `alias` lies within the asked row's period: a day column. */
const inYear = (column: string) => `${column} between p.period_from and p.period_to`;
/** A term [from, to] (to null: open) shares a day with the asked row's period. */
const overlaps = (from: string, to: string) => `${from} <= p.period_to and (${to} is null or ${to} >= p.period_from)`;

/** Educators of the population for whom `condition` holds (p is the population row). */
const populationWhere = (condition: string) => `select p.k, p.educator_id from population p where ${condition}`;

const everyone = 'den as (select k, educator_id from population)';

const regionalMethodists = populationWhere(`exists (select 1 from staff_api.educator_status s
  where s.educator_id = p.educator_id and s.kind = 'regional_methodist' and ${overlaps('s.valid_from', 's.valid_to')})`);

/**
 * Indicator 11 (issue 24): the course runs the service carried out under its orders, finished in the asked year: a
 * region counts every municipality's service; a municipality its own service's runs; an organization the service's
 * runs (of any municipality) that one of its educators of the year completed. `service_runs(k, run_id, program_id)`.
 */
export const serviceRunsCte = `service_runs as (
  select a.k, r.id as run_id, r.program_id
  from asked a join profdev_api.course_run r on r.provider_kind = 'service' and r.status = 'finished'
    and r.finished_on between a.period_from and a.period_to
  where a.kind = 'region'
  union all
  select a.k, r.id, r.program_id
  from asked a join profdev_api.course_run r on r.municipality_id = a.id and r.provider_kind = 'service' and r.status = 'finished'
    and r.finished_on between a.period_from and a.period_to
  where a.kind = 'municipality'
  union all
  select a.k, r.id, r.program_id
  from asked a join profdev_api.course_run r on r.provider_kind = 'service' and r.status = 'finished'
    and r.finished_on between a.period_from and a.period_to
  where a.kind = 'organization' and exists (select 1 from profdev_api.course_application ap
    join population p on p.k = a.k and p.educator_id = ap.educator_id where ap.run_id = r.id and ap.status = 'completed')
)`;

/** One statement: the service's course runs behind indicator 11 of every asked row, by start then id. */
export function serviceRunsStatement(): string {
  return `with ${shared},
${serviceRunsCte}
select s.k, s.run_id from service_runs s join profdev_api.course_run r on r.id = s.run_id order by s.k, r.finished_on, s.run_id`;
}

interface IndicatorSql {
  /** CTEs defining den and num (and optionally den_n, num_n). */
  ctes: string;
  counts?: { numerator?: boolean; denominator?: boolean };
  /** For yes/no indicators: when the answer is yes, over n (numerator) and d (denominator). */
  yes?: string;
}

export const indicatorSql: Record<IndicatorCode, IndicatorSql> = {
  association_roadmap: {
    ctes: `
assoc as (
  select ma.id, ma.leader_id, ma.organization_id, coalesce(ma.municipality_id, o.municipality_id) as municipality_id
  from profdev_api.method_association ma left join staff_api.organization o on o.id = ma.organization_id
),
assoc_scoped as (
  select a.k, s.id, s.leader_id,
         exists (select 1 from profdev_api.association_plan pl where pl.association_id = s.id and pl.academic_year = a.y
                 and pl.is_adopted and pl.items_done > 0) as is_carried_out
  from assoc s
  cross join lateral (values ('region', '${regionId}'::uuid), ('municipality', s.municipality_id), ('organization', s.organization_id)) sk(kind, id)
  join asked a on a.kind = sk.kind and a.id = sk.id
  where exists (select 1 from profdev_api.association_plan pl where pl.association_id = s.id and pl.academic_year = a.y)
     or exists (select 1 from profdev_api.association_member m where m.association_id = s.id
                and m.joined_on <= a.period_to and (m.left_on is null or m.left_on >= a.period_from))
),
den_n as (select k, count(*) as n from assoc_scoped group by k),
num_n as (select k, count(*) filter (where is_carried_out) as n from assoc_scoped group by k),
den as (select distinct s.k, s.leader_id as educator_id from assoc_scoped s join population p on p.k = s.k and p.educator_id = s.leader_id),
num as (select distinct s.k, s.leader_id as educator_id from assoc_scoped s join population p on p.k = s.k and p.educator_id = s.leader_id where s.is_carried_out)`,
    counts: { numerator: true, denominator: true },
    yes: 'n = d',
  },
  diagnostics_share: {
    ctes: `${everyone},
num as (${populationWhere(`exists (select 1 from profdev_api.diagnostic d where d.educator_id = p.educator_id and ${inYear('d.taken_on')})`)})`,
  },
  registry_programs_from_diagnostics_share: {
    ctes: `${everyone},
num as (${populationWhere(`exists (select 1 from profdev_api.program_completion c join profdev_api.program pr on pr.id = c.program_id
  where c.educator_id = p.educator_id and c.is_from_diagnostic and pr.is_federal_registry and ${inYear('c.completed_on')})`)})`,
  },
  development_routes_share: {
    ctes: `${everyone},
num as (${populationWhere(`exists (select 1 from profdev_api.development_route r where r.educator_id = p.educator_id
  and r.status <> 'draft' and coalesce(r.activated_on, r.created_at::date) <= p.period_to and r.period_from <= p.period_to and r.period_to >= p.period_from)`)})`,
  },
  regional_methodists_share: {
    ctes: `${everyone},
num as (${regionalMethodists})`,
  },
  educators_per_regional_methodist: {
    ctes: `
den as (${regionalMethodists}),
num as (
  select distinct p.k, p.educator_id
  from population p
  join staff_api.regional_methodist_assignment x on x.educator_id = p.educator_id and ${overlaps('x.valid_from', 'x.valid_to')}
  join den m on m.k = p.k and m.educator_id = x.methodist_id
)`,
  },
  routes_completed_share: {
    ctes: `
due as (
  select p.k, p.educator_id, r.status
  from population p join profdev_api.development_route r on r.educator_id = p.educator_id
  where r.status <> 'draft' and (${inYear('r.period_to')} or (r.status = 'completed' and ${inYear('r.completed_on')}))
),
den as (select distinct k, educator_id from due),
num as (select distinct k, educator_id from due where status = 'completed')`,
  },
  early_career_supported_share: {
    ctes: `
early as (
  select distinct p.period_from, e.educator_id
  from (select distinct period_from, period_to from asked) p
  cross join lateral staff_api.employed_during(p.period_from, p.period_to) e
  where e.is_under_35 and e.is_early_career
),
den as (select p.k, p.educator_id from population p join early e on e.period_from = p.period_from and e.educator_id = p.educator_id),
-- who was supported in each asked period, from the three sources at once (one hash join, not three ORed lookups)
supported as (
  select distinct a.period_from, x.educator_id
  from (select distinct period_from, period_to from asked) a
  join (
    select mentee_id as educator_id, started_on as from_on, ended_on as to_on from profdev_api.mentorship
    union all
    select educator_id, given_on, given_on from profdev_api.support
    union all
    select educator_id, valid_from, valid_to from staff_api.regional_methodist_assignment
  ) x on x.from_on <= a.period_to and (x.to_on is null or x.to_on >= a.period_from)
),
num as (select d.k, d.educator_id from den d join population p on p.k = d.k and p.educator_id = d.educator_id
  join supported s on s.period_from = p.period_from and s.educator_id = d.educator_id)`,
  },
  targeted_support_count: {
    // support records (a participant of a support session is one row of profdev_api.support) and attendance of
    // association meetings recorded as events (issue 20): each educator once, however many of either
    ctes: `${everyone},
supported as (
  select distinct a.period_from, x.educator_id
  from (select distinct period_from, period_to from asked) a
  join (
    select educator_id, given_on as day from profdev_api.support
    union all
    select educator_id, attended_on from events_api.association_meeting_attendance
  ) x on x.day between a.period_from and a.period_to
),
num as (select p.k, p.educator_id from population p join supported s on s.period_from = p.period_from and s.educator_id = p.educator_id)`,
  },
  diagnostic_based_upskilling_count: {
    ctes: `${everyone},
num as (${populationWhere(`exists (select 1 from profdev_api.program_completion c where c.educator_id = p.educator_id
  and c.is_from_diagnostic and ${inYear('c.completed_on')})`)})`,
  },
  programs_carried_out_count: {
    ctes: `${everyone},
${serviceRunsCte},
num as (select distinct s.k, p.educator_id from service_runs s
  join profdev_api.course_application ap on ap.run_id = s.run_id and ap.status = 'completed'
  join population p on p.k = s.k and p.educator_id = ap.educator_id),
num_n as (select k, count(distinct program_id) as n from service_runs group by k)`,
    counts: { numerator: true },
  },
  mentoring_count: {
    ctes: `${everyone},
-- mentors and mentees of each asked period (one hash join, not an ORed lookup per educator)
mentoring as (
  select distinct a.period_from, x.educator_id
  from (select distinct period_from, period_to from asked) a
  join (
    select mentor_id as educator_id, started_on, ended_on from profdev_api.mentorship
    union all
    select mentee_id, started_on, ended_on from profdev_api.mentorship
  ) x on x.started_on <= a.period_to and (x.ended_on is null or x.ended_on >= a.period_from)
),
num as (select p.k, p.educator_id from population p join mentoring m on m.period_from = p.period_from and m.educator_id = p.educator_id)`,
  },
  networked_events_count: {
    ctes: `${everyone},
num as (${populationWhere(`exists (select 1 from events_api.participation pa join events_api.event ev on ev.id = pa.event_id
  where pa.educator_id = p.educator_id and ev.kind = 'networked_event' and ev.status <> 'cancelled' and not pa.is_waitlisted
  and (pa.is_attended or pa.role <> 'listener') and ev.starts_on <= p.period_to and ev.ends_on >= p.period_from)`)})`,
  },
  no_complaints: {
    ctes: `${everyone},
complaints as (
  select a.k, c.id, c.educator_id
  from profdev_api.complaint c
  left join staff_api.organization o on o.id = c.organization_id
  cross join lateral (values ('region', '${regionId}'::uuid), ('municipality', coalesce(c.municipality_id, o.municipality_id)), ('organization', c.organization_id)) sk(kind, id)
  join asked a on a.kind = sk.kind and a.id = sk.id
  where c.received_on between a.period_from and a.period_to
),
num_n as (select k, count(distinct id) as n from complaints group by k),
num as (select distinct c.k, c.educator_id from complaints c join population p on p.k = c.k and p.educator_id = c.educator_id)`,
    counts: { numerator: true },
    yes: 'n = 0',
  },
  competition_applicants_count: {
    ctes: `${everyone},
num as (${populationWhere(`exists (select 1 from events_api.competition_application ap where ap.educator_id = p.educator_id
  and ap.status <> 'withdrawn' and ${inYear('ap.filed_on')})`)})`,
  },
};

function valueExpression(kind: IndicatorKind, yes: string | undefined): string {
  switch (kind) {
    case 'share': return 'case when pop = 0 or d = 0 then null else round(100.0 * n / d, 1) end';
    case 'ratio': return 'case when pop = 0 or d = 0 then null else round(n::numeric / d, 1) end';
    case 'count': return 'case when pop = 0 then null else n end';
    case 'yes_no': return `case when pop = 0 or d = 0 then null when ${yes} then 1 else 0 end`;
  }
}

/**
 * One statement: for every asked row, the population's size, the numerator, the denominator, the value and the
 * reason a value is null. Binding: the asked rows as JSON.
 */
export function valuesStatement(code: IndicatorCode, kind: IndicatorKind): string {
  const sql = indicatorSql[code];
  const numCount = sql.counts?.numerator ? '' : ', num_n as (select k, count(*) as n from num group by k)';
  const denCount = sql.counts?.denominator ? '' : ', den_n as (select k, count(*) as n from den group by k)';
  return `with ${shared},
${sql.ctes}${numCount}${denCount},
pop_n as (select k, count(*) as n from population group by k),
counted as (
  select a.k, coalesce(pp.n, 0)::integer as pop, coalesce(nn.n, 0)::integer as n, coalesce(dd.n, 0)::integer as d
  from asked a left join pop_n pp on pp.k = a.k left join num_n nn on nn.k = a.k left join den_n dd on dd.k = a.k
)
select k, pop as population, n as numerator, d as denominator, (${valueExpression(kind, sql.yes)})::float8 as value,
       case when pop = 0 then 'empty_scope' when d = 0 then 'no_denominator' end as reason
from counted`;
}

/**
 * One statement: a page of the educators behind the numerator (`side` num) or denominator (den) of every asked row,
 * by id after `after_id` (or the last before `before_id` when `backward`), at most `lim` rows each; plus one row per asked row with the list's total (educator_id null).
 */
export function drillDownStatement(code: IndicatorCode, side: 'num' | 'den'): string {
  return `with ${shared},
${indicatorSql[code].ctes},
page as (
  -- backward (last/before): the rows nearest before before_id, counted from it down
  select l.k, l.educator_id,
    row_number() over (partition by l.k order by case when a.backward then l.educator_id end desc, l.educator_id) as rn
  from ${side} l join asked a on a.k = l.k
  where (a.after_id is null or l.educator_id > a.after_id) and (a.before_id is null or l.educator_id < a.before_id)
)
select p.k, p.educator_id, null::integer as total from page p join asked a on a.k = p.k where p.rn <= a.lim
union all
select k, null, count(*)::integer from ${side} group by k`;
}
