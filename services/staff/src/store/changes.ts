import type { Knex } from 'knex';
import type { Scope } from '@mms/platform';
import { whereEducatorInScope } from './scope';

/**
 * The change feed, read from the audit log in transaction order behind the oldest running transaction, and the
 * merging of duplicate educators. (Row types are the contract with the resolvers and the generated types.)
 */
export interface ChangeRow {
  cursor: string;
  entityType: string;
  entityId: string;
  operation: 'created' | 'updated' | 'deleted';
  at: Date;
  data: Record<string, unknown> | null;
  mergedIntoId: string | null;
}

export interface ChangePageRow {
  nodes: ChangeRow[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  cursor: string | null;
}

export interface DuplicateCandidateRow {
  survivorId: string;
  duplicateId: string;
  reason: string;
}

// ---- the change feed --------------------------------------------------------------------------------------------

/** A place in the feed: an audit entry's `xid` (as text: xid8 is 64-bit) and its `id`. */
export interface FeedPosition {
  xid: string;
  id: number;
}

/** An audit log entry as the feed reads it; ../changes.ts presents it as a Change. */
export interface FeedEntry extends FeedPosition {
  at: Date;
  tableName: string;
  entityId: string;
  operation: 'insert' | 'update' | 'delete';
  /** The row after the change, with the table's column names; null for a deletion. */
  after: Record<string, unknown> | null;
  /** For an educator deleted by a merge: the surviving record. */
  mergedIntoId: string | null;
}

/** Directory data every signed-in role reads: their changes are in every scope's feed. */
const directoryTables = ['municipality', 'organization', 'organization_status'];

/**
 * The educators an audit entry is about, as SQL over entry `a`: the educator itself; the educator (and the regional
 * methodist) of a record before and after the change; the survivor of a merge; the educator an external id names,
 * directly or through its employment.
 */
const educatorsOfEntry = `unnest(array[
  case when a.table_name = 'educator' then a.entity_id end,
  (a.after ->> 'educator_id')::uuid, (a.before ->> 'educator_id')::uuid,
  (a.after ->> 'methodist_id')::uuid, (a.before ->> 'methodist_id')::uuid,
  case when a.table_name = 'educator_merge' then (coalesce(a.after, a.before) ->> 'survivor_id')::uuid end,
  case when a.table_name = 'external_id' and coalesce(a.after, a.before) ->> 'entity_type' = 'educator'
       then (coalesce(a.after, a.before) ->> 'entity_id')::uuid end,
  case when a.table_name = 'external_id' and coalesce(a.after, a.before) ->> 'entity_type' = 'employment'
       then (select x.educator_id from employment x where x.id = (coalesce(a.after, a.before) ->> 'entity_id')::uuid) end
]) as r(educator_id)`;

/**
 * Which entries a scope covers. The whole region: all. Otherwise the directory (municipalities, organizations and
 * their statuses, organizations' external ids) and whatever is about an educator the scope covers, by the rule of
 * every staff list (whereEducatorInScope: employed in the scope now or before). The rule is evaluated now, not as it
 * stood when the change was made: an educator hired into the scope brings their earlier history into the scope's
 * feed (a consumer already past it reads that history through the graph), and an educator who leaves stays in it.
 * An educator merged away is judged by the record it was merged into, which holds its employments now.
 */
function whereEntryInScope(db: Knex, query: Knex.QueryBuilder, scope: Scope): Knex.QueryBuilder {
  if (scope.kind === 'region') return query;
  const educators = db.select(db.raw('coalesce(rm.survivor_id, r.educator_id) as educator_id'))
    .from(db.raw(educatorsOfEntry))
    .leftJoin('educator_merge as rm', 'rm.duplicate_id', 'r.educator_id');
  const covered = whereEducatorInScope(db.select(db.raw('1')).from(educators.as('refs')), scope, 'refs.educator_id');
  return query.where((q) => q.whereIn('a.table_name', directoryTables)
    .orWhereRaw("a.table_name = 'external_id' and coalesce(a.after, a.before) ->> 'entity_type' = 'organization'")
    .orWhereExists(covered));
}

/**
 * The next `limit` entries after `after` (from the beginning when null) that the scope covers, in feed order.
 * One statement, so one snapshot: the entries it returns and the horizon they are cut at are seen at the same
 * instant. The horizon is the oldest transaction still running (see migration 20261125060000_change_feed): an entry
 * below it was written by a transaction that has ended, and no entry will ever be written below it again.
 */
export async function listFeedEntries(db: Knex, scope: Scope, after: FeedPosition | null, limit: number): Promise<FeedEntry[]> {
  const query = db('audit_log as a')
    .leftJoin('educator_merge as m', (join) => join.on('m.duplicate_id', 'a.entity_id')
      .andOnVal('a.table_name', '=', 'educator').andOnVal('a.operation', '=', 'delete'))
    .select(db.raw('a.xid::text as xid'), 'a.id', 'a.at', 'a.table_name as tableName', 'a.entity_id as entityId', 'a.operation',
      'a.after', 'm.survivor_id as mergedIntoId')
    .whereRaw('a.xid < pg_snapshot_xmin(pg_current_snapshot())')
    .orderBy([{ column: 'a.xid' }, { column: 'a.id' }])
    .limit(limit);
  if (after) query.whereRaw('(a.xid, a.id) > (?::xid8, ?::bigint)', [after.xid, after.id]);
  return whereEntryInScope(db, query, scope);
}

// ---- merging duplicates -----------------------------------------------------------------------------------------

/**
 * Locks the educators, in the order of their ids (two merges of overlapping pairs cannot deadlock); the ids found.
 * Their attestation requests are locked first: deciding a request locks the request, then its educator, and a merge
 * taking them the other way round could deadlock with it.
 */
export async function lockEducators(trx: Knex, ids: string[]): Promise<string[]> {
  await trx('attestation').select('id').whereIn('educator_id', ids).orderBy('id').forUpdate();
  const rows: { id: string }[] = await trx('educator').select('id').whereIn('id', ids).orderBy('id').forUpdate();
  return rows.map((row) => row.id);
}

/**
 * Locks the other records of the educators that a merge moves (after the educators, as every write to them does),
 * so that no one ends an employment or an assignment of theirs between the merge's reading and its writing (those
 * writes lock only the record itself).
 */
export async function lockRecordsOf(trx: Knex, educatorIds: string[]): Promise<void> {
  for (const table of ['employment', 'category_award', 'educator_status']) {
    await trx(table).select('id').whereIn('educator_id', educatorIds).orderBy('id').forUpdate();
  }
  await trx('regional_methodist_assignment').select('id')
    .where((q) => q.whereIn('methodist_id', educatorIds).orWhereIn('educator_id', educatorIds)).orderBy('id').forUpdate();
}

/** What a merge found repeated in the duplicate's records, to be dropped in favour of the survivor's. */
export interface RepeatedRecords {
  employments: { dropId: string; keepId: string }[];
  awards: { dropId: string; keepId: string; attestationId: string | null }[];
  statusIds: string[];
  assignmentIds: string[];
}

/**
 * Drops the duplicate's records that repeat the survivor's. A dropped employment's external ids move to the one
 * kept; a dropped award's attestation moves to the one kept (which had none).
 */
export async function dropRepeatedRecords(trx: Knex, repeated: RepeatedRecords): Promise<void> {
  for (const { dropId, keepId } of repeated.employments) {
    await trx('external_id').where({ entity_type: 'employment', entity_id: dropId }).update({ entity_id: keepId });
    await trx('employment').where({ id: dropId }).delete();
  }
  for (const { dropId, keepId, attestationId } of repeated.awards) {
    await trx('category_award').where({ id: dropId }).delete();
    if (attestationId) await trx('category_award').where({ id: keepId }).update({ attestation_id: attestationId });
  }
  if (repeated.statusIds.length) await trx('educator_status').whereIn('id', repeated.statusIds).delete();
  if (repeated.assignmentIds.length) await trx('regional_methodist_assignment').whereIn('id', repeated.assignmentIds).delete();
}

/** Moves every reference to the duplicate to the survivor: one statement per table and column. */
export async function moveReferences(trx: Knex, duplicateId: string, survivorId: string): Promise<void> {
  const now = trx.fn.now();
  await trx('employment').where({ educator_id: duplicateId }).update({ educator_id: survivorId, updated_at: now });
  await trx('category_award').where({ educator_id: duplicateId }).update({ educator_id: survivorId });
  await trx('attestation').where({ educator_id: duplicateId }).update({ educator_id: survivorId, updated_at: now });
  await trx('educator_status').where({ educator_id: duplicateId }).update({ educator_id: survivorId, updated_at: now });
  await trx('regional_methodist_assignment').where({ methodist_id: duplicateId }).update({ methodist_id: survivorId, updated_at: now });
  await trx('regional_methodist_assignment').where({ educator_id: duplicateId }).update({ educator_id: survivorId, updated_at: now });
  await trx('external_id').where({ entity_type: 'educator', entity_id: duplicateId }).update({ entity_id: survivorId });
  // Earlier merges into the duplicate now point at the survivor: survivor_id always names a live educator.
  await trx('educator_merge').where({ survivor_id: duplicateId }).update({ survivor_id: survivorId });
}

/** Records the merge and deletes the duplicate, whose references have all moved. */
export async function recordMergeAndDelete(trx: Knex, merge: { duplicateId: string; survivorId: string; mergedBySubject: string | null }): Promise<void> {
  await trx('educator_merge').insert({
    duplicate_id: merge.duplicateId, survivor_id: merge.survivorId, merged_by_subject: merge.mergedBySubject,
  });
  await trx('educator').where({ id: merge.duplicateId }).delete();
}

// ---- duplicate candidates ---------------------------------------------------------------------------------------

/**
 * The key of a person: names without case, ё written е, and the birth date. The list is one pass over the educators
 * (no index: the planner sorts rather than walk one, ~60 ms for 20,000 educators), run by hand now and then.
 */
const personKey = `translate(lower(e.last_name), 'ё', 'е'), translate(lower(e.first_name), 'ё', 'е'),
  translate(lower(coalesce(e.patronymic, '')), 'ё', 'е'), e.birth_date`;

/**
 * Educators that share a person key with an older record, each with the oldest record of its key as the survivor,
 * by the duplicate's name. `scopes` narrow the list: a pair is listed when either record is in every one of them.
 */
export async function listDuplicateCandidates(db: Knex, scopes: Scope[], first: number): Promise<{ survivorId: string; duplicateId: string }[]> {
  const keyed = db.raw(`select e.id, e.sort_name,
      first_value(e.id) over (partition by ${personKey} order by e.created_at, e.id) as survivor_id
    from educator e`);
  const query = db.with('keyed', keyed).from('keyed as k')
    .select('k.survivor_id as survivorId', 'k.id as duplicateId')
    .whereRaw('k.id <> k.survivor_id')
    .orderBy([{ column: 'k.sort_name' }, { column: 'k.id' }])
    .limit(first);
  const narrowing = scopes.filter((scope) => scope.kind !== 'region');
  if (narrowing.length) {
    const inAll = (column: string) => (q: Knex.QueryBuilder) => narrowing.reduce((sub, scope) => whereEducatorInScope(sub, scope, column), q);
    query.where((q) => q.where(inAll('k.id')).orWhere(inAll('k.survivor_id')));
  }
  return query;
}
