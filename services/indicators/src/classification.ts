import { mergeClassifications, open, personal, type Classification } from '@mms/platform';

/**
 * Every field of the indicators schema as open, personal or about a person (152-FZ): the one table the policy reads
 * (packages/platform/src/classification.ts enforces it on every resolver, `_entities` included).
 *
 * Personal: the identity-provider subject of who froze a report. Everything else is open: values are aggregates and
 * the educators behind them are pseudonymous references whose personal fields staff guards.
 */
const core: Classification = {
  Query: {
    indicators: open,
    indicator: open,
    'indicator(code)': open,
    indicatorValues: open,
    'indicatorValues(scope)': open,
    'indicatorValues(academicYear)': open,
    indicatorTrend: open,
    'indicatorTrend(code)': open,
    'indicatorTrend(scope)': open,
    'indicatorTrend(academicYears)': open,
    indicatorTargets: open,
    'indicatorTargets(academicYear)': open,
    'indicatorTargets(municipalityId)': open,
    indicatorReport: open,
    'indicatorReport(id)': open,
    indicatorReports: open,
    'indicatorReports(scope)': open,
    'indicatorReports(academicYear)': open,
  },
  Mutation: {
    setIndicatorTarget: open,
    'setIndicatorTarget(input)': open,
    freezeIndicatorReport: open,
    'freezeIndicatorReport(input)': open,
  },
  Indicator: {
    code: open,
    number: open,
    title: open,
    titleEn: open,
    clause: open,
    kind: open,
    unit: open,
    isHigherBetter: open,
    formula: open,
    sourceOfInformation: open,
    population: open,
    numeratorRule: open,
    periodRule: open,
    sources: open,
  },
  IndicatorScopeInput: {
    region: open,
    municipalityId: open,
    organizationId: open,
  },
  IndicatorScope: {
    kind: open,
    municipality: open,
    organization: open,
  },
  IndicatorValue: {
    indicator: open,
    scope: open,
    academicYear: open,
    numerator: open,
    denominator: open,
    value: open,
    isYes: open,
    unit: open,
    reason: open,
    reasonText: open,
    target: open,
    isTargetMet: open,
    numeratorEducators: open,
    'numeratorEducators(first)': open,
    'numeratorEducators(after)': open,
    denominatorEducators: open,
    'denominatorEducators(first)': open,
    'denominatorEducators(after)': open,
    breakdown: open,
  },
  IndicatorEducatorConnection: {
    edges: open,
    nodes: open,
    pageInfo: open,
    totalCount: open,
  },
  IndicatorEducatorEdge: {
    cursor: open,
    node: open,
  },
  PageInfo: {
    hasNextPage: open,
    hasPreviousPage: open,
    startCursor: open,
    endCursor: open,
  },
  Educator: {
    id: open,
  },
  Municipality: {
    id: open,
    indicators: open,
    'indicators(academicYear)': open,
  },
  Organization: {
    id: open,
    indicators: open,
    'indicators(academicYear)': open,
  },
  IndicatorTarget: {
    id: open,
    indicator: open,
    academicYear: open,
    municipality: open,
    value: open,
    updatedAt: open,
  },
  SetIndicatorTargetInput: {
    code: open,
    academicYear: open,
    municipalityId: open,
    value: open,
  },
  FreezeIndicatorReportInput: {
    scope: open,
    academicYear: open,
    title: open,
  },
  IndicatorReport: {
    id: open,
    scope: open,
    academicYear: open,
    title: open,
    frozenAt: open,
    frozenByRole: open,
    frozenBySubject: personal,
    values: open,
    changedCount: open,
  },
  ReportedIndicatorValue: {
    indicator: open,
    numerator: open,
    denominator: open,
    value: open,
    target: open,
    isTargetMet: open,
    reason: open,
    live: open,
    isChanged: open,
    valueDifference: open,
    numeratorDifference: open,
    denominatorDifference: open,
  },
};

// ---- statistics ----
// Aggregates and pseudonymous references: open. Facts derived from personal dates (AGE_BAND, EXPERIENCE_BAND,
// EARLY_CAREER, UNDER_35) are held to a 1 September for callers without personal data by the resolver
// (statistics/rules.ts, checkDateFacts), the platform's dateFact rule applied to a dimension rather than a field;
// small groups are suppressed for them (suppressSmallCells).
const statisticsArguments = ['subject', 'filter', 'scope', 'on', 'academicYear', 'academicYears'];
const statistics: Classification = {
  Query: {
    statistics: open,
    ...Object.fromEntries([...statisticsArguments, 'measures', 'groupBy'].map((name) => [`statistics(${name})`, open])),
    statisticsEducators: open,
    ...Object.fromEntries([...statisticsArguments, 'cell', 'population', 'first', 'after'].map((name) => [`statisticsEducators(${name})`, open])),
  },
  StatisticsConditionInput: { dimension: open, values: open },
  Statistics: { subject: open, measures: open, groupBy: open, rows: open, total: open, smallCellThreshold: open, suppressedCount: open },
  StatisticsRow: {
    values: open, labels: open, count: open, educators: open, share: open, denominator: open, sum: open, average: open, isSuppressed: open,
  },
};


// ---- courses ----
// Indicator 11's drill-down: the course runs behind the number (a public catalog's ids).
const courses: Classification = {
  CourseRun: { id: open },
  IndicatorValue: { courseRuns: open, 'courseRuns(first)': open },
};

// ---- relay ----
/** Relay: paging the educators behind a value backward. */
const relay: Classification = {
  IndicatorValue: {
    'numeratorEducators(last)': open,
    'numeratorEducators(before)': open,
    'denominatorEducators(last)': open,
    'denominatorEducators(before)': open,
  },
};

export const classification: Classification = mergeClassifications(core, statistics, courses, relay);
