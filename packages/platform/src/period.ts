import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import type { Knex } from 'knex';
import { badInput } from './errors';

/**
 * Periods and terms (docs/architecture.md, rule 8). A period is [from, to] with both days included. The default period of
 * the service is the academic year, written 2024/2025: 1 September 2024 to 31 August 2025.
 */
export interface Period {
  from: string;
  to: string;
}

const academicYearPattern = /^(\d{4})\/(\d{4})$/;

/** The days of an academic year; BAD_USER_INPUT for anything but "YYYY/YYYY+1". */
export function academicYearPeriod(value: string, field = 'academicYear'): Period {
  const match = academicYearPattern.exec(value);
  if (!match || Number(match[2]) !== Number(match[1]) + 1 || Number(match[1]) < 1900 || Number(match[1]) > 2200) {
    throw badInput(`${field} must be written like 2024/2025 (two consecutive years), got ${JSON.stringify(value)}`, field);
  }
  return { from: `${match[1]}-09-01`, to: `${match[2]}-08-31` };
}

/** The academic year a day falls in: 2024-09-01 and 2025-08-31 are both in 2024/2025. */
export function academicYearOf(day: string): string {
  const year = Number(day.slice(0, 4));
  const start = day.slice(5) >= '09-01' ? year : year - 1;
  return `${start}/${start + 1}`;
}

function parseAcademicYear(value: unknown): string {
  if (typeof value !== 'string') throw badInput(`AcademicYear must be a string like 2024/2025, got ${JSON.stringify(value)}`);
  academicYearPeriod(value);
  return value;
}

export const AcademicYearScalar = new GraphQLScalarType<string, string>({
  name: 'AcademicYear',
  description: 'An academic year, written 2024/2025: from 1 September 2024 to 31 August 2025, both days included.',
  serialize: parseAcademicYear,
  parseValue: parseAcademicYear,
  parseLiteral: (ast: ValueNode) => parseAcademicYear(ast.kind === Kind.STRING ? ast.value : undefined),
});

/**
 * The period a query with `on` / `academicYear` arguments asks about: one day, a year, or (neither) `defaultDay`.
 * Both at once is ambiguous: BAD_USER_INPUT.
 */
export function periodOf(args: { on?: string | null; academicYear?: string | null }, defaultDay: string): Period {
  if (args.on && args.academicYear) throw badInput('give either on or academicYear, not both', 'academicYear');
  if (args.academicYear) return academicYearPeriod(args.academicYear);
  const day = args.on ?? defaultDay;
  return { from: day, to: day };
}

/** A term [validFrom, validTo] (validTo null: open) shares at least one day with the period. */
export function termOverlaps(term: { validFrom: string; validTo: string | null }, period: Period): boolean {
  return term.validFrom <= period.to && (term.validTo === null || term.validTo >= period.from);
}

/** The same condition in SQL, for columns holding a term's first and last day. */
export function whereTermOverlaps(query: Knex.QueryBuilder, fromColumn: string, toColumn: string, period: Period): Knex.QueryBuilder {
  return query.where(fromColumn, '<=', period.to).where((q) => q.whereNull(toColumn).orWhere(toColumn, '>=', period.from));
}

/** Adds whole years to a day; 29 February plus a non-leap number of years is 28 February. */
export function addYears(isoDate: string, years: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const target = new Date(0);
  target.setUTCFullYear(y + years, m - 1, d);
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const target = new Date(0);
  target.setUTCFullYear(y, m - 1, d + days);
  return target.toISOString().slice(0, 10);
}

/** Whole years from `start` to `day` (age, years of work); negative before the start. */
export function fullYearsBetween(start: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(start.slice(0, 4));
  return addYears(start, years) <= day ? years : years - 1;
}

/** Today as a calendar day in a time zone (Moscow by default: most of the country's offices keep it). */
export function today(timeZone = 'Europe/Moscow'): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    // Building a formatter costs ~0.3 ms (bench/ profile); one per zone is kept.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(new Date());
}
const dayFormats = new Map<string, Intl.DateTimeFormat>();
