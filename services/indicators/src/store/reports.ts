import type { Knex } from 'knex';
import type { IndicatorCode } from '../catalog';
import type { ValueScope } from '../scope';
import type { ValueReason } from './values';

export interface ReportRow {
  id: string;
  scope: ValueScope;
  academicYear: string;
  title: string;
  frozenAt: Date;
  frozenByRole: string;
  frozenBySubject: string | null;
}

export interface ReportValueRow {
  reportId: string;
  code: IndicatorCode;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  target: number | null;
  isTargetMet: boolean | null;
  reason: ValueReason | null;
}

interface RawReport {
  id: string; scope_kind: 'region' | 'municipality' | 'organization'; municipality_id: string | null; organization_id: string | null;
  academic_year: string; title: string; frozen_at: Date; frozen_by_role: string; frozen_by_subject: string | null;
}

function toReport(row: RawReport): ReportRow {
  const scope: ValueScope = row.scope_kind === 'region' ? { kind: 'region' }
    : row.scope_kind === 'municipality' ? { kind: 'municipality', id: row.municipality_id! }
      : { kind: 'organization', id: row.organization_id!, municipalityId: row.municipality_id! };
  return { id: row.id, scope, academicYear: row.academic_year, title: row.title, frozenAt: row.frozen_at,
    frozenByRole: row.frozen_by_role, frozenBySubject: row.frozen_by_subject };
}

export interface ReportWrite {
  scope: ValueScope;
  academicYear: string;
  title: string;
  role: string;
  subject: string | null;
  values: Omit<ReportValueRow, 'reportId'>[];
}

export async function insertReport(trx: Knex, input: ReportWrite): Promise<ReportRow> {
  const { scope } = input;
  const [row]: RawReport[] = await trx('report').insert({
    scope_kind: scope.kind,
    municipality_id: scope.kind === 'region' ? null : scope.kind === 'municipality' ? scope.id : scope.municipalityId,
    organization_id: scope.kind === 'organization' ? scope.id : null,
    academic_year: input.academicYear, title: input.title, frozen_by_role: input.role, frozen_by_subject: input.subject,
  }).returning('*');
  await trx('report_value').insert(input.values.map((value) => ({
    report_id: row.id, indicator_code: value.code, numerator: value.numerator, denominator: value.denominator,
    value: value.value, target: value.target, is_target_met: value.isTargetMet, reason: value.reason,
  })));
  return toReport(row);
}

export async function reportsByIds(db: Knex, ids: readonly string[]): Promise<ReportRow[]> {
  return (await db('report').select('*').whereIn('id', ids)).map(toReport);
}

/** Reports within a scope (the viewer's, or one asked for), optionally of one year, newest first. */
export async function listReports(db: Knex, within: { kind: 'region' } | { kind: 'municipality'; id: string } | { kind: 'organization'; id: string },
  exact: ValueScope | null, academicYear: string | null): Promise<ReportRow[]> {
  const query = db('report').select('*').orderBy([{ column: 'frozen_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
  if (within.kind === 'municipality') query.where('municipality_id', within.id);
  if (within.kind === 'organization') query.where('organization_id', within.id);
  if (exact) {
    query.where('scope_kind', exact.kind);
    if (exact.kind === 'municipality') query.where('municipality_id', exact.id);
    if (exact.kind === 'organization') query.where('organization_id', exact.id);
  }
  if (academicYear) query.where('academic_year', academicYear);
  return (await query).map(toReport);
}

const nullableNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export async function reportValuesByReports(db: Knex, reportIds: readonly string[]): Promise<ReportValueRow[]> {
  const rows = await db('report_value').select('*').whereIn('report_id', reportIds);
  return rows.map((row: Record<string, unknown>) => ({
    reportId: row.report_id as string, code: row.indicator_code as IndicatorCode,
    numerator: row.numerator as number | null, denominator: row.denominator as number | null,
    value: nullableNumber(row.value), target: nullableNumber(row.target), isTargetMet: row.is_target_met as boolean | null,
    reason: row.reason as ValueReason | null,
  }));
}
