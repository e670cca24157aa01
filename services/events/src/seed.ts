import type { Knex } from 'knex';
import type { Scope, Viewer } from '@mms/platform';
import * as competitions from './competitions';
import * as events from './events';
import * as olympiads from './olympiads';
import * as plans from './plans';
import { seedAnnouncements } from './announcements/seed';

/**
 * Demo data for `npm start`, on top of staff's demo municipality (read through staff_api): a year of events with
 * registrations, a waiting list and attendance; the competition «Педагог года — 2026» with two stages, a jury (a juror
 * outside the registry, a declared conflict, a juror who abstains for their own school), both stages closed so that
 * the results show; olympiad stages with support tasks; the annual plan 2025/2026 linked to what took place.
 * Written through the subgraph's own rules, deterministic (people are chosen by their published facts, not by id).
 */
export async function isEmpty(db: Knex): Promise<boolean> {
  const [{ count }] = await db('event').count({ count: '*' });
  const [{ count: competitionsCount }] = await db('competition').count({ count: '*' });
  return Number(count) === 0 && Number(competitionsCount) === 0;
}

const at = (local: string, offset: string) => new Date(`${local}${offset}`);

export async function seedDemo(trx: Knex): Promise<{ events: number; competitions: number; stages: number; olympiads: number; activities: number; announcements?: number }> {
  const municipality = await trx('staff_api.municipality').first('id', 'time_zone as timeZone').orderBy('oktmo');
  if (!municipality) return { events: 0, competitions: 0, stages: 0, olympiads: 0, activities: 0 };
  const region: Scope = { kind: 'region' };
  const admin: Viewer = { role: 'region_admin', subject: 'demo-seed' };
  const offset = '+10:00'; // Partizansk (Asia/Vladivostok)
  const orgs: { id: string; kind: string; shortName: string }[] = await trx('staff_api.organization')
    .select('id', 'kind', 'short_name as shortName').where('municipality_id', municipality.id).orderBy('name');
  const byName = (part: string) => orgs.find((o) => o.shortName.includes(part))!;
  const centre = orgs.find((o) => o.kind === 'methodological_centre') ?? orgs[0];
  // Educators with their main job, in an order fixed by their published facts.
  const people: { educatorId: string; organizationId: string }[] = await trx('staff_api.employment as e')
    .join('staff_api.educator as p', 'p.id', 'e.educator_id')
    .select('e.educator_id as educatorId', 'e.organization_id as organizationId')
    .where('e.municipality_id', municipality.id).where('e.is_main_job', true).whereNull('e.ended_on').where('e.started_on', '<=', '2025-12-01')
    .orderBy(['p.birth_date', 'p.pedagogical_work_started_on', 'e.position']);
  const workingAt = (organizationId: string) => people.filter((p) => p.organizationId === organizationId).map((p) => p.educatorId);

  // ---- events ----
  const event = (input: Omit<Parameters<typeof events.createEvent>[2], 'municipalityId'>) =>
    events.createEvent(trx, region, { municipalityId: municipality.id, ...input });
  const readings = await event({
    kind: 'pedagogical_readings', level: 'municipal', title: 'Городские педагогические чтения «Современный урок: опыт и поиск»',
    startsAt: at('2025-11-14T10:00:00', offset), endsAt: at('2025-11-14T15:00:00', offset), venueOrganizationId: centre.id,
    organizerOrganizationId: centre.id, audience: 'учителя, воспитатели, педагоги дополнительного образования', isInRegionalCalendar: true, capacity: 40,
  });
  const seminar = await event({
    kind: 'seminar', level: 'municipal', title: 'Семинар «Функциональная грамотность на уроках естественнонаучного цикла»',
    startsAt: at('2026-02-18T14:00:00', offset), endsAt: at('2026-02-18T16:30:00', offset), venueOrganizationId: byName('Гимназия').id,
    organizerOrganizationId: centre.id, audience: 'учителя физики, химии, биологии', capacity: 3, hasWaitingList: true,
  });
  const webinar = await event({
    kind: 'webinar', level: 'regional', title: 'Вебинар «Наставничество: целевая модель в образовательной организации»',
    startsAt: at('2026-03-05T15:00:00', offset), endsAt: at('2026-03-05T16:30:00', offset), onlineUrl: 'https://edu.example/webinar/mentoring',
    audience: 'наставники и молодые педагоги', isInRegionalCalendar: true,
  });
  const networked = await event({
    kind: 'networked_event', level: 'municipal', title: 'Сетевой квест «Читаем вместе» (школы и детские сады)',
    startsAt: at('2026-04-10T09:00:00', offset), endsAt: at('2026-04-10T13:00:00', offset), venueOrganizationId: byName('ДДТ').id,
    organizerOrganizationId: byName('ДДТ').id, audience: 'учителя начальных классов, воспитатели',
  });
  const cancelled = await event({
    kind: 'master_class', level: 'organization', title: 'Мастер-класс «Интерактивная доска в детском саду»',
    startsAt: at('2026-05-20T10:00:00', offset), endsAt: at('2026-05-20T11:30:00', offset), venueOrganizationId: byName('ДС № 12').id,
    organizerOrganizationId: byName('ДС № 12').id, audience: 'воспитатели',
  });
  const forum = await event({
    kind: 'forum', level: 'regional', title: 'Краевой форум молодых педагогов',
    startsAt: at('2027-01-28T10:00:00', offset), endsAt: at('2027-01-29T17:00:00', offset), venueOrganizationId: centre.id,
    audience: 'молодые педагоги (первые три года работы)', isInRegionalCalendar: true, capacity: 2, hasWaitingList: true,
  });
  const conference = await event({
    kind: 'conference', level: 'municipal', title: 'Научно-практическая конференция «Образование: территория роста»',
    startsAt: at('2027-03-25T10:00:00', offset), endsAt: at('2027-03-25T16:00:00', offset), venueOrganizationId: byName('СОШ № 1').id,
    organizerOrganizationId: centre.id, isInRegionalCalendar: true, audience: 'педагогические и управленческие кадры',
  });
  // issue 20: a meeting of a city method association; who attended counts for indicator 9 (one registered, absent)
  const meeting = await event({
    kind: 'association_meeting', level: 'municipal', title: 'Заседание ГМО учителей начальных классов «Функциональная грамотность младших школьников»',
    startsAt: at('2026-01-22T14:00:00', offset), endsAt: at('2026-01-22T16:00:00', offset), venueOrganizationId: centre.id,
    organizerOrganizationId: centre.id, audience: 'учителя начальных классов',
  });
  const allEvents = [readings, seminar, webinar, networked, cancelled, forum, conference, meeting];

  const register = (eventId: string, educatorId: string, role = 'listener') => events.registerForEvent(trx, admin, { eventId, educatorId, role });
  for (const [i, person] of people.slice(0, 12).entries()) await register(readings.id, person.educatorId, i < 3 ? 'speaker' : 'listener');
  for (const person of people.slice(12, 17)) await register(seminar.id, person.educatorId); // 3 seats: two wait
  await register(seminar.id, people[17].educatorId, 'speaker');
  for (const person of people.slice(18, 30)) await register(webinar.id, person.educatorId);
  for (const [i, person] of people.slice(30, 42).entries()) await register(networked.id, person.educatorId, i === 0 ? 'organizer' : 'listener');
  await register(cancelled.id, people[42].educatorId, 'master_class_host');
  for (const person of people.slice(43, 47)) await register(forum.id, person.educatorId); // 2 seats: two wait
  await events.cancelRegistration(trx, admin, seminar.id, people[13].educatorId); // the first on the waiting list moves up
  for (const [done, attendees] of [[readings, people.slice(0, 11)], [seminar, [people[12], people[14], people[17]]], [webinar, people.slice(18, 28)],
    [networked, people.slice(30, 42)]] as const) {
    await events.markAttendance(trx, region, done.id, attendees.map((p) => p.educatorId), true);
    await events.setEventStatus(trx, region, done.id, 'held');
  }
  await events.setEventStatus(trx, region, cancelled.id, 'cancelled');
  for (const person of people.slice(47, 56)) await register(meeting.id, person.educatorId);
  await events.markAttendance(trx, region, meeting.id, people.slice(47, 55).map((p) => p.educatorId), true);
  await events.setEventStatus(trx, region, meeting.id, 'held');

  // ---- the competition ----
  const competition = await competitions.createCompetition(trx, region, {
    title: 'Педагог года — 2026', level: 'municipal', municipalityId: municipality.id, year: 2026,
    description: 'Муниципальный конкурс профессионального мастерства', nominations: ['Учитель года', 'Воспитатель года'],
    stages: [
      { title: 'Заочный этап', startsOn: '2026-01-21', endsOn: '2026-02-10', applicationDeadline: '2026-01-20', winnerPlaces: 0, prizeWinnerPlaces: 0, advanceCount: 2,
        criteria: [{ title: 'Методическое портфолио', scaleMin: 0, scaleMax: 10, weight: 1 }, { title: 'Эссе «Я — педагог»', scaleMin: 0, scaleMax: 5, weight: 2 }] },
      { title: 'Очный финал', startsOn: '2026-03-10', endsOn: '2026-03-12', winnerPlaces: 1, prizeWinnerPlaces: 2,
        criteria: [{ title: 'Открытый урок (занятие)', scaleMin: 0, scaleMax: 20, weight: 2 }, { title: 'Мастер-класс', scaleMin: 0, scaleMax: 10, weight: 1 }] },
    ],
  });
  const [stage1, stage2] = await trx('stage').select('id').where('competition_id', competition.id).orderBy('ordinal');
  const nominations = await trx('nomination').select('id', 'title').where('competition_id', competition.id);
  const teacherNomination = nominations.find((n) => n.title === 'Учитель года')!;
  const kindergartenNomination = nominations.find((n) => n.title === 'Воспитатель года')!;
  const schools = orgs.filter((o) => o.kind === 'school').map((o) => o.id);
  const kindergartens = orgs.filter((o) => o.kind === 'kindergarten').map((o) => o.id);
  const teachers = people.filter((p) => schools.includes(p.organizationId)).slice(0, 5);
  const carers = people.filter((p) => kindergartens.includes(p.organizationId)).slice(0, 3);
  const applications: Awaited<ReturnType<typeof competitions.fileApplication>>[] = [];
  for (const [nominationId, applicants] of [[teacherNomination.id, teachers], [kindergartenNomination.id, carers]] as const) {
    for (const [i, person] of applicants.entries()) {
      const application = await competitions.fileApplication(trx, admin, {
        nominationId, educatorId: person.educatorId, filedOn: `2026-01-${String(10 + i).padStart(2, '0')}`, title: null,
      });
      await competitions.reviewApplication(trx, region, application.id, 'accepted');
      applications.push(application);
    }
  }
  // The jury: two methodologists of the centre, a school deputy head (who abstains for her own school) and an outside expert.
  const centreStaff = workingAt(centre.id);
  const schoolJuror = people.find((p) => p.organizationId === teachers[0].organizationId && !teachers.some((t) => t.educatorId === p.educatorId))!;
  const jurorViewers: Viewer[] = [];
  for (const stage of [stage1, stage2]) {
    await competitions.addJuryMember(trx, region, stage.id, { educatorId: centreStaff[0], isChair: true });
    await competitions.addJuryMember(trx, region, stage.id, { educatorId: centreStaff[1] });
    await competitions.addJuryMember(trx, region, stage.id, { subject: 'expert-kuzmina', fullName: 'Кузьмина Ирина Павловна' });
    if (stage === stage1) await competitions.addJuryMember(trx, region, stage.id, { educatorId: schoolJuror.educatorId });
  }
  jurorViewers.push({ role: 'educator', educatorId: centreStaff[0], subject: 'demo-juror-1' }, { role: 'educator', educatorId: centreStaff[1], subject: 'demo-juror-2' },
    { role: 'educator', subject: 'expert-kuzmina' }, { role: 'educator', educatorId: schoolJuror.educatorId, subject: 'demo-juror-4' });
  // The outside expert knows one kindergarten applicant personally and declares it.
  await competitions.declareConflict(trx, jurorViewers[2], stage1.id, applications[5].id, 'наставник участницы в 2024 году');

  const scoreStage = async (stageId: string, jurors: Viewer[]) => {
    const criteria = await trx('criterion').select('id', 'scale_max as max').where('stage_id', stageId).orderBy('ordinal');
    const entrants = (await trx('stage_result as r').join('stage as s', 's.id', 'r.stage_id').select('r.application_id as id')
      .where('s.competition_id', competition.id).where('s.ordinal', 1).where('r.is_advanced', true));
    const ids = stageId === stage1.id ? applications.map((a) => a.id) : entrants.map((e) => e.id);
    for (const [j, juror] of jurors.entries()) {
      for (const [k, applicationId] of ids.entries()) {
        const declared = await trx('conflict_declaration as d').join('jury_member as m', 'm.id', 'd.jury_member_id')
          .first('d.id').where('m.stage_id', stageId).where('d.application_id', applicationId).where((q) => {
            if (juror.educatorId) q.orWhere('m.educator_id', juror.educatorId);
            q.orWhere('m.subject', juror.subject!);
          });
        const own = (await trx('application').first('organization_id').where('id', applicationId)).organization_id === teachers[0].organizationId
          && juror.educatorId === schoolJuror.educatorId;
        if (declared || own) continue;
        await competitions.scoreApplication(trx, juror, { stageId, applicationId, scores: criteria.map((c: { id: string; max: number }, n: number) => ({
          criterionId: c.id, value: Math.max(0, c.max - ((k * 3 + j + n * 2) % 5)),
        })) });
      }
    }
  };
  await scoreStage(stage1.id, jurorViewers);
  await competitions.closeStage(trx, region, stage1.id);
  await scoreStage(stage2.id, jurorViewers.slice(0, 3));
  await competitions.closeStage(trx, region, stage2.id);

  // ---- olympiads ----
  const schoolIds = schools;
  const olympiadTasks = (responsible: string) => [
    { title: 'Сформировать состав жюри и апелляционной комиссии', responsibleId: responsible, dueOn: '2025-09-20' },
    { title: 'Подготовить аудитории и организаторов в пунктах проведения', responsibleId: responsible, dueOn: '2025-10-01' },
    { title: 'Свести протоколы и передать результаты в регион', responsibleId: responsible, dueOn: '2025-11-30' },
  ];
  const math = await olympiads.createOlympiad(trx, region, {
    subject: 'Математика', stage: 'school', academicYear: '2025/2026', municipalityId: municipality.id, startsOn: '2025-10-07', endsOn: '2025-10-07',
    description: 'Школьный этап всероссийской олимпиады школьников', venueOrganizationIds: schoolIds, tasks: olympiadTasks(centreStaff[0]),
  });
  await olympiads.createOlympiad(trx, region, {
    subject: 'Русский язык', stage: 'municipal', academicYear: '2025/2026', municipalityId: municipality.id, startsOn: '2025-11-18', endsOn: '2025-11-18',
    description: 'Муниципальный этап всероссийской олимпиады школьников', venueOrganizationIds: [byName('Гимназия').id], tasks: olympiadTasks(centreStaff[1]),
  });
  const mathTasks = await trx('olympiad_task').select('id').where('olympiad_id', math.id).orderBy('due_on');
  await olympiads.completeOlympiadTask(trx, region, mathTasks[0].id, '2025-09-18');
  await olympiads.completeOlympiadTask(trx, region, mathTasks[1].id, '2025-10-01');

  // ---- the annual plan ----
  const plan = await plans.createAnnualPlan(trx, region, {
    municipalityId: municipality.id, academicYear: '2025/2026', title: 'План работы муниципальной методической службы на 2025/2026 учебный год',
    approvedOn: '2025-08-29', activities: [
      { kind: 'pedagogical_readings', title: 'Городские педагогические чтения', month: 11, responsibleId: centreStaff[0], calendarEventId: readings.id },
      { kind: 'seminar', title: 'Семинар по функциональной грамотности', month: 2, responsibleId: centreStaff[1] },
      { kind: 'competition', title: 'Конкурс «Педагог года — 2026»', month: 3, responsibleId: centreStaff[0] },
      { kind: 'webinar', title: 'Участие в региональном вебинаре по наставничеству', month: 3, calendarEventId: webinar.id },
      { kind: 'networked_event', title: 'Сетевое мероприятие школ и детских садов', month: 4 },
      { kind: 'master_class', title: 'Мастер-классы педагогов детских садов', month: 5 },
      { kind: 'olympiad', title: 'Школьный и муниципальный этапы ВсОШ', month: 10, responsibleId: centreStaff[0] },
    ],
  });
  const activities = await trx('plan_activity').select('id', 'title').where('plan_id', plan.id);
  const link = (title: string, eventId: string) => plans.linkActivityEvent(trx, region, activities.find((a) => a.title.startsWith(title))!.id, eventId);
  await link('Городские педагогические чтения', readings.id);
  await link('Семинар по функциональной', seminar.id);
  await link('Участие в региональном', webinar.id);
  await link('Сетевое мероприятие', networked.id);
  await link('Мастер-классы', cancelled.id);
  // issue 19: the service's announcements
  const announcements = await seedAnnouncements(trx, municipality.id);
  return { events: allEvents.length, competitions: 1, stages: 2, olympiads: 2, activities: activities.length, announcements };
}
