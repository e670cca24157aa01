/**
 * Export of educator lists (issue 9): `GET /export/educators.csv` and `GET /export/educators.xlsx`.
 *
 *   ?filter={"organizationId":"…","employedOn":"2025-01-15"}   the EducatorFilter of `Query.educators`, as JSON
 *   &activeOn=2025-01-15                                        the day of the employment and category columns;
 *                                                               today (Europe/Moscow) when not given
 *
 * The list is read through the gateway itself, page after page of `educators(filter, first: 200, after)`, with the
 * caller's token and the context the GraphQL route builds: each subgraph checks scope and personal data exactly as
 * for any query, and the query is held to the gateway's limits like any other. Nothing here decides who sees whom.
 *
 * What the caller gets:
 * - One row per employment in force on `activeOn` (issue 17: so that a rate is a number and a day a day in every
 *   row), the educator's own columns repeated on each; an educator without one is one row with the employment
 *   columns empty. Educators come in the graph's order: by name, or by id for a caller who may not read names (an
 *   analyst), since an alphabetical position is a piece of a name; their employments latest first.
 * - Columns a caller may not read (an analyst: names, birth date, SNILS, e-mail, phone, start of pedagogical work)
 *   are left out of the file entirely, not sent empty, and named by their GraphQL field names in the response header
 *   `X-Omitted-Columns: lastName,firstName,patronymic,birthDate,snils,email,phone,pedagogicalWorkStartedOn` (absent
 *   when nothing is omitted). Their «Молодой специалист» and «До 35 лет» are as on 1 September of activeOn's academic
 *   year (derived from personal dates, the graph gives them on no other day). A filter by a personal value
 *   (`nameContains`) is refused by the graph: 403.
 *   The policy table (`personal:read`) decides up front, so the query does not ask for what would be refused; a field
 *   the subgraph refuses anyway on the first page (FORBIDDEN on that field) is left out the same way.
 * - CSV: UTF-8 with a BOM, `;`-separated, CRLF, RFC 4180 quoting: what Excel in a Russian locale opens as is; the
 *   file is named `….utf8.csv` and sent as `text/csv; charset=utf-8`, for a program that asks (LibreOffice's import
 *   dialog). Dates DD.MM.YYYY, decimals with a comma, Да/Нет in columns of their own. Identifiers stay text in every
 *   reader that guesses types (pandas, LibreOffice, csv-parse's `cast`): SNILS as on the card (112-233-445 95) and
 *   phones with their separators (+7 914 123-45-67), neither of which any of them takes for a number, and both of
 *   which the import reads back. Text that Excel would run as a formula (=, +, -, @ first, other than a phone number
 *   or a number) gets a leading apostrophe (OWASP's CSV injection advice). Streamed page by page.
 * - The file imports back (`npm run import`, issue 16): its headers are the import's (services/staff/src/import-columns.ts),
 *   with the organization's INN and code, and the derived columns are ones the import skips. Importing a
 *   municipality's export into it changes nothing.
 * - XLSX (exceljs' streaming writer): a bold, frozen header row with a filter, column widths, dates as Excel dates
 *   (DD.MM.YYYY), rates as numbers, and the SNILS, phone, INN and code columns formatted as text (`@`), so that a
 *   value typed into them stays as typed.
 *
 * Refusals are GraphQL-style JSON, `{ errors: [{ message, extensions: { code } }] }`, always before the first byte of
 * a file: 401 without a token or with a bad one, 400 for a `filter` that is not JSON or that the graph refuses
 * (BAD_USER_INPUT), 413 when the list has more than `maxExportRows` educators (its totalCount is read first). A failure
 * on a later page, when the file is already on its way, aborts the response, so the client sees a broken download
 * rather than a silently short file.
 */
import type { GraphQLFormattedError } from 'graphql';
import ExcelJS from 'exceljs';
import express, { type Request, type Response, type Router } from 'express';
import { can, fieldsOfClass, firstSeptemberOf, logger, requestIdHeader, today } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import type { GatewayContext } from './gateway';
import { Refusal, refusal, runOperation, sendRefusal, signedInContext, statusOf, type GraphRouteOptions } from './graph-routes';

/** The most educators one export may hold; a larger list is refused (413) before anything is sent. */
export const maxExportRows = 100_000;
/** Educators per page: the subgraphs' largest page (`maxPageSize`). */
const pageSize = 200;

/** One employment as the export reads it. */
export interface ExportedEmployment {
  organization: { shortName: string | null; name: string; inn: string | null; code: string | null; municipality: { name: string } };
  position: string;
  staffCategory: string;
  rate: number;
  isMainJob: boolean;
  startedOn: string;
  endedOn: string | null;
}

/** One educator as the export reads it; the personal fields are absent when the caller may not read them. */
export interface ExportedEducator {
  id: string;
  lastName?: string | null;
  firstName?: string | null;
  patronymic?: string | null;
  birthDate?: string | null;
  snils?: string | null;
  email?: string | null;
  phone?: string | null;
  pedagogicalWorkStartedOn?: string | null;
  educationLevel: string | null;
  isEarlyCareer: boolean;
  isUnder35: boolean;
  category: { category: string; validUntil: string } | null;
  employments: ExportedEmployment[];
}

/** A day (YYYY-MM-DD): DD.MM.YYYY in CSV, an Excel date in XLSX. */
interface Day { day: string }
/** A cell: text, a number (a rate), a day, or nothing. */
export type CellValue = string | number | Day | null;

/** The Educator fields staff's classification table calls personal: the one list of them (no second copy here). */
const personalFields = new Set(fieldsOfClass(staffSubgraph.classification, 'personal')
  .filter((field) => field.startsWith('Educator.') && !field.includes('(')).map((field) => field.slice('Educator.'.length)));
/** A field of the exported educator that holds personal data (checked against the table when the columns are made). */
type PersonalField = 'lastName' | 'firstName' | 'patronymic' | 'birthDate' | 'snils' | 'email' | 'phone' | 'pedagogicalWorkStartedOn';

export interface ExportColumn {
  /** The name a program uses (X-Omitted-Columns): the GraphQL field for a field of the educator. */
  key: string;
  /** The header people read. */
  header: string;
  /** XLSX column width, in characters. */
  width: number;
  /** The personal-data field the column shows; such columns are left out for callers who may not read them. */
  personal?: PersonalField;
  /** An identifier written as text (XLSX number format `@`): SNILS, phone, INN, code. */
  text?: boolean;
  /** The cell of one row: the educator, and the employment of the row (null for an educator without one). */
  value(educator: ExportedEducator, employment: ExportedEmployment | null): CellValue;
}

const day = (value: string | null | undefined): Day | null => (value ? { day: value } : null);
const yesNo = (value: boolean) => (value ? 'Да' : 'Нет');

export const categoryNames: Record<string, string> = {
  CONFORMITY: 'Соответствие занимаемой должности',
  FIRST: 'Первая',
  HIGHEST: 'Высшая',
  METHODOLOGIST: 'Педагог-методист',
  MENTOR: 'Педагог-наставник',
};

export const educationLevelNames: Record<string, string> = {
  SECONDARY_GENERAL: 'Среднее общее',
  SECONDARY_VOCATIONAL: 'Среднее профессиональное',
  HIGHER_BACHELOR: 'Высшее — бакалавриат',
  HIGHER_SPECIALIST_OR_MASTER: 'Высшее — специалитет, магистратура',
  HIGHER_QUALIFICATION: 'Высшее — подготовка кадров высшей квалификации',
};

const staffCategoryNames: Record<string, string> = { PEDAGOGICAL: 'Педагогический', MANAGERIAL: 'Управленческий' };

/** An employment column: the row's employment's value (empty on the row of an educator without one). */
function employmentColumn(key: string, header: string, width: number, value: (employment: ExportedEmployment) => CellValue, text = false): ExportColumn {
  return { key, header, width, text, value: (_educator, employment) => (employment ? value(employment) : null) };
}

function personalColumn(field: PersonalField, header: string, width: number, value: (educator: ExportedEducator) => CellValue = (e) => e[field] ?? null,
  text = false): ExportColumn {
  if (!personalFields.has(field)) throw new Error(`export: Educator.${field} is not personal in staff's classification table`);
  return { key: field, header, width, personal: field, text, value };
}

/**
 * A phone number as text no spreadsheet or CSV reader takes for a number (which would drop the `+`): a Russian
 * number as +7 914 123-45-67 (8 914 … likewise), another run of digits grouped by three; one already written with
 * separators as it is. The import strips the separators again (validate.ts), so the stored value comes back.
 */
export function phoneText(value: string | null | undefined): string | null {
  if (!value) return null;
  const compact = value.replace(/[\s()-]/g, '');
  const russian = /^(\+7|8)(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(compact);
  if (russian) return `${russian[1]} ${russian[2]} ${russian[3]}-${russian[4]}-${russian[5]}`;
  if (/^\+?\d+$/.test(value)) return value.replace(/(\d{3})(?=\d{2,})/g, '$1 ');
  return value;
}

/** Every column, in file order. */
export const educatorColumns: readonly ExportColumn[] = [
  personalColumn('lastName', 'Фамилия', 18),
  personalColumn('firstName', 'Имя', 14),
  personalColumn('patronymic', 'Отчество', 18),
  personalColumn('birthDate', 'Дата рождения', 14, (e) => day(e.birthDate)),
  personalColumn('snils', 'СНИЛС', 16, (e) => e.snils ?? null, true),
  personalColumn('email', 'Эл. почта', 26),
  personalColumn('phone', 'Телефон', 18, (e) => phoneText(e.phone), true),
  personalColumn('pedagogicalWorkStartedOn', 'Педстаж с', 12, (e) => day(e.pedagogicalWorkStartedOn)),
  { key: 'educationLevel', header: 'Образование', width: 30, value: (e) => (e.educationLevel ? educationLevelNames[e.educationLevel] ?? e.educationLevel : null) },
  { key: 'isEarlyCareer', header: 'Молодой специалист', width: 12, value: (e) => yesNo(e.isEarlyCareer) },
  { key: 'isUnder35', header: 'До 35 лет', width: 10, value: (e) => yesNo(e.isUnder35) },
  { key: 'category', header: 'Категория', width: 22, value: (e) => (e.category ? categoryNames[e.category.category] ?? e.category.category : null) },
  { key: 'categoryValidUntil', header: 'Категория действует до', width: 14, value: (e) => day(e.category?.validUntil) },
  employmentColumn('municipality', 'Муниципалитет', 22, (m) => m.organization.municipality.name),
  employmentColumn('organization', 'Организация', 34, (m) => m.organization.shortName || m.organization.name),
  employmentColumn('organizationInn', 'ИНН ОО', 12, (m) => m.organization.inn, true),
  employmentColumn('organizationCode', 'Код ОО', 10, (m) => m.organization.code, true),
  employmentColumn('position', 'Должность', 22, (m) => m.position),
  employmentColumn('staffCategory', 'Категория персонала', 16, (m) => staffCategoryNames[m.staffCategory] ?? m.staffCategory),
  employmentColumn('rate', 'Ставка', 8, (m) => m.rate),
  employmentColumn('isMainJob', 'Основное место работы', 12, (m) => yesNo(m.isMainJob)),
  employmentColumn('startedOn', 'Дата приёма', 12, (m) => day(m.startedOn)),
  employmentColumn('endedOn', 'Дата увольнения', 12, (m) => day(m.endedOn)),
  { key: 'id', header: 'Идентификатор', width: 38, value: (e) => e.id },
];

/** DD.MM.YYYY. */
export const russianDate = (isoDay: string) => `${isoDay.slice(8, 10)}.${isoDay.slice(5, 7)}.${isoDay.slice(0, 4)}`;

/** A value as people read it: DD.MM.YYYY, 0,5, text as it is. */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value).replace('.', ',');
  if (typeof value === 'object') return russianDate(value.day);
  return value;
}

/**
 * One CSV field (RFC 4180, `;` separated): quoted when it holds `;`, `"`, CR or LF, with quotes doubled. Text that a
 * spreadsheet would run as a formula gets a leading apostrophe; a phone number (+7 …) or a number is left alone.
 */
export function csvField(value: CellValue): string {
  let text = cellText(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^[+-][\d\s().-]*$/.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (values: CellValue[]) => `${values.map(csvField).join(';')}\r\n`;

/** The query of one page, asking only for the columns in the file; totalCount on the first page only. */
function pageQuery(columns: readonly ExportColumn[]): string {
  const personal = columns.flatMap((column) => (column.personal ? [column.personal] : [])).join(' ');
  return `query ExportEducators($filter: EducatorFilter, $after: String, $activeOn: Date!, $factsOn: Date!, $counted: Boolean!) {
  educators(filter: $filter, first: ${pageSize}, after: $after) {
    totalCount @include(if: $counted)
    pageInfo { hasNextPage endCursor }
    nodes {
      id ${personal} educationLevel isEarlyCareer(on: $factsOn) isUnder35(on: $factsOn)
      category(on: $activeOn) { category validUntil }
      employments(activeOn: $activeOn) {
        organization { shortName name inn code municipality { name } } position staffCategory rate isMainJob startedOn endedOn
      }
    }
  }
}`;
}

interface Page {
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: ExportedEducator[];
}


/** The personal fields the subgraph refused on single educators (FORBIDDEN at educators.nodes.N.field). */
export function refusedFields(errors: readonly GraphQLFormattedError[]): Set<string> | undefined {
  const fields = new Set<string>();
  for (const error of errors) {
    const [root, list, index, field, ...rest] = error.path ?? [];
    const isPersonalField = typeof field === 'string' && personalFields.has(field);
    if (error.extensions?.code !== 'FORBIDDEN' || root !== 'educators' || list !== 'nodes' || typeof index !== 'number' || !isPersonalField || rest.length) return undefined;
    fields.add(field);
  }
  return fields;
}

function parseQuery(req: Request): { filter: unknown; activeOn: string } {
  const { filter: rawFilter, activeOn: rawDay } = req.query;
  let filter: unknown = null;
  if (rawFilter !== undefined && rawFilter !== '') {
    if (typeof rawFilter !== 'string') throw refusal(400, 'BAD_USER_INPUT', 'filter must be given once, as JSON', { field: 'filter' });
    try {
      filter = JSON.parse(rawFilter);
    } catch {
      throw refusal(400, 'BAD_USER_INPUT', 'filter is not valid JSON: give the EducatorFilter as a JSON object, e.g. {"municipalityId":"…"}', { field: 'filter' });
    }
  }
  if (rawDay !== undefined && (typeof rawDay !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(rawDay))) {
    throw refusal(400, 'BAD_USER_INPUT', 'activeOn must be a day, YYYY-MM-DD', { field: 'activeOn' });
  }
  // The graph decides whether the day exists (2025-02-30 does not): the Date scalar's own rule.
  return { filter, activeOn: rawDay ?? today() };
}

/** Waits until the response can take more (or is gone): the pace of the slowest of client and graph. */
function drained(res: Response): Promise<void> {
  if (!res.writableNeedDrain || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { res.off('drain', done); res.off('close', done); resolve(); };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Where the rows go: a CSV text stream or the XLSX writer. */
interface Sink {
  contentType: string;
  extension: string;
  start(columns: readonly ExportColumn[]): Promise<void>;
  rows(values: CellValue[][]): Promise<void>;
  end(): Promise<void>;
}

function csvSink(res: Response): Sink {
  return {
    contentType: 'text/csv; charset=utf-8; header=present',
    extension: 'csv',
    async start(columns) {
      res.write(`\uFEFF${csvLine(columns.map((column) => column.header))}`);
    },
    async rows(values) {
      if (values.length) res.write(values.map(csvLine).join(''));
      await drained(res);
    },
    async end() {
      res.end();
    },
  };
}

function xlsxSink(res: Response): Sink {
  let workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  let sheet: ExcelJS.Worksheet;
  let columnIsText: boolean[] = [];
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
    async start(columns) {
      workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
      columnIsText = columns.map((column) => column.text === true);
      sheet = workbook.addWorksheet('Педагоги', { views: [{ state: 'frozen', ySplit: 1 }] });
      // Written when the sheet is committed, after the rows.
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
      sheet.columns = columns.map((column) => ({ key: column.key, width: column.width, ...(column.text ? { style: { numFmt: '@' } } : {}) }));
      const header = sheet.addRow(columns.map((column) => column.header));
      header.font = { bold: true };
      header.commit();
    },
    async rows(values) {
      for (const cells of values) {
        const row = sheet.addRow(cells.map((value) => (value !== null && typeof value === 'object' ? excelDate(value.day) : value)));
        cells.forEach((value, i) => {
          if (value !== null && typeof value === 'object') row.getCell(i + 1).numFmt = 'dd.mm.yyyy';
          else if (columnIsText[i]) row.getCell(i + 1).numFmt = '@';
        });
        row.commit();
      }
      await drained(res);
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
  };
}

/** A day as Excel keeps it: midnight UTC, which exceljs writes as that day's serial number. */
const excelDate = (isoDay: string) => new Date(`${isoDay}T00:00:00Z`);

/**
 * RFC 6266: an ASCII name for old clients and the Russian one (RFC 5987) for the rest. A CSV's name says its
 * encoding (`….utf8.csv`): LibreOffice's import dialog asks for it, and Windows-1251 is its guess in a Russian locale.
 */
export const attachment = (english: string, russian: string, extension: string) => {
  const suffix = extension === 'csv' ? 'utf8.csv' : extension;
  return `attachment; filename="${english}.${suffix}"; filename*=UTF-8''${encodeURIComponent(`${russian}.${suffix}`)}`;
};

/** The rows of one educator: one per employment, or one with empty employment cells. */
export function educatorRows(educator: ExportedEducator, columns: readonly ExportColumn[]): CellValue[][] {
  const employments: (ExportedEmployment | null)[] = educator.employments.length ? educator.employments : [null];
  return employments.map((employment) => columns.map((column) => column.value(educator, employment)));
}

export interface ExportRouterOptions extends GraphRouteOptions {
  /** The most educators one export may hold (`maxExportRows`). */
  maxRows?: number;
}

/** The export routes, mounted at `/export`. */
export function exportRouter(options: ExportRouterOptions): Router {
  const { server, maxRows = maxExportRows } = options;
  const router = express.Router();

  async function fetchPage(query: string, contextValue: GatewayContext, variables: Record<string, unknown>) {
    const { data, errors } = await runOperation<{ educators: Page }>(server, contextValue, { query, variables, operationName: 'ExportEducators' });
    return { page: data?.educators ?? undefined, errors };
  }

  async function exportEducators(req: Request, res: Response, sink: Sink): Promise<void> {
    const contextValue = await signedInContext(options, req, res, 'export');
    const { filter, activeOn } = parseQuery(req);
    // Early career and under 35 are derived from personal dates: without personal data they are given as on
    // 1 September of activeOn's academic year (the only day the graph answers them on for such callers).
    const factsOn = can(contextValue.viewer, 'personal:read') ? activeOn : firstSeptemberOf(activeOn);

    // Decided by the policy every subgraph consults, so the query does not ask for what each row would refuse.
    let columns = educatorColumns.filter((column) => !column.personal || can(contextValue.viewer, 'personal:read'));
    const first = await fetchPage(pageQuery(columns), contextValue, { filter, activeOn, factsOn, after: null, counted: true });
    if (first.errors.length) {
      const refused = first.page ? refusedFields(first.errors) : undefined;
      if (!refused) {
        const [error] = first.errors;
        throw new Refusal(statusOf(error.extensions?.code), first.errors.slice(0, 10));
      }
      columns = columns.filter((column) => !refused.has(column.key));
    }
    let page = first.page!;
    if (page.totalCount! > maxRows) {
      throw refusal(413, 'BAD_USER_INPUT', `the list has ${page.totalCount} educators, more than the ${maxRows} one export may hold: narrow the filter`,
        { limit: 'rows', max: maxRows, found: page.totalCount });
    }

    const omitted = educatorColumns.filter((column) => !columns.includes(column)).map((column) => column.key);
    res.status(200);
    res.setHeader('Content-Type', sink.contentType);
    res.setHeader('Content-Disposition', attachment(`educators-${activeOn}`, `педагоги-${activeOn}`, sink.extension));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (omitted.length) res.setHeader('X-Omitted-Columns', omitted.join(','));

    // From here on the file is on its way: a failure aborts the response instead of answering JSON.
    const query = pageQuery(columns);
    let written = 0;
    await sink.start(columns);
    for (;;) {
      if (res.destroyed) return;
      written += page.nodes.length;
      if (written > maxRows) throw new Error(`the list grew past ${maxRows} educators while it was exported`);
      await sink.rows(page.nodes.flatMap((educator) => educatorRows(educator, columns)));
      if (!page.pageInfo.hasNextPage || res.destroyed) break;
      const next = await fetchPage(query, contextValue, { filter, activeOn, factsOn, after: page.pageInfo.endCursor, counted: false });
      if (next.errors.length || !next.page) {
        throw new Error(`a later page of the export failed: ${next.errors.map((error) => `${error.extensions?.code}: ${error.message}`).join('; ')}`);
      }
      page = next.page;
    }
    await sink.end();
    contextValue.log.info({ rows: written, format: sink.extension, omitted }, 'educators exported');
  }

  const handle = (makeSink: (res: Response) => Sink) => async (req: Request, res: Response) => {
    try {
      await exportEducators(req, res, makeSink(res));
    } catch (error) {
      if (error instanceof Refusal && !res.headersSent) {
        sendRefusal(res, error);
        return;
      }
      logger.error({ err: error, requestId: res.getHeader(requestIdHeader), service: 'gateway' }, 'export failed');
      if (!res.headersSent) {
        res.removeHeader('Content-Disposition');
        res.removeHeader('X-Omitted-Columns');
        res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      } else {
        res.destroy();
      }
    }
  };

  router.get('/educators.csv', handle(csvSink));
  router.get('/educators.xlsx', handle(xlsxSink));
  return router;
}
