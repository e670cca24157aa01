import type { GraphQLError } from 'graphql';
import type { Knex } from 'knex';
import { z } from 'zod';
import {
  badInput, conflict, forbidden, notFound, periodOf, termOverlaps, today, type Period, type Scope,
} from '@mms/platform';
import * as educators from './store/educators';
import * as municipalities from './store/municipalities';
import * as organizations from './store/organizations';
import { organizationInScope } from './store/scope';
import * as store from './store/statuses';
import { date, id, text } from './validate';
import type { AssignmentRow, EducatorStatusRow, OrganizationStatusRow } from './store/statuses';

/**
 * Statuses with terms (seed 001: regional methodists, the municipal methodological council and active, internship and
 * base sites) and the regional methodists' assignments (seed 002, section 4). A term is [validFrom, validTo], both days
 * included, validTo null while it lasts. The writes below are one mutation each and run inside the transaction they
 * are given; the rules they apply are the plain functions above them, testable without a database.
 */

// ---- input ----

const documentInput = z.object({ number: text(100), date, title: text(500).nullish() });
const term = { validFrom: date, validTo: date.nullish() };
const endNotBeforeStart = [
  (t: { validFrom: string; validTo?: string | null }) => !t.validTo || t.validTo >= t.validFrom,
  { message: 'must not be before validFrom', path: ['validTo'] },
] satisfies [unknown, { message: string; path: string[] }];

export const educatorStatusKinds = ['regional_methodist', 'council_member', 'methodological_active'] as const;
export const organizationStatusKinds = ['internship_site', 'base_site'] as const;

/** Council and active memberships belong to a municipality's body; a regional methodist may name where they work from. */
export const needsMunicipality = (kind: string) => kind === 'council_member' || kind === 'methodological_active';

export const grantEducatorStatusInput = z.object({
  educatorId: id,
  kind: z.enum(educatorStatusKinds),
  municipalityId: id.nullish(),
  ...term,
  document: documentInput,
}).refine(...endNotBeforeStart)
  .refine((s) => !needsMunicipality(s.kind) || Boolean(s.municipalityId),
    { message: 'is required for council and active memberships (whose council or active)', path: ['municipalityId'] });

export const grantOrganizationStatusInput = z.object({
  organizationId: id,
  kind: z.enum(organizationStatusKinds),
  direction: text(500),
  ...term,
  document: documentInput,
}).refine(...endNotBeforeStart);

export const assignToRegionalMethodistInput = z.object({ methodistId: id, educatorId: id, ...term })
  .refine(...endNotBeforeStart)
  .refine((a) => a.methodistId !== a.educatorId, { message: 'a regional methodist cannot be assigned to themselves', path: ['educatorId'] });

export const endTermInput = z.object({ id, validTo: date });

/** ScopeInput of the status lists: ids checked before they reach SQL; empty when not given. */
export const statusScopeInput = z.object({ municipalityId: id.nullish(), organizationId: id.nullish() })
  .nullish().transform((scope) => scope ?? {});

export type GrantEducatorStatusInput = z.infer<typeof grantEducatorStatusInput>;
export type GrantOrganizationStatusInput = z.infer<typeof grantOrganizationStatusInput>;
export type AssignToRegionalMethodistInput = z.infer<typeof assignToRegionalMethodistInput>;

// ---- rules ----

export interface Term {
  validFrom: string;
  validTo?: string | null;
}

/** The days of a term as a period; an open term runs to the end of time. */
export function termPeriod(term: Term): Period {
  return { from: term.validFrom, to: term.validTo ?? '9999-12-31' };
}

/** Two terms share at least one day. A term ending the day before the other begins does not. */
export function termsOverlap(a: Term, b: Term): boolean {
  return termOverlaps({ validFrom: a.validFrom, validTo: a.validTo ?? null }, termPeriod(b));
}

export function describeTerm(term: Term): string {
  return term.validTo ? `from ${term.validFrom} to ${term.validTo}` : `from ${term.validFrom}, open-ended`;
}

/**
 * The period a field with `on` / `academicYear` asks about, or null (every term, the history) when neither is given.
 * Both at once, or an academic year not written 2024/2025, are BAD_USER_INPUT.
 */
export function periodAsked(args: { on?: string | null; academicYear?: string | null }): Period | null {
  if (!args.on && !args.academicYear) return null;
  return periodOf(args, today());
}

/** The same status as another: same kind, and for council and active memberships the same municipality's body. */
function sameEducatorStatus(a: { kind: string; municipalityId?: string | null }, b: { kind: string; municipalityId?: string | null }): boolean {
  return a.kind === b.kind && (!needsMunicipality(a.kind) || (a.municipalityId ?? null) === (b.municipalityId ?? null));
}

/** Why a new status term cannot stand beside the educator's terms, or null when it can: terms of one status do not overlap. */
export function educatorStatusConflict(
  terms: readonly EducatorStatusRow[],
  candidate: Term & { kind: string; municipalityId?: string | null },
): string | null {
  const clash = terms.find((t) => sameEducatorStatus(t, candidate) && termsOverlap(t, candidate));
  return clash ? `the educator already holds this status ${describeTerm(clash)} (order ${clash.documentNumber}): terms may not overlap` : null;
}

/** Directions are compared as people read them: case, ё/е and spacing aside. */
export function sameDirection(a: string, b: string): boolean {
  const normal = (s: string) => s.trim().replace(/\s+/g, ' ').toLocaleLowerCase('ru').replaceAll('ё', 'е');
  return normal(a) === normal(b);
}

/** Why a new site term cannot stand beside the organization's terms: one kind and direction, no overlapping terms. */
export function organizationStatusConflict(
  terms: readonly OrganizationStatusRow[],
  candidate: Term & { kind: string; direction: string },
): string | null {
  const clash = terms.find((t) => t.kind === candidate.kind && sameDirection(t.direction, candidate.direction) && termsOverlap(t, candidate));
  return clash ? `the organization already holds this status in «${clash.direction}» ${describeTerm(clash)}: terms may not overlap` : null;
}

/** Why a new assignment cannot stand beside the same methodist–educator pair's assignments, or null. */
export function assignmentConflict(pairAssignments: readonly AssignmentRow[], candidate: Term & { methodistId: string; educatorId: string }): string | null {
  const clash = pairAssignments.find((a) => a.methodistId === candidate.methodistId && a.educatorId === candidate.educatorId && termsOverlap(a, candidate));
  return clash ? `the educator is already assigned to this regional methodist ${describeTerm(clash)}` : null;
}

/** The single status term covering the whole of `term` (an open term needs an open status), if any. */
export function coveringTerm<T extends Term>(statusTerms: readonly T[], term: Term): T | undefined {
  return statusTerms.find((s) => s.validFrom <= term.validFrom
    && (s.validTo == null || (term.validTo != null && s.validTo >= term.validTo)));
}

/** Assignments covered by the methodist's terms `before` a change and no longer `after` it. */
export function assignmentsLosingCover<A extends Term>(assignments: readonly A[], before: readonly Term[], after: readonly Term[]): A[] {
  return assignments.filter((a) => coveringTerm(before, a) && !coveringTerm(after, a));
}

/**
 * Why a term cannot be ended on `validTo`, or null. Ending sets the last day: not before the first; not for a term
 * that already ended (its last day is before `today`); and only earlier than a last day already set (later would
 * lengthen the term, which is a new grant, not an end).
 */
export function endTermRefusal(term: Term, validTo: string, todayIs: string): GraphQLError | null {
  if (validTo < term.validFrom) return badInput(`validTo must not be before the term began (${term.validFrom})`, 'args.validTo');
  if (term.validTo != null && term.validTo < todayIs) return conflict(`this term already ended on ${term.validTo}`);
  if (term.validTo != null && validTo >= term.validTo) {
    return conflict(`this term already ends on ${term.validTo}; ending it on ${validTo} would not shorten it`, 'args.validTo');
  }
  return null;
}

/**
 * Who may grant or end an educator's status: the regional methodist status is regional (region_admin only); council
 * and active memberships also the municipality methodist of that council's municipality.
 */
export function mayWriteEducatorStatus(scope: Scope, status: { kind: string; municipalityId?: string | null }): boolean {
  if (scope.kind === 'region') return true;
  return scope.kind === 'municipality' && needsMunicipality(status.kind) && status.municipalityId === scope.municipalityId;
}

/** Who may grant or end an organization's status: region_admin, or the municipality methodist of its municipality. */
export function mayWriteOrganizationStatus(scope: Scope, organization: { id: string; municipalityId: string }): boolean {
  return (scope.kind === 'region' || scope.kind === 'municipality') && organizationInScope(scope, organization);
}

// ---- writes ----

export async function grantEducatorStatus(trx: Knex, scope: Scope, input: GrantEducatorStatusInput): Promise<EducatorStatusRow> {
  if (input.kind === 'regional_methodist' && scope.kind !== 'region') {
    throw forbidden('only a region administrator may grant the regional methodist status');
  }
  // Locking the educator serialises concurrent grants to the same person, so the overlap rule holds.
  const educator = await educators.findEducator(trx, { id: input.educatorId }, { forUpdate: true });
  if (!educator) throw notFound('Educator', input.educatorId);
  if (input.municipalityId) await assertMunicipalityExists(trx, input.municipalityId);
  if (!mayWriteEducatorStatus(scope, input)) throw forbidden('you may grant memberships only of your own municipality\'s council and active');
  if (!(await educators.isEducatorInScope(trx, scope, educator.id))) throw forbidden('this educator is outside your scope');
  const reason = educatorStatusConflict(await store.educatorStatusTerms(trx, educator.id, input.kind), input);
  if (reason) throw conflict(reason);
  return store.insertEducatorStatus(trx, input);
}

export async function endEducatorStatus(trx: Knex, scope: Scope, id: string, validTo: string): Promise<EducatorStatusRow> {
  const found = await store.findEducatorStatus(trx, id);
  if (!found) throw notFound('EducatorStatus', id);
  if (!mayWriteEducatorStatus(scope, found)) {
    throw forbidden(found.kind === 'regional_methodist'
      ? 'only a region administrator may end the regional methodist status'
      : 'you may end memberships only of your own municipality\'s council and active');
  }
  // The holder is locked first, as grants and assignments lock them: ending a methodist's term and assigning
  // educators to it cannot interleave.
  await educators.findEducator(trx, { id: found.educatorId }, { forUpdate: true });
  if (!(await educators.isEducatorInScope(trx, scope, found.educatorId))) throw forbidden('this educator is outside your scope');
  const status = (await store.findEducatorStatus(trx, id, { forUpdate: true }))!;
  const refusal = endTermRefusal(status, validTo, today());
  if (refusal) throw refusal;
  if (status.kind === 'regional_methodist') {
    const before = await store.educatorStatusTerms(trx, status.educatorId, status.kind);
    const after = before.map((t) => (t.id === id ? { ...t, validTo } : t));
    const stranded = assignmentsLosingCover(await store.assignmentsOfMethodist(trx, status.educatorId), before, after);
    if (stranded.length) {
      throw conflict(`${stranded.length} assignment(s) of this regional methodist last beyond ${validTo} (the first ${describeTerm(stranded[0])}): end them first`);
    }
  }
  return store.setEducatorStatusEnd(trx, id, validTo);
}

export async function grantOrganizationStatus(trx: Knex, scope: Scope, input: GrantOrganizationStatusInput): Promise<OrganizationStatusRow> {
  // Locking the organization serialises concurrent grants to it, so the overlap rule holds.
  const organization = await organizations.findOrganization(trx, input.organizationId, { forUpdate: true });
  if (!organization) throw notFound('Organization', input.organizationId);
  if (!mayWriteOrganizationStatus(scope, organization)) throw forbidden('you may grant statuses only to the organizations of your own municipality');
  const reason = organizationStatusConflict(await store.organizationStatusTerms(trx, organization.id, input.kind), input);
  if (reason) throw conflict(reason);
  return store.insertOrganizationStatus(trx, input);
}

export async function endOrganizationStatus(trx: Knex, scope: Scope, id: string, validTo: string): Promise<OrganizationStatusRow> {
  const found = await store.findOrganizationStatus(trx, id);
  if (!found) throw notFound('OrganizationStatus', id);
  const organization = (await organizations.findOrganization(trx, found.organizationId, { forUpdate: true }))!;
  if (!mayWriteOrganizationStatus(scope, organization)) throw forbidden('you may end statuses only of the organizations of your own municipality');
  const status = (await store.findOrganizationStatus(trx, id, { forUpdate: true }))!;
  const refusal = endTermRefusal(status, validTo, today());
  if (refusal) throw refusal;
  return store.setOrganizationStatusEnd(trx, id, validTo);
}

export async function assignToRegionalMethodist(trx: Knex, scope: Scope, input: AssignToRegionalMethodistInput): Promise<AssignmentRow> {
  if (scope.kind !== 'region') throw forbidden('only a region administrator may assign educators to regional methodists');
  // Locking the methodist serialises this with other assignments to them and with the end of their status terms.
  const methodist = await educators.findEducator(trx, { id: input.methodistId }, { forUpdate: true });
  if (!methodist) throw notFound('Educator', input.methodistId);
  if (!(await educators.findEducator(trx, { id: input.educatorId }))) throw notFound('Educator', input.educatorId);
  const terms = await store.educatorStatusTerms(trx, methodist.id, 'regional_methodist');
  if (!coveringTerm(terms, input)) {
    throw conflict(terms.length
      ? `the methodist does not hold the regional methodist status over the whole assignment (${describeTerm(input)}); their terms: ${terms.map(describeTerm).join('; ')}`
      : 'the methodist does not hold the regional methodist status', 'input.methodistId');
  }
  const pair = (await store.assignmentsOfMethodist(trx, methodist.id)).filter((a) => a.educatorId === input.educatorId);
  const reason = assignmentConflict(pair, input);
  if (reason) throw conflict(reason);
  return store.insertAssignment(trx, input);
}

export async function endRegionalMethodistAssignment(trx: Knex, scope: Scope, id: string, validTo: string): Promise<AssignmentRow> {
  if (scope.kind !== 'region') throw forbidden('only a region administrator may end assignments to regional methodists');
  const assignment = await store.findAssignment(trx, id, { forUpdate: true });
  if (!assignment) throw notFound('RegionalMethodistAssignment', id);
  const refusal = endTermRefusal(assignment, validTo, today());
  if (refusal) throw refusal;
  return store.setAssignmentEnd(trx, id, validTo);
}

async function assertMunicipalityExists(trx: Knex, municipalityId: string) {
  if ((await municipalities.municipalitiesByIds(trx, [municipalityId])).length === 0) throw notFound('Municipality', municipalityId);
}
