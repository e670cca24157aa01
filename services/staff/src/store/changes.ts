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
