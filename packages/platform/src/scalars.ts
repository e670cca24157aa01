import { GraphQLScalarType, Kind, print, valueFromASTUntyped, type ValueNode } from 'graphql';
import { badInput } from './errors';
import { AcademicYearScalar } from './period';

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written YYYY-MM-DD (rejects 2024-02-30). */
export function isIsoDate(value: string): boolean {
  const m = datePattern.exec(value);
  if (!m) return false;
  const d = new Date(0);
  d.setUTCFullYear(+m[1], +m[2] - 1, +m[3]); // unlike Date.UTC, keeps years 0–99 as written
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isIsoDate(value)) throw badInput(`Date must be a calendar day written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

/** A calendar day without time or zone, `2024-09-01`. Stored as SQL `date`, carried as a string end to end. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar day, YYYY-MM-DD (ISO 8601), without time zone.',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : parseDate(value)),
  parseValue: parseDate,
  parseLiteral: (ast: ValueNode) => parseDate(ast.kind === Kind.STRING ? ast.value : print(ast)),
});

const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || !dateTimePattern.test(value) || Number.isNaN(Date.parse(value)) || !isIsoDate(value.slice(0, 10))) {
    throw badInput(`DateTime must be ISO 8601 with a zone offset, e.g. 2024-09-01T10:00:00+03:00, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** An instant, ISO 8601 with an offset. Serialized in UTC. */
export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with a zone offset (2024-09-01T10:00:00+03:00); returned in UTC.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(parseDateTime(value)).toISOString()),
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
