import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { createCompetency, createProgram, createRoute, recordDiagnostic } from './fixtures';

/**
 * The SQL count of a nested query over educators does not grow with their number (docs/architecture.md, rule 4): every
 * Educator field of profdev and every one-to-many field below it goes through a DataLoader.
 * 10 educators in two organizations, each with two diagnostics, a completion, a route with items, a mentorship,
 * support and an association membership.
 */
let graph: TestGraph;
let organizations: string[];
beforeAll(async () => {
  graph = await createTestGraph();
  const admin = graph.as(regionAdmin);
  const municipality = (await createMunicipality(admin)).id;
  organizations = [(await createOrganization(admin, municipality)).id, (await createOrganization(admin, municipality)).id];
  const [c1, c2] = [(await createCompetency(admin)).id, (await createCompetency(admin)).id];
  const program = (await createProgram(admin, [c1])).id;
  const mentor = (await createEducator(admin, organizations[0], { lastName: 'Яковлева' })).id;
  const { createMethodAssociation: association } = await admin.data(`mutation ($m: ID!) { createMethodAssociation(input: { level: MUNICIPAL, municipalityId: $m, subjectArea: "Математика", title: "ГМО" }) { id } }`, { m: municipality });
  for (let i = 0; i < 10; i += 1) {
    const educator = (await createEducator(admin, organizations[i % 2], { lastName: `Аникина${String(i).padStart(2, '0')}` })).id;
    await recordDiagnostic(admin, educator, '2024-10-01', [[c1, 30 + i], [c2, 70]]);
    await recordDiagnostic(admin, educator, '2025-10-01', [[c1, 40 + i], [c2, 50]]);
    await admin.data(`mutation ($input: RecordCompletionInput!) { recordCompletion(input: $input) { id } }`, { input: { educatorId: educator, programId: program, startedOn: '2025-02-01', completedOn: '2025-03-01' } });
    const route = await createRoute(admin, educator, [{ competencyId: c1, programId: program, activityKind: 'PROGRAM' }, { competencyId: c2 }]);
    await admin.data('mutation ($id: ID!) { activateRoute(id: $id, on: "2025-09-05") { id } }', { id: route.id });
    await admin.data(`mutation ($input: StartMentorshipInput!) { startMentorship(input: $input) { id } }`, { input: { mentorId: mentor, menteeId: educator, form: 'TEACHER_TEACHER', startedOn: '2025-09-01' } });
    await admin.data(`mutation ($input: RecordSupportInput!) { recordSupport(input: $input) { id } }`, { input: { methodistId: mentor, educatorId: educator, givenOn: '2025-10-10', form: 'CONSULTATION', topic: 'Урок' } });
    await admin.data(`mutation ($input: AddAssociationMemberInput!) { addAssociationMember(input: $input) { id } }`, { input: { associationId: association.id, educatorId: educator, joinedOn: '2025-09-01' } });
  }
});
afterAll(() => graph.close());

const profile = `query ($first: Int!) { educators(first: $first, filter: { nameContains: "Аникина" }) { nodes { fullName
  employments { position organization { name growthPoints(academicYear: "2025/2026") { competency { code } educatorCount } } }
  completions { completedOn program { title competencies { code } } diagnostic { takenOn } }
  lastUpskilling { completedOn } isUpskillingOverdue
  diagnostics { takenOn scores { competency { code } score previousScore change } deficits { competency { code } } }
  deficits { score competency { code } diagnostic { takenOn } }
  routes { status progress { share } items { title competency { code } program { title } } }
  activeRoute(on: "2025-12-01") { title }
  mentorships { mentor { fullName } mentee { fullName } }
  supportReceived { topic methodist { fullName } }
  associations { joinedOn association { title members { joinedOn } plans { itemsTotal } } }
} } }`;

test('an educator\'s professional development across both subgraphs costs the same SQL for 2 and for 10 educators', async () => {
  const admin = graph.as(regionAdmin);
  await admin.data(profile, { first: 1 }); // token minted, caches warm
  const counts: number[] = [];
  for (const first of [2, 10]) {
    counts.push(await graph.countSql(async () => {
      const { educators } = await admin.data(profile, { first });
      expect(educators.nodes).toHaveLength(first);
      expect(educators.nodes.every((e: { diagnostics: unknown[]; routes: unknown[]; mentorships: unknown[] }) => e.diagnostics.length === 2 && e.routes.length === 1 && e.mentorships.length === 1)).toBe(true);
    }));
  }
  expect(counts[1]).toBe(counts[0]);
  // staff: page, employments, organizations, names of mentors and methodists; profdev: one statement per loader
  // (completions, programs, competencies of programs, diagnostics, scores, deficits, …): 25 measured
  expect(counts[0]).toBeLessThanOrEqual(26);
});

test('Educator references from the gateway are resolved in one batch per field', async () => {
  const { educators } = await graph.as(regionAdmin).data(`{ educators(first: 10, filter: { nameContains: "Аникина" }) { nodes { id } } }`);
  const representations = educators.nodes.map((e: { id: string }) => ({ __typename: 'Educator', id: e.id }));
  const count = await graph.countSql(async () => {
    const { _entities } = await graph.subgraph('profdev', regionAdmin).data(`query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Educator { completions { id } diagnostics { id } deficits { score } routes { id } mentorships { id } supportReceived { id } associations { id } } } }`, { r: representations });
    expect(_entities).toHaveLength(10);
  });
  expect(count).toBe(7);
});

test('course runs with their applications, educators and completions cost the same SQL for 2 runs and for 6', async () => {
  const admin = graph.as(regionAdmin);
  const { municipalities } = await admin.data('{ municipalities { id } }');
  const { programs } = await admin.data('{ programs { id } }');
  const { educators } = await admin.data(`{ educators(first: 10, filter: { nameContains: "Аникина" }) { nodes { id } } }`);
  for (let r = 0; r < 6; r += 1) {
    const { createCourseRun: run } = await admin.data(`mutation ($input: CreateCourseRunInput!) { createCourseRun(input: $input) { id } }`, { input: {
      programId: programs[0].id, municipalityId: municipalities.at(-1).id, providerKind: 'SERVICE', startsOn: `2025-0${r + 1}-05`, endsOn: `2025-0${r + 1}-20`,
      format: 'DISTANCE', seats: 3, audience: 'учителя', applicationDeadline: `2025-0${r + 1}-01` } });
    await admin.data(`mutation ($id: ID!) { openCourseRun(id: $id, order: { number: "N+1", date: "2025-01-01" }) { id } }`, { id: run.id });
    for (const educator of educators.nodes.slice(0, 4)) {
      await admin.data(`mutation ($id: ID!, $e: ID!) { enrolInCourseRun(runId: $id, educatorId: $e) { id } }`, { id: run.id, e: educator.id });
    }
    await admin.data(`mutation ($id: ID!) { startCourseRun(id: $id, enrolmentOrder: { number: "N+1-з", date: "2025-01-02" }) { id } }`, { id: run.id });
    await admin.data(`mutation ($id: ID!, $o: [CourseOutcomeInput!]!) { finishCourseRun(runId: $id, finishedOn: "2025-0${r + 1}-20", outcomes: $o) { id } }`,
      { id: run.id, o: educators.nodes.slice(0, 3).map((e: { id: string }, i: number) => ({ educatorId: e.id, completed: true, certificateNumber: `N1-${r}-${i}` })) });
  }
  const query = `query ($first: Int!) { courseRuns(first: $first, filter: { startsTo: "2025-12-31" }) { nodes { status seatsTaken waitingCount program { title competencies { code } }
    applications { status educator { fullName } completion { certificateNumber program { title } } run { id program { title } } } } } }`;
  const counts: number[] = [];
  for (const first of [2, 6]) {
    counts.push(await graph.countSql(async () => {
      const { courseRuns } = await admin.data(query, { first });
      expect(courseRuns.nodes).toHaveLength(first);
      expect(courseRuns.nodes.every((r: { applications: { status: string }[] }) => r.applications.map((a) => a.status).join() === 'COMPLETED,COMPLETED,COMPLETED,WAITLISTED')).toBe(true);
    }));
  }
  expect(counts[1]).toBe(counts[0]);
  // profdev: the page, applications, completions, programs, competencies; staff: the names (7 measured)
  expect(counts[0]).toBeLessThanOrEqual(8);
});

// ---- practices and materials (issue 19) ----

describe('the bank of practices', () => {
  beforeAll(async () => {
    const admin = graph.as(regionAdmin);
    const competency = (await createCompetency(admin)).id;
    const authors = [(await createEducator(admin, organizations[0])).id, (await createEducator(admin, organizations[1])).id];
    const reviewer = (await createEducator(admin, null)).id;
    for (let i = 0; i < 10; i += 1) {
      const { submitPractice: practice } = await admin.data(`mutation ($input: SubmitPracticeInput!) { submitPractice(input: $input) { id } }`, { input: {
        title: `Практика N+1 ${String(i).padStart(2, '0')}`, organizationId: organizations[0], subjectArea: 'математика', schoolLevel: 'BASIC', competencyIds: [competency],
        summary: 'Описание', authors: [{ educatorId: authors[0] }, { educatorId: authors[1], organizationId: organizations[1] }] } });
      await admin.data(`mutation ($id: ID!) { advancePractice(id: $id, input: { stage: UNDER_STUDY }) { id } }`, { id: practice.id });
      const { openPracticeReview: review } = await admin.data(`mutation ($p: ID!) { openPracticeReview(input: { practiceId: $p, criteria: [{ title: "Новизна", weight: 1, maxScore: 5 }] }) { id } }`, { p: practice.id });
      await admin.data(`mutation ($r: ID!, $e: ID!) { addPracticeReviewer(reviewId: $r, educatorId: $e) { id } }`, { r: review.id, e: reviewer });
      await admin.data(`mutation ($input: CreateMaterialInput!) { createMaterial(input: $input) { id } }`, { input: { kind: 'MANUAL', title: `Пособие ${i}`, visibility: 'PUBLIC', practiceIds: [practice.id], authorIds: [authors[0]] } });
    }
  });

  const practices = `query ($first: Int!) { practices(first: $first, filter: { subjectArea: "математика" }) { nodes { title stage organization { name }
    competencies { code } authors { educator { fullName } publicName } steps { stage actorEducator { id } } presentations { eventTitle } educatorsReached
    reviews { weightedScore criteria { title } reviewers { hasScored educator { fullName } } scores { score } } files { name }
    materials { title authors { publicName } files { name } practices { title } }
  } } }`;

  test('a page of practices with authors, steps, reviews, files and materials costs the same SQL for 2 and for 10', async () => {
    const admin = graph.as(regionAdmin);
    await admin.data(practices, { first: 1 });
    const counts: number[] = [];
    for (const first of [2, 10]) {
      counts.push(await graph.countSql(async () => {
        const { practices: page } = await admin.data(practices, { first });
        expect(page.nodes).toHaveLength(first);
        expect(page.nodes.every((p: { authors: unknown[]; reviews: { reviewers: unknown[] }[]; materials: unknown[] }) => p.authors.length === 2 && p.reviews[0].reviewers.length === 1 && p.materials.length === 1)).toBe(true);
      }));
    }
    expect(counts[1]).toBe(counts[0]);
  });
});
