import { indicatorOf, isTargetMet, type IndicatorCode } from './catalog';
import type { Context, ValueKey } from './loaders';
import type { ValueScope } from './scope';
import type { ReportValueRow } from './store/reports';
import type { TargetRow } from './store/targets';
import type { ComputedValue, ValueReason } from './store/values';

/** An IndicatorValue as resolvers pass it on: which indicator, scope and year; every figure is loaded on demand. */
export type ValueRef = ValueKey;
export interface EducatorRef { id: string }
export interface EntityRef { id: string }
/** One indicator of a frozen report, with what the live value is computed for. */
export interface ReportedValue extends ReportValueRow { scope: ValueScope; academicYear: string }

export const reasonTexts: Record<ValueReason, string> = {
  empty_scope: 'В учебном году в этой области не работал ни один педагог: считать не из чего.',
  no_denominator: 'Знаменатель равен нулю: показатель не определён.',
  source_unavailable: 'Источник данных (опубликованное представление другой подсистемы) недоступен.',
};

/** The target in force for a scope: its municipality's own, else the region's. */
export function targetOf(rows: readonly TargetRow[], code: IndicatorCode, scope: ValueScope): number | null {
  const municipalityId = scope.kind === 'region' ? null : scope.kind === 'municipality' ? scope.id : scope.municipalityId;
  const own = municipalityId ? rows.find((row) => row.code === code && row.municipalityId === municipalityId) : undefined;
  const region = rows.find((row) => row.code === code && row.municipalityId === null);
  return (own ?? region)?.value ?? null;
}

export const municipalityOf = (scope: ValueScope) =>
  (scope.kind === 'region' ? null : scope.kind === 'municipality' ? scope.id : scope.municipalityId);

export interface FullValue extends ComputedValue {
  target: number | null;
  isTargetMet: boolean | null;
}

/** A value with its target, through the request's loaders. */
export async function fullValue(ctx: Context, key: ValueKey): Promise<FullValue> {
  const [computed, targets] = await Promise.all([
    ctx.loaders.values.load(key),
    ctx.loaders.targets.load({ academicYear: key.academicYear, municipalityId: municipalityOf(key.scope) }),
  ]);
  const target = targetOf(targets, key.code, key.scope);
  return { ...computed, target, isTargetMet: isTargetMet(indicatorOf(key.code), computed.value, target) };
}

export const valueRefs = (scope: ValueScope, academicYear: string, codes: readonly IndicatorCode[]): ValueRef[] =>
  codes.map((code) => ({ code, scope, academicYear }));
