/**
 * The catalog of the 15 effectiveness indicators (seeds 002, section 4.1 and 004, section 6.1; docs/coverage.md rows 135–152), with every
 * choice the computation makes written out: who is counted, what the numerator counts, which records of the academic
 * year count. The SQL that implements each entry is in store/indicator-sql.ts; README.md repeats the choices.
 *
 * Shared rule (the population): the educators of a scope for an academic year are those employed in the scope at any
 * time during the year (staff_api.employed_during over 1 September – 31 August), pedagogical and managerial staff
 * alike, each counted once per scope however many employments they had there. A region or municipality counts an
 * educator employed in two of its organizations once; an employment that ended mid-year still counts for that year.
 */
export type IndicatorKind = 'share' | 'count' | 'ratio' | 'yes_no';

export interface IndicatorDefinition {
  /** The SQL (snake_case) value of the GraphQL enum IndicatorCode. */
  code: IndicatorCode;
  number: number;
  title: string;
  titleEn: string;
  clause: string;
  kind: IndicatorKind;
  unit: string | null;
  isHigherBetter: boolean;
  formula: string;
  sourceOfInformation: string;
  population: string;
  numeratorRule: string;
  periodRule: string;
  /** The published views it reads. */
  sources: string[];
}

export const indicatorCodes = [
  'association_roadmap', 'diagnostics_share', 'registry_programs_from_diagnostics_share', 'development_routes_share',
  'regional_methodists_share', 'educators_per_regional_methodist', 'routes_completed_share', 'early_career_supported_share',
  'targeted_support_count', 'diagnostic_based_upskilling_count', 'programs_carried_out_count', 'mentoring_count',
  'networked_events_count', 'no_complaints', 'competition_applicants_count',
] as const;
export type IndicatorCode = (typeof indicatorCodes)[number];

const population = 'Педагогические и управленческие работники, работавшие в области (муниципалитете, организации) в любой день учебного года; каждый учитывается один раз. / Educators employed in the scope at any time during the academic year, each once.';
const year = 'учебный год: 1 сентября – 31 августа';

export const catalog: readonly IndicatorDefinition[] = [
  {
    code: 'association_roadmap', number: 1, clause: '002, п. 4.1.1', kind: 'yes_no', unit: null, isHigherBetter: true,
    title: 'Разработан и реализуется комплекс мер («дорожная карта») деятельности методического объединения',
    titleEn: 'A roadmap of the association\'s work is adopted and carried out',
    formula: 'Да, если у каждого действующего в году методического объединения области план (дорожная карта) на этот учебный год утверждён и в нём выполнен хотя бы один пункт; числитель — такие объединения, знаменатель — действующие объединения.',
    sourceOfInformation: 'Годовые планы (дорожные карты) методических объединений и отметки о выполнении их пунктов',
    population: 'Методические объединения области, действовавшие в учебном году: с планом на этот год или хотя бы с одним участником в течение года. Объединение уровня организации относится к организации и её муниципалитету; муниципальное и районное — к своему муниципалитету. Списки педагогов — руководители объединений (из числа работников области).',
    numeratorRule: 'Объединения, чей план на учебный год утверждён (is_adopted) и имеет хотя бы один выполненный пункт (items_done > 0).',
    periodRule: 'План с academic_year, равным учебному году; участие — членство, пересекающееся с учебным годом.',
    sources: ['profdev_api.method_association', 'profdev_api.association_plan', 'profdev_api.association_member', 'staff_api.organization'],
  },
  {
    code: 'diagnostics_share', number: 2, clause: '002, п. 4.1.2', kind: 'share', unit: '%', isHigherBetter: true,
    title: 'Доля педагогических работников, прошедших диагностику профессиональных компетенций',
    titleEn: 'Share of educators who passed competency diagnostics',
    formula: 'Работники, прошедшие диагностику в учебном году ÷ работники области × 100.',
    sourceOfInformation: 'Результаты диагностики профессиональных компетенций (протоколы диагностики)',
    population, numeratorRule: 'Работники области, у которых есть диагностика (profdev_api.diagnostic) с датой в учебном году.',
    periodRule: `taken_on в пределах учебного года (${year}).`,
    sources: ['staff_api.employed_during', 'profdev_api.diagnostic'],
  },
  {
    code: 'registry_programs_from_diagnostics_share', number: 3, clause: '002, п. 4.1.2', kind: 'share', unit: '%', isHigherBetter: true,
    title: 'Доля педагогических работников, освоивших программы ДПО, вошедшие в Федеральный реестр и подобранные с учётом диагностики профессиональных компетенций',
    titleEn: 'Share of educators who completed federal-registry programs chosen on the basis of their diagnostics',
    formula: 'Работники, завершившие в учебном году программу из Федерального реестра, выбранную по итогам диагностики ÷ работники области × 100.',
    sourceOfInformation: 'Федеральный реестр ДПП; удостоверения о повышении квалификации; результаты диагностики',
    population, numeratorRule: 'Работники области с завершённой программой (program_completion), у которой program.is_federal_registry и is_from_diagnostic.',
    periodRule: `completed_on в пределах учебного года (${year}).`,
    sources: ['staff_api.employed_during', 'profdev_api.program_completion', 'profdev_api.program'],
  },
  {
    code: 'development_routes_share', number: 4, clause: '002, п. 4.1.2', kind: 'share', unit: '%', isHigherBetter: true,
    title: 'Доля педагогических работников, для которых разработаны индивидуальные образовательные маршруты',
    titleEn: 'Share of educators for whom an individual development route was made',
    formula: 'Работники с разработанным ИОМ, действующим в учебном году ÷ работники области × 100.',
    sourceOfInformation: 'Индивидуальные образовательные маршруты (ИОМ) педагогов',
    population, numeratorRule: 'Работники области с маршрутом, вышедшим из черновика (статус не draft; активирован не позже конца года), период которого пересекается с учебным годом. Черновик — ещё не разработанный маршрут.',
    periodRule: 'period_from ≤ 31 августа и period_to ≥ 1 сентября; activated_on (или дата создания) ≤ 31 августа.',
    sources: ['staff_api.employed_during', 'profdev_api.development_route'],
  },
  {
    code: 'regional_methodists_share', number: 5, clause: '002, п. 4.1.3', kind: 'share', unit: '%', isHigherBetter: true,
    title: 'Доля педагогических работников, получивших статус регионального методиста',
    titleEn: 'Share of educators with the status of regional methodist',
    formula: 'Работники со статусом регионального методиста в учебном году ÷ работники области × 100.',
    sourceOfInformation: 'Приказы о присвоении статуса регионального методиста (реестр статусов)',
    population, numeratorRule: 'Работники области, чей срок статуса regional_methodist пересекается с учебным годом.',
    periodRule: 'valid_from ≤ 31 августа и (valid_to пуст или ≥ 1 сентября).',
    sources: ['staff_api.employed_during', 'staff_api.educator_status'],
  },
  {
    code: 'educators_per_regional_methodist', number: 6, clause: '002, п. 4.1.3', kind: 'ratio', unit: 'чел. на 1 методиста', isHigherBetter: true,
    title: 'Количество педагогических работников, закреплённых за 1 региональным методистом для осуществления методического сопровождения',
    titleEn: 'Number of educators per regional methodist',
    formula: 'Работники области, закреплённые в учебном году за региональными методистами области ÷ число региональных методистов области.',
    sourceOfInformation: 'Приказы о закреплении педагогов за региональными методистами',
    population: 'Знаменатель — региональные методисты области (работники области со статусом в учебном году, как в показателе 5).',
    numeratorRule: 'Работники области, закреплённые (regional_methodist_assignment, срок пересекается с годом) за методистом из знаменателя; каждый один раз, даже если методистов у него несколько.',
    periodRule: 'Сроки статуса и закрепления пересекаются с учебным годом.',
    sources: ['staff_api.employed_during', 'staff_api.educator_status', 'staff_api.regional_methodist_assignment'],
  },
  {
    code: 'routes_completed_share', number: 7, clause: '002, п. 4.1.3', kind: 'share', unit: '%', isHigherBetter: true,
    title: 'Доля педагогических работников, успешно завершивших ИОМ (от общей численности педагогических работников, для которых был разработан ИОМ)',
    titleEn: 'Share of educators who completed their route, of those who had one',
    formula: 'Работники, завершившие маршрут, срок которого истекает в учебном году ÷ работники с таким маршрутом × 100.',
    sourceOfInformation: 'Индивидуальные образовательные маршруты (ИОМ) и отметки об их завершении',
    population: 'Знаменатель — работники области с маршрутом (не черновиком), чей период заканчивается в учебном году или который завершён в учебном году досрочно.',
    numeratorRule: 'Из них — те, у кого такой маршрут в статусе completed. Брошенный (abandoned) маршрут остаётся в знаменателе.',
    periodRule: 'period_to в пределах учебного года, или completed_on в пределах учебного года.',
    sources: ['staff_api.employed_during', 'profdev_api.development_route'],
  },
  {
    code: 'early_career_supported_share', number: 8, clause: '002, п. 4.1.3', kind: 'share', unit: '%', isHigherBetter: true,
    title: 'Доля педагогических работников в возрасте до 35 лет, участвующих в различных формах поддержки и сопровождения в первые три года работы',
    titleEn: 'Share of educators under 35 taking part in support in their first three years of work',
    formula: 'Молодые специалисты до 35 лет, получавшие поддержку в учебном году ÷ молодые специалисты до 35 лет области × 100.',
    sourceOfInformation: 'База наставников и наставляемых; журналы адресной методической поддержки; приказы о закреплении за региональными методистами',
    population: 'Знаменатель — работники области моложе 35 лет и в первых трёх годах педагогической работы на 1 сентября учебного года (staff_api.employed_during: is_under_35 и is_early_career).',
    numeratorRule: 'Из них — наставляемые в наставничестве, пересекающемся с годом, или получившие адресную поддержку в году, или закреплённые за региональным методистом в году.',
    periodRule: 'Возраст и стаж — на 1 сентября; наставничество и закрепление пересекаются с годом; given_on поддержки в пределах года.',
    sources: ['staff_api.employed_during', 'profdev_api.mentorship', 'profdev_api.support', 'staff_api.regional_methodist_assignment'],
  },
  {
    code: 'targeted_support_count', number: 9, clause: '004, п. 6.1', kind: 'count', unit: 'чел.', isHigherBetter: true,
    title: 'Количество педагогов, получающих адресную методическую поддержку от различных методистов',
    titleEn: 'Number of educators receiving targeted methodological support',
    formula: 'Число работников области, получивших в учебном году хотя бы одну адресную методическую поддержку (консультацию, посещение урока, заседание РМО, семинар…).',
    sourceOfInformation: 'Регистрационные листы консультаций, РМО, посещённых уроков и др.',
    population, numeratorRule: 'Работники области с записью support (любая форма, в том числе участники групповой консультации или семинара-практикума) или отмеченные присутствовавшими на заседании методического объединения (мероприятие вида association_meeting, не отменённое) в учебном году; каждый один раз; знаменатель показан для справки.',
    periodRule: `given_on поддержки или день заседания (attended_on) в пределах учебного года (${year}).`,
    sources: ['staff_api.employed_during', 'profdev_api.support', 'events_api.association_meeting_attendance'],
  },
  {
    code: 'diagnostic_based_upskilling_count', number: 10, clause: '004, п. 6.1', kind: 'count', unit: 'чел.', isHigherBetter: true,
    title: 'Количество педагогов, повысивших квалификацию на основе диагностики профессиональных дефицитов',
    titleEn: 'Number of educators who upgraded their qualification on the basis of a diagnostic of deficits',
    formula: 'Число работников области, завершивших в учебном году программу ДПО, выбранную по итогам диагностики.',
    sourceOfInformation: 'Электронная система ИНТЕГРАЛ (журнал)',
    population, numeratorRule: 'Работники области с program_completion, у которой is_from_diagnostic (программы любого вида: ПК и ПП).',
    periodRule: `completed_on в пределах учебного года (${year}).`,
    sources: ['staff_api.employed_during', 'profdev_api.program_completion'],
  },
  {
    code: 'programs_carried_out_count', number: 11, clause: '004, п. 6.1', kind: 'count', unit: 'программ', isHigherBetter: true,
    title: 'Количество реализованных программ повышения квалификации',
    titleEn: 'Number of professional development (upskilling) programs carried out',
    formula: 'Число различных программ, реализованных методической службой (ИМЦ) по её приказам: программы курсов (потоков), которые служба провела сама и завершила в учебном году.',
    sourceOfInformation: 'Приказы о повышении квалификации ИМЦ',
    population: 'Знаменатель — работники области (для справки). Область: регион — курсы служб всех муниципалитетов; муниципалитет — курсы своей службы; организация — курсы службы, которые завершил хотя бы один её работник. Списки: числитель — работники области, завершившие эти курсы; сами курсы — в IndicatorValue.courseRuns. До 2026-12-04 (issue 24) считались программы вида upskilling любого провайдера, завершённые работниками области; замороженные ранее отчёты хранят прежние значения.',
    numeratorRule: 'Различные программы курсов (course_run) с provider_kind = service в статусе finished; каждый курс открыт приказом (opening_order_number).',
    periodRule: `finished_on курса в пределах учебного года (${year}).`,
    sources: ['staff_api.employed_during', 'profdev_api.course_run', 'profdev_api.course_application'],
  },
  {
    code: 'mentoring_count', number: 12, clause: '004, п. 6.1', kind: 'count', unit: 'чел.', isHigherBetter: true,
    title: 'Количество педагогов, принимающих участие в проекте по развитию системы наставничества',
    titleEn: 'Number of educators in the mentoring project',
    formula: 'Число работников области — наставников и наставляемых в наставничестве, продолжавшемся в учебном году.',
    sourceOfInformation: 'Информация о педагогах-наставниках (районная база)',
    population, numeratorRule: 'Работники области, бывшие наставником или наставляемым в mentorship, срок которого пересекается с годом.',
    periodRule: 'started_on ≤ 31 августа и (ended_on пуст или ≥ 1 сентября).',
    sources: ['staff_api.employed_during', 'profdev_api.mentorship'],
  },
  {
    code: 'networked_events_count', number: 13, clause: '004, п. 6.1', kind: 'count', unit: 'чел.', isHigherBetter: true,
    title: 'Количество педагогов, принимающих участие в сетевой форме взаимодействия',
    titleEn: 'Number of educators in networked events',
    formula: 'Число работников области, участвовавших в учебном году в сетевых мероприятиях.',
    sourceOfInformation: 'Информация о проводимых сетевых мероприятиях в ОУ района',
    population, numeratorRule: 'Работники области с участием (participation) в событии вида networked_event, не отменённом: отмеченные как присутствовавшие, либо выступавшие, организаторы и ведущие мастер-классов; лист ожидания не считается.',
    periodRule: 'Событие идёт в учебном году: starts_on ≤ 31 августа и ends_on ≥ 1 сентября (местные даты муниципалитета).',
    sources: ['staff_api.employed_during', 'events_api.participation', 'events_api.event'],
  },
  {
    code: 'no_complaints', number: 14, clause: '004, п. 6.1', kind: 'yes_no', unit: null, isHigherBetter: true,
    title: 'Отсутствие жалоб от педагогов по сопровождению',
    titleEn: 'No complaints about the service',
    formula: 'Да, если в учебном году в области не поступило ни одного письменного обращения-жалобы; числитель — число обращений.',
    sourceOfInformation: 'Письменные обращения',
    population: 'Знаменатель — работники области (для справки). Обращение относится к области по своим муниципалитету и организации. Список числителя — заявители из числа работников области (обращения от лиц вне реестра считаются, но в списке не видны).',
    numeratorRule: 'Все письменные обращения (complaint), поступившие в учебном году, независимо от итога рассмотрения.',
    periodRule: `received_on в пределах учебного года (${year}).`,
    sources: ['staff_api.employed_during', 'profdev_api.complaint', 'staff_api.organization'],
  },
  {
    code: 'competition_applicants_count', number: 15, clause: '004, п. 6.1', kind: 'count', unit: 'чел.', isHigherBetter: true,
    title: 'Количество педагогов, принимающих участие в конкурсах педагогического мастерства',
    titleEn: 'Number of educators in professional competitions (applications filed)',
    formula: 'Число работников области, подавших в учебном году хотя бы одну заявку на конкурс профессионального мастерства.',
    sourceOfInformation: 'Количество поданных заявок на конкурсы',
    population, numeratorRule: 'Работники области с заявкой (competition_application) в статусе filed, accepted или rejected; отозванные (withdrawn) не считаются.',
    periodRule: `filed_on в пределах учебного года (${year}).`,
    sources: ['staff_api.employed_during', 'events_api.competition_application'],
  },
];

const byCode = new Map(catalog.map((definition) => [definition.code, definition]));

export function indicatorOf(code: string): IndicatorDefinition {
  const definition = byCode.get(code as IndicatorCode);
  if (!definition) throw new Error(`unknown indicator ${code}`);
  return definition;
}

/** Whether a value meets a target, in the indicator's direction; null when either is missing. */
export function isTargetMet(definition: IndicatorDefinition, value: number | null, target: number | null): boolean | null {
  if (value === null || target === null) return null;
  return definition.isHigherBetter ? value >= target : value <= target;
}
