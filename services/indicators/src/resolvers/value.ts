import { authorize, badInput, cappedList, isIdKey, maxListSize, notFound, pageRequest, toConnection, type PageArgs } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { indicatorCodes, indicatorOf } from '../catalog';
import { requireCovered, resolveScope } from '../scope';
import type { Context } from '../loaders';
import { fullValue, reasonTexts, valueRefs, type EducatorRef, type ValueRef } from '../values';

/** The page of educators behind one side of a value: one statement per indicator and side for every value asked. */
async function educators(ref: ValueRef, side: 'numerator' | 'denominator', args: PageArgs, ctx: Context) {
  const page = pageRequest(`indicators.${side}Educators`, args, undefined, isIdKey);
  const result = await ctx.loaders.drillDown.load({ ...ref, side, afterId: (page.after?.[0] as string | undefined) ?? null, limit: page.limit,
    beforeId: (page.before?.[0] as string | undefined) ?? null, backward: page.backward });
  // The statement returns ids in ascending order; backward, toConnection wants the nearest to `before` first.
  const ids = page.backward ? [...result.educatorIds].reverse() : result.educatorIds;
  const rows: EducatorRef[] = ids.map((id) => ({ id }));
  return toConnection(rows, page, (row) => [row.id], async () => result.total);
}

export const valueResolvers: Resolvers = {
  Query: {
    indicatorValues: async (_, { scope, academicYear }, ctx) => {
      const viewer = authorize(ctx.viewer, 'indicator:read');
      const asked = requireCovered(viewer, await resolveScope(ctx.db, scope));
      return valueRefs(asked, academicYear, indicatorCodes);
    },
    indicatorTrend: async (_, { code, scope, academicYears }, ctx) => {
      const viewer = authorize(ctx.viewer, 'indicator:read');
      if (academicYears.length < 1 || academicYears.length > 10) throw badInput('academicYears: give 1 to 10 academic years', 'academicYears');
      const asked = requireCovered(viewer, await resolveScope(ctx.db, scope));
      return academicYears.map((academicYear) => ({ code, scope: asked, academicYear }));
    },
  },
  IndicatorValue: {
    indicator: (ref) => indicatorOf(ref.code),
    scope: (ref) => ref.scope,
    academicYear: (ref) => ref.academicYear,
    numerator: async (ref, _, ctx) => (await ctx.loaders.values.load(ref)).numerator,
    denominator: async (ref, _, ctx) => (await ctx.loaders.values.load(ref)).denominator,
    value: async (ref, _, ctx) => (await ctx.loaders.values.load(ref)).value,
    isYes: async (ref, _, ctx) => {
      if (indicatorOf(ref.code).kind !== 'yes_no') return null;
      const { value } = await ctx.loaders.values.load(ref);
      return value === null ? null : value === 1;
    },
    unit: (ref) => indicatorOf(ref.code).unit,
    // An enum's SQL value (the platform maps it to SCREAMING_CASE); codegen types enum results as null.
    reason: async (ref, _, ctx) => (await ctx.loaders.values.load(ref)).reason as never,
    reasonText: async (ref, _, ctx) => {
      const { reason } = await ctx.loaders.values.load(ref);
      return reason ? reasonTexts[reason] : null;
    },
    target: async (ref, _, ctx) => (await fullValue(ctx, ref)).target,
    isTargetMet: async (ref, _, ctx) => (await fullValue(ctx, ref)).isTargetMet,
    numeratorEducators: (ref, args, ctx) => educators(ref, 'numerator', args, ctx),
    denominatorEducators: (ref, args, ctx) => educators(ref, 'denominator', args, ctx),
    breakdown: async (ref, _, ctx) => (await ctx.loaders.children.load(ref.scope))
      .map((scope) => ({ code: ref.code, scope, academicYear: ref.academicYear })),
    courseRuns: async (ref, { first }, ctx) => (ref.code === 'programs_carried_out_count'
      ? cappedList(await ctx.loaders.serviceRuns.load(ref), first, maxListSize).map((id) => ({ id })) : []),
  },
  IndicatorScope: {
    municipality: (scope) => (scope.kind === 'region' ? null : { id: scope.kind === 'municipality' ? scope.id : scope.municipalityId }),
    organization: (scope) => (scope.kind === 'organization' ? { id: scope.id } : null),
  },
  Educator: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  },
  Municipality: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    indicators: (municipality, { academicYear }, ctx) => {
      const viewer = authorize(ctx.viewer, 'indicator:read');
      const scope = requireCovered(viewer, { kind: 'municipality', id: municipality.id });
      return valueRefs(scope, academicYear, indicatorCodes);
    },
  },
  Organization: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    indicators: async (organization, { academicYear }, ctx) => {
      const viewer = authorize(ctx.viewer, 'indicator:read');
      const found = await ctx.loaders.organizationScope.load(organization.id);
      if (!found) throw notFound('organization', organization.id);
      return valueRefs(requireCovered(viewer, found), academicYear, indicatorCodes);
    },
  },
};
