import type { Knex } from 'knex';
import type { Scope } from '@mms/platform';
import * as community from './community';
import * as development from './development';
import { seedHelpAndSurveys } from './help/seed';
import { seedAssociationRequestsAndRoleSurveys } from './help/seed-association';
import { seedCourses } from './courses/seed';
import { seedInternships } from './internships/seed';
import { seedSelfEducation } from './self-education/seed';
import { assignTemplateInput } from './validate';
import { seedKnowledge } from './practices/seed';

/**
 * Demo data for `npm start`, over the staff subgraph's demo municipality (read through staff_api): the competency
 * framework, programs, diagnostics and re-diagnoses, completions over seven years, routes in every status, a cohort
 * template, mentoring pairs, support, method associations with members, plans and publications, the council and
 * complaints. Deterministic, and written through the same functions as the mutations, so every rule holds.
 */

const competencies = [
  { code: 'П-1', title: 'Предметные знания и их актуализация', group: 'предметные' },
  { code: 'П-2', title: 'Подготовка обучающихся к олимпиадам и ГИА', group: 'предметные' },
  { code: 'М-1', title: 'Проектирование урока по ФГОС', group: 'методические' },
  { code: 'М-2', title: 'Формирующее оценивание', group: 'методические' },
  { code: 'М-3', title: 'Функциональная грамотность обучающихся', group: 'методические' },
  { code: 'ПП-1', title: 'Работа с обучающимися с ОВЗ', group: 'психолого-педагогические' },
  { code: 'ПП-2', title: 'Профилактика деструктивного поведения', group: 'психолого-педагогические' },
  { code: 'К-1', title: 'Цифровая образовательная среда', group: 'коммуникативные и цифровые' },
];

const programs: { kind: 'upskilling' | 'retraining'; title: string; hours: number; format: 'in_person' | 'distance' | 'blended'; registryNumber: string | null; providerName: string; providerInn: string; codes: string[] }[] = [
  { kind: 'upskilling', title: 'Реализация требований обновлённых ФГОС ООО, ФГОС СОО в работе учителя', hours: 36, format: 'distance', registryNumber: 'ФР-2023-0412', providerName: 'ФГАОУ ДПО «Академия Минпросвещения России»', providerInn: '7718053292', codes: ['М-1', 'М-2'] },
  { kind: 'upskilling', title: 'Школа современного учителя: развитие функциональной грамотности', hours: 56, format: 'blended', registryNumber: 'ФР-2022-0199', providerName: 'ФГАОУ ДПО «Академия Минпросвещения России»', providerInn: '7718053292', codes: ['М-3', 'П-1'] },
  { kind: 'upskilling', title: 'Инклюзивное образование детей с ОВЗ в условиях ФГОС', hours: 72, format: 'distance', registryNumber: 'ФР-2023-0777', providerName: 'ГАУ ДПО «Приморский краевой институт развития образования»', providerInn: '2536028640', codes: ['ПП-1'] },
  { kind: 'upskilling', title: 'Цифровые инструменты педагога', hours: 24, format: 'distance', registryNumber: null, providerName: 'ГАУ ДПО «Приморский краевой институт развития образования»', providerInn: '2536028640', codes: ['К-1'] },
  { kind: 'upskilling', title: 'Подготовка обучающихся к олимпиадам по математике', hours: 72, format: 'in_person', registryNumber: 'ФР-2024-0031', providerName: 'ФГАОУ ВО «Дальневосточный федеральный университет»', providerInn: '2536014538', codes: ['П-2'] },
  { kind: 'retraining', title: 'Педагогика и методика дошкольного образования', hours: 520, format: 'distance', registryNumber: null, providerName: 'АНО ДПО «Институт современного образования»', providerInn: '3662995870', codes: [] },
];

export async function isEmpty(db: Knex): Promise<boolean> {
  const [{ count }] = await db('competency').count({ count: '*' });
  return Number(count) === 0;
}

interface Person { id: string; organizationId: string; municipalityId: string; startedWorkOn: string | null }

export async function seedDemo(trx: Knex): Promise<Record<string, number>> {
  const region: Scope = { kind: 'region' };
  // staff's demo educators, in a stable order (no names here: birth date, start of work, id)
  const people: Person[] = await trx('staff_api.educator as e')
    .join(trx.raw(`(select distinct on (educator_id) educator_id, organization_id, municipality_id from staff_api.employment
      where ended_on is null order by educator_id, is_main_job desc, started_on) as m`), 'm.educator_id', 'e.id')
    .select('e.id', 'm.organization_id as organizationId', 'm.municipality_id as municipalityId', 'e.pedagogical_work_started_on as startedWorkOn')
    .orderBy([{ column: 'e.birth_date' }, { column: 'e.pedagogical_work_started_on' }, { column: 'e.id' }]);
  const counts: Record<string, number> = { competencies: 0, programs: 0, diagnostics: 0, completions: 0, routes: 0, mentorships: 0, supports: 0, associations: 0, publications: 0, complaints: 0 };
  if (!people.length) return counts;
  const municipalityId = people[0].municipalityId;

  const framework = new Map<string, string>();
  for (const [i, c] of competencies.entries()) {
    const row = await development.createCompetency(trx, region, { ...c, scaleMin: 0, scaleMax: 100, threshold: i % 3 === 0 ? 65 : 60 });
    framework.set(c.code, row.id);
  }
  counts.competencies = framework.size;
  const programIds: string[] = [];
  for (const p of programs) {
    programIds.push((await development.createProgram(trx, { ...p, competencyIds: p.codes.map((code) => framework.get(code)!) })).id);
  }
  counts.programs = programIds.length;

  // Diagnostics: two thirds of the educators in October 2024, half of them again in October 2025 (scores moved).
  const codes = [...framework.keys()];
  const diagnosticsOf = new Map<string, { id: string; deficits: string[] }>();
  const firstDiagnosticOf = new Map<string, { id: string; deficits: string[] }>();
  for (const [i, person] of people.entries()) {
    if (i % 3 === 2) continue;
    const score = (round: number, k: number) => Math.min(100, 35 + ((i * 17 + k * 23 + round * 19) % 60));
    for (const round of i % 2 === 0 ? [0, 1] : [0]) {
      const scores = codes.map((code, k) => ({ competencyId: framework.get(code)!, score: score(round, k) }));
      const diagnostic = await development.recordDiagnostic(trx, region, {
        educatorId: person.id, takenOn: `${2024 + round}-10-${String(10 + (i % 15)).padStart(2, '0')}`,
        instrument: 'Диагностика профессиональных компетенций (ЕФС)', providerName: 'ФГАОУ ДПО «Академия Минпросвещения России»', scores,
      });
      counts.diagnostics += 1;
      const thresholds = codes.map((_, k) => (k % 3 === 0 ? 65 : 60));
      const found = { id: diagnostic.id, deficits: codes.filter((_, k) => scores[k].score < thresholds[k]).map((code) => framework.get(code)!) };
      diagnosticsOf.set(person.id, found);
      if (round === 0) firstDiagnosticOf.set(person.id, found);
    }
  }

  // Completions from 2019 to 2025: some educators have none or an old one (upskilling due), some chose from diagnostics.
  for (const [i, person] of people.entries()) {
    if (i % 9 === 8) continue;
    const year = 2019 + (i % 7);
    const program = programs[i % 5];
    const programId = programIds[i % 5];
    const diagnostic = firstDiagnosticOf.get(person.id);
    const fromDiagnostic = year >= 2025 && diagnostic?.deficits.some((d) => program.codes.map((c) => framework.get(c)).includes(d));
    await development.recordCompletion(trx, region, {
      educatorId: person.id, programId, startedOn: `${year}-03-01`, completedOn: `${year}-0${3 + (i % 2)}-28`,
      certificateNumber: `2532-${year}-${String(1000 + i)}`, diagnosticId: fromDiagnostic ? diagnostic!.id : null,
    });
    counts.completions += 1;
  }
  await development.recordCompletion(trx, region, {
    educatorId: people[5].id, programId: programIds[5], startedOn: '2022-09-01', completedOn: '2023-05-31', certificateNumber: 'ПП-2023-0042',
  });
  counts.completions += 1;

  // Routes: drafted from the latest diagnostics; most activated, some items done, two completed, one abandoned.
  const year = { periodFrom: '2026-09-01', periodTo: '2027-08-31' };
  let r = 0;
  for (const [personId, diagnostic] of diagnosticsOf) {
    if (!diagnostic.deficits.length || r >= 16) continue;
    const route = await development.draftRouteFromDiagnostic(trx, region, { diagnosticId: diagnostic.id, ...year });
    counts.routes += 1;
    r += 1;
    if (r % 8 === 0) continue; // a few stay drafts
    await development.moveRoute(trx, region, route.id, 'activate', '2026-09-10');
    const items = await trx('route_item').where('route_id', route.id).orderBy('position').select('id');
    if (r % 3 === 0) await development.changeRouteItem(trx, region, items[0].id, { done: '2026-11-10' });
    if (r === 4 || r === 5) {
      for (const [k, item] of items.entries()) {
        if (k === 0 && r % 3 === 0) continue;
        await development.changeRouteItem(trx, region, item.id, k === items.length - 1 && items.length > 1 ? { drop: 'Программа перенесена провайдером' } : { done: '2026-11-15' });
      }
      await development.moveRoute(trx, region, route.id, 'complete', '2026-11-20');
    }
    if (r === 7) await development.moveRoute(trx, region, route.id, 'abandon', '2026-10-01', 'Длительный больничный');
    void personId;
  }

  // A cohort template: every early-career educator of the municipality this year; those with a route are left alone.
  const template = await development.createRouteTemplate(trx, region, {
    title: 'ИОМ молодого специалиста', municipalityId,
    items: [
      { activityKind: 'mentoring', title: 'Наставничество: посещение уроков наставника' },
      { activityKind: 'master_class', title: 'Мастер-классы «Школы молодого педагога»' },
      { activityKind: 'program', title: programs[3].title, programId: programIds[3] },
    ],
  });
  const assigned = await development.assignRouteTemplate(trx, region, assignTemplateInput.parse({ templateId: template.id, municipalityId, ...year, earlyCareerOnly: true, activate: true }));
  counts.routes += assigned.createdIds.length;

  // Mentoring: early-career educators get an experienced mentor, except one (so "without a mentor" has an answer).
  const earlyCareer = people.filter((p) => p.startedWorkOn && p.startedWorkOn >= '2023-09-01');
  const experienced = people.filter((p) => p.startedWorkOn && p.startedWorkOn <= '2005-09-01');
  for (const [i, mentee] of earlyCareer.slice(0, Math.max(0, earlyCareer.length - 1)).entries()) {
    await community.startMentorship(trx, region, {
      mentorId: experienced[i % experienced.length].id, menteeId: mentee.id, form: 'experienced_young_specialist', startedOn: '2026-09-01', endedOn: null,
    });
    counts.mentorships += 1;
  }
  const ended = await community.startMentorship(trx, region, {
    mentorId: experienced[0].id, menteeId: people[10].id, form: 'teacher_teacher', startedOn: '2024-09-01', endedOn: null,
  });
  await community.endMentorship(trx, region, ended.id, '2025-05-31', 'Подготовлен открытый урок, получена первая категория');
  counts.mentorships += 1;

  // Targeted support from the methodological centre's methodists.
  const methodists = people.filter((p) => p.organizationId === people[people.length - 1].organizationId).slice(0, 2);
  const forms = ['consultation', 'lesson_visit', 'association_meeting', 'seminar'] as const;
  for (const [i, person] of people.entries()) {
    if (i % 3 !== 0 || methodists.some((m) => m.id === person.id)) continue;
    await community.recordSupport(trx, region, {
      methodistId: methodists[i % methodists.length].id, educatorId: person.id, givenOn: `2026-${String(9 + (i % 3)).padStart(2, '0')}-${String(5 + (i % 20)).padStart(2, '0')}`,
      form: forms[i % forms.length], topic: i % 2 ? 'Проектирование урока по ФГОС' : 'Подготовка к аттестации', followUp: i % 4 === 0 ? 'Повторное посещение урока в декабре' : null,
    });
    counts.supports += 1;
  }

  // Method associations (ГМО of seed 000 and one school's ШМО), members, plans and publications.
  const associations = [
    { level: 'municipal', subjectArea: 'Математика', title: 'ГМО учителей математики' },
    { level: 'municipal', subjectArea: 'Русский язык и литература', title: 'ГМО учителей русского языка и литературы' },
    { level: 'municipal', subjectArea: 'Дошкольное образование', title: 'ГМО воспитателей ДОУ' },
    { level: 'organization', subjectArea: 'Начальные классы', title: 'ШМО учителей начальных классов' },
  ] as const;
  for (const [a, spec] of associations.entries()) {
    const members = people.filter((_, i) => i % associations.length === a).slice(0, 8);
    const organizationId = spec.level === 'organization' ? members[0].organizationId : null;
    const association = await community.createAssociation(trx, region, { ...spec, municipalityId, organizationId, leaderId: members[0].id });
    counts.associations += 1;
    for (const [m, member] of members.entries()) {
      if (organizationId && member.organizationId !== organizationId && m > 0) continue;
      await community.addMember(trx, region, { associationId: association.id, educatorId: member.id, joinedOn: m < 5 ? '2024-09-01' : '2025-09-01', leftOn: m === 7 ? '2026-06-30' : null });
    }
    const plan = await community.createPlan(trx, region, {
      associationId: association.id, academicYear: '2025/2026', adoptedOn: a === 2 ? null : '2025-09-05',
      items: ['Заседание: анализ результатов ГИА', 'Открытые уроки молодых педагогов', 'Семинар по функциональной грамотности', 'Итоговое заседание'].map((title, k) => ({ title, plannedOn: ['2025-09-25', '2025-12-10', '2026-02-18', '2026-05-27'][k] })),
    });
    const items = await trx('association_plan_item').where('plan_id', plan.id).orderBy('planned_on').select('id', 'planned_on');
    for (const item of items.slice(0, a === 1 ? 2 : 4)) await community.markPlanItemDone(trx, region, item.id, item.planned_on);
    await community.createPlan(trx, region, { associationId: association.id, academicYear: '2026/2027', adoptedOn: '2026-09-04', items: [{ title: 'Заседание: планирование года', plannedOn: '2026-09-24' }] });
    // ГМО of mathematics publishes every month; the others less often (seed 000, 4.3)
    const months = a === 0 ? 15 : a === 1 ? 6 : 3;
    for (let k = 0; k < months; k += 1) {
      const month = 9 + k * (a === 0 ? 1 : Math.floor(15 / months));
      const y = 2025 + Math.floor((month - 1) / 12);
      const mm = String(((month - 1) % 12) + 1).padStart(2, '0');
      await community.recordPublication(trx, region, {
        associationId: association.id, publishedOn: `${y}-${mm}-${String(12 + a).padStart(2, '0')}`,
        title: `${spec.title}: новости за ${mm}.${y}`, url: `https://partizansk-edu.example/news/${a}-${y}-${mm}`,
      });
      counts.publications += 1;
    }
  }

  const council = await community.createCouncil(trx, region, { municipalityId, title: 'Методический совет МКУ «Центр развития образования»' });
  for (const [heldOn, agenda] of [['2025-09-10', 'Утверждение плана работы на 2025/2026 учебный год'], ['2026-01-21', 'Итоги диагностики профессиональных компетенций'], ['2026-09-09', 'Утверждение плана работы на 2026/2027 учебный год']]) {
    await community.recordMeeting(trx, region, { councilId: council.id, heldOn, agenda, decisions: 'Принять к сведению и утвердить', minutesNumber: `${heldOn.slice(0, 4)}-${heldOn.slice(5, 7)}` });
  }

  const complaint = await community.recordComplaint(trx, region, {
    receivedOn: '2026-02-03', municipalityId, organizationId: people[2].organizationId, educatorId: people[2].id, subject: 'Не получено удостоверение о повышении квалификации',
  });
  await community.resolveComplaint(trx, region, complaint.id, { resolvedOn: '2026-02-17', resolution: 'Удостоверение выдано, провайдер уведомлён', isUpheld: true });
  await community.recordComplaint(trx, region, { receivedOn: '2026-11-12', municipalityId, subject: 'Просьба перенести семинар на вечернее время' });
  counts.complaints = 2;
  // ---- help requests, support sessions, surveys (issue 20) ----
  Object.assign(counts, await seedHelpAndSurveys(trx));
  Object.assign(counts, await seedAssociationRequestsAndRoleSurveys(trx));
  Object.assign(counts, await seedCourses(trx, people, programIds, municipalityId));
  Object.assign(counts, await seedInternships(trx, people));
  Object.assign(counts, await seedSelfEducation(trx, people));
  // issue 19: practices and materials
  Object.assign(counts, await seedKnowledge(trx));
  return counts;
}
