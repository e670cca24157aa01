import { GraphQLScalarType, Kind, print, valueFromASTUntyped, type ValueNode } from 'graphql';
import { badInput } from './errors';
import { logger } from './logger';
import { AcademicYearScalar } from './period';

/**
 * The years a Date or DateTime may name: 1900 to 2100. Nothing in the service's domain (births, employments,
 * attestations, events, plans) lies outside them, and PostgreSQL would take year 0000 as 1 BC and year 10000 as a
 * day it cannot print back the way it was written. A value outside is BAD_USER_INPUT before any resolver runs.
 */
export const dateWindow = { minYear: 1900, maxYear: 2100 } as const;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written YYYY-MM-DD (rejects 2024-02-30). */
export function isIsoDate(value: string): boolean {
  const m = datePattern.exec(value);
  if (!m) return false;
  const d = new Date(0);
  d.setUTCFullYear(+m[1], +m[2] - 1, +m[3]); // unlike Date.UTC, keeps years 0–99 as written
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

const inWindow = (year: number) => year >= dateWindow.minYear && year <= dateWindow.maxYear;

/** A real calendar day written YYYY-MM-DD within `dateWindow` (1900–2100): what every date input must be. */
export function isSaneDate(value: string): boolean {
  return isIsoDate(value) && inWindow(Number(value.slice(0, 4)));
}

const windowWords = `between ${dateWindow.minYear}-01-01 and ${dateWindow.maxYear}-12-31`;

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isIsoDate(value)) throw badInput(`Date must be a calendar day written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  if (!isSaneDate(value)) throw badInput(`Date must be ${windowWords}, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Serializing never throws. A value that is not a day in the window can only come from the database (a row written
 * before the window existed, or by hand): it is passed on as PostgreSQL printed it ("0001-06-01 BC") and logged,
 * so one odd row shows its odd value instead of nulling the whole list it is in for everybody.
 */
function serializeOdd(scalar: string, value: unknown): string {
  logger.warn({ scalar, value: String(value) }, 'a stored value outside the date window was sent as it is');
  return String(value);
}

function serializeDate(value: unknown): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return serializeOdd('Date', value);
    const iso = value.toISOString().slice(0, 10);
    return isSaneDate(iso) ? iso : serializeOdd('Date', iso);
  }
  return typeof value === 'string' && isSaneDate(value) ? value : serializeOdd('Date', value);
}

/** A calendar day without time or zone, `2024-09-01`. Stored as SQL `date`, carried as a string end to end. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar day, YYYY-MM-DD (ISO 8601), without time zone, from 1900-01-01 to 2100-12-31.',
  serialize: serializeDate,
  parseValue: parseDate,
  parseLiteral: (ast: ValueNode) => parseDate(ast.kind === Kind.STRING ? ast.value : print(ast)),
});

const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || !dateTimePattern.test(value) || Number.isNaN(Date.parse(value)) || !isIsoDate(value.slice(0, 10))) {
    throw badInput(`DateTime must be ISO 8601 with a zone offset, e.g. 2024-09-01T10:00:00+03:00, got ${JSON.stringify(value)}`);
  }
  // Both the day as written and the instant in UTC: 2100-12-31T23:00-05:00 is already 2101 in UTC.
  if (!isSaneDate(value.slice(0, 10)) || !inWindow(new Date(value).getUTCFullYear())) {
    throw badInput(`DateTime must be ${windowWords} (in UTC too), got ${JSON.stringify(value)}`);
  }
  return value;
}

function serializeDateTime(value: unknown): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return serializeOdd('DateTime', value);
    return inWindow(value.getUTCFullYear()) ? value.toISOString() : serializeOdd('DateTime', value.toISOString());
  }
  try {
    return new Date(parseDateTime(value)).toISOString();
  } catch {
    return serializeOdd('DateTime', value);
  }
}

/** An instant, ISO 8601 with an offset. Serialized in UTC. */
export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with a zone offset (2024-09-01T10:00:00+03:00), in the years 1900 to 2100; returned in UTC.',
  serialize: serializeDateTime,
  parseValue: parseDateTime,
  parseLiteral: (ast: ValueNode) => parseDateTime(ast.kind === Kind.STRING ? ast.value : print(ast)),
});

/** Any JSON value, passed through as it is (audit log rows). Literals are read whole, variables included. */
export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'Any JSON value: an object, a list, a string, a number, a boolean or null.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

/** Scalars every subgraph may declare; a subgraph gets the ones its SDL declares. */
export const scalarResolvers: Record<string, GraphQLScalarType> = { Date: DateScalar, DateTime: DateTimeScalar, AcademicYear: AcademicYearScalar, JSON: JsonScalar };
