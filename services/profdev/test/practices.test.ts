import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { createCompetency, fingerprint } from './fixtures';

/**
 * The bank of practices (issue 19) through the gateway: submission by an author, the lifecycle (never backwards,
 * never skipping), expert review (weighted criteria, no reviewer from an author's organization, scores hidden until
 * it closes), presentations at events, Russian full-text search and the public read.
 */
let graph: TestGraph;
let admin: Client;
let methodistA: Client;
let author: Client;
const w = {} as Record<string, string>;

const practiceTables = ['practice', 'practice_author', 'practice_competency', 'practice_step', 'practice_presentation', 'practice_review',
  'practice_review_criterion', 'practice_reviewer', 'practice_review_score', 'material', 'stored_file', 'file_chunk', 'project', 'project_practice'];

async function snapshot(): Promise<Record<string, string>> {
  const result = await fingerprint(graph.db.profdev);
  for (const table of practiceTables) {
    const { rows } = await graph.db.profdev.raw(`select count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as f from profdev.${table} t`);
    result[table] = rows[0].f;
  }
  return result;
}

async function refused(client: Client, code: string, query: string, variables: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const before = await snapshot();
  const { error } = await client.error(query, variables);
  expect(error.extensions).toMatchObject({ code, ...extra });
  expect(await snapshot()).toEqual(before);
}

const submit = `mutation ($input: SubmitPracticeInput!) { submitPractice(input: $input) { id stage municipalityId authors { educator { id } consentToPublish } steps { stage takenOn actorRole actorEducator { id } } } }`;
const advance = `mutation ($id: ID!, $input: AdvancePracticeInput!) { advancePractice(id: $id, input: $input) { id stage recommendationLevel steps { stage decisionKind decisionNumber } } }`;
const reviewFields = 'id openedOn closedOn weightedScore criteria { id title weight maxScore } reviewers { educator { id } hasScored } scores { reviewerId criterionId score }';

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.a = (await createMunicipality(admin)).id;
  w.b = (await createMunicipality(admin)).id;
  w.a1 = (await createOrganization(admin, w.a)).id;
  w.a2 = (await createOrganization(admin, w.a)).id;
  w.b1 = (await createOrganization(admin, w.b)).id;
  w.author = (await createEducator(admin, w.a1)).id;
  w.coauthor = (await createEducator(admin, w.a2)).id;
  w.colleague = (await createEducator(admin, w.a1)).id; // works with the author: may not review
  w.reviewer1 = (await createEducator(admin, w.b1)).id;
  w.reviewer2 = (await createEducator(admin, w.b1)).id;
  w.stranger = (await createEducator(admin, w.b1)).id;
  w.competency = (await createCompetency(admin, { title: 'Наставничество' })).id;
  methodistA = graph.as({ role: 'municipality_methodist', subject: 'methodist-a', municipalityId: w.a });
  author = graph.as({ role: 'educator', educatorId: w.author });
  const { createEvent } = await admin.data(`mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }`, { input: {
    kind: 'SEMINAR', level: 'MUNICIPAL', municipalityId: w.a, venueOrganizationId: w.a1, title: 'Семинар наставников',
    startsAt: '2026-11-10T10:00:00+03:00', endsAt: '2026-11-10T12:00:00+03:00',
  } });
  w.event = createEvent.id;
}, 60_000);
afterAll(() => graph.close());

const practiceInput = () => ({
  title: 'Наставничество в школе: модель «учитель — учитель»', organizationId: w.a1, subjectArea: 'управление', schoolLevel: 'BASIC',
  competencyIds: [w.competency], summary: 'Система наставничества молодых педагогов через взаимопосещение уроков.', results: 'Удержание молодых специалистов',
  authors: [{ educatorId: w.author }, { educatorId: w.coauthor, organizationId: w.a2 }], submittedOn: '2026-10-01',
});

describe('a practice from submission to recommendation', () => {
  test('an educator submits their own practice; the lifecycle, review, presentation and the public read', async () => {
    // an educator may submit only as an author; an author must have worked where they are said to
    await refused(author, 'FORBIDDEN', submit, { input: { ...practiceInput(), authors: [{ educatorId: w.coauthor, organizationId: w.a2 }] } });
    await refused(author, 'BAD_USER_INPUT', submit, { input: { ...practiceInput(), authors: [{ educatorId: w.author }, { educatorId: w.coauthor }] } }, { field: 'input.authors.1.organizationId' });
    await refused(graph.anonymous(), 'UNAUTHENTICATED', submit, { input: practiceInput() });
    const { submitPractice: practice } = await author.data(submit, { input: practiceInput() });
    expect(practice).toMatchObject({ stage: 'SUBMITTED', municipalityId: w.a, authors: [{ educator: { id: w.author }, consentToPublish: false }, { educator: { id: w.coauthor } }],
      steps: [{ stage: 'SUBMITTED', takenOn: '2026-10-01', actorRole: 'educator', actorEducator: { id: w.author } }] });
    w.practice = practice.id;

    // the educator cannot move it; skipping a stage is refused
    await refused(author, 'FORBIDDEN', advance, { id: practice.id, input: { stage: 'UNDER_STUDY' } });
    await refused(methodistA, 'CONFLICT', advance, { id: practice.id, input: { stage: 'GENERALISED', decisionKind: 'ORDER', decisionNumber: '1' } }, { reason: 'STAGE_ORDER' });
    await methodistA.data(advance, { id: practice.id, input: { stage: 'UNDER_STUDY', takenOn: '2026-10-05' } });
    await refused(methodistA, 'CONFLICT', advance, { id: practice.id, input: { stage: 'SUBMITTED', takenOn: '2026-10-06' } }, { reason: 'STAGE_ORDER' });
    await refused(methodistA, 'BAD_USER_INPUT', advance, { id: practice.id, input: { stage: 'GENERALISED', takenOn: '2026-10-06' } }, { field: 'input.decisionKind' });
    // a methodist of another municipality may not touch it
    await refused(graph.as({ role: 'municipality_methodist', municipalityId: w.b }), 'FORBIDDEN', advance, { id: practice.id, input: { stage: 'DECLINED' } });

    // expert review: three reviewers proposed, the colleague of the author refused for conflict
    const { openPracticeReview: review } = await methodistA.data(`mutation ($input: OpenPracticeReviewInput!) { openPracticeReview(input: $input) { ${reviewFields} } }`, { input: {
      practiceId: practice.id, openedOn: '2026-10-06', criteria: [{ title: 'Новизна', weight: 2, maxScore: 10 }, { title: 'Результативность', weight: 1, maxScore: 5 }] } });
    const addReviewer = `mutation ($r: ID!, $e: ID!) { addPracticeReviewer(reviewId: $r, educatorId: $e) { reviewers { educator { id } } } }`;
    await refused(methodistA, 'CONFLICT', addReviewer, { r: review.id, e: w.colleague }, { reason: 'REVIEWER_CONFLICT', field: 'educatorId', organizationId: w.a1 });
    await refused(methodistA, 'CONFLICT', addReviewer, { r: review.id, e: w.coauthor }, { reason: 'REVIEWER_CONFLICT' });
    await methodistA.data(addReviewer, { r: review.id, e: w.reviewer1 });
    const { addPracticeReviewer } = await methodistA.data(addReviewer, { r: review.id, e: w.reviewer2 });
    expect(addPracticeReviewer.reviewers.map((r: { educator: { id: string } }) => r.educator.id).sort()).toEqual([w.reviewer1, w.reviewer2].sort());
    // advancing while the review is open is refused
    await refused(methodistA, 'CONFLICT', advance, { id: practice.id, input: { stage: 'GENERALISED', decisionKind: 'ORDER', decisionNumber: '1' } }, { reason: 'REVIEW_OPEN' });

    const scoreQuery = `mutation ($input: ReviewScoresInput!) { scorePractice(input: $input) { weightedScore scores { score } reviewers { hasScored } } }`;
    const [novelty, effect] = review.criteria;
    const r1 = graph.as({ role: 'educator', educatorId: w.reviewer1 });
    const r2 = graph.as({ role: 'educator', educatorId: w.reviewer2 });
    await refused(graph.as({ role: 'educator', educatorId: w.stranger }), 'FORBIDDEN', scoreQuery, { input: { reviewId: review.id, scores: [{ criterionId: novelty.id, score: 5 }] } });
    await refused(r1, 'BAD_USER_INPUT', scoreQuery, { input: { reviewId: review.id, scores: [{ criterionId: effect.id, score: 6 }] } }, { field: 'input.scores.0.score' });
    const own = await r1.data(scoreQuery, { input: { reviewId: review.id, scores: [{ criterionId: novelty.id, score: 10 }, { criterionId: effect.id, score: 5 }] } });
    // hidden until the review closes: the reviewer sees their own two scores, no total
    expect(own.scorePractice).toMatchObject({ weightedScore: null, scores: [{ score: 10 }, { score: 5 }] });
    await r2.data(scoreQuery, { input: { reviewId: review.id, scores: [{ criterionId: novelty.id, score: 5 }, { criterionId: effect.id, score: 5 }] } });
    const readReview = `query ($id: ID!) { practice(id: $id) { reviews { weightedScore scores { score } } } }`;
    expect((await methodistA.data(readReview, { id: practice.id })).practice.reviews).toEqual([{ weightedScore: null, scores: [] }]);
    const { closePracticeReview } = await methodistA.data(`mutation ($r: ID!) { closePracticeReview(reviewId: $r, closedOn: "2026-10-20") { ${reviewFields} } }`, { r: review.id });
    // reviewer 1: (2·10/10 + 1·5/5)/3 = 1; reviewer 2: (2·0.5 + 1)/3 = 2/3; mean 5/6 = 83.33
    expect(closePracticeReview).toMatchObject({ closedOn: '2026-10-20', weightedScore: 83.33 });
    expect(closePracticeReview.scores).toHaveLength(4);
    await refused(r1, 'CONFLICT', scoreQuery, { input: { reviewId: review.id, scores: [{ criterionId: novelty.id, score: 1 }] } }, { reason: 'REVIEW_CLOSED' });

    await methodistA.data(advance, { id: practice.id, input: { stage: 'GENERALISED', takenOn: '2026-10-25', decisionKind: 'COUNCIL_DECISION', decisionNumber: 'МС-7', decisionOn: '2026-10-24' } });
    await refused(methodistA, 'CONFLICT', advance, { id: practice.id, input: { stage: 'UNDER_STUDY', takenOn: '2026-10-26' } }, { reason: 'STAGE_ORDER' });
    await refused(methodistA, 'BAD_USER_INPUT', advance, { id: practice.id, input: { stage: 'RECOMMENDED', takenOn: '2026-10-01', recommendationLevel: 'MUNICIPAL', decisionKind: 'ORDER', decisionNumber: '12' } }, { field: 'input.takenOn' });
    const { advancePractice: recommended } = await methodistA.data(advance, { id: practice.id, input: {
      stage: 'RECOMMENDED', takenOn: '2026-11-01', recommendationLevel: 'MUNICIPAL', decisionKind: 'ORDER', decisionNumber: '112-о', decisionOn: '2026-11-01' } });
    expect(recommended).toMatchObject({ stage: 'RECOMMENDED', recommendationLevel: 'MUNICIPAL' });
    expect(recommended.steps.map((s: { stage: string }) => s.stage)).toEqual(['SUBMITTED', 'UNDER_STUDY', 'GENERALISED', 'RECOMMENDED']);
    await refused(methodistA, 'CONFLICT', advance, { id: practice.id, input: { stage: 'DECLINED' } }, { reason: 'STAGE_ORDER' });

    // presented at an event
    const present = `mutation ($input: RecordPresentationInput!) { recordPracticePresentation(input: $input) { educatorsReached presentations { eventId eventTitle eventStartsOn role } } }`;
    await refused(methodistA, 'NOT_FOUND', present, { input: { practiceId: practice.id, eventId: '00000000-0000-4000-8000-000000000001', role: 'SPEAKER' } });
    const { recordPracticePresentation } = await methodistA.data(present, { input: { practiceId: practice.id, eventId: w.event, role: 'MASTER_CLASS_HOST', educatorsReached: 25 } });
    expect(recordPracticePresentation).toEqual({ educatorsReached: 25, presentations: [{ eventId: w.event, eventTitle: 'Семинар наставников', eventStartsOn: '2026-11-10', role: 'MASTER_CLASS_HOST' }] });

    // the author consents to publishing their name; the co-author does not
    const consent = `mutation ($p: ID!, $input: PracticeConsentInput!) { setPracticeConsent(practiceId: $p, input: $input) { authors { consentToPublish publicName } } }`;
    await refused(author, 'BAD_USER_INPUT', consent, { p: practice.id, input: { consentToPublish: true } }, { field: 'input.publicName' });
    await refused(graph.as({ role: 'educator', educatorId: w.stranger }), 'FORBIDDEN', consent, { p: practice.id, input: { consentToPublish: true, publicName: 'Чужой' } });
    await refused(methodistA, 'FORBIDDEN', consent, { p: practice.id, input: { consentToPublish: true, publicName: 'Методист' } });
    await author.data(consent, { p: practice.id, input: { consentToPublish: true, publicName: 'Иванова Анна Петровна' } });
  }, 60_000);

  test('an anonymous client finds the recommended practice by a Russian word form, with consented names only', async () => {
    const anonymous = graph.anonymous();
    const query = `query ($f: PracticeFilter) { practices(filter: $f) { totalCount nodes { id title stage authors { educator { id } publicName consentToPublish }
      steps { stage actorRole actorEducator { id } } reviews { id } presentations { eventTitle } competencies { title } } } }`;
    const { practices } = await anonymous.data(query, { f: { search: 'наставничеству' } });
    expect(practices.totalCount).toBe(1);
    expect(practices.nodes[0]).toMatchObject({ id: w.practice, stage: 'RECOMMENDED', reviews: [], presentations: [{ eventTitle: 'Семинар наставников' }], competencies: [{ title: 'Наставничество' }],
      authors: [{ educator: null, publicName: 'Иванова Анна Петровна', consentToPublish: true }, { educator: null, publicName: null, consentToPublish: false }] });
    expect(practices.nodes[0].steps.every((s: { actorRole: unknown; actorEducator: unknown }) => s.actorRole === null && s.actorEducator === null)).toBe(true);
    // other word forms, and a word that is not there
    expect((await anonymous.data(query, { f: { search: 'модели наставничества' } })).practices.totalCount).toBe(1);
    expect((await anonymous.data(query, { f: { search: 'олимпиада' } })).practices.totalCount).toBe(0);
  });

  test('a practice that is not recommended is not public; filters by subject, competency, stage, organization, municipality, author', async () => {
    const { submitPractice: draft } = await methodistA.data(submit, { input: { ...practiceInput(), title: 'Наставничество: черновик', organizationId: w.a2,
      authors: [{ educatorId: w.coauthor }], competencyIds: [] } });
    const anonymous = graph.anonymous();
    const list = `query ($f: PracticeFilter) { practices(filter: $f) { totalCount nodes { id } } }`;
    expect((await anonymous.data(list, { f: { search: 'наставничество' } })).practices.nodes).toEqual([{ id: w.practice }]);
    await refused(anonymous, 'UNAUTHENTICATED', `query ($id: ID!) { practice(id: $id) { id } }`, { id: draft.id });
    // another municipality's methodist sees only the recommended one; the co-author sees their own too
    const methodistB = graph.as({ role: 'municipality_methodist', municipalityId: w.b });
    expect((await methodistB.data(list, {})).practices.nodes).toEqual([{ id: w.practice }]);
    expect((await graph.as({ role: 'educator', educatorId: w.coauthor }).data(list, {})).practices.totalCount).toBe(2);
    const ids = async (f: Record<string, unknown>) => (await methodistA.data(list, { f })).practices.nodes.map((n: { id: string }) => n.id).sort();
    expect(await ids({ stage: 'SUBMITTED' })).toEqual([draft.id]);
    expect(await ids({ competencyId: w.competency })).toEqual([w.practice]);
    expect(await ids({ organizationId: w.a2 })).toEqual([draft.id]);
    expect(await ids({ municipalityId: w.a })).toEqual([w.practice, draft.id].sort());
    expect(await ids({ authorId: w.author })).toEqual([w.practice]);
    expect(await ids({ subjectArea: 'управление', schoolLevel: 'BASIC' })).toEqual([w.practice, draft.id].sort());
    expect(await ids({ subjectArea: 'физика' })).toEqual([]);
    // paging by title
    const first = await methodistA.data(`{ practices(first: 1) { nodes { title } pageInfo { hasNextPage endCursor } } }`);
    expect(first.practices.pageInfo.hasNextPage).toBe(true);
    const second = await methodistA.data(`query ($after: String) { practices(first: 1, after: $after) { nodes { title } pageInfo { hasNextPage } } }`, { after: first.practices.pageInfo.endCursor });
    expect([first.practices.nodes[0].title, second.practices.nodes[0].title]).toEqual(['Наставничество в школе: модель «учитель — учитель»', 'Наставничество: черновик'].sort());
    // a declined practice stays declined
    await methodistA.data(advance, { id: draft.id, input: { stage: 'DECLINED', note: 'Не соответствует критериям' } });
    await refused(methodistA, 'CONFLICT', advance, { id: draft.id, input: { stage: 'UNDER_STUDY' } }, { reason: 'STAGE_ORDER' });
  });
});

describe('projects (innovation infrastructure)', () => {
  const create = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id level municipalityId practices { id } organizations { id } eventIds } }`;
  test('a methodist records a municipal project grouping practices, events and organizations; it is public; bad input changes nothing', async () => {
    const input = { title: 'Муниципальный проект «Школа наставника»', level: 'MUNICIPAL', municipalityId: w.a, startsOn: '2026-09-01', endsOn: '2027-08-31',
      practiceIds: [w.practice], eventIds: [w.event], organizationIds: [w.a1, w.a2] };
    await refused(methodistA, 'FORBIDDEN', create, { input: { ...input, level: 'REGIONAL', municipalityId: null } });
    await refused(methodistA, 'FORBIDDEN', create, { input: { ...input, municipalityId: w.b } });
    await refused(author, 'FORBIDDEN', create, { input });
    await refused(methodistA, 'BAD_USER_INPUT', create, { input: { ...input, endsOn: '2026-01-01' } }, { field: 'input.endsOn' });
    await refused(methodistA, 'NOT_FOUND', create, { input: { ...input, eventIds: ['00000000-0000-4000-8000-000000000002'] } });
    const { createProject } = await methodistA.data(create, { input });
    expect(createProject).toMatchObject({ level: 'MUNICIPAL', municipalityId: w.a, practices: [{ id: w.practice }], eventIds: [w.event] });
    await admin.data(create, { input: { title: 'Региональный проект «Точка роста»', level: 'REGIONAL', startsOn: '2025-01-01' } });
    const list = `query ($f: ProjectFilter) { projects(filter: $f) { title practices { id } organizations { id } } }`;
    const anonymous = await graph.anonymous().data(list, { f: { municipalityId: w.b } });
    expect(anonymous.projects.map((p: { title: string }) => p.title)).toEqual(['Региональный проект «Точка роста»']);
    const town = await graph.anonymous().data(list, { f: { municipalityId: w.a, activeOn: '2026-10-01' } });
    expect(town.projects).toEqual([
      { title: 'Муниципальный проект «Школа наставника»', practices: [{ id: w.practice }], organizations: [{ id: w.a1 }, { id: w.a2 }] },
      { title: 'Региональный проект «Точка роста»', practices: [], organizations: [] },
    ]);
  });
});
