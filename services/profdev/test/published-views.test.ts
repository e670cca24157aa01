import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { createCompetency, createProgram, recordDiagnostic } from './fixtures';

/**
 * The published contract (docs/architecture.md, services/profdev/README.md): every view and column, readable by
 * another subgraph's role, with the survivor of a merge in every educator column.
 */
let graph: TestGraph;
beforeAll(async () => {
  graph = await createTestGraph();
});
afterAll(() => graph.close());

const contract: Record<string, string[]> = {
  program: ['id', 'kind', 'title', 'hours', 'format', 'is_federal_registry', 'registry_number', 'provider_name', 'provider_inn'],
  program_completion: ['id', 'educator_id', 'program_id', 'started_on', 'completed_on', 'certificate_number', 'is_from_diagnostic', 'diagnostic_id'],
  competency: ['id', 'code', 'title', 'competency_group', 'threshold', 'scale_min', 'scale_max'],
  diagnostic: ['id', 'educator_id', 'taken_on', 'instrument'],
  diagnostic_score: ['diagnostic_id', 'educator_id', 'competency_id', 'score', 'threshold', 'is_deficit'],
  deficit: ['diagnostic_id', 'educator_id', 'competency_id', 'score', 'threshold', 'taken_on'],
  development_route: ['id', 'educator_id', 'period_from', 'period_to', 'status', 'created_at', 'activated_on', 'completed_on', 'abandoned_on'],
  route_item: ['id', 'route_id', 'educator_id', 'activity_kind', 'competency_id', 'planned_from', 'planned_to', 'done_on', 'is_dropped'],
  mentorship: ['id', 'mentor_id', 'mentee_id', 'form', 'started_on', 'ended_on', 'outcome'],
  support: ['id', 'methodist_id', 'educator_id', 'given_on', 'form', 'topic', 'session_id'],
  method_association: ['id', 'level', 'municipality_id', 'organization_id', 'subject_area', 'title', 'leader_id'],
  association_member: ['association_id', 'educator_id', 'joined_on', 'left_on'],
  association_plan: ['id', 'association_id', 'academic_year', 'is_adopted', 'adopted_on', 'items_total', 'items_done'],
  publication: ['id', 'association_id', 'published_on', 'title', 'url'],
  complaint: ['id', 'received_on', 'municipality_id', 'organization_id', 'educator_id', 'subject', 'resolved_on', 'is_upheld'],
  // ---- issue 20: requests for help, without names (support gained session_id, above) ----
  help_request: ['id', 'municipality_id', 'requester_kind', 'requester_organization_id', 'kind', 'status', 'filed_on', 'due_on', 'answered_on', 'closed_on', 'rating'],
  // courses (issue 24)
  course_run: ['id', 'program_id', 'municipality_id', 'provider_kind', 'provider_organization_id', 'provider_name', 'starts_on', 'ends_on',
    'format', 'seats', 'status', 'finished_on', 'opening_order_number', 'opening_order_date'],
  course_application: ['id', 'run_id', 'educator_id', 'channel', 'status', 'completion_id'],
  internship: ['id', 'organization_id', 'municipality_id', 'program_title', 'form', 'team_organization_id', 'starts_on', 'ends_on', 'completed_on'],
  internship_participant: ['internship_id', 'educator_id'],
  self_education: ['id', 'educator_id', 'topic', 'period_from', 'period_to', 'has_result'],
};

test('every contracted view has every contracted column, and another subgraph\'s role may read it', async () => {
  const { rows } = await graph.db.profdev.raw(`select table_name, array_agg(column_name::text) as columns from information_schema.columns
    where table_schema = 'profdev_api' group by table_name`);
  const published = Object.fromEntries(rows.map((r: { table_name: string; columns: string[] }) => [r.table_name, r.columns]));
  for (const [view, columns] of Object.entries(contract)) {
    expect([view, columns.filter((c) => !published[view]?.includes(c))]).toEqual([view, []]);
    await expect(graph.db.staff.raw(`select ${columns.join(', ')} from profdev_api.${view} limit 1`)).resolves.toBeDefined();
  }
  // the tables themselves stay private
  await expect(graph.db.staff.raw('select * from profdev.diagnostic')).rejects.toThrow(/permission denied/);
});

test('after a merge, the views and the graph show the records under the surviving educator', async () => {
  const admin = graph.as(regionAdmin);
  const municipality = (await createMunicipality(admin)).id;
  const organization = (await createOrganization(admin, municipality)).id;
  const survivor = (await createEducator(admin, organization)).id;
  const duplicate = (await createEducator(admin, organization)).id;
  const mentor = (await createEducator(admin, organization)).id;
  const competency = (await createCompetency(admin)).id;
  const program = (await createProgram(admin, [competency])).id;
  const diagnostic = await recordDiagnostic(admin, duplicate, '2025-10-01', [[competency, 10]]);
  await admin.data(`mutation ($input: RecordCompletionInput!) { recordCompletion(input: $input) { id } }`, { input: {
    educatorId: duplicate, programId: program, startedOn: '2025-10-10', completedOn: '2025-11-10', diagnosticId: diagnostic.id } });
  await admin.data(`mutation ($input: StartMentorshipInput!) { startMentorship(input: $input) { id } }`, { input: { mentorId: mentor, menteeId: duplicate, form: 'TEACHER_TEACHER', startedOn: '2025-09-01' } });
  await admin.data('mutation ($s: ID!, $d: ID!) { mergeEducators(survivorId: $s, duplicateId: $d) { id } }', { s: survivor, d: duplicate });

  const reader = graph.db.staff;
  expect(await reader('profdev_api.diagnostic').where('id', diagnostic.id).pluck('educator_id')).toEqual([survivor]);
  expect(await reader('profdev_api.deficit').where('diagnostic_id', diagnostic.id).pluck('educator_id')).toEqual([survivor]);
  expect(await reader('profdev_api.program_completion').where('diagnostic_id', diagnostic.id).select('educator_id', 'is_from_diagnostic'))
    .toEqual([{ educator_id: survivor, is_from_diagnostic: true }]);
  expect(await reader('profdev_api.mentorship').where('mentor_id', mentor).pluck('mentee_id')).toEqual([survivor]);

  const { educator } = await admin.data(`query ($id: ID!) { educator(id: $id) { diagnostics { id } deficits { score } completions { isFromDiagnostic } mentorships { mentee { id } } } }`, { id: survivor });
  expect(educator).toEqual({ diagnostics: [{ id: diagnostic.id }], deficits: [{ score: 10 }], completions: [{ isFromDiagnostic: true }], mentorships: [{ mentee: { id: survivor } }] });
  // writes about the merged record name the survivor
  const error = await admin.error(`mutation ($input: RecordDiagnosticInput!) { recordDiagnostic(input: $input) { id } }`,
    { input: { educatorId: duplicate, takenOn: '2025-10-02', instrument: 'ЕФС', scores: [{ competencyId: competency, score: 50 }] } });
  expect(error.code).toBe('NOT_FOUND');
  expect(error.message).toContain(survivor);
});
