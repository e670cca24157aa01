import type { Knex } from 'knex';
import { addYears, badInput, conflict, decodeCursor, encodeCursor, isUuid, notFound, type Scope } from '@mms/platform';
import { samePosition } from './attestation';
import { employmentConflict } from './rules';
import { assignmentConflict, describeTerm, educatorStatusConflict, needsMunicipality, termsOverlap } from './statuses';
import type { CategoryAwardRow, AttestationRow } from './store/attestations';
import { attestationsByEducators, categoryAwardsByEducators } from './store/attestations';
import { auditEntityTypes, camelCase } from './store/audit';
import * as store from './store/changes';
import type { ChangePageRow, ChangeRow, DuplicateCandidateRow, FeedEntry, FeedPosition } from './store/changes';
import { findEducator, updateEducator, type EducatorRow } from './store/educators';
import { employmentsByEducators, type EmploymentRow } from './store/employments';
import { assignmentsByEducators, assignmentsByMethodists, educatorStatusesByEducators, type AssignmentRow, type EducatorStatusRow } from './store/statuses';
import type { EducatorPatch } from './validate';

/**
 * The change feed (Query.changes) and the merging of duplicate educators (Mutation.mergeEducators,
 * Query.duplicateCandidates). The rules are plain functions; the two reads and the merge use them.
 */

// ---- the change feed --------------------------------------------------------------------------------------------

export const defaultChangesPageSize = 100;
export const maxChangesPageSize = 1000;

/** The list the feed's cursors are sealed for: a cursor of another list is refused. */
const cursorList = 'staff.changes';
const xidPattern = /^\d{1,20}$/;
const maxXid = 2n ** 64n - 1n;

/** A cursor of the feed: opaque to clients, (xid, id) of the last entry read underneath. */
export function encodeChangeCursor(position: FeedPosition): string {
  return encodeCursor(cursorList, [position.xid, position.id]);
}

/** Reads a cursor this feed returned; anything else (another list's cursor, garbage) is BAD_USER_INPUT. */
export function decodeChangeCursor(cursor: string): FeedPosition {
  const key = decodeCursor(cursorList, cursor);
  const [xid, id] = key;
  if (key.length !== 2 || typeof xid !== 'string' || !xidPattern.test(xid) || BigInt(xid) > maxXid
    || typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    throw badInput('after is not a cursor of the change feed', 'after');
  }
  return { xid, id };
}

/** `first`: 1 to 1000, 100 when not given. */
export function changesPageSize(first: number | null | undefined): number {
  const size = first ?? defaultChangesPageSize;
  if (!Number.isInteger(size) || size < 1 || size > maxChangesPageSize) {
    throw badInput(`first must be between 1 and ${maxChangesPageSize}`, 'first');
  }
  return size;
}

/** The graph's name for each audited table: AuditEntry.entityType's names (TableName → table_name). */
const entityTypeOfTable = new Map(auditEntityTypes.map((type) => [type.replace(/[A-Z]/g, (c, i: number) => `${i ? '_' : ''}${c.toLowerCase()}`), type]));

const operations = { insert: 'created', update: 'updated', delete: 'deleted' } as const;

/** An audit entry as a Change: the graph's type name, the row after the change with the audit log's camelCase keys. */
export function toChange(entry: FeedEntry): ChangeRow {
  return {
    cursor: encodeChangeCursor(entry),
    entityType: entityTypeOfTable.get(entry.tableName) ?? camelCase(`_${entry.tableName}`),
    entityId: entry.entityId,
    operation: operations[entry.operation],
    at: entry.at,
    data: entry.after && Object.fromEntries(Object.entries(entry.after).map(([key, value]) => [camelCase(key), value])),
    mergedIntoId: entry.mergedIntoId,
  };
}

/**
 * One page of the feed after `after`. The cursor to resume from is the last change's, or the one given when there
 * was none (a consumer that stores it never moves back, and never past a change it has not read).
 */
export async function readChanges(db: Knex, scope: Scope, first: number, after: string | null | undefined): Promise<ChangePageRow> {
  const position = after ? decodeChangeCursor(after) : null;
  const entries = await store.listFeedEntries(db, scope, position, first + 1);
  const nodes = entries.slice(0, first).map(toChange);
  const endCursor = nodes.at(-1)?.cursor ?? null;
  return {
    nodes,
    pageInfo: { hasNextPage: entries.length > first, hasPreviousPage: position !== null, startCursor: nodes[0]?.cursor ?? null, endCursor },
    cursor: endCursor ?? (position ? after! : null),
  };
}

// ---- merging duplicates: the rules ------------------------------------------------------------------------------

/** Everything of the two educators a merge moves. */
export interface MergeRecords {
  employments: EmploymentRow[];
  awards: CategoryAwardRow[];
  attestations: AttestationRow[];
  statuses: EducatorStatusRow[];
  assignments: AssignmentRow[];
}

export interface MergePlan extends store.RepeatedRecords {
  /** Why the merge cannot be done; empty when it can. */
  conflicts: string[];
}

const employmentTerm = (e: EmploymentRow) => ({ validFrom: e.startedOn, validTo: e.endedOn });

/** The same grant: one status (kind, and the body for council and active memberships), by the same order or for the same term. */
function sameGrant(a: EducatorStatusRow, b: EducatorStatusRow): boolean {
  const sameStatus = a.kind === b.kind && (!needsMunicipality(a.kind) || a.municipalityId === b.municipalityId);
  const sameOrder = a.documentNumber.trim() === b.documentNumber.trim() && a.documentDate === b.documentDate;
  return sameStatus && (sameOrder || (a.validFrom === b.validFrom && a.validTo === b.validTo));
}

/**
 * What merging `duplicateId` into `survivorId` does with their records, or why it cannot be done. Every record of
 * the duplicate moves to the survivor, except one that repeats a record of the survivor's, which is dropped (the
 * survivor's is kept, as the survivor's own fields are):
 * - an employment with the same natural key as the import's (organization, position, first day);
 * - an award of the same category, position and day (an attestation behind the duplicate's goes to the kept one;
 *   when both came from attestations, both are kept: two decisions);
 * - the same status grant (same order, or same term);
 * - an assignment of the same methodist and educator for the same term.
 * What the registry's rules would refuse of the survivor after the move is a conflict, and nothing changes: two open
 * attestation requests (decide one first), overlapping employments that break the employment rules, overlapping
 * terms of one status from different grants (end one first; the merge does not invent a term no order granted),
 * overlapping assignments of one pair, and an assignment of the survivor to itself as its own methodist.
 */
export function planMerge(survivorId: string, duplicateId: string, records: MergeRecords): MergePlan {
  const plan: MergePlan = { employments: [], awards: [], statusIds: [], assignmentIds: [], conflicts: [] };
  const split = <T extends { educatorId: string }>(rows: T[]) =>
    [rows.filter((r) => r.educatorId === survivorId), rows.filter((r) => r.educatorId === duplicateId)] as const;

  const [openKept, openMoved] = split(records.attestations.filter((a) => a.stage !== 'decided'));
  if (openKept.length && openMoved.length) {
    plan.conflicts.push(`both records have an open attestation request (filed on ${openKept[0].filedOn} and on ${openMoved[0].filedOn}): decide one first`);
  }

  const [employmentsKept, employmentsMoved] = split(records.employments);
  for (const moved of employmentsMoved) {
    const same = employmentsKept.find((e) => e.organizationId === moved.organizationId && samePosition(e.position, moved.position)
      && e.startedOn === moved.startedOn);
    if (same) {
      plan.employments.push({ dropId: moved.id, keepId: same.id });
      continue;
    }
    const reason = employmentConflict(employmentsKept.filter((e) => termsOverlap(employmentTerm(e), employmentTerm(moved))), moved);
    if (reason) plan.conflicts.push(`the duplicate's employment as ${moved.position} from ${moved.startedOn}: ${reason}`);
  }

  const [awardsKept, awardsMoved] = split(records.awards);
  for (const moved of awardsMoved) {
    const same = awardsKept.find((a) => a.category === moved.category && a.awardedOn === moved.awardedOn && samePosition(a.position, moved.position));
    if (same && !(same.attestationId && moved.attestationId)) {
      plan.awards.push({ dropId: moved.id, keepId: same.id, attestationId: same.attestationId ? null : moved.attestationId });
    }
  }

  const [statusesKept, statusesMoved] = split(records.statuses);
  for (const moved of statusesMoved) {
    if (statusesKept.some((s) => sameGrant(s, moved))) {
      plan.statusIds.push(moved.id);
      continue;
    }
    const reason = educatorStatusConflict(statusesKept, moved);
    if (reason) plan.conflicts.push(`the duplicate's ${moved.kind} term ${describeTerm(moved)}: ${reason}`);
  }

  const after = (id: string) => (id === duplicateId ? survivorId : id);
  const touches = (a: AssignmentRow) => a.methodistId === duplicateId || a.educatorId === duplicateId;
  const assignmentsKept = records.assignments.filter((a) => !touches(a));
  for (const assignment of records.assignments.filter(touches)) {
    const moved = { ...assignment, methodistId: after(assignment.methodistId), educatorId: after(assignment.educatorId) };
    if (moved.methodistId === moved.educatorId) {
      plan.conflicts.push(`the survivor would be assigned to itself as its own regional methodist (${describeTerm(moved)})`);
      continue;
    }
    const pair = assignmentsKept.filter((a) => a.methodistId === moved.methodistId && a.educatorId === moved.educatorId);
    if (pair.some((a) => a.validFrom === moved.validFrom && a.validTo === moved.validTo)) {
      plan.assignmentIds.push(moved.id);
      continue;
    }
    const reason = assignmentConflict(pair, moved);
    if (reason) plan.conflicts.push(`the duplicate's assignment ${describeTerm(moved)}: ${reason}`);
  }
  return plan;
}

/** The optional fields the survivor lacks and the duplicate has; the survivor's own values are never replaced. */
const fillableFields = ['patronymic', 'email', 'phone', 'pedagogicalWorkStartedOn', 'educationLevel'] as const;

/**
 * The survivor's empty optional fields, filled from the duplicate. The start of pedagogical work is taken only when
 * it keeps the registry's rule (at least 14 years after the survivor's birth date).
 */
export function fillFromDuplicate(survivor: EducatorRow, duplicate: EducatorRow): EducatorPatch {
  const patch: Record<string, string> = {};
  for (const field of fillableFields) {
    const value = duplicate[field];
    if (survivor[field] === null && value !== null) patch[field] = value;
  }
  if (patch.pedagogicalWorkStartedOn && patch.pedagogicalWorkStartedOn < addYears(survivor.birthDate, 14)) delete patch.pedagogicalWorkStartedOn;
  return patch as EducatorPatch;
}

// ---- merging duplicates: the write ------------------------------------------------------------------------------

const region: Scope = { kind: 'region' };

async function recordsOf(trx: Knex, ids: string[]): Promise<MergeRecords> {
  const [employments, awards, attestations, statuses, asEducator, asMethodist] = [
    await employmentsByEducators(trx, ids), await categoryAwardsByEducators(trx, ids), await attestationsByEducators(trx, ids),
    await educatorStatusesByEducators(trx, ids, null), await assignmentsByEducators(trx, region, ids, null),
    await assignmentsByMethodists(trx, region, ids, null, 'id'),
  ];
  const assignments = [...new Map([...asEducator, ...asMethodist].map((a) => [a.id, a])).values()];
  return { employments, awards, attestations, statuses, assignments };
}

/**
 * Merges the duplicate into the survivor, in the transaction given (one mutation): both educators are locked, then
 * their records; the plan is checked; the repeated records are dropped, the rest move; the survivor's empty fields
 * are filled; the merge is recorded (educator_merge, which the feed and staff_api.educator_merge show) and the
 * duplicate deleted. Returns the survivor.
 */
export async function mergeEducators(trx: Knex, mergedBySubject: string | null, survivorId: string, duplicateId: string): Promise<EducatorRow> {
  const ids = [survivorId, duplicateId];
  const locked = await store.lockEducators(trx, ids);
  for (const id of ids) if (!locked.includes(id)) throw notFound('Educator', id);
  await store.lockRecordsOf(trx, ids);
  const plan = planMerge(survivorId, duplicateId, await recordsOf(trx, ids));
  if (plan.conflicts.length) throw conflict(`these records cannot be merged: ${plan.conflicts.join('; ')}`);
  const [survivor, duplicate] = [(await findEducator(trx, { id: survivorId }))!, (await findEducator(trx, { id: duplicateId }))!];
  await store.dropRepeatedRecords(trx, plan);
  await store.moveReferences(trx, duplicateId, survivorId);
  const patch = fillFromDuplicate(survivor, duplicate);
  if (Object.keys(patch).length) await updateEducator(trx, survivorId, patch);
  await store.recordMergeAndDelete(trx, { duplicateId, survivorId, mergedBySubject });
  return (await findEducator(trx, { id: survivorId }))!;
}

// ---- duplicate candidates ---------------------------------------------------------------------------------------

export const duplicateReason = 'the same last name, first name, patronymic and birth date (case and ё/е aside)';

/** ScopeInput as scopes to narrow by: a municipality, an organization, or both. */
export function narrowingScopes(narrowing: { municipalityId?: string | null; organizationId?: string | null }): Scope[] {
  const scopes: Scope[] = [];
  if (narrowing.municipalityId) scopes.push({ kind: 'municipality', municipalityId: narrowing.municipalityId });
  if (narrowing.organizationId) scopes.push({ kind: 'organization', organizationId: narrowing.organizationId });
  return scopes;
}

/** Pairs that look like one person, in the caller's scope and the narrowing asked for; the older record survives. */
export async function duplicateCandidates(db: Knex, scope: Scope, narrowing: Scope[], first: number): Promise<DuplicateCandidateRow[]> {
  const pairs = await store.listDuplicateCandidates(db, [scope, ...narrowing], first);
  return pairs.map((pair) => ({ ...pair, reason: duplicateReason }));
}

/** mergeEducators' arguments: two ids of this graph, of two different records. */
export function mergeArguments(args: { survivorId: string; duplicateId: string }): { survivorId: string; duplicateId: string } {
  for (const field of ['survivorId', 'duplicateId'] as const) {
    if (!isUuid(args[field])) throw badInput(`${field} is not an id of this graph`, field);
  }
  if (args.survivorId.toLowerCase() === args.duplicateId.toLowerCase()) {
    throw badInput('survivorId and duplicateId are the same record: a merge needs two', 'duplicateId');
  }
  return { survivorId: args.survivorId.toLowerCase(), duplicateId: args.duplicateId.toLowerCase() };
}
