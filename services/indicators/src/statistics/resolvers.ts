import { appError, authorize, can, isIdKey, pageRequest, toConnection, type Scope } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import type { Context } from '../loaders';
import { requireCovered, resolveScope, viewerValueScope, type ScopeInput, type ValueScope } from '../scope';
import type { EducatorRef } from '../values';
import { dimensionValueLabels, isEducatorDimension, subjects, valueLabels, type Dimension, type Measure, type Subject } from './model';
import { checkConditions, checkDateFacts, checkRequest, periodsOf, smallCellThreshold, suppressSmallCells, type StatisticsArgs } from './rules';
import { cellEducators, computeStatistics, type Condition, type StatisticsSqlRow } from './store';

/** A statistics answer as the resolvers pass it on: every figure already computed (one statement per request). */
export interface StatisticsAnswer {
  subject: Subject;
  measures: Measure[];
  groupBy: Dimension[];
  rows: StatisticsRowAnswer[];
  total: StatisticsRowAnswer;
  smallCellThreshold: number | null;
  suppressedCount: number;
}

export interface StatisticsRowAnswer {
  values: (string | null)[];
  labels: (string | null)[];
  count: number | null;
  educators: number | null;
  share: number | null;
  denominator: number | null;
  sum: number | null;
  average: number | null;
  isSuppressed: boolean;
}

interface RawConditionInput { dimension: string; values: readonly (string | null | undefined)[] }
const conditionsOf = (input: readonly RawConditionInput[] | null | undefined): Condition[] =>
  (input ?? []).map((c) => ({
    dimension: c.dimension as Dimension,
    // Positions are compared as the registry compares them: case-insensitive, surrounding spaces ignored.
    values: c.values.map((v) => (v === null || v === undefined ? null : c.dimension === 'position' ? v.trim().toLowerCase() : v)),
  }));

async function scopeOf(ctx: Context, viewer: Scope, input: ScopeInput | null | undefined): Promise<ValueScope> {
  if (input) return requireCovered(viewer, await resolveScope(ctx.db, input));
  const own = viewerValueScope(viewer);
  if (!own) throw appError('FORBIDDEN', 'statistics are read for a region, a municipality or an organization');
  if (own.kind === 'organization') {
    const found = await ctx.loaders.organizationScope.load(own.id);
    return { kind: 'organization', id: own.id, municipalityId: found?.municipalityId ?? '' };
  }
  return own;
}

const label = (dimension: Dimension, value: string | null, sqlLabel: string | null): string | null => {
  if (value === null) return 'не указано';
  if (sqlLabel !== null) return sqlLabel;
  if (dimension === 'position' || dimension === 'month' || dimension === 'academic_year') return value;
  return dimensionValueLabels[dimension]?.[value] ?? valueLabels[value] ?? value;
};

const round = (value: number | null, digits: number) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);

function rowAnswer(row: StatisticsSqlRow, groupBy: Dimension[], measures: Measure[]): StatisticsRowAnswer {
  const has = (measure: Measure) => measures.includes(measure);
  const share = row.population ? round((100 * row.people) / row.population, 1) : null;
  return {
    values: row.values,
    labels: groupBy.map((dimension, i) => label(dimension, row.values[i], row.labels[i])),
    count: has('count') ? row.count : null,
    educators: has('educators') ? row.people : null,
    share: has('share') ? share : null,
    denominator: has('share') ? row.population : null,
    sum: has('sum') ? round(row.sum, 2) : null,
    average: has('average') ? round(row.average, 2) : null,
    isSuppressed: false,
  };
}

const withheld = (row: StatisticsRowAnswer): StatisticsRowAnswer =>
  ({ ...row, count: null, educators: null, share: null, denominator: null, sum: null, average: null, isSuppressed: true });

export const statisticsResolvers: Resolvers = {
  Query: {
    statistics: async (_, args, ctx) => {
      const viewer = authorize(ctx.viewer, 'indicator:read');
      const request: StatisticsArgs = {
        subject: args.subject as Subject, measures: [...new Set(args.measures as Measure[])], groupBy: [...(args.groupBy as Dimension[])],
        filter: conditionsOf(args.filter), on: args.on ?? null, academicYear: args.academicYear ?? null, academicYears: args.academicYears ? [...args.academicYears] : null,
      };
      const { periods, isYears } = periodsOf(request);
      checkRequest(request, isYears);
      const mayReadPersonal = can(ctx.viewer, 'personal:read');
      checkDateFacts([...request.groupBy, ...request.filter.map((c) => c.dimension)], periods, mayReadPersonal);
      const scope = await scopeOf(ctx, viewer, args.scope);
      const isShare = request.measures.includes('share');
      const sqlRows = await computeStatistics(ctx.db, {
        subject: request.subject, groupBy: request.groupBy, conditions: request.filter, scope, periods, withShare: isShare,
      });
      const groups = sqlRows.filter((row) => !row.is_total);
      const totalRow = sqlRows.find((row) => row.is_total)!;
      const figures = groups.map((row) => ({ people: row.people, population: row.population, isSuppressed: false }));
      const totalFigures = { people: totalRow.people, population: totalRow.population, isSuppressed: false };
      const suppressedCount = mayReadPersonal ? 0 : suppressSmallCells(figures, totalFigures, isShare);
      const rows = groups.map((row, i) => {
        const answer = rowAnswer(row, request.groupBy, request.measures);
        return figures[i].isSuppressed ? withheld(answer) : answer;
      });
      const total = rowAnswer(totalRow, [], request.measures);
      const answer: StatisticsAnswer = {
        subject: request.subject, measures: request.measures, groupBy: request.groupBy, rows,
        total: totalFigures.isSuppressed ? withheld(total) : total,
        smallCellThreshold: mayReadPersonal ? null : smallCellThreshold, suppressedCount,
      };
      return answer;
    },
    statisticsEducators: async (_, args, ctx) => {
      const viewer = authorize(ctx.viewer, 'indicator:read');
      const subject = args.subject as Subject;
      const filter = conditionsOf(args.filter);
      const cell = conditionsOf(args.cell);
      const { periods, isYears } = periodsOf({ on: args.on ?? null, academicYear: args.academicYear ?? null, academicYears: args.academicYears ? [...args.academicYears] : null });
      checkConditions(subject, filter, isYears, 'filter');
      checkConditions(subject, cell, isYears, 'cell');
      if (subjects[subject].standalone) {
        throw appError('BAD_USER_INPUT', `subject: ${subject.toUpperCase()} has no educators to list`, { field: 'subject', reason: 'INVALID_COMBINATION' });
      }
      const population = args.population === true;
      if (population && cell.some((c) => !isEducatorDimension(subject, c.dimension))) {
        throw appError('BAD_USER_INPUT', 'cell: the population of a cell is cut by educator dimensions only', { field: 'cell', reason: 'INVALID_COMBINATION' });
      }
      const mayReadPersonal = can(ctx.viewer, 'personal:read');
      checkDateFacts([...filter, ...cell].map((c) => c.dimension), periods, mayReadPersonal);
      const scope = await scopeOf(ctx, viewer, args.scope);
      const page = pageRequest('indicators.statisticsEducators', args.first, args.after, isIdKey);
      const result = await cellEducators(ctx.db, { subject, groupBy: [], conditions: filter, scope, periods, withShare: false }, cell,
        population, (page.after?.[0] as string | undefined) ?? null, page.limit);
      if (!mayReadPersonal && result.total > 0 && result.total < smallCellThreshold) {
        throw appError('FORBIDDEN', `this cell holds fewer than ${smallCellThreshold} educators: suppressed for callers without personal data`, { reason: 'SMALL_CELL' });
      }
      const rows: EducatorRef[] = result.ids.map((id) => ({ id }));
      return toConnection(rows, page, (row) => [row.id], async () => result.total);
    },
  },
};
