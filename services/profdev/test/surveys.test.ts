import { addDays, today } from '@mms/platform';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { createCompetency } from './fixtures';
import { helpFingerprint } from './help-fixtures';

/**
 * Issue 20, surveys of needs through the gateway: a needs survey answered by 30 educators of two municipalities, its
 * results by municipality with the requested upskilling directions ranked and the small group suppressed for the
 * analyst; anonymous surveys (no link to the person, who answered not given out); closed surveys and second answers.
 */
let graph: TestGraph;
let admin: Client;
const w = {} as { a: string; b: string; a1: string; b1: string; inA: string[]; inB: string[]; young: string; competency: string; title: string };
const day = today();

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w.a = (await createMunicipality(admin)).id;
  w.b = (await createMunicipality(admin)).id;
  w.a1 = (await createOrganization(admin, w.a)).id;
  w.b1 = (await createOrganization(admin, w.b)).id;
  w.inA = [];
  w.inB = [];
  for (let i = 0; i < 26; i += 1) w.inA.push((await createEducator(admin, w.a1, { lastName: `Анкетова${i}` })).id);
  for (let i = 0; i < 4; i += 1) w.inB.push((await createEducator(admin, w.b1, { lastName: `Опросова${i}` })).id);
  w.young = (await createEducator(admin, w.a1, { lastName: 'Молодая', pedagogicalWorkStartedOn: addDays(day, -200) }, { startedOn: addDays(day, -200) })).id;
  const competency = await createCompetency(admin, { title: 'Формирование функциональной грамотности' });
  w.competency = competency.id;
}, 120_000);
afterAll(() => graph.close());

async function refused(client: Client, code: string, query: string, variables: Record<string, unknown>, message?: RegExp) {
  const before = await helpFingerprint(graph.db.profdev);
  const error = await client.error(query, variables);
  expect({ code: error.code, message: error.message }).toEqual({ code, message: message ? expect.stringMatching(message) : expect.any(String) });
  expect(await helpFingerprint(graph.db.profdev)).toEqual(before);
}

const create = `mutation ($input: CreateSurveyInput!) { createSurvey(input: $input) { id isAnonymous isOpen questions { id kind position options isUpskillingDirection } } }`;
const answer = `mutation ($s: ID!, $a: [SurveyAnswerInput!]!) { answerSurvey(surveyId: $s, answers: $a) { surveyId submittedOn } }`;
const results = `query ($s: ID!, $m: ID) { surveyResults(surveyId: $s, municipalityId: $m) { municipalityId responseCount isSuppressed
  topDirections { rank direction count competency { id } } questions { question { kind } answerCount average counts { option count } } } }`;
const directions = ['Функциональная грамотность', 'Обновлённые ФОП', 'Цифровые инструменты', 'Дети с ОВЗ'];
const questions = [
  { kind: 'MULTIPLE', text: 'По каким направлениям вы хотели бы повысить квалификацию?', options: directions, isUpskillingDirection: true },
  { kind: 'COMPETENCY', text: 'Какие компетенции вы хотели бы развить?', isUpskillingDirection: true },
  { kind: 'SCALE', text: 'Насколько вам хватает методической помощи?', scaleMin: 1, scaleMax: 5 },
  { kind: 'TEXT', text: 'Какие затруднения вы испытываете?' },
];
const educator = (id: string) => graph.as({ role: 'educator', educatorId: id });

describe('a needs survey answered by 30 educators', () => {
  let survey: { id: string; questions: { id: string }[] };

  test('region_admin creates a named needs survey of the region; bad questions are refused', async () => {
    await refused(admin, 'BAD_USER_INPUT', create, { input: { title: 'x', isAnonymous: false, opensOn: day, closesOn: day, questions: [{ kind: 'SINGLE', text: 'Один вариант?', options: ['да'] }] } }, /2 to 50/);
    await refused(admin, 'BAD_USER_INPUT', create, { input: { title: 'x', isAnonymous: false, opensOn: day, closesOn: addDays(day, -1), questions } }, /closesOn/);
    await refused(graph.as({ role: 'municipality_methodist', municipalityId: w.a }), 'FORBIDDEN', create, { input: { title: 'x', isAnonymous: false, opensOn: day, closesOn: day, questions } });
    const { createSurvey } = await admin.data(create, { input: { title: 'Мониторинг профессиональных потребностей', isAnonymous: false, opensOn: addDays(day, -10), closesOn: addDays(day, 20), questions } });
    expect(createSurvey).toMatchObject({ isAnonymous: false, isOpen: true });
    expect(createSurvey.questions.map((q: { kind: string }) => q.kind)).toEqual(['MULTIPLE', 'COMPETENCY', 'SCALE', 'TEXT']);
    survey = createSurvey;
  });

  test('30 educators answer once each; a second answer and bad answers are refused', async () => {
    const [directionQ, competencyQ, scaleQ, textQ] = survey.questions.map((q) => q.id);
    const all = [...w.inA, ...w.inB];
    for (const [i, id] of all.entries()) {
      // In A: «Функциональная грамотность» by everyone, «Цифровые инструменты» by two thirds, «ФОП» by a third.
      const chosen = [directions[0], ...(i % 3 !== 0 ? [directions[2]] : [directions[1]])];
      const answers = [{ questionId: directionQ, choices: chosen }, { questionId: scaleQ, scaleValue: 1 + (i % 5) }];
      if (i % 2 === 0) answers.push({ questionId: competencyQ, competencyIds: [w.competency] } as never);
      if (i === 0) answers.push({ questionId: textQ, text: 'Не хватает времени на подготовку' } as never);
      await educator(id).data(answer, { s: survey.id, a: answers });
    }
    await refused(educator(w.inA[0]), 'CONFLICT', answer, { s: survey.id, a: [{ questionId: scaleQ, scaleValue: 3 }] }, /already answered/);
    await refused(educator(w.young), 'BAD_USER_INPUT', answer, { s: survey.id, a: [{ questionId: scaleQ, scaleValue: 9 }] }, /from 1 to 5/);
    await refused(educator(w.young), 'BAD_USER_INPUT', answer, { s: survey.id, a: [{ questionId: directionQ, choices: ['Астрология'] }] }, /not an option/);
    await refused(educator(w.young), 'BAD_USER_INPUT', answer, { s: survey.id, a: [{ questionId: directionQ, scaleValue: 2 }] }, /choices only/);
    await refused(educator(w.young), 'BAD_USER_INPUT', answer, { s: survey.id, a: [] });
    await refused(graph.as({ role: 'municipality_methodist', municipalityId: w.a }), 'FORBIDDEN', answer, { s: survey.id, a: [{ questionId: scaleQ, scaleValue: 3 }] });
    const { survey: read } = await admin.data(`query ($id: ID!) { survey(id: $id) { responseCount } }`, { id: survey.id });
    expect(read.responseCount).toBe(30);
    // a named survey: the service sees who answered (within its scope)
    const { surveyRespondents } = await graph.as({ role: 'municipality_methodist', municipalityId: w.b }).data(`query ($s: ID!) { surveyRespondents(surveyId: $s) { educator { id } } }`, { s: survey.id });
    expect(surveyRespondents.map((r: { educator: { id: string } }) => r.educator.id).sort()).toEqual([...w.inB].sort());
  });

  test('results by municipality: the requested directions ranked; the group of 4 suppressed for the analyst', async () => {
    const { surveyResults: forAnalyst } = await graph.as({ role: 'analyst' }).data(results, { s: survey.id });
    const byMunicipality = Object.fromEntries(forAnalyst.map((g: { municipalityId: string | null }) => [g.municipalityId ?? 'all', g]));
    expect(byMunicipality[w.b]).toEqual({ municipalityId: w.b, responseCount: null, isSuppressed: true, topDirections: [], questions: [] });
    expect(byMunicipality[w.a].responseCount).toBe(26);
    // «Функциональная грамотность» is asked both as an option (26) and as a competency (13): counted apart, ranked together
    expect(byMunicipality[w.a].topDirections).toEqual([
      { rank: 1, direction: 'Функциональная грамотность', count: 26, competency: null },
      { rank: 2, direction: 'Цифровые инструменты', count: 17, competency: null },
      { rank: 3, direction: 'Формирование функциональной грамотности', count: 13, competency: { id: w.competency } },
      { rank: 4, direction: 'Обновлённые ФОП', count: 9, competency: null },
    ]);
    // the whole-scope group sums the groups shown only: B cannot be recovered by subtraction
    expect(byMunicipality.all).toMatchObject({ responseCount: 26, isSuppressed: false });
    expect(byMunicipality.all.topDirections[0]).toMatchObject({ direction: 'Функциональная грамотность', count: 26 });
    // free text is a note about a person: FORBIDDEN to the analyst
    expect((await graph.as({ role: 'analyst' }).error(`query ($s: ID!) { surveyResults(surveyId: $s) { questions { texts } } }`, { s: survey.id })).code).toBe('FORBIDDEN');
    // region_admin sees B's 4 answers of a named survey; B's methodists only their group
    const { surveyResults: forAdmin } = await admin.data(results, { s: survey.id, m: w.b });
    expect(forAdmin.map((g: { municipalityId: string | null; responseCount: number; isSuppressed: boolean }) => [g.municipalityId, g.responseCount, g.isSuppressed]))
      .toEqual([[null, 4, false], [w.b, 4, false]]);
    const scale = forAdmin[1].questions.find((q: { question: { kind: string } }) => q.question.kind === 'SCALE');
    expect(scale).toMatchObject({ answerCount: 4, average: 3.5 }); // 2, 3, 4 and 5
    const { surveyResults: forB } = await graph.as({ role: 'municipality_methodist', municipalityId: w.b }).data(results, { s: survey.id });
    expect(forB.map((g: { municipalityId: string | null }) => g.municipalityId)).toEqual([null, w.b]);
    const { surveyResults: texts } = await graph.as({ role: 'municipality_methodist', municipalityId: w.a }).data(`query ($s: ID!) { surveyResults(surveyId: $s) { municipalityId questions { texts } } }`, { s: survey.id });
    expect(texts[1].questions[3].texts).toEqual(['Не хватает времени на подготовку']);
  });
});

describe('anonymous surveys, audiences and closed surveys', () => {
  test('an anonymous survey keeps no educator id with the answers, and who answered is not given out', async () => {
    const methodistA = graph.as({ role: 'municipality_methodist', municipalityId: w.a });
    const { createSurvey } = await methodistA.data(create, { input: { title: 'Анонимная анкета', municipalityId: w.a, isAnonymous: true, opensOn: day, closesOn: day,
      questions: [{ kind: 'SCALE', text: 'Удовлетворённость', scaleMin: 1, scaleMax: 10 }] } });
    const q = createSurvey.questions[0].id;
    for (const id of w.inA.slice(0, 3)) await educator(id).data(answer, { s: createSurvey.id, a: [{ questionId: q, scaleValue: 7 }] });
    await refused(educator(w.inA[1]), 'CONFLICT', answer, { s: createSurvey.id, a: [{ questionId: q, scaleValue: 7 }] }, /already answered/);
    await refused(educator(w.inB[0]), 'FORBIDDEN', answer, { s: createSurvey.id, a: [{ questionId: q, scaleValue: 7 }] }, /audience/);
    const who = await methodistA.error(`query ($s: ID!) { surveyRespondents(surveyId: $s) { educator { id } } }`, { s: createSurvey.id });
    expect({ code: who.code, reason: who.error.extensions?.reason }).toEqual({ code: 'FORBIDDEN', reason: 'ANONYMOUS_SURVEY' });
    const stored = await graph.db.profdev('survey_response').where('survey_id', createSurvey.id).select('educator_id');
    expect(stored).toEqual([{ educator_id: null }, { educator_id: null }, { educator_id: null }]);
    // by construction: the database refuses an educator id on an anonymous survey's response
    await expect(graph.db.profdev.raw(`insert into survey_response (survey_id, is_anonymous, educator_id, municipality_id, submitted_on) values (?, true, ?, ?, current_date)`,
      [createSurvey.id, w.inA[5], w.a])).rejects.toMatchObject({ code: '23514' });
    await expect(graph.db.profdev.raw(`insert into survey_response (survey_id, is_anonymous, educator_id, municipality_id, submitted_on) values (?, false, ?, ?, current_date)`,
      [createSurvey.id, w.inA[5], w.a])).rejects.toMatchObject({ code: '23503' });
    // 3 answers: too few for everyone on an anonymous survey
    const { surveyResults } = await methodistA.data(results, { s: createSurvey.id });
    expect(surveyResults.map((g: { isSuppressed: boolean; responseCount: number | null }) => [g.isSuppressed, g.responseCount])).toEqual([[false, 0], [true, null]]);
  });

  test('a closed survey takes no answer; early-career surveys only early-career educators', async () => {
    const methodistA = graph.as({ role: 'municipality_methodist', municipalityId: w.a });
    const { createSurvey: past } = await methodistA.data(create, { input: { title: 'Прошлая анкета', municipalityId: w.a, isAnonymous: false, opensOn: addDays(day, -30), closesOn: addDays(day, -1),
      questions: [{ kind: 'TEXT', text: 'Что улучшить?' }] } });
    await refused(educator(w.inA[0]), 'CONFLICT', answer, { s: past.id, a: [{ questionId: past.questions[0].id, text: 'Всё хорошо' }] }, /takes answers from/);
    const { createSurvey: young } = await methodistA.data(create, { input: { title: 'Анкета молодых специалистов', municipalityId: w.a, earlyCareerOnly: true, isAnonymous: false,
      opensOn: day, closesOn: addDays(day, 30), questions: [{ kind: 'SINGLE', text: 'Нужен ли наставник?', options: ['да', 'нет'] }] } });
    const qy = young.questions[0].id;
    await refused(educator(w.inA[0]), 'FORBIDDEN', answer, { s: young.id, a: [{ questionId: qy, choices: ['да'] }] }, /audience/);
    expect((await educator(w.young).data('{ surveys { title } }')).surveys.map((s: { title: string }) => s.title)).toContain('Анкета молодых специалистов');
    expect((await educator(w.inA[0]).data('{ surveys { title } }')).surveys.map((s: { title: string }) => s.title)).not.toContain('Анкета молодых специалистов');
    await refused(educator(w.young), 'BAD_USER_INPUT', answer, { s: young.id, a: [{ questionId: qy, choices: ['да', 'нет'] }] }, /exactly one/);
    await educator(w.young).data(answer, { s: young.id, a: [{ questionId: qy, choices: ['да'] }] });
    const close = `mutation ($id: ID!) { closeSurvey(id: $id) { isOpen closedOn } }`;
    await refused(graph.as({ role: 'municipality_methodist', municipalityId: w.b }), 'FORBIDDEN', close, { id: young.id });
    expect((await methodistA.data(close, { id: young.id })).closeSurvey).toEqual({ isOpen: false, closedOn: day });
    await refused(methodistA, 'CONFLICT', close, { id: young.id });
  });

  test('a survey of managerial staff: a director answers, a teacher of the same school may not; a bad category is refused', async () => {
    const methodistA = graph.as({ role: 'municipality_methodist', municipalityId: w.a });
    const director = (await createEducator(admin, w.a1, { lastName: 'Директорова' }, { position: 'директор', staffCategory: 'MANAGERIAL' })).id;
    const input = { title: 'Анкета руководителей', municipalityId: w.a, staffCategory: 'MANAGERIAL', isAnonymous: false, opensOn: day, closesOn: addDays(day, 30),
      questions: [{ kind: 'TEXT', text: 'Какая помощь нужна управленческой команде?' }] };
    await refused(methodistA, 'BAD_USER_INPUT', create, { input: { ...input, staffCategory: 'JANITOR' } });
    const { createSurvey: managers } = await methodistA.data(create.replace('isAnonymous', 'isAnonymous staffCategory'), { input });
    expect(managers.staffCategory).toBe('MANAGERIAL');
    const q = managers.questions[0].id;
    await refused(educator(w.inA[0]), 'FORBIDDEN', answer, { s: managers.id, a: [{ questionId: q, text: 'Никакой' }] }, /audience/);
    expect((await educator(w.inA[0]).data('{ surveys { title } }')).surveys.map((s: { title: string }) => s.title)).not.toContain('Анкета руководителей');
    expect((await educator(director).data('{ surveys { title staffCategory } }')).surveys).toContainEqual({ title: 'Анкета руководителей', staffCategory: 'MANAGERIAL' });
    expect((await educator(director).data(answer, { s: managers.id, a: [{ questionId: q, text: 'Планирование методической работы' }] })).answerSurvey.surveyId).toBe(managers.id);
    // a survey of pedagogical staff is not the director's
    const { createSurvey: teachers } = await methodistA.data(create, { input: { ...input, title: 'Анкета педагогов', staffCategory: 'PEDAGOGICAL' } });
    await refused(educator(director), 'FORBIDDEN', answer, { s: teachers.id, a: [{ questionId: teachers.questions[0].id, text: 'x' }] }, /audience/);
    await educator(w.inA[0]).data(answer, { s: teachers.id, a: [{ questionId: teachers.questions[0].id, text: 'Помощь с ФОП' }] });
  });
});
