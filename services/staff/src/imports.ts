import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { badInput, forbidden, isSaneDate, notFound, parseId, type ErrorCode, type Logger, type Scope } from '@mms/platform';
import type { EducatorImportRow, UpsertEducatorsInput } from './generated/graphql';
import { employmentConflict } from './rules';
import * as store from './store/imports';
import type { EducatorValues, EmploymentValues, ImportEducatorRow, ImportEmploymentRow, ImportNamedOrganizationRow, ImportOrganizationRow, ImportRejectionRow, ImportReportRow, ImportRowResultRow } from './store/imports';
import { educatorAfterPatch, educatorInput, educatorPatch, employmentFields, organizationInput } from './validate';

/**
 * Bulk upsert of a municipality's spreadsheet of educators and employments (journey 6), in two halves:
 * - reading a row: every cell is text as in the file; `parseImportRow` trims it, treats an empty cell as "not given"
 *   and turns it into the registry's value (DD.MM.YYYY dates, 0,25 rates, да/нет, Russian names of categories and
 *   education levels), reporting each cell it cannot read;
 * - the upsert: `upsertEducators` matches each row by natural keys (educator by SNILS, organization by INN, code or name in
 *   the municipality, employment by educator + organization + position + start), checks it with the same rules as
 *   the single mutations (validate.ts, rules.ts), and writes only what differs, all in one transaction: a row that
 *   fails leaves nothing behind, the others land, and an equal row writes nothing at all (no audit entry either).
 *
 * The batch's educators (locked), their employments, the organizations and the external ids named are read up front
 * in a few set-based statements and kept in memory as rows are planned, so that a later row sees what an earlier one
 * did; the writes go in chunks, a few statements each (see `importRows`).
 */

export const maxImportRows = 5000;

/** A cell of a row (every field but the row number). */
export type ImportColumn = Exclude<keyof EducatorImportRow, 'rowNumber'>;

export interface CellProblem {
  column: ImportColumn | null;
  reason: string;
  code: ErrorCode;
}

/** The employment part of a row, as read; present when any of its cells was given. */
export interface EmploymentCells {
  organizationInn?: string;
  organizationCode?: string;
  organizationName?: string;
  position?: string;
  staffCategory?: string;
  rate?: number;
  isMainJob?: boolean;
  startedOn?: string;
  endedOn?: string;
}

/** A row as read from its cells: typed values (not yet checked against the rules) and the cells it could not read. */
export interface ParsedImportRow {
  rowNumber: number;
  /** 11 digits, separators removed; undefined when the cell was empty or unreadable. */
  snils?: string;
  externalId?: string;
  person: Omit<EducatorValues, 'snils'>;
  employment?: EmploymentCells;
  problems: CellProblem[];
}

// ---- reading cells ----

/** Lower case, ё as е, dashes, underscores and punctuation as spaces: "Высшее – бакалавриат" ~ "высшее-бакалавриат". */
export function looseKey(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е').replace(/[‐-―−_\-,.;:()"«»]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** An organization's name as compared: letters and digits only, ё as е, any case ("СОШ №5" ~ «СОШ № 5»). */
export function organizationNameKey(text: string): string {
  return looseKey(text).replace(/[^\p{L}\p{N}]/gu, '');
}

function dictionary<T extends string>(entries: Record<T, string[]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [value, names] of Object.entries(entries) as [T, string[]][]) {
    for (const name of [value, ...names]) map.set(looseKey(name), value);
  }
  return map;
}

const yesNo = dictionary<'yes' | 'no'>({
  yes: ['да', 'д', 'yes', 'y', 'true', '1', '+', 'основное', 'основная', 'основной', 'основное место работы', 'основная работа', 'осн'],
  no: ['нет', 'н', 'no', 'n', 'false', '0', '-', 'совместительство', 'по совместительству', 'совместитель', 'внешнее совместительство',
    'внутреннее совместительство', 'совм'],
});

const staffCategories = dictionary<'pedagogical' | 'managerial'>({
  pedagogical: ['педагогический', 'педагогическая', 'педагогические', 'педагог', 'педагогический работник', 'педагогические работники', 'педработник'],
  managerial: ['управленческий', 'управленческая', 'руководящий', 'руководитель', 'руководящий работник', 'руководящие работники',
    'административно-управленческий', 'административно-управленческий персонал', 'ауп'],
});

/** The levels of the Law on Education (273-FZ, art. 10), in the words of diplomas and of statistical form ОО-1. */
const educationLevels = dictionary<'secondary_general' | 'secondary_vocational' | 'higher_bachelor' | 'higher_specialist_or_master' | 'higher_qualification'>({
  secondary_general: ['среднее общее', 'среднее общее образование'],
  secondary_vocational: ['среднее профессиональное', 'среднее профессиональное образование', 'среднее специальное', 'спо'],
  higher_bachelor: ['высшее – бакалавриат', 'высшее бакалавриат', 'бакалавриат', 'бакалавр'],
  higher_specialist_or_master: ['высшее – специалитет, магистратура', 'высшее – специалитет', 'высшее – магистратура', 'специалитет',
    'магистратура', 'специалист', 'магистр'],
  higher_qualification: ['высшее – подготовка кадров высшей квалификации', 'подготовка кадров высшей квалификации', 'высшая квалификация', 'аспирантура'],
});

/** A calendar day from YYYY-MM-DD or DD.MM.YYYY (also D.M.YYYY, and with a midnight time as spreadsheets export it). */
export function parseDay(text: string): string | null {
  const value = text.replace(/(?:[ T]0?0:00(?::00)?(?:\.0+)?Z?)$/, '');
  let iso: string | null = null;
  const russian = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(value);
  if (russian) iso = `${russian[3]}-${russian[2].padStart(2, '0')}-${russian[1].padStart(2, '0')}`;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) iso = value;
  return iso && isSaneDate(iso) ? iso : null;
}

/** A rate: 1, 0.25 or 0,25. */
export function parseRate(text: string): number | null {
  return /^(?:\d+(?:[.,]\d+)?|[.,]\d+)$/.test(text) ? Number(text.replace(',', '.')) : null;
}

export function parseYesNo(text: string): boolean | null {
  const answer = yesNo.get(looseKey(text));
  return answer === undefined ? null : answer === 'yes';
}

export function parseStaffCategory(text: string): string | null {
  return staffCategories.get(looseKey(text)) ?? null;
}

export function parseEducationLevel(text: string): string | null {
  return educationLevels.get(looseKey(text)) ?? null;
}

const dateColumns = ['birthDate', 'pedagogicalWorkStartedOn', 'startedOn', 'endedOn'] as const;
const employmentColumnNames = ['organizationInn', 'organizationCode', 'organizationName', 'position', 'staffCategory', 'rate', 'isMainJob', 'startedOn', 'endedOn'] as const;
const snilsRule = educatorPatch.shape.snils;
const innRule = organizationInput.shape.inn;

const bad = (column: ImportColumn | null, reason: string): CellProblem => ({ column, reason, code: 'BAD_USER_INPUT' });

/** Reads one row's cells; `index` is its position in the request, from 0. Pure: no database. */
export function parseImportRow(row: EducatorImportRow, index: number): ParsedImportRow {
  const cells: Partial<Record<ImportColumn, string>> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'rowNumber' || typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (trimmed !== '') cells[key as ImportColumn] = trimmed;
  }
  const problems: CellProblem[] = [];
  const parsed: ParsedImportRow = { rowNumber: row.rowNumber ?? index + 1, person: {}, problems };

  if (cells.snils === undefined) {
    problems.push(bad('snils', 'is required: rows are matched by SNILS'));
  } else {
    const snils = snilsRule.safeParse(cells.snils);
    if (snils.success) parsed.snils = snils.data;
    else problems.push(bad('snils', snils.error.issues[0].message));
  }
  parsed.externalId = cells.externalId;

  const days: Partial<Record<(typeof dateColumns)[number], string>> = {};
  for (const column of dateColumns) {
    const text = cells[column];
    if (text === undefined) continue;
    const day = parseDay(text);
    if (day) days[column] = day;
    else problems.push(bad(column, 'is not a date (1900–2100): write DD.MM.YYYY or YYYY-MM-DD'));
  }

  const person = parsed.person;
  if (cells.lastName !== undefined) person.lastName = cells.lastName;
  if (cells.firstName !== undefined) person.firstName = cells.firstName;
  if (cells.patronymic !== undefined) person.patronymic = cells.patronymic;
  if (days.birthDate) person.birthDate = days.birthDate;
  if (cells.email !== undefined) person.email = cells.email;
  if (cells.phone !== undefined) person.phone = cells.phone;
  if (days.pedagogicalWorkStartedOn) person.pedagogicalWorkStartedOn = days.pedagogicalWorkStartedOn;
  if (cells.educationLevel !== undefined) {
    const level = parseEducationLevel(cells.educationLevel);
    if (level) person.educationLevel = level;
    else if (looseKey(cells.educationLevel) === 'высшее') problems.push(bad('educationLevel', 'is ambiguous: write высшее – бакалавриат or высшее – специалитет, магистратура'));
    else problems.push(bad('educationLevel', 'is not an education level: среднее общее, среднее профессиональное, высшее – бакалавриат, высшее – специалитет, магистратура, высшее – подготовка кадров высшей квалификации (or SECONDARY_GENERAL … HIGHER_QUALIFICATION)'));
  }

  if (employmentColumnNames.some((column) => cells[column] !== undefined)) {
    const employment: EmploymentCells = {};
    if (cells.organizationInn !== undefined) {
      const inn = innRule.safeParse(cells.organizationInn);
      if (inn.success && inn.data) employment.organizationInn = inn.data;
      else problems.push(bad('organizationInn', inn.error?.issues[0].message ?? 'is not an INN'));
    }
    if (cells.organizationCode !== undefined) employment.organizationCode = cells.organizationCode;
    if (cells.organizationName !== undefined) employment.organizationName = cells.organizationName;
    if (cells.position !== undefined) employment.position = cells.position;
    if (cells.staffCategory !== undefined) {
      const category = parseStaffCategory(cells.staffCategory);
      if (category) employment.staffCategory = category;
      else problems.push(bad('staffCategory', 'is not a staff category: педагогический or управленческий (PEDAGOGICAL, MANAGERIAL)'));
    }
    if (cells.rate !== undefined) {
      const rate = parseRate(cells.rate);
      if (rate !== null) employment.rate = rate;
      else problems.push(bad('rate', 'is not a number: write 1, 0.5 or 0,5'));
    }
    if (cells.isMainJob !== undefined) {
      const isMainJob = parseYesNo(cells.isMainJob);
      if (isMainJob !== null) employment.isMainJob = isMainJob;
      else problems.push(bad('isMainJob', 'is not yes or no: да / нет, основное / совместительство'));
    }
    if (days.startedOn) employment.startedOn = days.startedOn;
    if (days.endedOn) employment.endedOn = days.endedOn;
    parsed.employment = employment;
  }
  return parsed;
}

// ---- the request ----

export interface ImportRequest {
  municipalityId: string;
  source: string | null;
  dryRun: boolean;
  rows: ParsedImportRow[];
}

/** Checks what concerns the request as a whole; any problem here refuses it entirely (nothing is written). */
export function parseImportRequest(input: UpsertEducatorsInput): ImportRequest {
  const municipalityId = parseId(input.municipalityId, 'input.municipalityId');
  if (input.rows.length > maxImportRows) {
    throw badInput(`at most ${maxImportRows} rows per request, got ${input.rows.length}: send the file in batches`, 'input.rows');
  }
  const source = input.source?.trim() || null;
  if (source && source.length > 200) throw badInput('input.source must be at most 200 characters', 'input.source');
  const rows = input.rows.map(parseImportRow);
  if (!source && rows.some((row) => row.externalId !== undefined)) {
    throw badInput('input.source is required when rows carry an externalId: external ids are kept per sending system', 'input.source');
  }
  return { municipalityId, source, dryRun: input.dryRun ?? false, rows };
}

/** What a transaction-running context gives (BaseContext.transaction). */
export interface Transactional {
  transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
}

class DryRunRollback extends Error {
  constructor(readonly report: ImportReportRow) {
    super('dry run: rolled back');
  }
}

/**
 * Upserts the rows in one transaction; a dry run does all of it and then rolls the transaction back. Integration
 * callers may send only their own municipality's rows, region admins any municipality's.
 */
export async function upsertEducators(ctx: Transactional, scope: Scope, input: UpsertEducatorsInput, log?: Logger): Promise<ImportReportRow> {
  const request = parseImportRequest(input);
  if (scope.kind === 'organization' || scope.kind === 'educator' || (scope.kind === 'municipality' && scope.municipalityId !== request.municipalityId)) {
    throw forbidden('you may import only into your own municipality');
  }
  try {
    return await ctx.transaction(async (trx) => {
      if (!(await store.municipalityExists(trx, request.municipalityId))) throw notFound('Municipality', request.municipalityId);
      const report = await importRows(trx, scope, request, log);
      if (request.dryRun) throw new DryRunRollback(report);
      return report;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    throw error;
  }
}

// ---- the upsert ----

interface EducatorState {
  row: ImportEducatorRow;
  employments: ImportEmploymentRow[];
}

/** What the batch knows of the registry: read up front, then kept up to date as rows land. */
interface ImportState {
  scope: Scope;
  municipalityId: string;
  source: string | null;
  educators: Map<string, EducatorState>;
  organizationsByInn: Map<string, ImportOrganizationRow>;
  organizationsByCode: Map<string, ImportOrganizationRow>;
  /** The municipality's organizations by their full and short names (organizationNameKey), when a row names one. */
  organizationsByName: Map<string, ImportNamedOrganizationRow[]>;
  /** External id (of `source`) → educator id. */
  externalIds: Map<string, string>;
}

async function loadState(trx: Knex, scope: Scope, request: ImportRequest): Promise<ImportState> {
  const unique = <T>(values: (T | undefined)[]) => [...new Set(values.filter((v): v is T => v !== undefined))];
  const rows = request.rows;
  const educators = await store.educatorsBySnils(trx, unique(rows.map((row) => row.snils)));
  // One connection (the transaction's): the statements go one after another.
  const employments = await store.employmentsOfEducators(trx, educators.map((e) => e.id));
  const organizations = await store.organizationsByKeys(trx, request.municipalityId, unique(rows.map((row) => row.employment?.organizationInn)),
    unique(rows.map((row) => row.employment?.organizationCode)));
  const named = rows.some((row) => row.employment?.organizationName !== undefined)
    ? await store.organizationsOfMunicipality(trx, request.municipalityId) : [];
  const organizationsByName = new Map<string, ImportNamedOrganizationRow[]>();
  for (const organization of named) {
    for (const name of new Set([organization.name, organization.shortName].filter((n): n is string => Boolean(n)).map(organizationNameKey))) {
      organizationsByName.set(name, [...organizationsByName.get(name) ?? [], organization]);
    }
  }
  const externalIds = request.source ? await store.externalEducatorIds(trx, request.source, unique(rows.map((row) => row.externalId))) : [];
  const byId = new Map(educators.map((row) => [row.id, { row, employments: [] as ImportEmploymentRow[] }]));
  for (const employment of employments) byId.get(employment.educatorId)!.employments.push(employment);
  return {
    scope,
    municipalityId: request.municipalityId,
    source: request.source,
    educators: new Map([...byId.values()].map((state) => [state.row.snils, state])),
    organizationsByInn: new Map(organizations.filter((o) => o.inn).map((o) => [o.inn!, o])),
    organizationsByCode: new Map(organizations.filter((o) => o.code && o.municipalityId === request.municipalityId).map((o) => [o.code!, o])),
    organizationsByName,
    externalIds: new Map(externalIds.map((e) => [e.externalId, e.entityId])),
  };
}

/**
 * How rows are written (`importRows`). Each row is planned in memory against the state (which already holds the rows before it),
 * given its new ids, and its writes are staged; a chunk of rows is then written with a few set-based statements under
 * one savepoint. Only if the database refuses the chunk (a SNILS or an external id taken meanwhile by another request:
 * the checks see everything else coming) is it rolled back to that savepoint and replayed row by row, each row under a
 * savepoint of its own. Either way a refused row leaves nothing behind and the others land. One statement costs about
 * as much as a row's own work on this machine, so a row per statement (and two more for its savepoint) would be
 * several times slower (bench/README.md, "Import").
 */
const chunkRows = 200;

/** What became of one row. */
interface RowOutcome {
  result: ImportRowResultRow;
  problems: CellProblem[];
}

async function importRows(trx: Knex.Transaction, scope: Scope, request: ImportRequest, log?: Logger): Promise<ImportReportRow> {
  const state = await loadState(trx, scope, request);
  const report: ImportReportRow = {
    dryRun: request.dryRun, total: request.rows.length, created: 0, updated: 0, unchanged: 0, rejected: 0, rows: [], rejections: [],
  };
  for (let start = 0; start < request.rows.length; start += chunkRows) {
    for (const { result, problems } of await importChunk(trx, state, request.rows.slice(start, start + chunkRows), log)) {
      report.rows.push(result);
      report[result.outcome] += 1;
      for (const problem of problems) report.rejections.push({ rowNumber: result.rowNumber, ...problem } satisfies ImportRejectionRow);
    }
  }
  return report;
}

async function importChunk(trx: Knex.Transaction, state: ImportState, rows: ParsedImportRow[], log?: Logger): Promise<RowOutcome[]> {
  const writes = new StagedWrites();
  const undo: (() => void)[] = [];
  const outcomes = rows.map((row) => stageRow(state, row, writes, undo));
  if (writes.isEmpty()) return outcomes;
  try {
    await trx.transaction((savepoint) => writes.flush(savepoint, state.source));
    return outcomes;
  } catch (error) {
    if (!refusal(error)) throw error;
  }
  // Rolled back to the chunk's savepoint: forget what its rows did, and do them again one by one.
  for (const step of undo.reverse()) step();
  const replayed: RowOutcome[] = [];
  for (const row of rows) {
    const single = new StagedWrites();
    const rowUndo: (() => void)[] = [];
    const outcome = stageRow(state, row, single, rowUndo);
    if (!single.isEmpty()) {
      try {
        await trx.transaction((savepoint) => single.flush(savepoint, state.source));
      } catch (failure) {
        const problem = refusal(failure);
        if (!problem) throw failure;
        log?.warn({ err: failure, rowNumber: row.rowNumber }, 'import: a row was refused by the database');
        for (const step of rowUndo.reverse()) step();
        replayed.push({ result: rejected(row.rowNumber), problems: [problem] });
        continue;
      }
    }
    replayed.push(outcome);
  }
  return replayed;
}

/** The writes of planned rows, in an order that gives the same result as writing row after row. */
class StagedWrites {
  readonly educators: store.NewEducatorRow[] = [];
  readonly employments: store.NewEmploymentRow[] = [];
  /** In row order: a later row's change of the same record comes after an earlier one's. */
  readonly educatorChanges: { id: string; changes: EducatorValues }[] = [];
  readonly employmentChanges: { id: string; changes: EmploymentValues }[] = [];
  readonly externalIds: { externalId: string; educatorId: string }[] = [];

  isEmpty(): boolean {
    return this.educators.length + this.employments.length + this.educatorChanges.length + this.employmentChanges.length + this.externalIds.length === 0;
  }

  /** New records first (a change may concern a record a row before created), then the changes, then the external ids. */
  async flush(db: Knex, source: string | null): Promise<void> {
    await store.insertEducators(db, this.educators);
    await store.insertEmployments(db, this.employments);
    for (const { id, changes } of this.educatorChanges) await store.updateEducator(db, id, changes);
    for (const { id, changes } of this.employmentChanges) await store.updateEmployment(db, id, changes);
    if (this.externalIds.length) await store.insertExternalIds(db, source!, this.externalIds);
  }
}

/**
 * Plans one row against the state and, when it changes anything, stages its writes (with the ids of the records it
 * creates) and brings the state up to date, recording in `undo` how to take that back. Synchronous: no database.
 */
function stageRow(state: ImportState, row: ParsedImportRow, writes: StagedWrites, undo: (() => void)[]): RowOutcome {
  const planned = planRow(state, row);
  if ('problems' in planned) return { result: rejected(row.rowNumber), problems: planned.problems };
  const { plan } = planned;
  const { educator, employment, externalId } = plan;
  const educatorChanged = !educator.existing || Object.keys(educator.changes).length > 0;
  const employmentChanged = employment !== null && (!employment.existing || Object.keys(employment.changes).length > 0);
  const ids = { educatorId: educator.existing?.row.id ?? randomUUID(), employmentId: employment ? employment.existing?.id ?? randomUUID() : null };
  if (!educatorChanged && !employmentChanged && externalId === null) {
    return { result: { rowNumber: row.rowNumber, outcome: 'unchanged', ...ids }, problems: [] };
  }
  if (!educator.existing) writes.educators.push({ id: ids.educatorId, ...educator.values });
  else if (educatorChanged) writes.educatorChanges.push({ id: ids.educatorId, changes: educator.changes });
  if (employment && !employment.existing) {
    writes.employments.push({ id: ids.employmentId!, educatorId: ids.educatorId, organizationId: employment.organization.id, ...employment.values });
  } else if (employment && employmentChanged) {
    writes.employmentChanges.push({ id: ids.employmentId!, changes: employment.changes });
  }
  if (externalId !== null) writes.externalIds.push({ externalId, educatorId: ids.educatorId });
  undo.push(remember(state, plan, ids));
  const created = !educator.existing || (employment !== null && !employment.existing);
  return { result: { rowNumber: row.rowNumber, outcome: created ? 'created' : 'updated', ...ids }, problems: [] };
}

const rejected = (rowNumber: number): ImportRowResultRow => ({ rowNumber, outcome: 'rejected', educatorId: null, employmentId: null });

interface NewEmployment {
  existing: null;
  organization: ImportOrganizationRow;
  values: Required<Omit<EmploymentValues, 'endedOn'>> & Pick<EmploymentValues, 'endedOn'>;
}

/** What one row will write: each part only when something differs. */
interface Plan {
  snils: string;
  educator: { existing: EducatorState; changes: EducatorValues } | { existing: null; values: EducatorValues };
  employment: null | { existing: ImportEmploymentRow; changes: EmploymentValues } | NewEmployment;
  externalId: string | null;
}

type PlanOutcome = { plan: Plan } | { problems: CellProblem[] };

/** Zod issues as cell problems; `column` names the row's cell a schema path stands for. */
function issuesOf(error: z.ZodError, column: (path: string) => ImportColumn | null = (path) => path as ImportColumn): CellProblem[] {
  return error.issues.map((issue) => bad(issue.path.length ? column(String(issue.path[0])) : null, issue.message));
}

const personFields = ['lastName', 'firstName', 'patronymic', 'birthDate', 'email', 'phone', 'pedagogicalWorkStartedOn', 'educationLevel'] as const;
const requiredForNewEducator = ['lastName', 'firstName', 'birthDate'] as const;
const requiredForNewEmployment = ['staffCategory', 'rate', 'isMainJob'] as const;

const samePosition = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const sameValue = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-9 : a === b);
const overlaps = (e: Pick<ImportEmploymentRow, 'startedOn' | 'endedOn'>, startedOn: string, endedOn: string | null | undefined) =>
  (e.endedOn === null || e.endedOn >= startedOn) && (!endedOn || e.startedOn <= endedOn);

/** Decides what a row does against the current state, without writing: the plan, or every problem found. */
function planRow(state: ImportState, row: ParsedImportRow): PlanOutcome {
  const problems = [...row.problems];
  // An unreadable SNILS leaves nothing to match: the other cells' problems are still reported.
  if (!row.snils) return { problems };
  const existing = state.educators.get(row.snils) ?? null;

  // The educator
  let educator: Plan['educator'];
  const given = Object.fromEntries(personFields.filter((f) => row.person[f] !== undefined).map((f) => [f, row.person[f]])) as EducatorValues;
  const readable = (column: ImportColumn) => !row.problems.some((p) => p.column === column);
  if (existing) {
    const patch = educatorPatch.safeParse(given);
    const changes: EducatorValues = {};
    if (!patch.success) problems.push(...issuesOf(patch.error));
    else {
      const after = { ...existing.row, ...patch.data } as ImportEducatorRow;
      const rule = educatorAfterPatch.safeParse(after);
      if (!rule.success) problems.push(...issuesOf(rule.error));
      for (const field of personFields) {
        const value = patch.data[field];
        if (value !== undefined && !sameValue(value, existing.row[field])) (changes as Record<string, unknown>)[field] = value;
      }
    }
    educator = { existing, changes };
  } else {
    const missing = requiredForNewEducator.filter((field) => given[field] === undefined && readable(field));
    for (const field of missing) problems.push(bad(field, 'is required for a new educator'));
    const candidate = educatorInput.safeParse({ ...given, snils: row.snils, employment: null });
    let values: EducatorValues = {};
    if (!candidate.success) {
      problems.push(...issuesOf(candidate.error).filter((p) => p.column === null || (readable(p.column) && !missing.includes(p.column as never))));
    } else {
      const { employment: _none, ...person } = candidate.data;
      values = person;
    }
    educator = { existing: null, values };
  }

  // The employment
  let employment: Plan['employment'] = null;
  const cells = row.employment;
  if (cells) {
    const organization = findOrganization(state, cells, problems, readable);
    for (const field of ['position', 'startedOn'] as const) {
      if (cells[field] === undefined && readable(field)) problems.push(bad(field, 'is required to match the employment (organization, position, start date)'));
    }
    if (organization && cells.position !== undefined && cells.startedOn !== undefined) {
      const current = existing?.employments ?? [];
      const organizationColumn = cells.organizationInn ? 'organizationInn' : cells.organizationCode ? 'organizationCode' : 'organizationName';
      const matched = current.find((e) => e.organizationId === organization.id && e.startedOn === cells.startedOn && samePosition(e.position, cells.position!));
      if (matched) {
        const merged = { ...matched, ...definedOnly({ staffCategory: cells.staffCategory, rate: cells.rate, isMainJob: cells.isMainJob, endedOn: cells.endedOn }) };
        const valid = employmentFields.safeParse(merged);
        const changes: EmploymentValues = {};
        if (!valid.success) problems.push(...issuesOf(valid.error, (path) => (path === 'organizationId' ? organizationColumn : path as ImportColumn)));
        else {
          for (const field of ['staffCategory', 'rate', 'isMainJob', 'endedOn'] as const) {
            if (cells[field] !== undefined && !sameValue(valid.data[field], matched[field])) (changes as Record<string, unknown>)[field] = valid.data[field];
          }
          if (changes.endedOn !== undefined || changes.isMainJob !== undefined) {
            const others = current.filter((e) => e !== matched && overlaps(e, merged.startedOn, merged.endedOn));
            const conflict = conflictOf(others, { organizationId: organization.id, position: matched.position, isMainJob: merged.isMainJob });
            if (conflict) problems.push(conflict);
          }
        }
        employment = { existing: matched, changes };
      } else {
        for (const field of requiredForNewEmployment) {
          if (cells[field] === undefined && readable(field)) problems.push(bad(field, 'is required for a new employment'));
        }
        const valid = employmentFields.safeParse({ organizationId: organization.id, ...cells });
        if (!valid.success) {
          problems.push(...issuesOf(valid.error, (path) => (path === 'organizationId' ? organizationColumn : path as ImportColumn))
            .filter((p) => p.column === null || (readable(p.column) && cells[p.column as keyof EmploymentCells] !== undefined)));
        } else {
          const { organizationId: _id, ...values } = valid.data;
          const conflict = conflictOf(current.filter((e) => overlaps(e, values.startedOn, values.endedOn)), { organizationId: organization.id, ...values });
          if (conflict) problems.push(conflict);
          employment = { existing: null, organization, values };
        }
      }
    }
  }

  // Scope: an educator is the caller's while they have (or had) an employment in its municipality, or this row hires them there.
  if (state.scope.kind !== 'region') {
    const hiresHere = Boolean(cells);
    if (!existing && !hiresHere) {
      problems.push({ column: null, code: 'FORBIDDEN', reason: 'a new educator needs an employment in your municipality in the same row (organization, position, startedOn …)' });
    } else if (existing && !hiresHere && !existing.employments.some((e) => e.municipalityId === state.municipalityId)) {
      problems.push({ column: null, code: 'FORBIDDEN', reason: 'this educator is outside your scope: send the row with their employment in your municipality' });
    }
  }

  // The sending system's id
  let externalId: string | null = null;
  if (row.externalId !== undefined && state.source) {
    const mapped = state.externalIds.get(row.externalId);
    if (mapped === undefined) externalId = row.externalId;
    else if (mapped !== existing?.row.id) {
      problems.push({ column: 'externalId', code: 'CONFLICT', reason: `is already the id of another educator in ${state.source}` });
    }
  }

  if (problems.length) return { problems };
  return { plan: { snils: row.snils, educator, employment, externalId } };
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * The employment's organization, by INN, code or name, in the municipality of the import. Each key given must name
 * the same organization; a name must be the full or short name of exactly one organization of the municipality.
 */
function findOrganization(state: ImportState, cells: EmploymentCells, problems: CellProblem[], readable: (column: ImportColumn) => boolean): ImportOrganizationRow | null {
  const { organizationInn: inn, organizationCode: code, organizationName: name } = cells;
  if (inn === undefined && code === undefined && name === undefined) {
    if (readable('organizationInn') && readable('organizationCode')) problems.push(bad('organizationInn', 'give the organization of the employment: its INN, its code or its name'));
    return null;
  }
  let found: ImportOrganizationRow | undefined;
  if (inn !== undefined) {
    found = state.organizationsByInn.get(inn);
    if (!found) {
      problems.push({ column: 'organizationInn', code: 'NOT_FOUND', reason: `no organization with INN ${inn} is registered` });
      return null;
    }
    if (found.municipalityId !== state.municipalityId) {
      problems.push({ column: 'organizationInn', code: 'FORBIDDEN', reason: `the organization with INN ${inn} belongs to another municipality` });
      return null;
    }
  }
  if (code !== undefined) {
    const byCode = state.organizationsByCode.get(code);
    if (!byCode) {
      problems.push({ column: 'organizationCode', code: 'NOT_FOUND', reason: `no organization of this municipality has the code ${code}` });
      return null;
    }
    if (found && found.id !== byCode.id) {
      problems.push(bad('organizationCode', 'names another organization than the INN'));
      return null;
    }
    found = byCode;
  }
  if (name !== undefined) {
    const candidates = state.organizationsByName.get(organizationNameKey(name)) ?? [];
    if (found) {
      // Given beside the INN or code (as the export writes it), the name only has to agree.
      if (!candidates.some((candidate) => candidate.id === found!.id)) {
        problems.push(bad('organizationName', `is not the name of the organization the ${inn !== undefined ? 'INN' : 'code'} names`));
        return null;
      }
      return found;
    }
    if (candidates.length === 0) {
      problems.push({ column: 'organizationName', code: 'NOT_FOUND', reason: `no organization of this municipality is named ${JSON.stringify(name)} (full or short name): give its INN or code` });
      return null;
    }
    if (candidates.length > 1) {
      const keys = candidates.map((candidate) => (candidate.inn ? `INN ${candidate.inn}` : candidate.code ? `code ${candidate.code}` : `id ${candidate.id}`)).sort();
      problems.push(bad('organizationName', `is the name of ${candidates.length} organizations of this municipality (${keys.join(', ')}): give the INN or the code instead`));
      return null;
    }
    return candidates[0];
  }
  return found!;
}

/** The overlap rules of rules.ts, as a problem of the cell that breaks them. */
function conflictOf(overlapping: ImportEmploymentRow[], candidate: { organizationId: string; position: string; isMainJob: boolean }): CellProblem | null {
  const reason = employmentConflict(overlapping, candidate);
  if (!reason) return null;
  // Without the main-job claim it would stand: the claim is at fault; otherwise the period is.
  const column = candidate.isMainJob && !employmentConflict(overlapping, { ...candidate, isMainJob: false }) ? 'isMainJob' : 'startedOn';
  return { column, code: 'CONFLICT', reason };
}

/** Database refusals a row can meet despite the checks (another request got there first); anything else fails the request. */
function refusal(error: unknown): CellProblem | null {
  const e = error as { code?: string; constraint?: string };
  if (e.code === '23505' && e.constraint === 'educator_snils_key') {
    return { column: 'snils', code: 'CONFLICT', reason: 'an educator with this SNILS was registered meanwhile by another request: send the row again' };
  }
  if (e.code === '23505' && e.constraint?.startsWith('external_id_')) {
    return { column: 'externalId', code: 'CONFLICT', reason: 'was given to another educator meanwhile by another request' };
  }
  if (typeof e.code === 'string' && /^2[23]/.test(e.code)) return { column: null, code: 'BAD_USER_INPUT', reason: 'the registry refused the row' };
  return null;
}

/** Brings the state up to date with a written row, for the rows that follow; returns how to take that back. */
function remember(state: ImportState, plan: Plan, { educatorId, employmentId }: { educatorId: string; employmentId: string | null }): () => void {
  const { educator, employment, externalId } = plan;
  const steps: (() => void)[] = [];
  let target: EducatorState;
  if (educator.existing) {
    target = educator.existing;
    const before = { ...target.row };
    Object.assign(target.row, educator.changes);
    steps.push(() => Object.assign(target.row, before));
  } else {
    target = { row: { patronymic: null, email: null, phone: null, pedagogicalWorkStartedOn: null, educationLevel: null, ...educator.values, id: educatorId } as ImportEducatorRow, employments: [] };
    state.educators.set(plan.snils, target);
    steps.push(() => state.educators.delete(plan.snils));
  }
  if (employment?.existing) {
    const current = employment.existing;
    const before = { ...current };
    Object.assign(current, employment.changes);
    steps.push(() => Object.assign(current, before));
  } else if (employment) {
    target.employments.push({
      id: employmentId!, educatorId, organizationId: employment.organization.id, municipalityId: employment.organization.municipalityId,
      ...employment.values, endedOn: employment.values.endedOn ?? null,
    });
    steps.push(() => target.employments.pop());
  }
  if (externalId !== null) {
    state.externalIds.set(externalId, educatorId);
    steps.push(() => state.externalIds.delete(externalId));
  }
  return () => { for (const step of steps.reverse()) step(); };
}
