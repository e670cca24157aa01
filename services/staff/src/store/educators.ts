import type { Knex } from 'knex';
import { academicYearPeriod, addYears, keysetPage, isIdKey, isTextAndIdKey, likePattern, today, translateUniqueViolation, whereTermOverlaps, type PageRequest, type PersonOrder, type Scope } from '@mms/platform';
import type { EducatorInput, EducatorPatch } from '../validate';
import { definedOnly } from './organizations';
import { whereEducatorInScope } from './scope';

export interface EducatorRow {
  id: string;
  lastName: string;
  firstName: string;
  patronymic: string | null;
  birthDate: string;
  snils: string;
  email: string | null;
  phone: string | null;
  pedagogicalWorkStartedOn: string | null;
  educationLevel: string | null;
  sortName: string;
  createdAt: Date;
  updatedAt: Date;
}

const columns = [
  'e.id', 'e.last_name as lastName', 'e.first_name as firstName', 'e.patronymic', 'e.birth_date as birthDate', 'e.snils',
  'e.email', 'e.phone', 'e.pedagogical_work_started_on as pedagogicalWorkStartedOn', 'e.education_level as educationLevel',
  'e.sort_name as sortName', 'e.created_at as createdAt', 'e.updated_at as updatedAt',
];
const snilsTaken: Record<string, [string, string]> = {
  educator_snils_key: ['an educator with this SNILS is already registered', 'input.snils'],
};

export interface EducatorFilter {
  organizationId?: string | null;
  municipalityId?: string | null;
  position?: string | null;
  nameContains?: string | null;
  employedOn?: string | null;
  /** An academic year, "2024/2025". */
  employedDuring?: string | null;
  earlyCareer?: boolean | null;
  under35?: boolean | null;
  /** The category in force on the facts day (the highest-ranking award valid that day, as Educator.category). */
  category?: string | null;
  staffCategory?: string | null;
  organizationKind?: string | null;
}

/** categoryRank of attestation.ts, in SQL. */
const categoryRankSql = (column: string) =>
  `case ${column} when 'methodologist' then 5 when 'mentor' then 4 when 'highest' then 3 when 'first' then 2 else 1 end`;

/**
 * The day early-career and under-35 are judged on: `employedOn`, else the first day of `employedDuring` (so "during
 * the year" means "at the start of it", the same day the indicators count from), else today.
 */
export function factsDay(filter: EducatorFilter): string {
  return filter.employedOn ?? (filter.employedDuring ? academicYearPeriod(filter.employedDuring, 'filter.employedDuring').from : today());
}

/** Early-career on a day: pedagogical work began less than three years before it (молодой специалист). */
export const earlyCareerSince = (day: string) => addYears(day, -3);
/** Under 35 on a day: born less than 35 years before it. */
export const under35Since = (day: string) => addYears(day, -35);

/** Name search folds case and ё the way the generated `sort_name` column does. */
export function searchWords(text: string): string[] {
  return text.toLowerCase().replaceAll('ё', 'е').split(/\s+/).filter(Boolean);
}

function filtered(db: Knex, scope: Scope, filter: EducatorFilter): Knex.QueryBuilder {
  const query = whereEducatorInScope(db('educator as e'), scope, 'e.id');
  const { organizationId, municipalityId, position, employedOn, staffCategory, organizationKind } = filter;
  const period = filter.employedDuring ? academicYearPeriod(filter.employedDuring, 'filter.employedDuring') : employedOn ? { from: employedOn, to: employedOn } : null;
  if (organizationId || municipalityId || position || period || staffCategory || organizationKind) {
    // One employment must satisfy all the employment conditions at once.
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('employment as f').whereRaw('f.educator_id = e.id');
      if (organizationId) sub.where('f.organization_id', organizationId);
      if (municipalityId) sub.whereIn('f.organization_id', db('organization').select('id').where('municipality_id', municipalityId));
      if (position) sub.whereRaw('lower(f.position) = lower(?)', [position.trim()]);
      if (period) whereTermOverlaps(sub, 'f.started_on', 'f.ended_on', period);
      if (staffCategory) sub.where('f.staff_category', staffCategory);
      if (organizationKind) sub.whereIn('f.organization_id', db('organization').select('id').where('kind', organizationKind));
    });
  }
  const day = factsDay(filter);
  const category = filter.category;
  if (category) {
    // Holds an award of this category valid on the day, and none of a higher rank (the category in force).
    query.whereExists((sub) => sub.select(db.raw('1')).from('category_award as a')
      .whereRaw('a.educator_id = e.id and a.category = ? and a.awarded_on <= ? and a.valid_until >= ?', [category, day, day]))
      .whereNotExists((sub) => sub.select(db.raw('1')).from('category_award as b')
        .whereRaw(`b.educator_id = e.id and b.awarded_on <= ? and b.valid_until >= ? and ${categoryRankSql('b.category')} > ${categoryRankSql('?::text')}`,
          [day, day, category]));
  }
  if (filter.earlyCareer === true) query.where('e.pedagogical_work_started_on', '>', earlyCareerSince(day));
  // unknown start of work: not known to be early-career
  if (filter.earlyCareer === false) query.where((q) => q.whereNull('e.pedagogical_work_started_on').orWhere('e.pedagogical_work_started_on', '<=', earlyCareerSince(day)));
  if (filter.under35 === true) query.where('e.birth_date', '>', under35Since(day));
  if (filter.under35 === false) query.where('e.birth_date', '<=', under35Since(day));
  for (const word of searchWords(filter.nameContains ?? '')) query.whereLike('e.sort_name', likePattern(word));
  return query;
}

/**
 * Educators a page at a time: by name, the cursor (sort_name, id); or, for a caller who may not read names, by id,
 * the cursor (id).
 */
export async function listEducators(db: Knex, scope: Scope, filter: EducatorFilter, page: PageRequest, order: PersonOrder): Promise<EducatorRow[]> {
  const query = filtered(db, scope, filter).select(columns);
  return order === 'name' ? keysetPage(query, page, ['e.sort_name', 'e.id'], { casts: [null, 'uuid'] })
    : keysetPage(query, page, ['e.id'], { casts: ['uuid'] });
}

export async function countEducators(db: Knex, scope: Scope, filter: EducatorFilter): Promise<number> {
  const unfiltered = Object.values(filter).every((value) => value === null || value === undefined);
  if (unfiltered && (scope.kind === 'municipality' || scope.kind === 'organization')) {
    // The same set (an educator belongs to a scope while they have or had an employment there), counted from the
    // scope's employments through the (organization_id, educator_id) index instead of testing every educator of the
    // region: bench/ measured the methodist's list count at 21 ms, a sequential scan of 70,000 educators.
    const query = db('employment as m').countDistinct({ count: 'm.educator_id' });
    if (scope.kind === 'organization') query.where('m.organization_id', scope.organizationId);
    else query.whereIn('m.organization_id', db('organization').select('id').where('municipality_id', scope.municipalityId));
    const [{ count }] = await query;
    return Number(count);
  }
  const [{ count }] = await filtered(db, scope, filter).count({ count: '*' });
  return Number(count);
}

/** The list of educators in one order: the name its cursors are sealed for, their shape, and a row's key. */
export const educatorOrders = {
  name: { list: 'staff.educators by name', isKey: isTextAndIdKey, keyOf: (row: EducatorRow) => [row.sortName, row.id] },
  id: { list: 'staff.educators by id', isKey: isIdKey, keyOf: (row: EducatorRow) => [row.id] },
} satisfies Record<PersonOrder, unknown>;

/** The educators among `ids` that the scope covers. */
export async function educatorsByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<EducatorRow[]> {
  return whereEducatorInScope(db('educator as e'), scope, 'e.id').select(columns).whereIn('e.id', ids);
}

export async function findEducator(db: Knex, where: { id: string } | { snils: string }, options: { forUpdate?: boolean } = {}): Promise<EducatorRow | undefined> {
  const query = db('educator as e').select(columns).where('id' in where ? { 'e.id': where.id } : { 'e.snils': where.snils }).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

export async function isEducatorInScope(db: Knex, scope: Scope, id: string): Promise<boolean> {
  return (await educatorsByIds(db, scope, [id])).length > 0;
}

export async function insertEducator(db: Knex, input: Omit<EducatorInput, 'employment'>): Promise<EducatorRow> {
  const [{ id }] = await translateUniqueViolation(() => db('educator').insert({
    last_name: input.lastName, first_name: input.firstName, patronymic: input.patronymic ?? null,
    birth_date: input.birthDate, snils: input.snils, email: input.email ?? null, phone: input.phone ?? null,
    pedagogical_work_started_on: input.pedagogicalWorkStartedOn ?? null, education_level: input.educationLevel ?? null,
  }).returning('id'), snilsTaken);
  return (await findEducator(db, { id }))!;
}

export async function updateEducator(db: Knex, id: string, patch: EducatorPatch): Promise<EducatorRow> {
  const changes = definedOnly({
    last_name: patch.lastName, first_name: patch.firstName, patronymic: patch.patronymic, birth_date: patch.birthDate,
    snils: patch.snils, email: patch.email, phone: patch.phone,
    pedagogical_work_started_on: patch.pedagogicalWorkStartedOn, education_level: patch.educationLevel,
  });
  await translateUniqueViolation(() => db('educator').where({ id }).update({ ...changes, updated_at: db.fn.now() }), snilsTaken);
  return (await findEducator(db, { id }))!;
}
