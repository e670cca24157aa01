import { z } from 'zod';
import { academicYearPeriod } from '@mms/platform';
import { indicatorOf, indicatorCodes, type IndicatorDefinition } from './catalog';

/** Input rules of the indicators subgraph. */
const academicYear = z.string().refine((value) => {
  try { academicYearPeriod(value); return true; } catch { return false; }
}, 'must be written like 2024/2025 (two consecutive years)');

/** A target's value must make sense in the indicator's unit. */
export function targetValueProblem(definition: IndicatorDefinition, value: number): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  switch (definition.kind) {
    case 'share': return value >= 0 && value <= 100 ? null : 'is a share: must be between 0 and 100';
    case 'count': return Number.isInteger(value) && value >= 0 ? null : 'is a count: must be a whole number of at least 0';
    case 'ratio': return value > 0 && value <= 100_000 ? null : 'is a ratio: must be greater than 0';
    case 'yes_no': return value === 0 || value === 1 ? null : 'is a yes/no indicator: must be 1 (yes) or 0 (no)';
  }
}

export const targetInput = z.object({
  code: z.enum(indicatorCodes),
  academicYear,
  municipalityId: z.guid('is not an id').nullish(),
  value: z.number().nullish(),
}).superRefine((input, context) => {
  if (input.value === null || input.value === undefined) return;
  const problem = targetValueProblem(indicatorOf(input.code), input.value);
  if (problem) context.addIssue({ code: 'custom', path: ['value'], message: problem });
});
export type TargetInput = z.infer<typeof targetInput>;

export const reportInput = z.object({
  academicYear,
  title: z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters').nullish(),
});
