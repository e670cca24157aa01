import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { keysetPage, type PageRequest } from '@mms/platform';

/**
 * The staff audit log (staff.audit_log), written by the triggers of migration 20261125040000_audit_log: one entry
 * per inserted, updated or deleted row, in the writing transaction. Read here, never written.
 */

/** Each audited table and the graph's name for what its rows are. */
const entityTypeOfTable: Record<string, string> = {
  municipality: 'Municipality',
  organization: 'Organization',
  educator: 'Educator',
  employment: 'Employment',
  attestation: 'Attestation',
  category_award: 'CategoryAward',
  educator_status: 'EducatorStatus',
  organization_status: 'OrganizationStatus',
  regional_methodist_assignment: 'RegionalMethodistAssignment',
  external_id: 'ExternalId',
  educator_merge: 'EducatorMerge',
};
const tableOfEntityType = new Map(Object.entries(entityTypeOfTable).map(([table, type]) => [type, table]));

/** The entity types the audit log knows, as AuditEntry.entityType names them. */
export const auditEntityTypes = Object.values(entityTypeOfTable) as [string, ...string[]];

/** A stored row, with GraphQL-style keys. */
export type AuditedRow = Record<string, unknown>;

export interface AuditRow {
  id: number;
  at: Date;
  actorRole: string;
  actorSubject: string | null;
  requestId: string | null;
  entityType: string;
  entityId: string;
  /** insert, update or delete (the AuditOperation enum's SQL values). */
  operation: string;
  before: AuditedRow | null;
  after: AuditedRow | null;
}

export interface AuditFilter {
  entityType?: string | null;
  entityId?: string | null;
  actorSubject?: string | null;
  /** Inclusive. */
  from?: string | null;
  /** Exclusive. */
  to?: string | null;
}

const columns = [
  'a.id', 'a.at', 'a.actor_role as actorRole', 'a.actor_subject as actorSubject', 'a.request_id as requestId',
  'a.table_name as tableName', 'a.entity_id as entityId', 'a.operation', 'a.before', 'a.after',
];

/** snake_case → camelCase: `pedagogical_work_started_on` → `pedagogicalWorkStartedOn`. */
export const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function withCamelKeys(row: Record<string, unknown> | null): AuditedRow | null {
  return row && Object.fromEntries(Object.entries(row).map(([key, value]) => [camelCase(key), value]));
}

/** The keys whose values differ between two versions of a row, sorted; a missing row counts as all nulls. */
export function changedFields(before: AuditedRow | null, after: AuditedRow | null): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((key) => !isDeepStrictEqual(before?.[key] ?? null, after?.[key] ?? null)).sort();
}

function filtered(db: Knex, filter: AuditFilter): Knex.QueryBuilder {
  const query = db('audit_log as a');
  if (filter.entityType) query.where('a.table_name', tableOfEntityType.get(filter.entityType) ?? '');
  if (filter.entityId) query.where('a.entity_id', filter.entityId);
  if (filter.actorSubject) query.where('a.actor_subject', filter.actorSubject);
  if (filter.from) query.where('a.at', '>=', filter.from);
  if (filter.to) query.where('a.at', '<', filter.to);
  return query;
}

/** Entries newest first, a page at a time; the cursor is the entry's id. */
export async function listAuditEntries(db: Knex, filter: AuditFilter, page: PageRequest): Promise<AuditRow[]> {
  const query = keysetPage(filtered(db, filter).select(columns), page, ['a.id'], { descending: true });
  const rows: (Omit<AuditRow, 'entityType'> & { tableName: string })[] = await query;
  return rows.map(({ tableName, ...row }) => ({
    ...row,
    entityType: entityTypeOfTable[tableName] ?? camelCase(`_${tableName}`),
    before: withCamelKeys(row.before),
    after: withCamelKeys(row.after),
  }));
}

export async function countAuditEntries(db: Knex, filter: AuditFilter): Promise<number> {
  const [{ count }] = await filtered(db, filter).count({ count: '*' });
  return Number(count);
}

export const auditCursor = (row: AuditRow) => [row.id];

/** A cursor of this list: one positive integer id. */
export const isAuditKey = (key: unknown[]) => key.length === 1 && Number.isSafeInteger(key[0]) && (key[0] as number) > 0;
