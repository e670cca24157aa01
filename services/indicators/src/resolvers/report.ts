import { authorize, parseId, parseInput } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { indicatorOf } from '../catalog';
import type { Context } from '../loaders';
import { freezeReport } from '../reports';
import { requireCovered, resolveScope, viewerValueScope } from '../scope';
import { listReports, type ReportRow } from '../store/reports';
import { fullValue, type ReportedValue } from '../values';
import { reportInput } from '../validate';

const number = (code: string) => indicatorOf(code).number;

async function reportedValues(report: ReportRow, ctx: Context): Promise<ReportedValue[]> {
  const rows = await ctx.loaders.reportValues.load(report.id);
  return rows.map((row) => ({ ...row, scope: report.scope, academicYear: report.academicYear }))
    .sort((a, b) => number(a.code) - number(b.code));
}

async function isChanged(reported: ReportedValue, ctx: Context): Promise<boolean> {
  const live = await ctx.loaders.values.load({ code: reported.code, scope: reported.scope, academicYear: reported.academicYear });
  return live.numerator !== reported.numerator || live.denominator !== reported.denominator || live.value !== reported.value;
}

const difference = (live: number | null, reported: number | null) =>
  (live === null || reported === null ? null : Math.round((live - reported) * 10) / 10);

export const reportResolvers: Resolvers = {
  Query: {
    indicatorReport: async (_, { id }, ctx) => {
      const viewer = authorize(ctx.viewer, 'indicator:read');
      const report = await ctx.loaders.report.load(parseId(id));
      if (!report) return null;
      requireCovered(viewer, report.scope);
      return report;
    },
    indicatorReports: async (_, { scope, academicYear }, ctx) => {
      const viewer = authorize(ctx.viewer, 'indicator:read');
      const exact = scope ? requireCovered(viewer, await resolveScope(ctx.db, scope)) : null;
      return listReports(ctx.db, viewerValueScope(viewer)!, exact, academicYear ?? null);
    },
  },
  Mutation: {
    freezeIndicatorReport: async (_, { input }, ctx) => {
      const viewer = authorize(ctx.viewer, 'report:write');
      const valid = parseInput(reportInput, { academicYear: input.academicYear, title: input.title });
      const scope = requireCovered(viewer, await resolveScope(ctx.db, input.scope, 'input.scope'));
      return ctx.transaction((trx) => freezeReport(trx, {
        scope, academicYear: valid.academicYear, title: valid.title, role: ctx.viewer.role, subject: ctx.viewer.subject ?? null }));
    },
  },
  IndicatorReport: {
    scope: (report) => report.scope,
    frozenAt: (report) => report.frozenAt.toISOString(),
    values: (report, _, ctx) => reportedValues(report, ctx),
    changedCount: async (report, _, ctx) => {
      const values = await reportedValues(report, ctx);
      const changed = await Promise.all(values.map((value) => isChanged(value, ctx)));
      return changed.filter(Boolean).length;
    },
  },
  ReportedIndicatorValue: {
    indicator: (reported) => indicatorOf(reported.code),
    live: (reported) => ({ code: reported.code, scope: reported.scope, academicYear: reported.academicYear }),
    isChanged: (reported, _, ctx) => isChanged(reported, ctx),
    valueDifference: async (reported, _, ctx) => difference((await fullValue(ctx, { code: reported.code, scope: reported.scope, academicYear: reported.academicYear })).value, reported.value),
    numeratorDifference: async (reported, _, ctx) => difference((await ctx.loaders.values.load({ code: reported.code, scope: reported.scope, academicYear: reported.academicYear })).numerator, reported.numerator),
    denominatorDifference: async (reported, _, ctx) => difference((await ctx.loaders.values.load({ code: reported.code, scope: reported.scope, academicYear: reported.academicYear })).denominator, reported.denominator),
  },
};
