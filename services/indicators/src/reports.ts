import type { Knex } from 'knex';
import { catalog, isTargetMet } from './catalog';
import type { ValueScope } from './scope';
import { insertReport, type ReportRow } from './store/reports';
import { targetsFor } from './store/targets';
import { computeValues } from './store/values';
import { municipalityOf, targetOf } from './values';

export const defaultReportTitle = (scope: ValueScope, academicYear: string) =>
  `Показатели эффективности методической службы за ${academicYear} учебный год (${scope.kind === 'region' ? 'регион' : scope.kind === 'municipality' ? 'муниципалитет' : 'организация'})`;

/**
 * Freezes every indicator of a scope and year, inside the caller's transaction: the values stored are the ones these
 * statements computed, with the targets then in force.
 */
export async function freezeReport(trx: Knex, input: { scope: ValueScope; academicYear: string; title?: string | null; role: string; subject: string | null }): Promise<ReportRow> {
  const { scope, academicYear } = input;
  const municipalityId = municipalityOf(scope);
  const targets = await targetsFor(trx, [academicYear], municipalityId ? [municipalityId] : []);
  const values = [];
  for (const definition of catalog) {
    const [computed] = await computeValues(trx, definition.code, [{ scope, academicYear }]);
    const target = targetOf(targets, definition.code, scope);
    values.push({ code: definition.code, numerator: computed.numerator, denominator: computed.denominator, value: computed.value,
      target, isTargetMet: isTargetMet(definition, computed.value, target), reason: computed.reason });
  }
  return insertReport(trx, { scope, academicYear, title: input.title ?? defaultReportTitle(scope, academicYear),
    role: input.role, subject: input.subject, values });
}
