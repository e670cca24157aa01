/**
 * Bulk upsert of educators and employments by natural keys (SNILS; INN or code; educator+organization+position+start).
 * (Row types are the contract with the resolvers and the generated types; queries follow.)
 */
export interface ImportRowResultRow {
  rowNumber: number;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  educatorId: string | null;
  employmentId: string | null;
}

export interface ImportRejectionRow {
  rowNumber: number;
  column: string | null;
  reason: string;
  code: string;
}

export interface ImportReportRow {
  dryRun: boolean;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rows: ImportRowResultRow[];
  rejections: ImportRejectionRow[];
}
