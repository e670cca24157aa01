import type { EducatorImportRow } from '@mms/staff/src/generated/graphql';

/**
 * Sending a file's rows to Mutation.upsertEducators in batches, and the merged report (scripts/import.ts, bench/).
 * A batch is bounded by rows (the mutation takes at most 5,000) and by the size of its JSON: the gateway and the
 * subgraph refuse request bodies over 1 MiB (config `limits.maxBodyBytes`), which 5,000 full rows exceed.
 */

export interface ImportReport {
  dryRun: boolean;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rows: { rowNumber: number; outcome: 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED'; educatorId: string | null; employmentId: string | null }[];
  rejections: { rowNumber: number; column: string | null; reason: string; code: string }[];
}

export const upsertEducatorsMutation = `mutation UpsertEducators($input: UpsertEducatorsInput!) {
  upsertEducators(input: $input) {
    dryRun total created updated unchanged rejected
    rows { rowNumber outcome educatorId employmentId }
    rejections { rowNumber column reason code }
  }
}`;

export const defaultBatchRows = 5000;
/** Below the default 4 MiB body limit, with room for the query and the envelope. */
export const defaultBatchBytes = 3_800_000;

/** Consecutive batches of at most `maxRows` rows and `maxBytes` bytes of JSON each (a single larger row goes alone). */
export function batchesOf(rows: EducatorImportRow[], maxRows = defaultBatchRows, maxBytes = defaultBatchBytes): EducatorImportRow[][] {
  const batches: EducatorImportRow[][] = [];
  let batch: EducatorImportRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = Buffer.byteLength(JSON.stringify(row)) + 1;
    if (batch.length && (batch.length >= maxRows || bytes + size > maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(row);
    bytes += size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

export function emptyReport(dryRun: boolean): ImportReport {
  return { dryRun, total: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, rows: [], rejections: [] };
}

export function mergeReports(reports: ImportReport[], dryRun = false): ImportReport {
  const merged = emptyReport(reports[0]?.dryRun ?? dryRun);
  for (const report of reports) {
    for (const key of ['total', 'created', 'updated', 'unchanged', 'rejected'] as const) merged[key] += report[key];
    merged.rows.push(...report.rows);
    merged.rejections.push(...report.rejections);
  }
  return merged;
}

export type SendBatch = (rows: EducatorImportRow[]) => Promise<ImportReport>;

/** Sends the batches one after another (a later row may depend on an earlier one) and merges their reports. */
export async function importInBatches(batches: EducatorImportRow[][], send: SendBatch, progress?: (done: number, total: number) => void): Promise<ImportReport> {
  const total = batches.reduce((sum, batch) => sum + batch.length, 0);
  const reports: ImportReport[] = [];
  let done = 0;
  for (const batch of batches) {
    try {
      reports.push(await send(batch));
    } catch (error) {
      throw new ImportInterrupted(error instanceof Error ? error.message : String(error), mergeReports(reports), done, { cause: error });
    }
    done += batch.length;
    progress?.(done, total);
  }
  return mergeReports(reports);
}

/** The server refused a request (or answered something else than a report). */
export class ImportRequestError extends Error {}

/** A batch failed: the batches before it were imported (`done` rows, reported in `partial`), the rest were not sent. */
export class ImportInterrupted extends Error {
  constructor(message: string, readonly partial: ImportReport, readonly done: number, options?: ErrorOptions) {
    super(message, options);
  }
}

/** A sender over HTTP to the gateway (or a subgraph): one POST per batch. */
export function httpSender(options: { url: string; token: string; municipalityId: string; source?: string; dryRun?: boolean }): SendBatch {
  return async (rows) => {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify({
        query: upsertEducatorsMutation,
        variables: { input: { municipalityId: options.municipalityId, source: options.source, dryRun: options.dryRun ?? false, rows } },
      }),
    });
    const text = await response.text();
    let body: { data?: { upsertEducators?: ImportReport } | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new ImportRequestError(`the server answered HTTP ${response.status}: ${text.slice(0, 300)}`);
    }
    if (body.errors?.length || !body.data?.upsertEducators) {
      const [error] = body.errors ?? [{ message: `HTTP ${response.status} without a report` }];
      throw new ImportRequestError(`${error.extensions?.code ? `${error.extensions.code}: ` : ''}${error.message}`);
    }
    return body.data.upsertEducators;
  };
}

/** The report as a person reads it: the counts, then one line per rejection ("row 17, snils: has a wrong control number"). */
export function formatReport(report: ImportReport, kind = 'educators'): string[] {
  const lines = [`${kind}: ${report.total} rows${report.dryRun ? ' (dry run: nothing was written)' : ''}: `
    + `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected`];
  for (const r of report.rejections) lines.push(`row ${r.rowNumber}${r.column ? `, ${r.column}` : ''}: ${r.reason}${r.code === 'BAD_USER_INPUT' ? '' : ` (${r.code})`}`);
  return lines;
}
