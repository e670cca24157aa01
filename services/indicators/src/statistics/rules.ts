import { academicYearPeriod, appError, badInput, isUuid } from '@mms/platform';
import {
  closedValues, dimensionSql, educatorDimensions, idDimensions, isEducatorDimension, maxDimensions, subjects,
  type Dimension, type Measure, type Subject,
} from './model';
import type { Condition } from './store';

/**
 * The rules of statistics, apart from SQL: which combinations are valid, the periods, and small-cell protection.
 */

/** Groups of fewer educators than this are suppressed for callers without personal data (analysts). */
export const smallCellThreshold = 5;

const invalid = (message: string, field: string) => appError('BAD_USER_INPUT', message, { field, reason: 'INVALID_COMBINATION' });

export interface StatisticsArgs {
  subject: Subject;
  measures: Measure[];
  groupBy: Dimension[];
  filter: Condition[];
  on: string | null;
  academicYear: string | null;
  academicYears: string[] | null;
}

export interface Period { y: string; f: string; t: string }

/** The periods asked: exactly one of `on`, `academicYear`, `academicYears` (1 to 10 distinct years). */
export function periodsOf(args: Pick<StatisticsArgs, 'on' | 'academicYear' | 'academicYears'>): { periods: Period[]; isYears: boolean } {
  const given = [args.on != null, args.academicYear != null, args.academicYears != null].filter(Boolean).length;
  if (given !== 1) throw badInput('give exactly one of on, academicYear, academicYears', 'on');
  if (args.on) return { periods: [{ y: args.on, f: args.on, t: args.on }], isYears: false };
  const years = args.academicYear ? [args.academicYear] : args.academicYears!;
  if (years.length < 1 || years.length > 10) throw badInput('academicYears: give 1 to 10 academic years', 'academicYears');
  if (new Set(years).size !== years.length) throw badInput('academicYears: a year is given twice', 'academicYears');
  return { periods: years.map((y) => { const period = academicYearPeriod(y); return { y, f: period.from, t: period.to }; }), isYears: true };
}

function checkDimension(subject: Subject, dimension: Dimension, isYears: boolean, field: string): void {
  if (!dimensionSql(subject, dimension)) throw invalid(`${field}: ${dimension.toUpperCase()} does not apply to ${subject.toUpperCase()}`, field);
  if (dimension === 'academic_year' && !isYears) throw invalid(`${field}: ACADEMIC_YEAR needs academicYear or academicYears`, field);
}

/** Checks a condition list (filter or cell): dimensions valid for the subject, values well formed. */
export function checkConditions(subject: Subject, conditions: Condition[], isYears: boolean, field: string): void {
  conditions.forEach((condition, i) => {
    const at = `${field}.${i}`;
    checkDimension(subject, condition.dimension, isYears, `${at}.dimension`);
    if (condition.values.length < 1 || condition.values.length > 2000) throw badInput(`${at}.values: give 1 to 2,000 values`, `${at}.values`);
    const closed = closedValues[condition.dimension];
    for (const value of condition.values) {
      if (value === null) continue;
      if (closed && !closed.includes(value)) throw badInput(`${at}.values: ${value} is not one of ${closed.join(', ')}`, `${at}.values`);
      if (idDimensions.has(condition.dimension) && !isUuid(value)) throw badInput(`${at}.values: ${value} is not an id`, `${at}.values`);
    }
  });
}

/** Checks a whole request: BAD_USER_INPUT (reason INVALID_COMBINATION for a combination the model does not allow). */
export function checkRequest(args: StatisticsArgs, isYears: boolean): void {
  const { subject, measures, groupBy } = args;
  if (!measures.length) throw badInput('measures: give at least one measure', 'measures');
  if (groupBy.length > maxDimensions) throw badInput(`groupBy: at most ${maxDimensions} dimensions`, 'groupBy');
  if (new Set(groupBy).size !== groupBy.length) throw badInput('groupBy: a dimension is given twice', 'groupBy');
  groupBy.forEach((dimension) => checkDimension(subject, dimension, isYears, 'groupBy'));
  if (isYears && (args.academicYears?.length ?? 1) > 1 && !groupBy.includes('academic_year')) {
    throw invalid('groupBy: several academicYears need ACADEMIC_YEAR among the dimensions', 'groupBy');
  }
  checkConditions(subject, args.filter, isYears, 'filter');
  const definition = subjects[subject];
  if (definition.standalone) {
    const personal = measures.find((measure) => measure === 'educators' || measure === 'share');
    if (personal) throw invalid(`measures: ${subject.toUpperCase()} has no educators: ${personal.toUpperCase()} does not apply`, 'measures');
  }
  if (measures.includes('share')) {
    if (subject === 'educators' || subject === 'employments') throw invalid(`measures: SHARE does not apply to ${subject.toUpperCase()} (every educator of the population has one)`, 'measures');
    const factDimension = groupBy.find((dimension) => !isEducatorDimension(subject, dimension));
    if (factDimension) throw invalid(`measures: SHARE is of a population of educators: ${factDimension.toUpperCase()} is not an educator dimension`, 'measures');
  }
  if ((measures.includes('sum') || measures.includes('average')) && !(definition.self?.value ?? definition.value)) {
    throw invalid(`measures: ${subject.toUpperCase()} has no numeric fact to sum or average`, 'measures');
  }
}

/**
 * Facts derived from personal dates (age, experience, early career, under 35) are judged on the period's first day;
 * a caller without personal data may use them only when that day is a 1 September (an academic year, or `on` a
 * 1 September), so that no series of days bisects a birthday (the platform's dateFact rule).
 */
export function checkDateFacts(dimensions: Dimension[], periods: Period[], mayReadPersonal: boolean): void {
  if (mayReadPersonal) return;
  const dateFact = dimensions.find((dimension) => educatorDimensions[dimension]?.isDateFact);
  if (dateFact && periods.some((period) => !period.f.endsWith('-09-01'))) {
    throw appError('FORBIDDEN', `${dateFact.toUpperCase()} is derived from personal data: without personal data, count it on a 1 September (or an academic year)`, { field: 'on' });
  }
}

export interface Figures { people: number; population: number | null; isSuppressed: boolean }

/**
 * Small-cell protection for callers without personal data: a group with 1 to threshold − 1 educators (for SHARE, in
 * its population) is suppressed. When exactly one group is suppressed, the next smallest group is suppressed too, so
 * that the total minus the shown groups does not give it back (secondary suppression). The total is suppressed only
 * when it is itself a small cell. Returns how many rows are suppressed.
 */
export function suppressSmallCells(rows: Figures[], total: Figures, isShare: boolean, threshold = smallCellThreshold): number {
  const people = (row: Figures) => (isShare ? row.population ?? 0 : row.people);
  const small = (row: Figures) => people(row) > 0 && people(row) < threshold;
  for (const row of rows) row.isSuppressed = small(row);
  let suppressed = rows.filter((row) => row.isSuppressed).length;
  if (suppressed === 1 && rows.length > 1) {
    const next = rows.filter((row) => !row.isSuppressed).sort((a, b) => people(a) - people(b))[0];
    next.isSuppressed = true;
    suppressed += 1;
  }
  total.isSuppressed = small(total);
  return suppressed;
}
