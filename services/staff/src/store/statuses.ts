/**
 * Statuses with terms: SQL of tables educator_status, organization_status and regional_methodist_assignment.
 * (Row types are the contract with the resolvers and the generated types; queries follow.)
 */

import type { Knex } from 'knex';
import { whereTermOverlaps, type Period, type PersonOrder, type Scope } from '@mms/platform';
import { whereEducatorInScope } from './scope';

export interface EducatorStatusRow {
  id: string;
  educatorId: string;
  kind: string;
  municipalityId: string | null;
  validFrom: string;
  validTo: string | null;
  documentNumber: string;
  documentDate: string;
  documentTitle: string | null;
}

export interface OrganizationStatusRow {
  id: string;
  organizationId: string;
  kind: string;
  direction: string;
  validFrom: string;
  validTo: string | null;
  documentNumber: string;
  documentDate: string;
  documentTitle: string | null;
}

export interface AssignmentRow {
  id: string;
  methodistId: string;
  educatorId: string;
  validFrom: string;
  validTo: string | null;
}

const educatorStatusColumns = [
  's.id', 's.educator_id as educatorId', 's.kind', 's.municipality_id as municipalityId', 's.valid_from as validFrom',
  's.valid_to as validTo', 's.document_number as documentNumber', 's.document_date as documentDate', 's.document_title as documentTitle',
];
const organizationStatusColumns = [
  's.id', 's.organization_id as organizationId', 's.kind', 's.direction', 's.valid_from as validFrom', 's.valid_to as validTo',
  's.document_number as documentNumber', 's.document_date as documentDate', 's.document_title as documentTitle',
];
const assignmentColumns = ['a.id', 'a.methodist_id as methodistId', 'a.educator_id as educatorId', 'a.valid_from as validFrom', 'a.valid_to as validTo'];

/** The period a list field asks about; null for every term (the history). */
export type AskedPeriod = Period | null;

/** A term in force on at least one day of the period; every term when there is no period (the history). */
function during(query: Knex.QueryBuilder, alias: string, period: AskedPeriod): Knex.QueryBuilder {
  return period ? whereTermOverlaps(query, `${alias}.valid_from`, `${alias}.valid_to`, period) : query;
}

/** Narrows a list to a municipality or an organization (ScopeInput); the scope's own condition applies besides. */
export interface StatusNarrowing {
  municipalityId?: string | null;
  organizationId?: string | null;
}

/** Educators with an employment in the organization (or an organization of the municipality) during the period. */
function whereEmployedDuring(query: Knex.QueryBuilder, educatorId: string, period: Period, where: { organizationId?: string; municipalityId?: string }) {
  return query.whereExists((sub) => {
    sub.select(sub.client.raw('1')).from('employment as n').whereRaw('n.educator_id = ??', [educatorId]);
    if (where.organizationId) sub.where('n.organization_id', where.organizationId);
    if (where.municipalityId) {
      sub.whereIn('n.organization_id', (q) => q.select('id').from('organization').where('municipality_id', where.municipalityId!));
    }
    whereTermOverlaps(sub, 'n.started_on', 'n.ended_on', period);
  });
}

// ---- educator statuses ----

/**
 * Statuses of one kind held during the period by the educators the scope covers, by the educator's name (or, for a
 * caller who may not read names, by the educator's id).
 * A municipality narrows council and active memberships to that municipality's body, and regional methodists to those
 * employed there during the period; an organization narrows to the educators employed there during the period.
 */
export async function listEducatorStatuses(db: Knex, scope: Scope, kind: string, period: Period, narrowing: StatusNarrowing, order: PersonOrder): Promise<EducatorStatusRow[]> {
  const query = db('educator_status as s').join('educator as e', 'e.id', 's.educator_id').select(educatorStatusColumns).where('s.kind', kind)
    .orderBy([...(order === 'name' ? ['e.sort_name'] : []), 'e.id', 's.valid_from', 's.id']);
  whereEducatorInScope(query, scope, 's.educator_id');
  during(query, 's', period);
  if (narrowing.municipalityId) {
    if (kind === 'regional_methodist') whereEmployedDuring(query, 's.educator_id', period, { municipalityId: narrowing.municipalityId });
    else query.where('s.municipality_id', narrowing.municipalityId);
  }
  if (narrowing.organizationId) whereEmployedDuring(query, 's.educator_id', period, { organizationId: narrowing.organizationId });
  return query;
}

/** Statuses of the given educators (already checked against the scope) during the period, latest first. */
export async function educatorStatusesByEducators(db: Knex, educatorIds: readonly string[], period: AskedPeriod): Promise<EducatorStatusRow[]> {
  return during(db('educator_status as s').select(educatorStatusColumns).whereIn('s.educator_id', educatorIds), 's', period)
    .orderBy([{ column: 's.valid_from', order: 'desc' }, { column: 's.kind' }, { column: 's.id' }]);
}

export async function findEducatorStatus(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<EducatorStatusRow | undefined> {
  const query = db('educator_status as s').select(educatorStatusColumns).where('s.id', id).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

/** Educator statuses by id, in one statement (Relay's node(id:)). */
export async function educatorStatusesByIds(db: Knex, ids: readonly string[]): Promise<EducatorStatusRow[]> {
  return db('educator_status as s').select(educatorStatusColumns).whereIn('s.id', ids);
}

/** Every term of one kind an educator holds or held, earliest first: the overlap and cover rules look at all of them. */
export async function educatorStatusTerms(db: Knex, educatorId: string, kind: string): Promise<EducatorStatusRow[]> {
  return db('educator_status as s').select(educatorStatusColumns).where({ 's.educator_id': educatorId, 's.kind': kind })
    .orderBy([{ column: 's.valid_from' }, { column: 's.id' }]);
}

export interface EducatorStatusFields {
  educatorId: string;
  kind: string;
  municipalityId?: string | null;
  validFrom: string;
  validTo?: string | null;
  document: { number: string; date: string; title?: string | null };
}

export async function insertEducatorStatus(db: Knex, input: EducatorStatusFields): Promise<EducatorStatusRow> {
  const [{ id }] = await db('educator_status').insert({
    educator_id: input.educatorId, kind: input.kind, municipality_id: input.municipalityId ?? null,
    valid_from: input.validFrom, valid_to: input.validTo ?? null,
    document_number: input.document.number, document_date: input.document.date, document_title: input.document.title ?? null,
  }).returning('id');
  return (await findEducatorStatus(db, id))!;
}

export async function setEducatorStatusEnd(db: Knex, id: string, validTo: string): Promise<EducatorStatusRow> {
  await db('educator_status').where({ id }).update({ valid_to: validTo, updated_at: db.fn.now() });
  return (await findEducatorStatus(db, id))!;
}

// ---- organization statuses ----

/** Organizations (public directory data) holding a status of one kind during the period, by name and direction. */
export async function listOrganizationStatuses(db: Knex, kind: string, period: Period, narrowing: StatusNarrowing): Promise<OrganizationStatusRow[]> {
  const query = db('organization_status as s').join('organization as o', 'o.id', 's.organization_id').select(organizationStatusColumns)
    .where('s.kind', kind)
    .orderBy([{ column: 'o.name' }, { column: 'o.id' }, { column: 's.direction' }, { column: 's.valid_from' }, { column: 's.id' }]);
  during(query, 's', period);
  if (narrowing.municipalityId) query.where('o.municipality_id', narrowing.municipalityId);
  if (narrowing.organizationId) query.where('o.id', narrowing.organizationId);
  return query;
}

/** Statuses of the given organizations during the period, latest first. */
export async function organizationStatusesByOrganizations(db: Knex, organizationIds: readonly string[], period: AskedPeriod): Promise<OrganizationStatusRow[]> {
  return during(db('organization_status as s').select(organizationStatusColumns).whereIn('s.organization_id', organizationIds), 's', period)
    .orderBy([{ column: 's.valid_from', order: 'desc' }, { column: 's.kind' }, { column: 's.direction' }, { column: 's.id' }]);
}

export async function findOrganizationStatus(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<OrganizationStatusRow | undefined> {
  const query = db('organization_status as s').select(organizationStatusColumns).where('s.id', id).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

/** Organization statuses by id, in one statement (Relay's node(id:)). */
export async function organizationStatusesByIds(db: Knex, ids: readonly string[]): Promise<OrganizationStatusRow[]> {
  return db('organization_status as s').select(organizationStatusColumns).whereIn('s.id', ids);
}

/** Every term of one kind an organization holds or held, in any direction, earliest first. */
export async function organizationStatusTerms(db: Knex, organizationId: string, kind: string): Promise<OrganizationStatusRow[]> {
  return db('organization_status as s').select(organizationStatusColumns).where({ 's.organization_id': organizationId, 's.kind': kind })
    .orderBy([{ column: 's.valid_from' }, { column: 's.id' }]);
}

export interface OrganizationStatusFields {
  organizationId: string;
  kind: string;
  direction: string;
  validFrom: string;
  validTo?: string | null;
  document: { number: string; date: string; title?: string | null };
}

export async function insertOrganizationStatus(db: Knex, input: OrganizationStatusFields): Promise<OrganizationStatusRow> {
  const [{ id }] = await db('organization_status').insert({
    organization_id: input.organizationId, kind: input.kind, direction: input.direction,
    valid_from: input.validFrom, valid_to: input.validTo ?? null,
    document_number: input.document.number, document_date: input.document.date, document_title: input.document.title ?? null,
  }).returning('id');
  return (await findOrganizationStatus(db, id))!;
}

export async function setOrganizationStatusEnd(db: Knex, id: string, validTo: string): Promise<OrganizationStatusRow> {
  await db('organization_status').where({ id }).update({ valid_to: validTo, updated_at: db.fn.now() });
  return (await findOrganizationStatus(db, id))!;
}

// ---- regional methodists' assignments ----

/**
 * The assignments of the given regional methodists during the period, of the educators the scope covers, by the
 * educator's name (or, for a caller who may not read names, by the educator's id).
 */
export async function assignmentsByMethodists(db: Knex, scope: Scope, methodistIds: readonly string[], period: AskedPeriod, order: PersonOrder): Promise<AssignmentRow[]> {
  const query = db('regional_methodist_assignment as a').join('educator as e', 'e.id', 'a.educator_id').select(assignmentColumns)
    .whereIn('a.methodist_id', methodistIds)
    .orderBy([order === 'name' ? 'e.sort_name' : 'e.id', 'a.valid_from', 'a.id']);
  return during(whereEducatorInScope(query, scope, 'a.educator_id'), 'a', period);
}

/** The assignments of the given educators during the period, of the methodists the scope covers, latest first. */
export async function assignmentsByEducators(db: Knex, scope: Scope, educatorIds: readonly string[], period: AskedPeriod): Promise<AssignmentRow[]> {
  const query = db('regional_methodist_assignment as a').select(assignmentColumns).whereIn('a.educator_id', educatorIds)
    .orderBy([{ column: 'a.valid_from', order: 'desc' }, { column: 'a.id' }]);
  return during(whereEducatorInScope(query, scope, 'a.methodist_id'), 'a', period);
}

/** Assignments by id (Relay's node(id:); shown when both the methodist and the educator are, see relay/resolvers.ts). */
export async function assignmentsByIds(db: Knex, ids: readonly string[]): Promise<AssignmentRow[]> {
  return db('regional_methodist_assignment as a').select(assignmentColumns).whereIn('a.id', [...ids]);
}

export async function findAssignment(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<AssignmentRow | undefined> {
  const query = db('regional_methodist_assignment as a').select(assignmentColumns).where('a.id', id).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

/** Every assignment of a regional methodist, earliest first. */
export async function assignmentsOfMethodist(db: Knex, methodistId: string): Promise<AssignmentRow[]> {
  return db('regional_methodist_assignment as a').select(assignmentColumns).where('a.methodist_id', methodistId)
    .orderBy([{ column: 'a.valid_from' }, { column: 'a.id' }]);
}

export interface AssignmentFields {
  methodistId: string;
  educatorId: string;
  validFrom: string;
  validTo?: string | null;
}

export async function insertAssignment(db: Knex, input: AssignmentFields): Promise<AssignmentRow> {
  const [{ id }] = await db('regional_methodist_assignment').insert({
    methodist_id: input.methodistId, educator_id: input.educatorId, valid_from: input.validFrom, valid_to: input.validTo ?? null,
  }).returning('id');
  return (await findAssignment(db, id))!;
}

export async function setAssignmentEnd(db: Knex, id: string, validTo: string): Promise<AssignmentRow> {
  await db('regional_methodist_assignment').where({ id }).update({ valid_to: validTo, updated_at: db.fn.now() });
  return (await findAssignment(db, id))!;
}
