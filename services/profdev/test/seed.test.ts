import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { seedDemo as seedStaff } from '../../staff/src/seed';
import { isEmpty, seedDemo } from '../src/seed';

/** The demo data `npm start` loads: over staff's demo municipality, every entity, and worth opening. */
let graph: TestGraph;
beforeAll(async () => {
  graph = await createTestGraph();
});
afterAll(() => graph.close());

test('the demo seed covers every entity and answers the journeys', async () => {
  await graph.db.staff.transaction((trx) => seedStaff(trx));
  expect(await isEmpty(graph.db.profdev)).toBe(true);
  const counts = await graph.db.profdev.transaction((trx) => seedDemo(trx));
  expect(await isEmpty(graph.db.profdev)).toBe(false);
  for (const [name, count] of Object.entries(counts)) expect([name, count > 0]).toEqual([name, true]);

  const admin = graph.as(regionAdmin);
  const { municipalities } = await admin.data('{ municipalities { id organizations { id shortName } } }');
  const municipalityId = municipalities[0].id;
  const data = await admin.data(`query ($m: ID!) {
    competencies { code }
    programs(filter: { federalRegistryOnly: true }) { title competencies { code } }
    completions(filter: { municipalityId: $m, academicYear: "2024/2025" }) { totalCount nodes { educator { fullName } program { title } } }
    upskillingDue(scope: { municipalityId: $m }) { educator { fullName } lastUpskilling { completedOn } }
    growthPoints(academicYear: "2025/2026", scope: { municipalityId: $m }) { competency { code } educatorCount diagnosedCount share }
    unaddressedDeficits(scope: { municipalityId: $m }) { educator { id } deficit { competency { code } } }
    earlyCareerWithoutMentor(scope: { municipalityId: $m }) { educator { fullName isEarlyCareer } }
    mentorships(scope: { municipalityId: $m }) { mentor { fullName } mentee { fullName } form }
    supportGiven(from: "2026-09-01", to: "2026-12-31") { form methodist { id } educator { id } }
    routeTemplates { title items { activityKind program { title } } }
    methodAssociations { title level plans { academicYear isAdopted itemsTotal itemsDone } members { educator { id } } publications { title } }
    rare: associationsPublishingRarely(from: "2025-09-01", to: "2026-08-31") { association { title } monthsWithout }
    methodCouncils { title meetings { heldOn agenda } }
    complaints(from: "2026-01-01", to: "2026-12-31") { subject isUpheld }
  }`, { m: municipalityId });
  expect(data.competencies).toHaveLength(8);
  expect(data.programs.length).toBeGreaterThan(2);
  expect(data.completions.totalCount).toBeGreaterThan(0);
  expect(data.upskillingDue.length).toBeGreaterThan(0);
  expect(data.growthPoints.length).toBeGreaterThan(0);
  expect(data.earlyCareerWithoutMentor.length).toBeGreaterThan(0);
  expect(data.earlyCareerWithoutMentor.every((e: { educator: { isEarlyCareer: boolean } }) => e.educator.isEarlyCareer)).toBe(true);
  expect(data.mentorships.length).toBeGreaterThan(0);
  expect(data.supportGiven.length).toBeGreaterThan(0);
  expect(data.routeTemplates).toHaveLength(1);
  expect(data.methodAssociations).toHaveLength(4);
  expect(data.rare.map((r: { association: { title: string } }) => r.association.title)).not.toContain('ГМО учителей математики');
  expect(data.rare.length).toBe(3);
  expect(data.methodCouncils[0].meetings).toHaveLength(3);
  expect(data.complaints).toHaveLength(2);

  // A school's staff page (user story 1): last upskilling, active route and its progress, mentor or mentee.
  const school = municipalities[0].organizations.find((o: { shortName: string }) => o.shortName === 'МБОУ СОШ № 1');
  const { organization } = await admin.data(`query ($o: ID!) { organization(id: $o) {
    growthPoints(academicYear: "2025/2026") { competency { code } educatorCount }
    employments { position educator { fullName lastUpskilling { completedOn program { title } } isUpskillingOverdue
      activeRoute { title progress { total done share } } mentorships(activeOn: "2026-11-01") { mentor { fullName } mentee { fullName } }
      diagnostics { takenOn scores { competency { code } score previousScore change isDeficit } } deficits { competency { code } }
      routes { status items { title activityKind competency { code } program { title } } } } } } }`, { o: school.id });
  const educators = organization.employments.map((e: { educator: unknown }) => e.educator);
  expect(educators.some((e: { activeRoute: unknown }) => e.activeRoute)).toBe(true);
  expect(educators.some((e: { diagnostics: { scores: { change: number | null }[] }[] }) => e.diagnostics.some((d) => d.scores.some((s) => s.change !== null)))).toBe(true);
  expect(educators.some((e: { isUpskillingOverdue: boolean }) => e.isUpskillingOverdue)).toBe(true);

  // Course runs (issue 24): two carried out by the service, one open with a waiting list, one planned, one cancelled.
  const { courseRuns } = await admin.data(`{ courseRuns(first: 20) { totalCount nodes { status providerKind seatsTaken waitingCount
    applications { status completion { certificateNumber } } } } }`);
  expect(courseRuns.nodes.map((r: { status: string }) => r.status).sort()).toEqual(['CANCELLED', 'FINISHED', 'FINISHED', 'OPEN', 'PLANNED']);
  const finished = courseRuns.nodes.filter((r: { status: string }) => r.status === 'FINISHED');
  expect(finished.flatMap((r: { applications: { status: string }[] }) => r.applications).filter((a: { status: string }) => a.status === 'COMPLETED')).toHaveLength(19);
  const { courseRuns: offered } = await graph.anonymous().data('{ courseRuns { nodes { status seats seatsTaken waitingCount program { title } } } }');
  expect(offered.nodes).toEqual([expect.objectContaining({ status: 'OPEN', seats: 10, seatsTaken: 10, waitingCount: 2 })]);
  const { upskillingPlan } = await admin.data(`query ($m: ID!) { upskillingPlan(municipalityId: $m, academicYear: "2025/2026") {
    plannedCount trainedCount quotas { direction trainedCount } } }`, { m: municipalityId });
  expect(upskillingPlan.plannedCount).toBe(45);
  expect(upskillingPlan.trainedCount).toBeGreaterThan(0);
  // Internships at the demo internship site: one finished with its outcome, a management team's one.
  const { internships } = await admin.data('{ internships { nodes { form outcome teamOrganization { id } participants { educator { fullName } } } } }');
  expect(internships.nodes.map((i: { form: string }) => i.form)).toEqual(['INDIVIDUAL', 'TEAM']);
  expect(internships.nodes[0].outcome).toEqual(expect.any(String));
  expect(internships.nodes[1].participants.length).toBeGreaterThan(0);
});

test('the demo practices and materials (issue 19): every stage, a review, a recommended practice public with its file and consented name', async () => {
  const { practices } = await graph.as(regionAdmin).data(`{ practices { nodes { stage reviews { closedOn weightedScore reviewers { id } } files { name } } } }`);
  expect(practices.nodes.map((p: { stage: string }) => p.stage).sort()).toEqual(['DECLINED', 'GENERALISED', 'RECOMMENDED', 'SUBMITTED', 'UNDER_STUDY']);
  for (const practice of practices.nodes.filter((p: { stage: string }) => ['UNDER_STUDY', 'GENERALISED', 'RECOMMENDED'].includes(p.stage))) {
    expect(practice.reviews[0].reviewers).toHaveLength(3);
  }
  const anonymous = graph.anonymous();
  const { practices: open, materials } = await anonymous.data(`{ practices(filter: { search: "наставничеству" }) { nodes { title authors { publicName } files { name } } }
    materials { totalCount nodes { title files { name } } } }`);
  expect(open.nodes).toHaveLength(1);
  expect(open.nodes[0].authors[0].publicName).toBe('Е. В. Соколова');
  expect(open.nodes[0].files).toEqual([{ name: 'Программа наставничества.pdf' }]);
  expect(materials.totalCount).toBe(3);
  const { projects } = await anonymous.data(`{ projects { title practices { title } } }`);
  expect(projects).toEqual([{ title: 'Муниципальный проект «Школа наставника»', practices: [{ title: open.nodes[0].title }] }]);
});
