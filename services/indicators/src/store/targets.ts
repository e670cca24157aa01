import type { Knex } from 'knex';
import type { IndicatorCode } from '../catalog';

export interface TargetRow {
  id: string;
  code: IndicatorCode;
  academicYear: string;
  municipalityId: string | null;
  value: number;
  updatedAt: Date;
}

const columns = ['id', 'indicator_code as code', 'academic_year as academicYear', 'municipality_id as municipalityId',
  'value', 'updated_at as updatedAt'];

const numeric = (row: TargetRow): TargetRow => ({ ...row, value: Number(row.value) });

/** The region's targets and those of the given municipalities, for the given years: one statement. */
export async function targetsFor(db: Knex, years: readonly string[], municipalityIds: readonly string[]): Promise<TargetRow[]> {
  const rows: TargetRow[] = await db('target').select(columns).whereIn('academic_year', years)
    .where((q) => q.whereNull('municipality_id').orWhereIn('municipality_id', municipalityIds));
  return rows.map(numeric);
}

/** Targets of a year: the region's, and those of one municipality or (null) of all. */
export async function listTargets(db: Knex, academicYear: string, municipalityIds: readonly string[] | null): Promise<TargetRow[]> {
  const query = db('target').select(columns).where('academic_year', academicYear).orderBy(['municipality_id', 'indicator_code']);
  if (municipalityIds) query.where((q) => q.whereNull('municipality_id').orWhereIn('municipality_id', municipalityIds));
  return (await query).map(numeric);
}

/** Targets by id (Relay's node(id:); the caller's municipality is checked on each, as indicatorTargets does). */
export async function targetsByIds(db: Knex, ids: readonly string[]): Promise<TargetRow[]> {
  const rows: TargetRow[] = await db('target').select(columns).whereIn('id', [...ids]);
  return rows.map(numeric);
}

export interface TargetWrite {
  code: IndicatorCode;
  academicYear: string;
  municipalityId: string | null;
  value: number | null;
  role: string;
  subject: string | null;
}

/** Sets (upserts) or, with a null value, removes a target; returns the target or null. */
export async function writeTarget(trx: Knex, input: TargetWrite): Promise<TargetRow | null> {
  if (input.value === null) {
    await trx('target').where({ indicator_code: input.code, academic_year: input.academicYear })
      .where((q) => (input.municipalityId ? q.where('municipality_id', input.municipalityId) : q.whereNull('municipality_id'))).delete();
    return null;
  }
  const { rows } = await trx.raw(`
    insert into target (indicator_code, academic_year, municipality_id, value, set_by_role, set_by_subject)
    values (?, ?, ?, ?, ?, ?)
    on conflict (indicator_code, academic_year, municipality_id)
    do update set value = excluded.value, set_by_role = excluded.set_by_role, set_by_subject = excluded.set_by_subject, updated_at = now()
    returning id, indicator_code as code, academic_year as "academicYear", municipality_id as "municipalityId", value, updated_at as "updatedAt"`,
  [input.code, input.academicYear, input.municipalityId, input.value, input.role, input.subject]);
  return numeric(rows[0]);
}
