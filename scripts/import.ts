/**
 * npm run import -- <file.csv|file.xlsx|file.json> --kind educators --municipality <id>
 *   [--source <system>] [--dry-run] [--url <gateway>/graphql] [--token <jwt>] [--batch 500] [--recheck-seconds 60]
 * npm run import -- --columns      prints the columns a file may have (services/staff/src/import-columns.ts)
 *
 * Reads a municipality's file (scripts/lib/spreadsheet.ts), sends its rows to Mutation.upsertEducators in batches,
 * and prints the report: the counts, then one line per rejected cell, named by the file's own header ("row 17, СНИЛС:
 * has a wrong control number"). A file without a SNILS column is refused before anything is sent.
 * Rows are numbered as the spreadsheet shows them (the header is row 1). The token: --token, else MMS_TOKEN, else a
 * dev token of a region admin minted with the embedded run's key (npm start). The gateway: --url, else MMS_GRAPHQL_URL,
 * else the running npm start's of this data directory (its .data/instance.json), else http://localhost:<GATEWAY_PORT
 * or 4000>/graphql.
 * Exit status: 0 when every row landed (or was unchanged), 1 when any row was rejected, 2 when the import could not
 * run (bad arguments, unreadable file, the server refused the request, or a batch whose answer was lost was found not
 * written). Each batch is one transaction: batches before a refused one stay written, and a dry run of several
 * batches judges each batch without the earlier ones. A batch whose answer is lost (SUBGRAPH_TIMEOUT, a broken
 * connection) is re-checked with dry runs of its rows for up to --recheck-seconds: found written, the import goes on
 * and the report counts it; otherwise the command stops and says the batch was not written (lib/bulk-import.ts).
 */
import { parseArgs } from 'node:util';
import { batchesOf, defaultBatchRows, defaultRecheckMs, formatReport, httpSender, importInBatches, ImportInterrupted } from './lib/bulk-import';
import { importColumnsText } from '@mms/staff/src/import-columns';
import { acceptedHeaders, columnNamer, readImportFile } from './lib/spreadsheet';

const usage = 'usage: npm run import -- <file.csv|file.xlsx|file.json> --kind educators --municipality <id> '
  + '[--source <system>] [--dry-run] [--url <gateway>/graphql] [--token <jwt>] [--batch 500] [--recheck-seconds 60]\n'
  + '       npm run import -- --columns   (the columns a file may have)';

class UsageError extends Error {}
/** How the report names a column: the file's own headers once the file is read. */
let columnName: ((column: string) => string) | undefined;
/** The file cannot be imported as it is (exit 2, nothing sent). */
class FileError extends Error {}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        kind: { type: 'string', default: 'educators' },
        municipality: { type: 'string' },
        source: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        url: { type: 'string' },
        token: { type: 'string' },
        batch: { type: 'string', default: String(defaultBatchRows) },
        'recheck-seconds': { type: 'string', default: String(defaultRecheckMs / 1000) },
        columns: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.columns) {
    console.log(importColumnsText());
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one file');
  if (values.kind !== 'educators') throw new UsageError(`--kind ${values.kind}: only educators can be imported so far`);
  if (!values.municipality) throw new UsageError('--municipality <id> is required');
  const batchRows = Number(values.batch);
  if (!Number.isInteger(batchRows) || batchRows < 1 || batchRows > 5000) throw new UsageError('--batch must be a whole number from 1 to 5000');
  const recheckSeconds = Number(values['recheck-seconds']);
  if (!Number.isFinite(recheckSeconds) || recheckSeconds < 0 || recheckSeconds > 3600) throw new UsageError('--recheck-seconds must be a number from 0 to 3600');

  const file = await readImportFile(positionals[0]);
  columnName = columnNamer(file);
  const how = [file.format, file.encoding, file.delimiter && `separated by ${JSON.stringify(file.delimiter)}`].filter(Boolean).join(', ');
  const lines = new Set(file.rows.map((row) => row.rowNumber)).size;
  const split = lines < file.rows.length ? `; ${lines} lines, an educator's several employments on one line sent as a row each` : '';
  console.error(`${positionals[0]}: ${file.rows.length} rows (${how}${split})`);
  if (file.unknownColumns.length) {
    console.error(`warning: columns not imported (unknown): ${file.unknownColumns.join(', ')}. Accepted headers (any case): ${acceptedHeaders()}; `
      + 'see npm run import -- --columns');
  }
  if (file.skippedColumns.length) console.error(`note: columns not imported (derived, or recorded otherwise): ${file.skippedColumns.join(', ')}`);
  if (file.duplicateColumns.length) console.error(`warning: columns not imported (the same field as an earlier column): ${file.duplicateColumns.join(', ')}`);
  if (file.rows.length === 0) {
    console.error('nothing to import');
    return 0;
  }
  if (!file.headers.snils) {
    throw new FileError(`no SNILS column: every row is matched by SNILS. The file's headers: ${[...file.unknownColumns, ...Object.values(file.headers)].join(', ') || 'none'}; `
      + `a SNILS column is headed ${['СНИЛС', 'snils'].join(' or ')} (see npm run import -- --columns)`);
  }

  const token = values.token ?? process.env.MMS_TOKEN ?? await devToken();
  const target = { url: values.url ?? process.env.MMS_GRAPHQL_URL ?? await runningGateway(), token, municipalityId: values.municipality, source: values.source };
  const send = httpSender({ ...target, dryRun: values['dry-run'] });
  const batches = batchesOf(file.rows, batchRows);
  const showProgress = batches.length > 1;
  const recheck = { dryRun: httpSender({ ...target, dryRun: true }), patienceMs: recheckSeconds * 1000, say: (line: string) => console.error(line) };
  const report = await importInBatches(batches, send, showProgress ? (done, total) => console.error(`rows ${done}/${total}`) : undefined, recheck);
  for (const line of formatReport(report, values.kind, columnName)) console.log(line);
  return report.rejected > 0 ? 1 : 0;
}

/**
 * The gateway of the npm start running on this data directory (MMS_DATA_DIR), said on stderr; else the port npm start
 * would use. Loaded only when needed: it reads the configuration.
 */
async function runningGateway(): Promise<string> {
  const { runningInstance } = await import('./lib/database.js');
  const instance = runningInstance();
  if (instance) {
    console.error(`gateway: ${instance.graphql} (the running npm start, pid ${instance.pid})`);
    return instance.graphql;
  }
  return `http://localhost:${process.env.GATEWAY_PORT ?? 4000}/graphql`;
}

/** A region admin's token from the embedded run's dev key (loaded only when needed: it reads the configuration). */
async function devToken(): Promise<string> {
  const { mintDevToken } = await import('@mms/platform');
  return mintDevToken({ role: 'region_admin', subject: 'import-cli' });
}

main().then((code) => process.exit(code)).catch((error) => {
  if (error instanceof UsageError) console.error(`${error.message}\n${usage}`);
  else if (error instanceof FileError) console.error(`${error.message}\nnothing was sent`);
  else if (error instanceof ImportInterrupted) {
    console.error(`import stopped after ${error.done} rows: ${error.message}`);
    if (error.done > 0) for (const line of formatReport(error.partial, 'educators', columnName)) console.log(line);
  }
  else console.error(`import failed: ${error instanceof Error ? error.message : error}`);
  process.exit(2);
});
