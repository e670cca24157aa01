import type { Knex } from 'knex';

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

/** An educator as the import compares it: the stored values of the fields a row may give. */
export interface ImportEducatorRow {
  id: string;
  snils: string;
  lastName: string;
  firstName: string;
  patronymic: string | null;
  birthDate: string;
  email: string | null;
  phone: string | null;
  pedagogicalWorkStartedOn: string | null;
  educationLevel: string | null;
}

/** An employment with its organization's municipality (the scope of a municipality's import). */
export interface ImportEmploymentRow {
  id: string;
  educatorId: string;
  organizationId: string;
  municipalityId: string;
  position: string;
  staffCategory: string;
  rate: number;
  isMainJob: boolean;
  startedOn: string;
  endedOn: string | null;
}

export interface ImportOrganizationRow {
  id: string;
  municipalityId: string;
  inn: string | null;
  code: string | null;
}

/** Educator fields as the import writes them: only the keys present are written. */
export type EducatorValues = Partial<Omit<ImportEducatorRow, 'id'>>;
export type EmploymentValues = Partial<Pick<ImportEmploymentRow, 'position' | 'staffCategory' | 'rate' | 'isMainJob' | 'startedOn' | 'endedOn'>>;

const educatorColumns: Record<keyof EducatorValues, string> = {
  snils: 'snils', lastName: 'last_name', firstName: 'first_name', patronymic: 'patronymic', birthDate: 'birth_date',
  email: 'email', phone: 'phone', pedagogicalWorkStartedOn: 'pedagogical_work_started_on', educationLevel: 'education_level',
};
const employmentColumns: Record<keyof EmploymentValues, string> = {
  position: 'position', staffCategory: 'staff_category', rate: 'rate', isMainJob: 'is_main_job', startedOn: 'started_on', endedOn: 'ended_on',
};

function toColumns<T extends object>(values: T, names: Record<keyof T, string>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) row[names[key as keyof T]] = value;
  return row;
}

/**
 * The batch's educators by SNILS, locked in id order: two imports of the same people wait for each other instead of
 * judging the overlap rules on what the other is changing, and cannot deadlock.
 */
export async function educatorsBySnils(db: Knex, snils: readonly string[]): Promise<ImportEducatorRow[]> {
  if (snils.length === 0) return [];
  return db('educator').select('id', 'snils', 'last_name as lastName', 'first_name as firstName', 'patronymic',
    'birth_date as birthDate', 'email', 'phone', 'pedagogical_work_started_on as pedagogicalWorkStartedOn', 'education_level as educationLevel')
    .whereRaw('snils = any(?::text[])', [[...snils]]).orderBy('id').forUpdate();
}

/** Every employment of the given educators, in any municipality (the overlap rules look at all of them). */
export async function employmentsOfEducators(db: Knex, educatorIds: readonly string[]): Promise<ImportEmploymentRow[]> {
  if (educatorIds.length === 0) return [];
  return db('employment as m').join('organization as o', 'o.id', 'm.organization_id')
    .select('m.id', 'm.educator_id as educatorId', 'm.organization_id as organizationId', 'o.municipality_id as municipalityId',
      'm.position', 'm.staff_category as staffCategory', 'm.rate', 'm.is_main_job as isMainJob', 'm.started_on as startedOn', 'm.ended_on as endedOn')
    .whereRaw('m.educator_id = any(?::uuid[])', [[...educatorIds]]).orderBy(['m.educator_id', 'm.started_on', 'm.id']);
}

/** Organizations by INN (in any municipality: one elsewhere is refused, not "unknown") and by code in one municipality. */
export async function organizationsByKeys(db: Knex, municipalityId: string, inns: readonly string[], codes: readonly string[]): Promise<ImportOrganizationRow[]> {
  if (inns.length === 0 && codes.length === 0) return [];
  return db('organization').select('id', 'municipality_id as municipalityId', 'inn', 'code')
    .where((q) => q.whereRaw('inn = any(?::text[])', [[...inns]])
      .orWhere((c) => c.where('municipality_id', municipalityId).whereRaw('code = any(?::text[])', [[...codes]])));
}

export interface ImportNamedOrganizationRow extends ImportOrganizationRow {
  name: string;
  shortName: string | null;
}

/** Every organization of a municipality, with its names (a row names its organization by name). */
export async function organizationsOfMunicipality(db: Knex, municipalityId: string): Promise<ImportNamedOrganizationRow[]> {
  return db('organization').select('id', 'municipality_id as municipalityId', 'inn', 'code', 'name', 'short_name as shortName')
    .where('municipality_id', municipalityId).orderBy('id');
}

/** The educators the given external ids of one source stand for. */
export async function externalEducatorIds(db: Knex, source: string, externalIds: readonly string[]): Promise<{ externalId: string; entityId: string }[]> {
  if (externalIds.length === 0) return [];
  return db('external_id').select('external_id as externalId', 'entity_id as entityId')
    .where({ source, entity_type: 'educator' }).whereRaw('external_id = any(?::text[])', [[...externalIds]]);
}

export async function municipalityExists(db: Knex, id: string): Promise<boolean> {
  return Boolean(await db('municipality').where({ id }).first('id'));
}

/** A new educator, with the id the import gave it (so that later rows of the same batch can refer to it). */
export type NewEducatorRow = EducatorValues & { id: string };
export type NewEmploymentRow = EmploymentValues & { id: string; educatorId: string; organizationId: string };

/** New educators in one statement (fields not given take the column's default). */
export async function insertEducators(db: Knex, rows: NewEducatorRow[]): Promise<void> {
  if (rows.length) await db('educator').insert(rows.map(({ id, ...values }) => ({ id, ...toColumns(values, educatorColumns) })));
}

export async function insertEmployments(db: Knex, rows: NewEmploymentRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db('employment').insert(rows.map(({ id, educatorId, organizationId, ...values }) => ({
    id, educator_id: educatorId, organization_id: organizationId, ...toColumns(values, employmentColumns),
  })));
}

/** Writes only the changed fields given (the caller leaves out the equal ones: an equal value is no change). */
export async function updateEducator(db: Knex, id: string, changes: EducatorValues): Promise<void> {
  await db('educator').where({ id }).update({ ...toColumns(changes, educatorColumns), updated_at: db.fn.now() });
}

export async function updateEmployment(db: Knex, id: string, changes: EmploymentValues): Promise<void> {
  await db('employment').where({ id }).update({ ...toColumns(changes, employmentColumns), updated_at: db.fn.now() });
}

export async function insertExternalIds(db: Knex, source: string, rows: { externalId: string; educatorId: string }[]): Promise<void> {
  await db('external_id').insert(rows.map((row) => ({ source, entity_type: 'educator', external_id: row.externalId, entity_id: row.educatorId })));
}
