import {
  defaultFieldResolver, isInputObjectType, isListType, isNonNullType, isObjectType, Kind,
  type DocumentNode, type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLSchema,
} from 'graphql';
import type { Viewer } from './auth';
import { forbidden, unauthenticated } from './errors';
import { academicYearOf, today } from './period';
import { can, type Action } from './policy';

/**
 * Personal data (152-FZ), classified by construction. Every field of a subgraph's schema (object fields, their
 * arguments, input fields) is named in ONE table of the subgraph (`services/<name>/src/classification.ts`), passed to
 * `defineSubgraph`; `subgraphSchema` refuses to build a schema with an unclassified field or a table naming a field
 * that is not there, and wraps the resolvers so the policy is enforced on every path, `_entities` included:
 *
 * - `open`: anyone who may read the row reads the value.
 * - `personal`: names, birth date and age, SNILS, contacts, identity-provider subjects, document numbers of a person.
 *   Needs 'personal:read'. A caller scoped to themself (an educator) reads them only on their own record: the entry
 *   names the parent's property holding the person's educator id, or the identity-provider subject of a person
 *   outside the registry (`personalOf('id')`, `personalOf('educatorId', 'subject')`); without one, never.
 *   As an argument or input field (a look-up or filter by it) it is refused, naming the argument, to callers without
 *   'personal:read'.
 * - `aboutPerson`: free text written about a person (complaints, support notes, conflict reasons, drop reasons) and
 *   the link that says a note concerns somebody. Needs 'person-notes:read' (which callers scoped to themself never
 *   have). As an argument of a read it is refused like a personal one; a mutation's argument is the note being
 *   written, governed by the mutation's own action.
 * - `dateFact(day…)`: a yes/no or a count derived from a personal date (under 35 from the birth date, early career
 *   and experience from the start of pedagogical work). Callers without 'personal:read' get it only on a 1 September
 *   (the day an academic year's counts are taken on), so it cannot be bisected into the date: an omitted day means
 *   1 September of the current academic year, any other day is FORBIDDEN. On an input field (a filter), the first
 *   of the named sibling fields given must be a 1 September, or an academic year (counted on its 1 September).
 *
 * A field classified other than `open` must be nullable: a refused value is null with a FORBIDDEN error on that
 * field, and the rest of the answer still answers.
 */
export type Sensitivity = 'open' | 'personal' | 'aboutPerson';

export interface ClassRule {
  is: Sensitivity | 'dateFact';
  /** personal: the parent's property holding the educator id the value is about (own-record reads). */
  person?: string;
  /** personal: the parent's property holding the identity-provider subject of a person outside the registry. */
  personSubject?: string;
  /** dateFact: the arguments (on a field) or sibling input fields (on an input field) that give the day. */
  days?: readonly string[];
}

export type ClassEntry = Sensitivity | ClassRule;

/** Type name → field name (or `field(argument)`) → class. */
export type Classification = Readonly<Record<string, Readonly<Record<string, ClassEntry>>>>;

export const open = 'open';
export const personal = 'personal';
export const aboutPerson = 'aboutPerson';
/** Personal data about the educator whose id is the parent's `person` property: they read it on their own record. */
export const personalOf = (person: string | null, personSubject?: string): ClassRule =>
  ({ is: 'personal', ...(person ? { person } : {}), ...(personSubject ? { personSubject } : {}) });
/** A fact derived from a personal date, asked on the day given by `days` (see above). */
export const dateFact = (...days: string[]): ClassRule => ({ is: 'dateFact', days });

export const classOf = (entry: ClassEntry): ClassRule['is'] => (typeof entry === 'string' ? entry : entry.is);

const rightFor: Record<'personal' | 'aboutPerson' | 'dateFact', Action> = {
  personal: 'personal:read',
  aboutPerson: 'person-notes:read',
  dateFact: 'personal:read',
};

const federationInternal = (name: string) => name.startsWith('_');

/** Every key the table must have for a subgraph's SDL: `Type.field` and `Type.field(argument)`. */
export function classifiableFields(typeDefs: DocumentNode): string[] {
  const keys = new Set<string>();
  for (const definition of typeDefs.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        for (const field of definition.fields ?? []) {
          if (federationInternal(field.name.value)) continue;
          keys.add(`${definition.name.value}.${field.name.value}`);
          for (const argument of field.arguments ?? []) keys.add(`${definition.name.value}.${field.name.value}(${argument.name.value})`);
        }
        break;
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        for (const field of definition.fields ?? []) keys.add(`${definition.name.value}.${field.name.value}`);
        break;
      default:
        break;
    }
  }
  return [...keys];
}

/** What is wrong with a table: fields of the schema it does not classify, and entries naming no field of the schema. */
export function classificationProblems(typeDefs: DocumentNode, table: Classification): string[] {
  const expected = new Set(classifiableFields(typeDefs));
  const given = new Set(Object.entries(table).flatMap(([type, fields]) => Object.keys(fields).map((field) => `${type}.${field}`)));
  const problems: string[] = [];
  for (const key of expected) if (!given.has(key)) problems.push(`unclassified: ${key}`);
  for (const key of given) if (!expected.has(key)) problems.push(`classified but not in the schema: ${key}`);
  // A refused root field is the whole answer to it (like a refused argument): only fields inside an answer must be nullable.
  const roots = new Set(['Query', 'Mutation']);
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const entry = table[definition.name.value]?.[field.name.value];
      if (entry && classOf(entry) !== 'open' && field.type.kind === Kind.NON_NULL_TYPE && !roots.has(definition.name.value)) {
        problems.push(`${definition.name.value}.${field.name.value} is ${classOf(entry)} and must be nullable (a refused value is null)`);
      }
    }
  }
  return problems;
}

/**
 * A subgraph's table with the entries of a feature's own table added, type by type (a feature that extends `Query`
 * or `Mutation` keeps its entries in its module; the subgraph's classification.ts merges them). An entry named twice
 * is an error, not an override.
 */
export function mergeClassifications(base: Classification, ...extras: Classification[]): Classification {
  const merged: Record<string, Record<string, ClassEntry>> = Object.fromEntries(Object.entries(base).map(([type, fields]) => [type, { ...fields }]));
  for (const extra of extras) {
    for (const [type, fields] of Object.entries(extra)) {
      merged[type] ??= {};
      for (const [field, entry] of Object.entries(fields)) {
        if (field in merged[type]) throw new Error(`classification: ${type}.${field} is classified twice`);
        merged[type][field] = entry;
      }
    }
  }
  return merged;
}

/** How many entries of each class a table holds (for the READMEs). */
export function classificationCounts(table: Classification): Record<ClassRule['is'], number> {
  const counts = { open: 0, personal: 0, aboutPerson: 0, dateFact: 0 };
  for (const fields of Object.values(table)) for (const entry of Object.values(fields)) counts[classOf(entry)] += 1;
  return counts;
}

interface WithViewer { viewer: Viewer }

/** The first day of the academic year a day falls in: the day counts of date-derived facts are taken on. */
export function firstSeptemberOf(day: string): string {
  return `${academicYearOf(day).slice(0, 4)}-09-01`;
}

const isFirstSeptember = (value: unknown) => typeof value === 'string' && /^\d{4}-09-01$/.test(value);
const isAcademicYear = (value: unknown) => typeof value === 'string' && /^\d{4}\/\d{4}$/.test(value);

function refusal(viewer: Viewer, what: string) {
  if (viewer.role === 'anonymous') return unauthenticated(`sign in: anonymous callers may not read ${what}`);
  return forbidden(`role ${viewer.role} may not read ${what}`);
}

/** May this viewer read a value of this class, on this parent (own-record rule for callers scoped to themself)? */
function mayRead(viewer: Viewer, rule: ClassRule, parent: unknown): boolean {
  if (rule.is === 'open') return true;
  if (!can(viewer, rightFor[rule.is])) return false;
  if (viewer.role !== 'educator') return true;
  if (rule.is === 'aboutPerson') return false;
  if (rule.is === 'dateFact') return true;
  const row = parent && typeof parent === 'object' ? (parent as Record<string, unknown>) : {};
  const own = (property: string | undefined, mine: string | undefined) =>
    property !== undefined && mine !== undefined && row[property] !== undefined && row[property] !== null && String(row[property]) === mine;
  return own(rule.person, viewer.educatorId) || own(rule.personSubject, viewer.subject);
}

const describe = { personal: 'personal data', aboutPerson: 'notes about a person', dateFact: 'personal data' } as const;

type Check = (value: unknown, viewer: Viewer, path: string, siblings?: Record<string, unknown>) => void;

/**
 * Wraps the schema's resolvers by the table: classified output fields answer FORBIDDEN to callers without the right,
 * classified arguments and input fields are refused when such a caller gives them. Called by `subgraphSchema`.
 */
export function enforceClassification(schema: GraphQLSchema, table: Classification): void {
  const inputChecks = new Map<string, Check | null>();

  const ruleOf = (type: string, field: string): ClassRule => {
    const entry = table[type]?.[field] ?? 'open';
    return typeof entry === 'string' ? { is: entry } : entry;
  };

  /** A check of one input value of a type, or null when nothing in it is classified. */
  const checkOfType = (type: GraphQLInputType, reading: boolean): Check | null => {
    if (isNonNullType(type) || isListType(type)) {
      const inner = checkOfType(type.ofType, reading);
      if (!inner) return null;
      return (value, viewer, path) => {
        if (Array.isArray(value)) value.forEach((item, index) => inner(item, viewer, `${path}.${index}`));
        else if (value !== null && value !== undefined) inner(value, viewer, path);
      };
    }
    if (!isInputObjectType(type)) return null;
    const key = `${type.name}:${reading}`;
    if (inputChecks.has(key)) return inputChecks.get(key)!;
    inputChecks.set(key, null); // recursive input types: the cycle itself adds nothing
    const fieldChecks: [string, Check][] = [];
    for (const field of Object.values(type.getFields())) {
      const own = valueCheck(ruleOf(type.name, field.name), reading);
      const nested = checkOfType(field.type, reading);
      if (own || nested) {
        fieldChecks.push([field.name, (value, viewer, path, siblings) => {
          own?.(value, viewer, path, siblings);
          nested?.(value, viewer, path);
        }]);
      }
    }
    const check: Check | null = fieldChecks.length === 0 ? null : (value, viewer, path) => {
      if (value === null || value === undefined || typeof value !== 'object') return;
      const object = value as Record<string, unknown>;
      for (const [name, fieldCheck] of fieldChecks) fieldCheck(object[name], viewer, `${path}.${name}`, object);
    };
    inputChecks.set(key, check);
    return check;
  };

  /** The check of one given argument or input field by its own class. */
  const valueCheck = (rule: ClassRule, reading: boolean): Check | null => {
    if (rule.is === 'open') return null;
    if (rule.is === 'aboutPerson' && !reading) return null;
    if (rule.is === 'dateFact') {
      const days = rule.days ?? [];
      if (days.length === 0) return null; // the day argument of a date fact: the field's own rule checks it
      return (value, viewer, path, siblings) => {
        if (value === null || value === undefined || can(viewer, 'personal:read')) return;
        const given = days.map((day) => siblings?.[day]).find((day) => day !== null && day !== undefined);
        if (isFirstSeptember(given) || isAcademicYear(given)) return;
        throw fieldRefusal(viewer, path, `is derived from personal data: ask it on a 1 September (${days.join(' or ')}: a 1 September or an academic year)`);
      };
    }
    const action = rightFor[rule.is];
    return (value, viewer, path) => {
      if (value === null || value === undefined || can(viewer, action)) return;
      throw fieldRefusal(viewer, path, `is ${describe[rule.is as 'personal' | 'aboutPerson']}: role ${viewer.role} may not filter or look up by it`);
    };
  };

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const reading = type.name !== 'Mutation';
    for (const field of Object.values(type.getFields())) {
      if (federationInternal(field.name)) continue;
      const rule = ruleOf(type.name, field.name);
      const argumentChecks = field.args.flatMap((argument) => {
        const check = argumentCheck(argument, ruleOf(type.name, `${field.name}(${argument.name})`), reading);
        return check ? [check] : [];
      });
      if (rule.is === 'open' && argumentChecks.length === 0) continue;
      wrap(type.name, field, rule, argumentChecks);
    }
  }

  function argumentCheck(argument: GraphQLArgument, rule: ClassRule, reading: boolean) {
    const own = valueCheck(rule, reading);
    const nested = checkOfType(argument.type, reading);
    if (!own && !nested) return null;
    return (args: Record<string, unknown>, viewer: Viewer) => {
      own?.(args[argument.name], viewer, argument.name, args);
      nested?.(args[argument.name], viewer, argument.name);
    };
  }
}

function fieldRefusal(viewer: Viewer, path: string, why: string) {
  // Anonymous callers are told to sign in, as by `authorize`, whatever they asked.
  const error = viewer.role === 'anonymous' ? unauthenticated(`sign in: ${path} ${why}`) : forbidden(`${path} ${why}`);
  error.extensions.field = path;
  error.extensions.role = viewer.role;
  return error;
}

function wrap(typeName: string, field: GraphQLField<unknown, unknown>, rule: ClassRule,
  argumentChecks: ((args: Record<string, unknown>, viewer: Viewer) => void)[]): void {
  const resolve = field.resolve ?? defaultFieldResolver;
  const name = `${typeName}.${field.name}`;
  field.resolve = (parent, args: Record<string, unknown>, context, info) => {
    const { viewer } = context as WithViewer;
    for (const check of argumentChecks) check(args, viewer);
    if (rule.is === 'open') return resolve(parent, args, context, info);
    if (rule.is === 'dateFact' && !can(viewer, 'personal:read')) {
      const [dayArgument] = rule.days ?? [];
      if (!dayArgument) throw refusal(viewer, `${describe.dateFact} (${name})`);
      const day = args[dayArgument];
      if (day === null || day === undefined) {
        return resolve(parent, { ...args, [dayArgument]: firstSeptemberOf(today()) }, context, info);
      }
      if (!isFirstSeptember(day)) {
        throw fieldRefusal(viewer, dayArgument, `of ${name} must be a 1 September for role ${viewer.role}: the fact is derived from personal data`);
      }
      return resolve(parent, args, context, info);
    }
    if (!mayRead(viewer, rule, parent)) throw refusal(viewer, `${describe[rule.is]} (${name})`);
    return resolve(parent, args, context, info);
  };
}

/** The classes of a schema's fields, by class, for documentation and tests. */
export function fieldsOfClass(table: Classification, is: ClassRule['is']): string[] {
  return Object.entries(table).flatMap(([type, fields]) =>
    Object.entries(fields).filter(([, entry]) => classOf(entry) === is).map(([field]) => `${type}.${field}`));
}
