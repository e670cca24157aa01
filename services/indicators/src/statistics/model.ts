/**
 * The statistics model (issue 22): subjects, measures and dimensions, and which combine. Every dimension is a text
 * expression over the population row `p` (an educator's employment in the scope during the period, with the
 * educator's facts on the period's first day) or the subject's row `x`; grouping, filtering and drill-down all use
 * the same expression, so a cell of an answer is a filter of the drill-down.
 */
export type Subject = 'educators' | 'employments' | 'category_awards' | 'completions' | 'diagnostics' | 'diagnostic_scores'
  | 'deficits' | 'routes' | 'mentorships' | 'support' | 'participations' | 'applications' | 'results' | 'help_requests';
export type Measure = 'count' | 'educators' | 'share' | 'sum' | 'average';
export type Dimension = 'region' | 'municipality' | 'organization' | 'organization_kind' | 'position' | 'staff_category'
  | 'category' | 'age_band' | 'experience_band' | 'early_career' | 'under_35' | 'competency' | 'program_kind'
  | 'federal_registry' | 'event_kind' | 'event_level' | 'role' | 'form' | 'status' | 'month' | 'academic_year'
  | 'outcome' | 'final_stage' | 'request_kind' | 'requester_kind';

/** What the population row needs to be joined with for a dimension: the educator's dates, the category in force. */
export type PopulationNeed = 'educator' | 'category';

interface EducatorDimension {
  sql: string;
  needs?: PopulationNeed;
  /** Derived from a personal date (age, experience): on a 1 September only for callers without personal data. */
  isDateFact?: boolean;
}

/** Dimensions of the educator and their employment: every subject has them. */
export const educatorDimensions: Partial<Record<Dimension, EducatorDimension>> = {
  region: { sql: `'region'` },
  municipality: { sql: 'p.municipality_id' },
  organization: { sql: 'p.organization_id' },
  organization_kind: { sql: 'upper(p.organization_kind)' },
  position: { sql: 'lower(btrim(p.position))' },
  staff_category: { sql: 'upper(p.staff_category)' },
  category: { sql: 'upper(p.category)', needs: 'category' },
  age_band: {
    needs: 'educator', isDateFact: true,
    sql: `(case when p.age < 25 then 'UNDER_25' when p.age < 35 then '25_34' when p.age < 45 then '35_44'
      when p.age < 55 then '45_54' when p.age < 65 then '55_64' else '65_PLUS' end)`,
  },
  experience_band: {
    needs: 'educator', isDateFact: true,
    sql: `(case when p.experience is null then null when p.experience < 3 then 'UNDER_3' when p.experience < 10 then '3_9'
      when p.experience < 20 then '10_19' else '20_PLUS' end)`,
  },
  early_career: { needs: 'educator', isDateFact: true, sql: 'p.is_early_career' },
  under_35: { needs: 'educator', isDateFact: true, sql: 'p.is_under_35' },
  academic_year: { sql: 'p.y' },
};

export interface SubjectDefinition {
  /**
   * The subject's rows for the population row `p` (one per fact), as a FROM item aliased `x` with columns
   * `fact_id` (text), `educator_id` and, when the subject has one, `v` (its numeric fact); `p` is in scope.
   * Absent: the subject is the population itself.
   */
  facts?: (needs: ReadonlySet<Dimension>) => string;
  /** Dimensions of the subject's rows, as expressions over `x`. */
  dimensions: Partial<Record<Dimension, string>>;
  /** The numeric fact summed and averaged; null when the subject has none. */
  value: string | null;
  /** The rows' id and value expressions when the subject is the population itself. */
  self?: { factId: string; value: string | null };
  /**
   * A subject with no educator (help requests): its rows are read on their own, as `x` joined with the periods `p`
   * (columns y, f, t), cut by the scope; only its own dimensions apply (none of the educator's), and neither EDUCATORS
   * nor SHARE nor a drill-down to educators.
   */
  standalone?: {
    /** FROM items: the periods `p` and the rows `x`, with `scope` (a condition on `x`, or '') appended to the join. */
    from: (scope: string) => string;
    /** The column of `x` that a municipality scope cuts by, and the one an organization scope cuts by. */
    municipality: string;
    organization: string;
  };
}

const month = (column: string) => `to_char(${column}, 'YYYY-MM')`;
const inPeriod = (column: string) => `${column} between p.f and p.t`;
const overlapsPeriod = (from: string, to: string) => `${from} <= p.t and (${to} is null or ${to} >= p.f)`;

export const subjects: Record<Subject, SubjectDefinition> = {
  educators: { dimensions: {}, value: null, self: { factId: 'p.educator_id::text', value: null } },
  employments: { dimensions: {}, value: 'p.rate', self: { factId: 'p.employment_id::text', value: 'p.rate' } },
  category_awards: {
    facts: () => `(select a.id::text as fact_id, a.educator_id, null::numeric as v, a.category, a.awarded_on as day
      from staff_api.category_award a where a.educator_id = p.educator_id and ${inPeriod('a.awarded_on')}) x`,
    dimensions: { category: 'upper(x.category)', month: month('x.day') },
    value: null,
  },
  completions: {
    facts: (needs) => `(select c.id::text as fact_id, c.educator_id, pr.hours::numeric as v, pr.kind as program_kind,
        pr.is_federal_registry, c.completed_on as day, ${needs.has('competency') ? 'pc.competency_id' : 'null::uuid'} as competency_id
      from profdev_api.program_completion c join profdev_api.program pr on pr.id = c.program_id
      ${needs.has('competency') ? 'left join profdev_api.program_competency pc on pc.program_id = c.program_id' : ''}
      where c.educator_id = p.educator_id and ${inPeriod('c.completed_on')}) x`,
    dimensions: {
      program_kind: 'upper(x.program_kind)', federal_registry: 'x.is_federal_registry', month: month('x.day'),
      competency: 'x.competency_id',
    },
    value: 'x.v',
  },
  diagnostics: {
    facts: () => `(select d.id::text as fact_id, d.educator_id, null::numeric as v, d.taken_on as day
      from profdev_api.diagnostic d where d.educator_id = p.educator_id and ${inPeriod('d.taken_on')}) x`,
    dimensions: { month: month('x.day') },
    value: null,
  },
  diagnostic_scores: {
    facts: () => `(select s.diagnostic_id::text || ':' || s.competency_id::text as fact_id, s.educator_id, s.score::numeric as v,
        s.competency_id, d.taken_on as day
      from profdev_api.diagnostic_score s join profdev_api.diagnostic d on d.id = s.diagnostic_id
      where s.educator_id = p.educator_id and ${inPeriod('d.taken_on')}) x`,
    dimensions: { competency: 'x.competency_id', month: month('x.day') },
    value: 'x.v',
  },
  deficits: {
    facts: () => `(select f.diagnostic_id::text || ':' || f.competency_id::text as fact_id, f.educator_id, f.score::numeric as v,
        f.competency_id, f.taken_on as day
      from profdev_api.deficit f where f.educator_id = p.educator_id and ${inPeriod('f.taken_on')}) x`,
    dimensions: { competency: 'x.competency_id', month: month('x.day') },
    value: 'x.v',
  },
  routes: {
    facts: () => `(select r.id::text as fact_id, r.educator_id, null::numeric as v, r.status
      from profdev_api.development_route r where r.educator_id = p.educator_id and ${overlapsPeriod('r.period_from', 'r.period_to')}) x`,
    dimensions: { status: 'upper(x.status)' },
    value: null,
  },
  mentorships: {
    facts: () => `(select m.id::text as fact_id, m.mentee_id as educator_id, null::numeric as v, m.form
      from profdev_api.mentorship m where m.mentee_id = p.educator_id and ${overlapsPeriod('m.started_on', 'm.ended_on')}) x`,
    dimensions: { form: 'upper(x.form)' },
    value: null,
  },
  support: {
    facts: () => `(select s.id::text as fact_id, s.educator_id, null::numeric as v, s.form, s.given_on as day
      from profdev_api.support s where s.educator_id = p.educator_id and ${inPeriod('s.given_on')}) x`,
    dimensions: { form: 'upper(x.form)', month: month('x.day') },
    value: null,
  },
  participations: {
    facts: () => `(select pa.id::text as fact_id, pa.educator_id, null::numeric as v, ev.kind, ev.level, pa.role, ev.starts_on as day
      from events_api.participation pa join events_api.event ev on ev.id = pa.event_id
      where pa.educator_id = p.educator_id and not pa.is_waitlisted and ev.status <> 'cancelled'
        and ev.starts_on <= p.t and ev.ends_on >= p.f) x`,
    dimensions: { event_kind: 'upper(x.kind)', event_level: 'upper(x.level)', role: 'upper(x.role)', month: month('x.day') },
    value: null,
  },
  applications: {
    facts: () => `(select ap.id::text as fact_id, ap.educator_id, null::numeric as v, ap.status, co.level, ap.filed_on as day
      from events_api.competition_application ap join events_api.competition co on co.id = ap.competition_id
      where ap.educator_id = p.educator_id and ${inPeriod('ap.filed_on')}) x`,
    dimensions: { status: 'upper(x.status)', event_level: 'upper(x.level)', month: month('x.day') },
    value: null,
  },
  results: {
    // Stage results frozen when the stage closed, of competitions held (at least in part) during the period; every
    // stage's result is a row (FINAL_STAGE true: the final stage's only).
    facts: () => `(select r.stage_id::text || ':' || r.application_id::text as fact_id, r.educator_id, r.score::numeric as v,
        co.level, r.outcome, r.is_final_stage, co.ends_on as day
      from events_api.competition_result r join events_api.competition co on co.id = r.competition_id
      where r.educator_id = p.educator_id and ${overlapsPeriod('co.starts_on', 'co.ends_on')}) x`,
    dimensions: {
      event_level: 'upper(x.level)', outcome: 'upper(x.outcome)', final_stage: 'x.is_final_stage', month: month('x.day'),
    },
    value: 'x.v',
  },
  help_requests: {
    // No educator in the published view (profdev_api.help_request): requests filed during the period, by the
    // municipality they were filed to; an organization scope counts its organization's own requests.
    dimensions: {
      region: `'region'`, municipality: 'x.municipality_id', organization: 'x.requester_organization_id',
      request_kind: 'upper(x.kind)', requester_kind: 'upper(x.requester_kind)', status: 'upper(x.status)',
      month: month('x.filed_on'), academic_year: 'p.y',
    },
    value: 'x.rating',
    standalone: {
      from: (scope) => `asked p join profdev_api.help_request x on x.filed_on between p.f and p.t${scope}`,
      municipality: 'x.municipality_id',
      organization: 'x.requester_organization_id',
    },
  },
};

/** Whether a dimension applies to a subject, and its expression there (the subject's own first: CATEGORY of awards). */
export function dimensionSql(subject: Subject, dimension: Dimension): string | null {
  if (subjects[subject].standalone) return subjects[subject].dimensions[dimension] ?? null;
  return subjects[subject].dimensions[dimension] ?? educatorDimensions[dimension]?.sql ?? null;
}

export const isEducatorDimension = (subject: Subject, dimension: Dimension) =>
  !subjects[subject].standalone && !subjects[subject].dimensions[dimension] && Boolean(educatorDimensions[dimension]);

/** The values a dimension may take, when they are a closed list (filters are checked against it). */
export const closedValues: Partial<Record<Dimension, readonly string[]>> = {
  region: ['region'],
  organization_kind: ['SCHOOL', 'KINDERGARTEN', 'ADDITIONAL_EDUCATION', 'METHODOLOGICAL_CENTRE', 'OTHER'],
  staff_category: ['PEDAGOGICAL', 'MANAGERIAL'],
  category: ['CONFORMITY', 'FIRST', 'HIGHEST', 'MENTOR', 'METHODOLOGIST'],
  age_band: ['UNDER_25', '25_34', '35_44', '45_54', '55_64', '65_PLUS'],
  experience_band: ['UNDER_3', '3_9', '10_19', '20_PLUS'],
  early_career: ['true', 'false'],
  under_35: ['true', 'false'],
  federal_registry: ['true', 'false'],
  program_kind: ['UPSKILLING', 'RETRAINING'],
  event_level: ['ORGANIZATION', 'MUNICIPAL', 'REGIONAL', 'FEDERAL'],
  role: ['LISTENER', 'SPEAKER', 'ORGANIZER', 'MASTER_CLASS_HOST'],
  outcome: ['WINNER', 'PRIZE_WINNER', 'PARTICIPANT'],
  final_stage: ['true', 'false'],
  request_kind: ['CONSULTATION', 'LESSON_VISIT', 'ATTESTATION', 'ROUTE', 'COMPETITION_ENTRY', 'OTHER'],
  requester_kind: ['EDUCATOR', 'ORGANIZATION', 'OUTSIDER'],
};

/** Dimensions whose values are ids of a published view's rows. */
export const idDimensions: ReadonlySet<Dimension> = new Set(['municipality', 'organization', 'competency']);

/** Labels for people: the Russian names of enum-like values (ids are labelled in SQL from the views). */
export const valueLabels: Record<string, string> = {
  region: 'Регион',
  SCHOOL: 'школа', KINDERGARTEN: 'детский сад', ADDITIONAL_EDUCATION: 'дополнительное образование',
  METHODOLOGICAL_CENTRE: 'методический центр', OTHER: 'другое',
  PEDAGOGICAL: 'педагогический', MANAGERIAL: 'управленческий',
  CONFORMITY: 'соответствие занимаемой должности', FIRST: 'первая', HIGHEST: 'высшая', MENTOR: 'педагог-наставник',
  METHODOLOGIST: 'педагог-методист',
  UNDER_25: 'до 25', '25_34': '25–34', '35_44': '35–44', '45_54': '45–54', '55_64': '55–64', '65_PLUS': '65 и старше',
  UNDER_3: 'до 3 лет', '3_9': '3–9 лет', '10_19': '10–19 лет', '20_PLUS': '20 лет и больше',
  true: 'да', false: 'нет',
  UPSKILLING: 'повышение квалификации', RETRAINING: 'переподготовка',
  ORGANIZATION: 'уровень организации', MUNICIPAL: 'муниципальный', REGIONAL: 'региональный', FEDERAL: 'федеральный',
  LISTENER: 'слушатель', SPEAKER: 'докладчик', ORGANIZER: 'организатор', MASTER_CLASS_HOST: 'ведущий мастер-класса',
  WINNER: 'победитель', PRIZE_WINNER: 'призёр', PARTICIPANT: 'участник',
  CONSULTATION: 'консультация', LESSON_VISIT: 'посещение урока', ATTESTATION: 'аттестация', ROUTE: 'маршрут',
  COMPETITION_ENTRY: 'участие в конкурсе',
};

/** Labels of a dimension whose values mean something else elsewhere (ORGANIZATION is also an event level). */
export const dimensionValueLabels: Partial<Record<Dimension, Record<string, string>>> = {
  requester_kind: { EDUCATOR: 'педагог', ORGANIZATION: 'организация', OUTSIDER: 'другое лицо' },
};

/** How many groups a dimension can have in the bench region, for the cost estimate (query-limits.ts mirrors it). */
export const maxDimensions = 3;
