import type { Knex } from 'knex';
import type { Scope, Viewer } from '@mms/platform';
import * as dataRequests from '../surveys/data-requests';
import { dataRequestInput, submissionInput } from '../surveys/data-requests';
import * as surveys from '../surveys/writes';
import { surveyInput } from '../surveys/validate';
import { fileHelpRequestInput, sessionInput } from './validate';
import * as writes from './writes';

/**
 * Demo data of issue 20, over the demo municipality: requests for help in every status (a school's request answered by
 * a group consultation, closed and rated; an educator's overdue one; a parent's new one; a declined one), a
 * seminar-practicum of an association, a data request to every school (one answered late, some not at all), and a needs
 * survey answered by most educators (anonymous, with the requested
 * upskilling directions) beside a quick poll too small to show. Written through the mutations' functions.
 */
export async function seedHelpAndSurveys(trx: Knex): Promise<Record<string, number>> {
  const region: Scope = { kind: 'region' };
  const admin: Viewer = { role: 'region_admin' };
  const people: { id: string; organizationId: string; municipalityId: string; startedWorkOn: string | null }[] = await trx('staff_api.educator as e')
    .join(trx.raw(`(select distinct on (educator_id) educator_id, organization_id, municipality_id from staff_api.employment
      where ended_on is null order by educator_id, is_main_job desc, started_on) as m`), 'm.educator_id', 'e.id')
    .select('e.id', 'm.organization_id as organizationId', 'm.municipality_id as municipalityId', 'e.pedagogical_work_started_on as startedWorkOn')
    .orderBy([{ column: 'e.birth_date' }, { column: 'e.pedagogical_work_started_on' }, { column: 'e.id' }]);
  const counts = { helpRequests: 0, supportSessions: 0, surveys: 0, surveyAnswers: 0, dataRequests: 0 };
  if (people.length < 12) return counts;
  const municipalityId = people[0].municipalityId;
  const centre = people[people.length - 1].organizationId;
  const [methodist, methodist2] = people.filter((p) => p.organizationId === centre);
  const school = people.find((p) => p.organizationId !== centre)!.organizationId;
  const teachers = people.filter((p) => p.organizationId === school && p.id !== methodist.id && p.id !== methodist2.id);

  // A school asks how to set up mentoring; answered by a group consultation of five of its teachers and two guests.
  const asked = await writes.fileRequest(trx, admin, region, fileHelpRequestInput.parse({
    organizationId: school, topic: 'Внедрение целевой модели наставничества: с чего начать школе', subjectArea: 'Наставничество', kind: 'consultation', filedOn: '2026-10-01',
  }), '2026-10-01');
  await writes.assign(trx, region, asked.id, methodist.id, '2026-10-02');
  await writes.start(trx, region, asked.id);
  const group = await writes.recordSession(trx, region, sessionInput.parse({
    methodistId: methodist.id, heldOn: '2026-10-08', form: 'group_consultation', topic: 'Целевая модель наставничества в школе', organizationId: school,
    participantIds: teachers.slice(0, 5).map((t) => t.id), othersCount: 2, helpRequestId: asked.id,
  }));
  await writes.answer(trx, region, { id: asked.id, answer: 'Проведена групповая консультация для педагогического коллектива, переданы шаблоны программы наставничества', answeredOn: '2026-10-08', supportIds: [], supportSessionIds: [group] }, '2026-10-08');
  await writes.close(trx, admin, region, asked.id, '2026-10-15');
  await writes.rate(trx, { role: 'organization_admin', organizationId: school }, asked.id, 5, '2026-10-15');

  // An educator asks for help with attestation: assigned and in progress, past its due day.
  const attestation = await writes.fileRequest(trx, admin, region, fileHelpRequestInput.parse({
    educatorId: teachers[5].id, topic: 'Подготовка портфолио к аттестации на высшую категорию', kind: 'attestation', filedOn: '2026-10-20',
  }), '2026-10-20');
  await writes.assign(trx, region, attestation.id, methodist2.id, '2026-10-21');
  await writes.start(trx, region, attestation.id);
  // A parent asks by phone; new.
  await writes.fileRequest(trx, admin, region, fileHelpRequestInput.parse({
    municipalityId, outsider: { name: 'Сидорова Наталья Петровна', contact: '+7 914 000-12-34' }, topic: 'Как помочь ребёнку с дисграфией: консультация логопеда', kind: 'consultation', filedOn: '2026-11-25',
  }), '2026-11-25');
  // A request outside the service's remit, declined.
  const declined = await writes.fileRequest(trx, admin, region, fileHelpRequestInput.parse({
    educatorId: teachers[6].id, topic: 'Посетить урок физкультуры для оценки нагрузки', subjectArea: 'Физическая культура', kind: 'lesson_visit', filedOn: '2026-09-15',
  }), '2026-09-15');
  await writes.decline(trx, region, declined.id, 'Передано в управление образования: вопрос СанПиН, не методический', '2026-09-17');
  counts.helpRequests = 4;

  // A seminar-practicum of the first association, for its members.
  const association = await trx('method_association').where('municipality_id', municipalityId).orderBy('title').select('id').first();
  await writes.recordSession(trx, region, sessionInput.parse({
    methodistId: methodist2.id, municipalityId, heldOn: '2026-11-12', form: 'seminar_practicum', topic: 'Семинар-практикум «Формирующее оценивание на уроке»',
    participantIds: people.slice(10, 22).filter((p) => p.id !== methodist2.id).map((p) => p.id), othersCount: 3, associationId: association?.id ?? null,
  }));
  counts.supportSessions = 2;

  // The needs survey of the municipality (anonymous), answered by most educators.
  const competencies: { id: string }[] = await trx('competency').orderBy('code').select('id');
  const directions = ['Функциональная грамотность', 'Обновлённые ФОП', 'Цифровые инструменты педагога', 'Работа с детьми с ОВЗ', 'Подготовка к ГИА'];
  const needs = await surveys.createSurvey(trx, region, surveyInput.parse({
    title: 'Мониторинг профессиональных потребностей педагогов 2026/2027', municipalityId, isAnonymous: true, opensOn: '2026-10-01', closesOn: '2026-12-31',
    description: 'Выявление запроса на направления повышения квалификации (001, 3.3.1)',
    questions: [
      { kind: 'multiple', text: 'По каким направлениям вы хотели бы повысить квалификацию?', options: directions, isUpskillingDirection: true },
      { kind: 'competency', text: 'Какие профессиональные компетенции вы хотели бы развить?', isUpskillingDirection: true },
      { kind: 'scale', text: 'Насколько вам хватает методической помощи (1 – совсем нет, 5 – полностью)?', scaleMin: 1, scaleMax: 5 },
      { kind: 'text', text: 'Какие затруднения в работе вы испытываете?' },
    ],
  }));
  const questions: { id: string }[] = await trx('survey_question').where('survey_id', needs).orderBy('position').select('id');
  for (const [i, person] of people.entries()) {
    if (i % 5 === 4) continue;
    const answers = [
      { questionId: questions[0].id, choices: [directions[i % 3 === 0 ? 0 : 2], ...(i % 4 === 0 ? [directions[3]] : [])] },
      { questionId: questions[1].id, competencyIds: [competencies[i % 3].id] },
      { questionId: questions[2].id, scaleValue: 2 + (i % 4) },
      ...(i % 7 === 0 ? [{ questionId: questions[3].id, text: i % 2 ? 'Не хватает времени на подготовку к урокам' : 'Сложно работать с детьми с ОВЗ в общем классе' }] : []),
    ];
    await surveys.answerSurvey(trx, person.id, needs, answers, '2026-10-15');
    counts.surveyAnswers += 1;
  }
  // A quick poll with three answers: "too few" in the results.
  const early = await surveys.createSurvey(trx, region, surveyInput.parse({
    title: 'Экспресс-опрос: нужен ли вам наставник', municipalityId, isAnonymous: true, opensOn: '2026-11-01', closesOn: '2026-11-30',
    questions: [{ kind: 'single', text: 'Нужен ли вам наставник?', options: ['да', 'нет', 'уже есть'] }],
  }));
  const [question] = await trx('survey_question').where('survey_id', early).select('id');
  for (const [i, person] of people.slice(0, 3).entries()) {
    await surveys.answerSurvey(trx, person.id, early, [{ questionId: question.id, choices: [['да', 'уже есть', 'да'][i]] }], '2026-11-10');
    counts.surveyAnswers += 1;
  }
  counts.surveys = 2;

  // A data request to every school, due 2026-11-30: two schools submitted, one of them late; the others have not.
  const request = await dataRequests.createRequest(trx, region, dataRequestInput.parse({
    title: 'Сведения о молодых специалистах и наставниках на 01.11.2026', municipalityId, organizationKind: 'school', dueOn: '2026-11-30',
    description: 'Число молодых специалистов и закреплённых за ними наставников; приложить приказ о наставничестве', fields: ['Молодых специалистов', 'Из них с наставником'],
  }), '2026-11-01');
  const schools: { organization_id: string }[] = await trx('data_request_target').where('request_id', request.id).orderBy('organization_id').select('organization_id');
  for (const [i, target] of schools.slice(0, 2).entries()) {
    await dataRequests.submit(trx, region, submissionInput.parse({
      requestId: request.id, organizationId: target.organization_id, link: `https://partizansk-edu.example/docs/mentoring-${i + 1}.pdf`,
      figures: [{ field: 'Молодых специалистов', value: 3 + i }, { field: 'Из них с наставником', value: 2 + i }],
    }), i === 0 ? '2026-11-20' : '2026-12-02');
  }
  counts.dataRequests = 1;
  return counts;
}
