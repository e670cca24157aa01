import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsvText } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { EducatorImportRow } from '@mms/staff/src/generated/graphql';
import { exportOnlyHeaders, fullNameHeaders, importColumns, rowNumberHeaders, type ImportField } from '@mms/staff/src/import-columns';

export type { ImportField };

/**
 * Reading the files municipalities send (issue 9): CSV in UTF-8 (with or without BOM), Windows-1251 or UTF-16 (Excel's
 * "Unicode text"), separated by `;`, `,` or tabs; XLSX (the first sheet); JSON (an array of objects). Headers in
 * Russian or English become EducatorImportRow fields; every cell is sent as text and judged by the server.
 * Rows are numbered as a spreadsheet shows them: the header is row 1, and empty rows count but are not sent.
 * The columns and their names: services/staff/src/import-columns.ts (the one definition, also the README's table).
 *
 * An educator with several employments on one row, the employments' values joined by "; " in the same order in
 * every employment column (as exports were written before issue 17; they now write a row per employment), is sent as
 * one import row per employment, all with the row's number (`splitEmployments`).
 */

export interface ReadFile {
  rows: EducatorImportRow[];
  /** Headers that name no field, in file order: reported once as a warning. */
  unknownColumns: string[];
  /** Headers naming a field an earlier column already gave (the first one is used). */
  duplicateColumns: string[];
  /** The export's derived columns found (Молодой специалист, Категория, …): not imported. */
  skippedColumns: string[];
  /** Each field's header as written in the file (a whole-name column stands for the three name fields). */
  headers: Partial<Record<ImportField, string>>;
  format: 'csv' | 'xlsx' | 'json';
  encoding?: 'utf-8' | 'windows-1251' | 'utf-16le';
  delimiter?: string;
}

/** A header or cell as compared: lower case, ё as е, punctuation and dashes as spaces. */
export function headerKey(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е').replace(/[‐-―−_\-,.;:()*"«»№#/\\]/g, ' ').replace(/\s+/g, ' ').trim();
}

const fieldOfHeader = new Map<string, ImportField>();
for (const { field, header, aliases } of importColumns) {
  for (const name of [field, header, ...aliases]) fieldOfHeader.set(headerKey(name), field);
}
const fullNameKeys = new Set(fullNameHeaders.map(headerKey));
/** Row numbers of the sender's own: not data, not worth a warning. */
const ignoredHeaders = new Set(rowNumberHeaders.map(headerKey));
/** The export's derived columns: not imported, named in a note rather than a warning. */
const exportOnlyKeys = new Set(exportOnlyHeaders.map(headerKey));

/** A column of the file and what it holds. */
type ColumnTarget = ImportField | 'fullName' | null;

export interface HeaderMap {
  targets: ColumnTarget[];
  unknownColumns: string[];
  duplicateColumns: string[];
  headers: Partial<Record<ImportField, string>>;
  skippedColumns: string[];
}

export function mapHeaders(headers: string[]): HeaderMap {
  const seen = new Set<string>();
  const unknownColumns: string[] = [];
  const duplicateColumns: string[] = [];
  const skippedColumns: string[] = [];
  const targets = headers.map((header): ColumnTarget => {
    const key = headerKey(header);
    if (key === '' || ignoredHeaders.has(key)) return null;
    if (exportOnlyKeys.has(key)) {
      skippedColumns.push(header.trim());
      return null;
    }
    const target: ColumnTarget = fullNameKeys.has(key) ? 'fullName' : fieldOfHeader.get(key) ?? null;
    if (!target) {
      unknownColumns.push(header.trim());
      return null;
    }
    if (seen.has(target)) {
      duplicateColumns.push(header.trim());
      return null;
    }
    seen.add(target);
    return target;
  });
  const named: Partial<Record<ImportField, string>> = {};
  targets.forEach((target, i) => {
    if (target === 'fullName') for (const field of ['lastName', 'firstName', 'patronymic'] as const) named[field] ??= headers[i].trim();
    else if (target) named[target] = headers[i].trim();
  });
  return { targets, unknownColumns, duplicateColumns, headers: named, skippedColumns };
}

const employmentFields = ['organizationInn', 'organizationCode', 'organizationName', 'position', 'staffCategory', 'rate', 'isMainJob', 'startedOn', 'endedOn'] as const;

/** Employment columns that never hold ";" in one value: the first that does says how many employments a line holds. */
const countingFields = ['organizationInn', 'organizationCode', 'startedOn', 'rate', 'isMainJob', 'staffCategory'] as const;

/**
 * A row holding several employments joined by ";" (the export's way) as one row per employment; any other row as it
 * is. The INN column (else the code, the start date, …: columns whose one value never holds ";") gives the count; a
 * column with another count of parts is sent whole in every row (and rejected as such), except the organization's
 * name (which may itself hold ";"), dropped when the INN or code is there.
 */
export function splitEmployments(row: EducatorImportRow): EducatorImportRow[] {
  const key = countingFields.map((field) => row[field]).find((value) => value?.includes(';'));
  if (key === undefined || key === null) return [row];
  const count = key.split(';').length;
  const rows: EducatorImportRow[] = Array.from({ length: count }, () => ({ ...row }));
  for (const field of employmentFields) {
    const value = row[field];
    if (value === undefined || value === null) continue;
    const parts = value.split(';').map((part) => part.trim());
    if (parts.length === count) {
      rows.forEach((split, i) => {
        if (parts[i] === '') delete split[field];
        else split[field] = parts[i];
      });
    } else if (field === 'organizationName' && (rows[0].organizationInn || rows[0].organizationCode)) {
      for (const split of rows) delete split.organizationName;
    }
  }
  return rows;
}

/** Cells of one row (as text) into an import row; null when every cell is empty. */
export function toImportRow(cells: string[], targets: ColumnTarget[], rowNumber: number): EducatorImportRow | null {
  const row: EducatorImportRow = { rowNumber };
  let any = false;
  targets.forEach((target, i) => {
    const value = cells[i]?.trim();
    if (!target || !value) return;
    any = true;
    if (target === 'fullName') {
      const [lastName, firstName, ...rest] = value.split(/\s+/);
      row.lastName ??= lastName;
      if (firstName) row.firstName ??= firstName;
      if (rest.length) row.patronymic ??= rest.join(' ');
    } else {
      row[target] = value;
    }
  });
  return any ? row : null;
}

/** Text from bytes: a BOM decides; else valid UTF-8 is UTF-8, and anything else is taken for Windows-1251. */
export function decodeText(bytes: Buffer): { text: string; encoding: 'utf-8' | 'windows-1251' | 'utf-16le' } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf16le'), encoding: 'utf-16le' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'win1251'), encoding: 'windows-1251' };
  }
}

/** The separator of the header line: whichever of `;`, `,` and tab occurs most outside quotes (`,` on a tie). */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

function fromTable(table: { cells: string[]; rowNumber: number }[], format: ReadFile['format']): ReadFile {
  const headerIndex = table.findIndex((line) => line.cells.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) return { rows: [], unknownColumns: [], duplicateColumns: [], skippedColumns: [], headers: {}, format };
  const { targets, unknownColumns, duplicateColumns, skippedColumns, headers } = mapHeaders(table[headerIndex].cells);
  const rows = table.slice(headerIndex + 1).map((line) => toImportRow(line.cells, targets, line.rowNumber))
    .filter((row): row is EducatorImportRow => row !== null).flatMap(splitEmployments);
  return { rows, unknownColumns, duplicateColumns, skippedColumns, headers, format };
}

export function readCsv(bytes: Buffer): ReadFile {
  const { text, encoding } = decodeText(bytes);
  const delimiter = detectDelimiter(text);
  // Empty lines are kept as records so that the numbering matches the spreadsheet's; quotes inside unquoted cells
  // (ООО "Ромашка") are taken as they are.
  const records: string[][] = parseCsvText(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  return { ...fromTable(records.map((cells, i) => ({ cells, rowNumber: i + 1 })), 'csv'), encoding, delimiter };
}

/** A cell of exceljs as text: dates as YYYY-MM-DD, formulas by their result, rich text joined. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

/** Numbers a spreadsheet stored as numbers lose their leading zeros: SNILS has 11 digits and an organization's INN 10. */
const digitsOf: Partial<Record<ImportField, number>> = { snils: 11, organizationInn: 10 };

export async function readXlsx(bytes: Buffer): Promise<ReadFile> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const lines: { values: ExcelJS.CellValue[]; rowNumber: number }[] = [];
  sheet?.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: ExcelJS.CellValue[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => { values[column - 1] = cell.value; });
    lines.push({ values, rowNumber });
  });
  const header = lines.find((line) => line.values.some((value) => cellText(value).trim() !== ''));
  if (!header) return { rows: [], unknownColumns: [], duplicateColumns: [], skippedColumns: [], headers: {}, format: 'xlsx' };
  const { targets, unknownColumns, duplicateColumns, skippedColumns, headers } = mapHeaders(Array.from(header.values, cellText));
  const text = (value: ExcelJS.CellValue, i: number) => {
    const target = targets[i];
    const width = target && target !== 'fullName' ? digitsOf[target] : undefined;
    return width && typeof value === 'number' && Number.isInteger(value) ? String(value).padStart(width, '0') : cellText(value);
  };
  const rows = lines.filter((line) => line.rowNumber > header.rowNumber)
    .map((line) => toImportRow(Array.from(line.values, text), targets, line.rowNumber))
    .filter((row): row is EducatorImportRow => row !== null).flatMap(splitEmployments);
  return { rows, unknownColumns, duplicateColumns, skippedColumns, headers, format: 'xlsx' };
}

export function readJson(bytes: Buffer): ReadFile {
  const data: unknown = JSON.parse(decodeText(bytes).text);
  if (!Array.isArray(data)) throw new Error('a JSON file must hold an array of row objects');
  const headers = [...new Set(data.flatMap((item) => (item && typeof item === 'object' ? Object.keys(item) : [])))];
  const { targets, unknownColumns, duplicateColumns, skippedColumns, headers: named } = mapHeaders(headers);
  const rows = data.flatMap((item: Record<string, unknown>, i) => {
    if (!item || typeof item !== 'object') return [];
    const cells = headers.map((header) => {
      const value = item[header];
      return value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    });
    const rowNumber = Number.isSafeInteger(item.rowNumber) ? Number(item.rowNumber) : i + 1;
    const row = toImportRow(cells, targets, rowNumber);
    return row ? [row] : [];
  });
  return { rows, unknownColumns, duplicateColumns, skippedColumns, headers: named, format: 'json' };
}

/**
 * How the report names a column: by the file's own header (as written), else, for a field the file has no column
 * for, by the template's header; a JSON file's keys are its headers, and its missing fields keep their names.
 */
export function columnNamer(file: Pick<ReadFile, 'headers' | 'format'>): (column: string) => string {
  return (column) => {
    const written = file.headers[column as ImportField];
    if (written) return written;
    const spec = importColumns.find((c) => c.field === column);
    if (!spec || file.format === 'json') return column;
    return `${spec.header} (no such column in the file)`;
  };
}

/** The headers a file may use, for a message: each field's header and its other names. */
export function acceptedHeaders(): string {
  return importColumns.map((c) => [c.header, ...c.aliases].join(' / ')).join('; ');
}

/** Reads a file by its extension: .csv (also .txt), .xlsx, .json. */
export async function readImportFile(file: string): Promise<ReadFile> {
  const bytes = fs.readFileSync(file);
  const extension = path.extname(file).toLowerCase();
  switch (extension) {
    case '.csv':
    case '.txt':
      return readCsv(bytes);
    case '.xlsx':
      return readXlsx(bytes);
    case '.json':
      return readJson(bytes);
    default:
      throw new Error(`cannot read ${extension || 'a file without an extension'}: give a .csv, .xlsx or .json file`);
  }
}
