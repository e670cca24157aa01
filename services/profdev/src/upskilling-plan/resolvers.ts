import { academicYearPeriod, authorize, badInput, forbidden, parseId, parseInput, readScope, requireMunicipalities, type Scope } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import { upskillingDue } from '../store/completions';
import { competenciesByIds } from '../store/programs';
import { id, text } from '../validate';
import * as store from './store';

const planInput = z.object({
  municipalityId: id,
  academicYear: z.string(),
  quotas: z.array(z.object({ direction: text(500), competencyId: id.nullish(), plannedCount: z.number().int().min(1).max(100000) })).min(1).max(100)
    .refine((qs) => new Set(qs.map((q) => q.direction.toLowerCase())).size === qs.length, 'directions must be unique'),
});

export function requireMunicipalityScope(scope: Scope, municipalityId: string) {
  if (scope.kind === 'region' || (scope.kind === 'municipality' && scope.municipalityId === municipalityId)) return;
  throw forbidden('a municipality\'s upskilling plan is its methodists\' (and the region\'s)');
}

/** The yearly upskilling plan of a municipality (issue 24). */
export const upskillingPlanResolvers: Resolvers = {
  Query: {
    upskillingPlan: async (_, args, ctx) => {
      const scope = readScope(ctx.viewer);
      const municipalityId = parseId(args.municipalityId, 'municipalityId');
      academicYearPeriod(args.academicYear, 'academicYear');
      requireMunicipalityScope(scope, municipalityId);
      const plan = await store.findPlan(ctx.db, municipalityId, args.academicYear);
      return plan ?? null;
    },
  },
  Mutation: {
    setUpskillingPlan: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'course:write');
      const valid = parseInput(planInput, input);
      academicYearPeriod(valid.academicYear, 'input.academicYear');
      requireMunicipalityScope(scope, valid.municipalityId);
      return ctx.transaction(async (trx) => {
        await requireMunicipalities(trx, [valid.municipalityId]);
        const wanted = [...new Set(valid.quotas.flatMap((q) => (q.competencyId ? [q.competencyId] : [])))];
        const found = new Set((await competenciesByIds(trx, wanted)).map((c) => c.id));
        for (const competencyId of wanted) if (!found.has(competencyId)) throw badInput(`competency ${competencyId} is not in the framework`, 'input.quotas');
        return store.savePlan(trx, valid.municipalityId, valid.academicYear, valid.quotas);
      });
    },
  },
  UpskillingPlan: {
    quotas: (plan, _, ctx) => store.quotasOf(ctx.db, plan),
    trainedCount: (plan, _, ctx) => store.trainedCount(ctx.db, plan),
    plannedCount: async (plan, _, ctx) => (await store.quotasOf(ctx.db, plan)).reduce((sum, q) => sum + q.plannedCount, 0),
    dueCount: async (plan, _, ctx) => (await upskillingDue(ctx.db, { kind: 'region' }, { municipalityId: plan.municipalityId },
      academicYearPeriod(plan.academicYear).from, 3)).length,
  },
  UpskillingQuota: {
    competency: (quota, _, ctx) => (quota.competencyId ? ctx.loaders.competency.load(quota.competencyId) : null),
    share: (quota) => Math.round((1000 * quota.trainedCount) / quota.plannedCount) / 10,
  },
};
