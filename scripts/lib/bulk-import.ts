import type { EducatorImportRow } from '@mms/staff/src/generated/graphql';

/**
 * Sending a file's rows to Mutation.upsertEducators in batches, and the merged report (scripts/import.ts, bench/).
 * A batch is bounded by rows (the mutation takes at most 5,000) and by the size of its JSON (the body limit).
 *
 * Telling the truth when an answer is lost (issue 14). A batch is one transaction, written whole or not at all, but
 * the answer can be lost while the transaction goes on or ends: the gateway gives up on the bulk mutation after
 * SUBGRAPH_BULK_TIMEOUT_MS (120 s; the subgraph then rolls it back, or has already committed it), a connection breaks,
 * a proxy answers 502/504. So:
 * - batches are 500 rows by default: about 3 s on a busy two-core machine (bench/README.md), well inside the
 *   gateway's limits; the mutation still takes up to 5,000 (`--batch`: ~20 s);
 * - when a batch's answer is lost, the command does not guess: it sends the same rows again as a dry run (in pieces
 *   small enough to answer in time, halved when one does not) until nothing would be created or updated (the batch
 *   was written: counted as "written, answer lost", and the import goes on) or for `recheckMs` (60 s) at most, then
 *   stops saying the batch was not written (or is still being written). Re-sending the file is always safe: rows
 *   already written come back unchanged.
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
  /** Rows of batches whose answer was lost, found written by a re-check (their created/updated split is unknown). */
  recovered?: number;
}

export const upsertEducatorsMutation = `mutation UpsertEducators($input: UpsertEducatorsInput!) {
  upsertEducators(input: $input) {
    dryRun total created updated unchanged rejected
    rows { rowNumber outcome educatorId employmentId }
    rejections { rowNumber column reason code }
  }
}`;

export const defaultBatchRows = 500;
/** How long the command keeps re-checking a batch whose answer was lost (ms); `--recheck-seconds`. */
export const defaultRecheckMs = 60_000;
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
  return { dryRun, total: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, rows: [], rejections: [], recovered: 0 };
}

export function mergeReports(reports: ImportReport[], dryRun = false): ImportReport {
  const merged = emptyReport(reports[0]?.dryRun ?? dryRun);
  for (const report of reports) {
    for (const key of ['total', 'created', 'updated', 'unchanged', 'rejected'] as const) merged[key] += report[key];
    merged.recovered = (merged.recovered ?? 0) + (report.recovered ?? 0);
    merged.rows.push(...report.rows);
    merged.rejections.push(...report.rejections);
  }
  return merged;
}

export type SendBatch = (rows: EducatorImportRow[]) => Promise<ImportReport>;

/** How a lost answer is looked into: the same rows as a dry run, for at most `patienceMs`. */
export interface Recheck {
  dryRun: SendBatch;
  patienceMs?: number;
  /** Rows per dry-run request (halved, down to one, when one goes unanswered too). */
  pieceRows?: number;
  /** Lines for the person at the terminal (stderr). */
  say?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Sends the batches one after another (a later row may depend on an earlier one) and merges their reports. A batch
 * whose answer is lost (`ImportRequestError.uncertain`) is re-checked when `recheck` is given (see the top of the file).
 */
export async function importInBatches(batches: EducatorImportRow[][], send: SendBatch, progress?: (done: number, total: number) => void, recheck?: Recheck): Promise<ImportReport> {
  const total = batches.reduce((sum, batch) => sum + batch.length, 0);
  const reports: ImportReport[] = [];
  let done = 0;
  for (const batch of batches) {
    try {
      reports.push(await send(batch));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof ImportRequestError && error.uncertain && recheck)) {
        throw new ImportInterrupted(message, mergeReports(reports), done, { cause: error });
      }
      const found = await recheckBatch(batch, message, recheck);
      if (found.written === false) {
        throw new ImportInterrupted(`${rowsOf(batch)}: ${message}; a re-check ${Math.round(found.afterMs / 1000)} s later still finds ${found.pending} of its rows `
          + 'not written, so the batch was not written (or is still being written). Sending the file again is safe: rows already written come back unchanged',
        mergeReports(reports), done, { cause: error });
      }
      reports.push(found.report);
    }
    done += batch.length;
    progress?.(done, total);
  }
  return mergeReports(reports);
}

const rowsOf = (batch: EducatorImportRow[]) => {
  const numbers = batch.map((row, i) => row.rowNumber ?? i + 1);
  return `rows ${Math.min(...numbers)}–${Math.max(...numbers)}`;
};

type RecheckResult = { written: true; report: ImportReport } | { written: false; pending: number; afterMs: number };

/** Dry runs of the batch until nothing would change (written) or the patience is spent (not written). */
async function recheckBatch(batch: EducatorImportRow[], why: string, recheck: Recheck): Promise<RecheckResult> {
  const say = recheck.say ?? (() => {});
  const sleep = recheck.sleep ?? ((ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms); }));
  const started = Date.now();
  const deadline = started + (recheck.patienceMs ?? defaultRecheckMs);
  say(`${rowsOf(batch)}: the answer was lost (${why}); checking what was written`);
  let wait = 1000;
  let pending = batch.length;
  for (;;) {
    const check = await dryRunInPieces(batch, recheck.dryRun, recheck.pieceRows ?? 100);
    if (check) {
      // A row "registered meanwhile by another request" met the lost batch's own transaction, still running: unsettled.
      pending = check.created + check.updated + check.rejections.filter((r) => r.code === 'CONFLICT' && /meanwhile/.test(r.reason)).length;
      if (pending === 0) {
        say(`${rowsOf(batch)}: a re-check finds every row written; going on`);
        // Rejected rows were rejected by the lost answer too (the same rules, the same data): they are reported.
        return { written: true, report: { ...check, dryRun: false, unchanged: 0, recovered: batch.length - check.rejected } };
      }
    }
    if (Date.now() + wait > deadline) return { written: false, pending, afterMs: Date.now() - started };
    await sleep(wait);
    wait = Math.min(wait * 2, 10_000);
  }
}

/** The batch as dry runs of at most `pieceRows` rows; a piece whose answer is lost again is split. Null when a single row goes unanswered. */
async function dryRunInPieces(batch: EducatorImportRow[], dryRun: SendBatch, pieceRows: number): Promise<ImportReport | null> {
  const reports: ImportReport[] = [];
  const queue = batchesOf(batch, Math.max(1, pieceRows), Number.POSITIVE_INFINITY);
  while (queue.length) {
    const piece = queue.shift()!;
    try {
      reports.push(await dryRun(piece));
    } catch (error) {
      if (!(error instanceof ImportRequestError && error.uncertain) || piece.length === 1) return null;
      const half = Math.ceil(piece.length / 2);
      queue.unshift(piece.slice(0, half), piece.slice(half));
    }
  }
  return mergeReports(reports, true);
}

/**
 * The server refused a request (or answered something else than a report). `uncertain`: the answer was lost (a
 * timeout, a broken connection, a proxy's 502/503/504) and the batch may or may not have been written.
 */
export class ImportRequestError extends Error {
  constructor(message: string, readonly uncertain = false) {
    super(message);
  }
}

/** A batch failed: the batches before it were imported (`done` rows, reported in `partial`), the rest were not sent. */
export class ImportInterrupted extends Error {
  constructor(message: string, readonly partial: ImportReport, readonly done: number, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Error codes of an answer that was lost on the way, not a refusal: the batch may have been written. */
const lostAnswerCodes = new Set(['SUBGRAPH_TIMEOUT', 'SUBGRAPH_UNAVAILABLE', 'DATABASE_UNAVAILABLE']);

/** A sender over HTTP to the gateway (or a subgraph): one POST per batch. */
export function httpSender(options: { url: string; token: string; municipalityId: string; source?: string; dryRun?: boolean }): SendBatch {
  return async (rows) => {
    let response: Response;
    let text: string;
    try {
      response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify({
          query: upsertEducatorsMutation,
          variables: { input: { municipalityId: options.municipalityId, source: options.source, dryRun: options.dryRun ?? false, rows } },
        }),
      });
      text = await response.text();
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ImportRequestError(`the connection broke (${cause?.code ?? cause?.message ?? (error as Error).message})`, true);
    }
    let body: { data?: { upsertEducators?: ImportReport } | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new ImportRequestError(`the server answered HTTP ${response.status}: ${text.slice(0, 300)}`, [502, 503, 504].includes(response.status));
    }
    if (body.errors?.length || !body.data?.upsertEducators) {
      const [error] = body.errors ?? [{ message: `HTTP ${response.status} without a report` }];
      const code = error.extensions?.code;
      throw new ImportRequestError(`${code ? `${code}: ` : ''}${error.message}`, code !== undefined && lostAnswerCodes.has(code));
    }
    return body.data.upsertEducators;
  };
}

/**
 * The report as a person reads it: the counts, then one line per rejection ("row 17, СНИЛС: has a wrong control
 * number"); `columnName` turns the graph's field name into the file's header (spreadsheet.ts `columnNamer`).
 */
export function formatReport(report: ImportReport, kind = 'educators', columnName: (column: string) => string = (column) => column): string[] {
  const lines = [`${kind}: ${report.total} rows${report.dryRun ? ' (dry run: nothing was written)' : ''}: `
    + `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected`
    + (report.recovered ? `; ${report.recovered} of them in batches whose answer was lost, found written by a re-check (created, updated or already so)` : '')];
  for (const r of report.rejections) lines.push(`row ${r.rowNumber}${r.column ? `, ${columnName(r.column)}` : ''}: ${r.reason}${r.code === 'BAD_USER_INPUT' ? '' : ` (${r.code})`}`);
  return lines;
}
