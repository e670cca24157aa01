import type { Knex } from 'knex';
import type { ValueScope } from '../scope';
import { dimensionSql, educatorDimensions, isEducatorDimension, subjects, type Dimension, type PopulationNeed, type Subject } from './model';

/**
 * The SQL of statistics: one statement per request over the published views, whatever the grouping.
 *
 *   asked(y, f, t)       the periods: one row per academic year asked, or the day asked (f = t)
 *   cat(y, educator_id)  the category in force on each period's first day (only when a dimension needs it)
 *   pop                  the population: every employment in the scope in force on a day of the period, with its
 *                        organization and the educator's facts on the period's first day; filtered (popf) by the
 *                        conditions on educator dimensions
 *   base                 the subject's rows (a lateral subquery per population row, over the owners' indexes on
 *                        educator_id), with the dimension values d0…dn, the row's id, its educator and numeric fact
 *
 * Rows count distinct ids (an educator of two organizations is one educator of their municipality, and one of each
 * organization); the total counts distinct ids over everything, so it is not the sum of the rows.
 */
export interface Condition { dimension: Dimension; values: (string | null)[] }

export interface StatisticsRequest {
  subject: Subject;
  groupBy: Dimension[];
  conditions: Condition[];
  scope: ValueScope;
  periods: { y: string; f: string; t: string }[];
  /** Whether the denominator of SHARE (the population of each group) is computed. */
  withShare: boolean;
}

export interface StatisticsSqlRow {
  is_total: boolean;
  values: (string | null)[];
  labels: (string | null)[];
  count: number;
  people: number;
  sum: number | null;
  average: number | null;
  population: number | null;
  share_people: number | null;
}

const categoryRank = `case c.category when 'methodologist' then 5 when 'mentor' then 4 when 'highest' then 3 when 'first' then 2 else 1 end`;

class Sql {
  readonly bindings: Knex.RawBinding[] = [];
  bind(value: Knex.RawBinding): string {
    this.bindings.push(value);
    return '?';
  }
}

function needsOf(request: Pick<StatisticsRequest, 'groupBy' | 'conditions' | 'subject'>, extra: Dimension[] = []): Set<PopulationNeed> {
  const needs = new Set<PopulationNeed>();
  for (const dimension of [...request.groupBy, ...request.conditions.map((c) => c.dimension), ...extra]) {
    if (!isEducatorDimension(request.subject, dimension)) continue;
    const need = educatorDimensions[dimension]?.needs;
    if (need) needs.add(need);
  }
  return needs;
}

function conditionSql(sql: Sql, expression: string, values: (string | null)[]): string {
  const given = values.filter((v): v is string => v !== null);
  const parts: string[] = [];
  if (given.length) parts.push(`(${expression})::text = any(${sql.bind(given)}::text[])`);
  if (values.some((v) => v === null)) parts.push(`(${expression}) is null`);
  return `(${parts.join(' or ')})`;
}

/** The CTEs asked, cat, pop, popf and base, with the grouped dimensions as d0…dn in base (and in popf for SHARE). */
function baseCtes(sql: Sql, request: StatisticsRequest, cell: Condition[] = [], withPopulation = false): { ctes: string; dims: string[] } {
  const { subject } = request;
  const definition = subjects[subject];
  const conditions = [...request.conditions, ...cell];
  const needs = needsOf({ ...request, conditions });
  // Bindings are positional: every piece is built in the order it appears in the statement.
  // The limit is the number of periods: the planner's estimate of a function's rows (100) would make it plan millions
  // of population rows, sort instead of hash, and spill to disk.
  const asked = `asked as (select a.y, a.f, a.t from json_to_recordset(${sql.bind(JSON.stringify(request.periods))}::json) as a(y text, f date, t date)
  limit ${Number(request.periods.length)})`;
  const scope = request.scope;
  const scopeCondition = scope.kind === 'region' ? '' : scope.kind === 'municipality'
    ? ` and m.municipality_id = ${sql.bind(scope.id)}::uuid` : ` and m.organization_id = ${sql.bind(scope.id)}::uuid`;
  const cat = needs.has('category') ? `,
cat as (
  select a.y, c.educator_id, (array['conformity', 'first', 'highest', 'mentor', 'methodologist'])[max(${categoryRank})] as category
  from asked a join staff_api.category_award c on c.awarded_on <= a.f and c.valid_until >= a.f
  group by a.y, c.educator_id
)` : '';
  const educatorColumns = needs.has('educator') ? `,
    extract(year from age(a.f, e.birth_date))::integer as age,
    case when e.pedagogical_work_started_on is null then null
         else greatest(0, extract(year from age(a.f, e.pedagogical_work_started_on))::integer) end as experience,
    e.birth_date > (a.f - interval '35 years')::date as is_under_35,
    coalesce(e.pedagogical_work_started_on > (a.f - interval '3 years')::date, false) as is_early_career` : '';
  // popf (the population cut by the educator conditions) is needed for SHARE and for a drill-down's population; without
  // it, pop is read once and inlined rather than written out.
  const withPopf = request.withShare || withPopulation;
  const pop = `,
pop as ${withPopf ? '' : 'not materialized '}(
  select a.y, a.f, a.t, m.educator_id, m.id as employment_id, m.municipality_id, m.organization_id, o.kind as organization_kind,
    m.position, m.staff_category, m.rate${educatorColumns}${needs.has('category') ? ', cat.category' : ''}
  from asked a
  join staff_api.employment m on m.started_on <= a.t and (m.ended_on is null or m.ended_on >= a.f)${scopeCondition}
  join staff_api.organization o on o.id = m.organization_id
  ${needs.has('educator') ? 'join staff_api.educator e on e.id = m.educator_id' : ''}
  ${needs.has('category') ? 'left join cat on cat.y = a.y and cat.educator_id = m.educator_id' : ''}
)`;
  // Bound only when popf is written (bindings are positional).
  const educatorConditions = !withPopf ? [] : conditions.filter((c) => isEducatorDimension(subject, c.dimension))
    .map((c) => conditionSql(sql, educatorDimensions[c.dimension]!.sql, c.values));
  const dims = request.groupBy.map((dimension) => dimensionSql(subject, dimension)!);
  const educatorDims = request.groupBy.map((dimension, i) => (isEducatorDimension(subject, dimension) ? `${dims[i]} as d${i}` : `null::text as d${i}`));
  const popf = !withPopf ? '' : `,
popf as (
  select p.educator_id${educatorDims.length ? `, ${educatorDims.join(', ')}` : ''}
  from pop p ${educatorConditions.length ? `where ${educatorConditions.join(' and ')}` : ''}
)`;
  const factDimensions = new Set([...request.groupBy, ...conditions.map((c) => c.dimension)].filter((d) => !isEducatorDimension(subject, d)));
  const from = definition.facts ? `pop p cross join lateral ${definition.facts(factDimensions)}` : 'pop p';
  const factId = definition.self?.factId ?? 'x.fact_id';
  const value = definition.self ? (definition.self.value ?? 'null::numeric') : (definition.value ?? 'null::numeric');
  // Educator conditions bind before fact conditions: the same order as in popf, for base's own copy.
  const baseEducatorConditions = conditions.filter((c) => isEducatorDimension(subject, c.dimension))
    .map((c) => conditionSql(sql, educatorDimensions[c.dimension]!.sql, c.values));
  const factConditions = conditions.filter((c) => !isEducatorDimension(subject, c.dimension))
    .map((c) => conditionSql(sql, dimensionSql(subject, c.dimension)!, c.values));
  const where = [...baseEducatorConditions, ...factConditions];
  const base = `,
base as (
  select ${dims.map((d, i) => `${d} as d${i}, `).join('')}${factId} as fact_id, p.educator_id, ${value}::float8 as v
  from ${from}
  ${where.length ? `where ${where.join(' and ')}` : ''}
)`;
  return { ctes: `with ${asked}${cat}${pop}${popf}${base}`, dims: request.groupBy.map((_, i) => `d${i}`) };
}

function labelSql(dimension: Dimension, column: string): string {
  switch (dimension) {
    case 'municipality': return `(select mu.name from staff_api.municipality mu where mu.id = ${column})`;
    case 'organization': return `(select coalesce(o.short_name, o.name) from staff_api.organization o where o.id = ${column})`;
    case 'competency': return `(select c.title from profdev_api.competency c where c.id = ${column})`;
    default: return 'null::text';
  }
}

/**
 * A subject with no educator (help requests): its rows in the periods and the scope, grouped; `people` is the row
 * count (small-cell protection counts requests), and there is no population. One statement.
 */
async function standaloneStatistics(db: Knex, request: StatisticsRequest): Promise<StatisticsSqlRow[]> {
  const sql = new Sql();
  const { subject, scope } = request;
  const definition = subjects[subject];
  const standalone = definition.standalone!;
  const asked = `asked as (select a.y, a.f, a.t from json_to_recordset(${sql.bind(JSON.stringify(request.periods))}::json) as a(y text, f date, t date)
  limit ${Number(request.periods.length)})`;
  const scopeCondition = scope.kind === 'region' ? '' : scope.kind === 'municipality'
    ? ` and ${standalone.municipality} = ${sql.bind(scope.id)}::uuid` : ` and ${standalone.organization} = ${sql.bind(scope.id)}::uuid`;
  const from = standalone.from(scopeCondition);
  const dims = request.groupBy.map((dimension) => dimensionSql(subject, dimension)!);
  const where = request.conditions.map((c) => conditionSql(sql, dimensionSql(subject, c.dimension)!, c.values));
  const cols = request.groupBy.map((_, i) => `d${i}`);
  const list = cols.join(', ');
  const arrays = cols.length ? `array[${cols.map((d) => `g.${d}::text`).join(', ')}]` : 'array[]::text[]';
  const labels = cols.length ? `array[${request.groupBy.map((dimension, i) => labelSql(dimension, `g.d${i}`)).join(', ')}]::text[]` : 'array[]::text[]';
  const statement = `with ${asked},
base as (
  select ${dims.map((d, i) => `${d} as d${i}, `).join('')}x.id::text as fact_id, ${definition.value ?? 'null::numeric'}::float8 as v
  from ${from}
  ${where.length ? `where ${where.join(' and ')}` : ''}
),
groups as (select ${cols.length ? `${list}, ` : ''}count(*)::integer as n, sum(v) as s, avg(v) as av from base ${cols.length ? `group by ${list}` : ''})
select false as is_total, ${arrays} as values, ${labels} as labels, g.n as count, g.n as people, g.s as sum, g.av as average,
  null::integer as population
from groups g
union all
select true, array[]::text[], array[]::text[], count(*)::integer, count(*)::integer, sum(v), avg(v), null::integer
from (select distinct fact_id, v from base) f
order by 1, 2`;
  const { rows } = await db.raw(statement, sql.bindings);
  return rows.map((row: StatisticsSqlRow) => ({ ...row, sum: row.sum === null ? null : Number(row.sum), average: row.average === null ? null : Number(row.average) }));
}

/** The statistics of a request: its groups and the total (is_total), one statement. */
export async function computeStatistics(db: Knex, request: StatisticsRequest): Promise<StatisticsSqlRow[]> {
  if (subjects[request.subject].standalone) return standaloneStatistics(db, request);
  const sql = new Sql();
  const { ctes, dims } = baseCtes(sql, request);
  const list = dims.join(', ');
  const groupList = dims.length ? `group by ${list}` : '';
  const selectDims = dims.length ? `${list}, ` : '';
  const arrays = (alias: string) => (dims.length
    ? `array[${dims.map((d) => `${alias}.${d}::text`).join(', ')}]`
    : 'array[]::text[]');
  const labels = (alias: string) => (dims.length
    ? `array[${request.groupBy.map((dimension, i) => labelSql(dimension, `${alias}.d${i}`)).join(', ')}]::text[]`
    : 'array[]::text[]');
  // Hash aggregates only (count(distinct) would sort every group): the subject's rows of each group once (cells), then
  // per educator and group, then per group; the population of each group likewise.
  const key = (alias: string, d: string) => `coalesce(${alias}.${d}::text, chr(1))`;
  const joinKeys = (a: string, b: string) => (dims.length ? dims.map((d) => `${key(a, d)} = ${key(b, d)}`).join(' and ') : 'true');
  const statement = `${ctes},
${request.subject === 'educators'
    // The subject is the population: its rows are its educators (fact_id = educator_id), one level less.
    ? `cells as (select distinct ${selectDims}educator_id from base),
groups as (select ${selectDims}count(*)::integer as n, count(*)::integer as people, null::float8 as s, null::float8 as av from cells ${groupList}),`
    : `cells as (select distinct ${selectDims}fact_id, educator_id, v from base),
per_educator as (select ${selectDims}educator_id, count(*) as n, sum(v) as s, count(v) as c from cells group by ${selectDims}educator_id),
groups as (select ${selectDims}coalesce(sum(n), 0)::integer as n, count(*)::integer as people, sum(s) as s, sum(s) / nullif(sum(c), 0) as av
  from per_educator ${groupList}),`}
${request.withShare ? `den as (select ${selectDims}count(*)::integer as people from (select distinct ${selectDims}educator_id from popf) e ${groupList}),
rows as (
  select ${dims.map((d) => `dn.${d}, `).join('')}coalesce(g.n, 0) as n, coalesce(g.people, 0) as people, g.s, g.av, dn.people as population
  from den dn left join groups g on ${joinKeys('dn', 'g')}
),` : `rows as (select g.*, null::integer as population from groups g),`}
people as (select count(*)::integer as n from (select distinct educator_id from base) e),
facts as (select distinct fact_id, v from base)
select false as is_total, ${arrays('r')} as values, ${labels('r')} as labels, r.n as count, r.people, r.s as sum, r.av as average,
  r.population
from rows r
union all
select true, array[]::text[], array[]::text[],
  ${request.subject === 'educators' ? '(select n from people)' : '(select count(*)::integer from facts)'}, (select n from people),
  ${request.subject === 'educators' ? 'null::float8, null::float8' : '(select sum(v) from facts), (select avg(v) from facts)'},
  ${request.withShare ? '(select count(*)::integer from (select distinct educator_id from popf) e)' : 'null::integer'}
order by 1, 2`;
  const { rows } = await db.raw(statement, sql.bindings);
  return rows.map((row: StatisticsSqlRow) => ({ ...row, sum: row.sum === null ? null : Number(row.sum), average: row.average === null ? null : Number(row.average) }));
}

/**
 * The educators behind a cell: the request's conditions plus the cell's, distinct, by id after `afterId`; with
 * `population`, the cell's population (educator dimensions only) instead of the subject's educators. One statement:
 * the page, and the list's total (the row whose id is null).
 */
export async function cellEducators(db: Knex, request: StatisticsRequest, cell: Condition[], population: boolean,
  afterId: string | null, limit: number): Promise<{ ids: string[]; total: number }> {
  const sql = new Sql();
  const { ctes } = baseCtes(sql, { ...request, groupBy: [], conditions: request.conditions }, cell, population);
  const source = population ? 'popf' : 'base';
  const statement = `${ctes},
ids as (select distinct educator_id from ${source}),
page as (select educator_id from ids where ${sql.bind(afterId)}::uuid is null or educator_id > ${sql.bind(afterId)}::uuid
  order by educator_id limit ${sql.bind(limit)})
select educator_id, null::integer as total from page
union all
select null, count(*)::integer from ids`;
  const { rows } = await db.raw(statement, sql.bindings) as { rows: { educator_id: string | null; total: number | null }[] };
  const ids = rows.filter((row) => row.educator_id !== null).map((row) => row.educator_id!).sort();
  const total = rows.find((row) => row.educator_id === null)?.total ?? 0;
  return { ids, total };
}

