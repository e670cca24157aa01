import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsvText } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { EducatorImportRow } from '@mms/staff/src/generated/graphql';

/**
 * Reading the files municipalities send (issue 9): CSV in UTF-8 (with or without BOM), Windows-1251 or UTF-16 (Excel's
 * "Unicode text"), separated by `;`, `,` or tabs; XLSX (the first sheet); JSON (an array of objects). Headers in
 * Russian or English become EducatorImportRow fields; every cell is sent as text and judged by the server.
 * Rows are numbered as a spreadsheet shows them: the header is row 1, and empty rows count but are not sent.
 */

export type ImportField = Exclude<keyof EducatorImportRow, 'rowNumber'>;

export interface ReadFile {
  rows: EducatorImportRow[];
  /** Headers that name no field, in file order: reported once as a warning. */
  unknownColumns: string[];
  /** Headers naming a field an earlier column already gave (the first one is used). */
  duplicateColumns: string[];
  format: 'csv' | 'xlsx' | 'json';
  encoding?: 'utf-8' | 'windows-1251' | 'utf-16le';
  delimiter?: string;
}

/** A header or cell as compared: lower case, ё as е, punctuation and dashes as spaces. */
export function headerKey(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е').replace(/[‐-―−_\-,.;:()*"«»№#/\\]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The names each field goes by in the files we receive; the field's own name (any case) always works too. */
const aliases: Record<ImportField, string[]> = {
  snils: ['СНИЛС', 'СНИЛС сотрудника', 'Страховой номер', 'Страховой номер индивидуального лицевого счёта'],
  lastName: ['Фамилия', 'Last name', 'Surname'],
  firstName: ['Имя', 'First name'],
  patronymic: ['Отчество', 'Middle name'],
  birthDate: ['Дата рождения', 'Birth date', 'Date of birth'],
  email: ['E-mail', 'Email', 'Эл. почта', 'Электронная почта', 'Адрес электронной почты'],
  phone: ['Телефон', 'Контактный телефон', 'Мобильный телефон', 'Phone'],
  pedagogicalWorkStartedOn: ['Дата начала педагогической деятельности', 'Педстаж с', 'Педагогический стаж с', 'Начало педагогической деятельности'],
  educationLevel: ['Образование', 'Уровень образования', 'Education', 'Education level'],
  organizationInn: ['ИНН ОО', 'ИНН организации', 'ИНН образовательной организации', 'ИНН', 'Organization INN'],
  organizationCode: ['Код ОО', 'Код организации', 'Organization code'],
  position: ['Должность', 'Position'],
  staffCategory: ['Категория должности', 'Категория персонала', 'Категория работника', 'Staff category'],
  rate: ['Ставка', 'Ставки', 'Размер ставки', 'Количество ставок', 'Rate'],
  isMainJob: ['Основное место работы', 'Основное', 'Вид занятости', 'Характер работы', 'Main job'],
  startedOn: ['Дата приема', 'Дата приема на работу', 'Дата начала работы', 'Started on', 'Start date'],
  endedOn: ['Дата увольнения', 'Дата окончания работы', 'Ended on', 'End date'],
  externalId: ['Внешний id', 'Внешний идентификатор', 'Идентификатор во внешней системе', 'External id'],
};
const fieldOfHeader = new Map<string, ImportField>();
for (const [field, names] of Object.entries(aliases) as [ImportField, string[]][]) {
  for (const name of [field, ...names]) fieldOfHeader.set(headerKey(name), field);
}
/** One column with the whole name, "Иванова Анна Сергеевна": split into last name, first name and patronymic. */
const fullNameHeaders = new Set(['фио', 'ф и о', 'фамилия имя отчество', 'full name'].map(headerKey));
/** Row numbers of the sender's own: not data, not worth a warning. */
const ignoredHeaders = new Set(['№', '№ п/п', 'п/п', 'n', 'no', '#', 'row', 'rownumber'].map(headerKey));

/** A column of the file and what it holds. */
type ColumnTarget = ImportField | 'fullName' | null;

export function mapHeaders(headers: string[]): { targets: ColumnTarget[]; unknownColumns: string[]; duplicateColumns: string[] } {
  const seen = new Set<string>();
  const unknownColumns: string[] = [];
  const duplicateColumns: string[] = [];
  const targets = headers.map((header): ColumnTarget => {
    const key = headerKey(header);
    if (key === '' || ignoredHeaders.has(key)) return null;
    const target: ColumnTarget = fullNameHeaders.has(key) ? 'fullName' : fieldOfHeader.get(key) ?? null;
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
  return { targets, unknownColumns, duplicateColumns };
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
  if (headerIndex < 0) return { rows: [], unknownColumns: [], duplicateColumns: [], format };
  const { targets, unknownColumns, duplicateColumns } = mapHeaders(table[headerIndex].cells);
  const rows = table.slice(headerIndex + 1).map((line) => toImportRow(line.cells, targets, line.rowNumber)).filter((row): row is EducatorImportRow => row !== null);
  return { rows, unknownColumns, duplicateColumns, format };
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
  if (!header) return { rows: [], unknownColumns: [], duplicateColumns: [], format: 'xlsx' };
  const { targets, unknownColumns, duplicateColumns } = mapHeaders(Array.from(header.values, cellText));
  const text = (value: ExcelJS.CellValue, i: number) => {
    const target = targets[i];
    const width = target && target !== 'fullName' ? digitsOf[target] : undefined;
    return width && typeof value === 'number' && Number.isInteger(value) ? String(value).padStart(width, '0') : cellText(value);
  };
  const rows = lines.filter((line) => line.rowNumber > header.rowNumber)
    .map((line) => toImportRow(Array.from(line.values, text), targets, line.rowNumber))
    .filter((row): row is EducatorImportRow => row !== null);
  return { rows, unknownColumns, duplicateColumns, format: 'xlsx' };
}

export function readJson(bytes: Buffer): ReadFile {
  const data: unknown = JSON.parse(decodeText(bytes).text);
  if (!Array.isArray(data)) throw new Error('a JSON file must hold an array of row objects');
  const headers = [...new Set(data.flatMap((item) => (item && typeof item === 'object' ? Object.keys(item) : [])))];
  const { targets, unknownColumns, duplicateColumns } = mapHeaders(headers);
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
  return { rows, unknownColumns, duplicateColumns, format: 'json' };
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
