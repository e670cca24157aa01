import type { Knex } from 'knex';
import type { Client } from '@mms/testing';

/** Builders of professional development worlds, through the graph's own mutations (staff's are in ../../staff/test/fixtures). */
let next = 1;
const unique = () => next++;

export async function createCompetency(admin: Client, overrides: Record<string, unknown> = {}) {
  const n = unique();
  const { createCompetency } = await admin.data(`mutation ($input: CreateCompetencyInput!) { createCompetency(input: $input) { id code threshold } }`,
    { input: { code: `K-${n}`, title: `Компетенция ${n}`, group: 'методические', scaleMin: 0, scaleMax: 100, threshold: 60, ...overrides } });
  return createCompetency as { id: string; code: string; threshold: number };
}

export async function createProgram(admin: Client, competencyIds: string[], overrides: Record<string, unknown> = {}) {
  const n = unique();
  const { createProgram } = await admin.data(`mutation ($input: CreateProgramInput!) { createProgram(input: $input) { id title } }`, { input: {
    kind: 'UPSKILLING', title: `Программа ${String(n).padStart(3, '0')}`, hours: 36, format: 'DISTANCE', registryNumber: `ФР-${n}`,
    providerName: 'Академия Минпросвещения', providerInn: '7718053292', competencyIds, ...overrides,
  } });
  return createProgram as { id: string; title: string };
}

export async function recordDiagnostic(client: Client, educatorId: string, takenOn: string, scores: [string, number][]) {
  const { recordDiagnostic } = await client.data(`mutation ($input: RecordDiagnosticInput!) { recordDiagnostic(input: $input) { id deficits { competency { id } score } } }`,
    { input: { educatorId, takenOn, instrument: 'ЕФС', scores: scores.map(([competencyId, score]) => ({ competencyId, score })) } });
  return recordDiagnostic as { id: string; deficits: { competency: { id: string }; score: number }[] };
}

export async function createRoute(client: Client, educatorId: string, items: Record<string, unknown>[] = [], overrides: Record<string, unknown> = {}) {
  const { createRoute } = await client.data(`mutation ($input: CreateRouteInput!) { createRoute(input: $input) { id status items { id } } }`, { input: {
    educatorId, title: 'ИОМ', periodFrom: '2025-09-01', periodTo: '2026-08-31',
    items: items.map((item) => ({ activityKind: 'SELF_STUDY', title: 'Самообразование', plannedFrom: '2025-09-01', plannedTo: '2026-05-31', ...item })), ...overrides,
  } });
  return createRoute as { id: string; status: string; items: { id: string }[] };
}

const tables = ['competency', 'program', 'program_competency', 'diagnostic', 'diagnostic_score', 'program_completion', 'route_template',
  'route_template_item', 'development_route', 'route_item', 'mentorship', 'support', 'method_association', 'association_member',
  'association_plan', 'association_plan_item', 'publication', 'method_council', 'council_meeting', 'complaint'];

/** A fingerprint of every profdev table: equal before and after means nothing was written. */
export async function fingerprint(db: Knex): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of tables) {
    const { rows } = await db.raw(`select count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as f from profdev.${table} t`);
    result[table] = rows[0].f;
  }
  return result;
}
