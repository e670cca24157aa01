import type { Knex } from 'knex';
import { catalog, type IndicatorCode } from './catalog';
import { freezeReport } from './reports';
import { writeTarget } from './store/targets';

/**
 * Demo data for `npm start`: the region's targets for the current and the previous academic year, the demo
 * municipality's own targets for a few indicators, and one frozen report of that municipality. Written through the
 * same store functions as the mutations; reads the staff subgraph's seeded municipality through staff_api.
 */
const regionTargets: Record<IndicatorCode, number> = {
  association_roadmap: 1, diagnostics_share: 60, registry_programs_from_diagnostics_share: 25, development_routes_share: 50,
  regional_methodists_share: 3, educators_per_regional_methodist: 10, routes_completed_share: 70, early_career_supported_share: 90,
  targeted_support_count: 30, diagnostic_based_upskilling_count: 15, programs_carried_out_count: 5, mentoring_count: 12,
  networked_events_count: 20, no_complaints: 1, competition_applicants_count: 5,
};
const municipalityTargets: Partial<Record<IndicatorCode, number>> = { diagnostics_share: 75, early_career_supported_share: 100, no_complaints: 1 };
const seeder = { role: 'system', subject: 'demo-seed' };

export async function isEmpty(db: Knex): Promise<boolean> {
  const [{ count }] = await db('target').count({ count: '*' });
  const [{ count: reports }] = await db('report').count({ count: '*' });
  return Number(count) === 0 && Number(reports) === 0;
}

export async function seedDemo(trx: Knex): Promise<{ targets: number; reports: number }> {
  let targets = 0;
  for (const academicYear of ['2024/2025', '2025/2026']) {
    for (const { code } of catalog) {
      await writeTarget(trx, { code, academicYear, municipalityId: null, value: regionTargets[code], ...seeder });
      targets += 1;
    }
  }
  const municipality: { id: string } | undefined = await trx('staff_api.municipality').select('id').orderBy(['name', 'id']).first();
  if (!municipality) return { targets, reports: 0 };
  for (const [code, value] of Object.entries(municipalityTargets)) {
    await writeTarget(trx, { code: code as IndicatorCode, academicYear: '2024/2025', municipalityId: municipality.id, value, ...seeder });
    targets += 1;
  }
  await freezeReport(trx, { scope: { kind: 'municipality', id: municipality.id }, academicYear: '2024/2025',
    title: 'Отчёт о показателях эффективности за 2024/2025 учебный год', ...seeder });
  return { targets, reports: 1 };
}
