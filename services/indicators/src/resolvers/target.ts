import { authorize, forbidden, parseId, parseInput, requireMunicipalities } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import type { Context } from '../loaders';
import { indicatorOf } from '../catalog';
import { covers } from '../scope';
import { listTargets, writeTarget } from '../store/targets';
import { targetInput } from '../validate';

/**
 * The municipality whose targets the caller may read besides the region's (null: every one); an organization's admin
 * reads the targets that apply to their organization: the region's and its municipality's. FORBIDDEN without
 * indicator:read.
 */
export async function targetReaderMunicipality(ctx: Context): Promise<string | null> {
  const viewer = authorize(ctx.viewer, 'indicator:read');
  return viewer.kind === 'region' ? null : viewer.kind === 'municipality' ? viewer.municipalityId
    : viewer.kind === 'organization' ? (await ctx.loaders.organizationScope.load(viewer.organizationId))?.municipalityId ?? '' : '';
}

export const targetResolvers: Resolvers = {
  Query: {
    indicatorTargets: async (_, { academicYear, municipalityId }, ctx) => {
      const own = await targetReaderMunicipality(ctx);
      if (municipalityId) {
        const id = parseId(municipalityId, 'municipalityId');
        await requireMunicipalities(ctx.db, [id]);
        if (own !== null && own !== id) throw forbidden(`municipality ${id} lies outside your scope`);
        return listTargets(ctx.db, academicYear, [id]);
      }
      return listTargets(ctx.db, academicYear, own === null ? null : [own]);
    },
  },
  Mutation: {
    setIndicatorTarget: async (_, { input }, ctx) => {
      const viewer = authorize(ctx.viewer, 'target:write');
      const valid = parseInput(targetInput, input);
      const municipalityId = valid.municipalityId ?? null;
      if (municipalityId === null) {
        if (viewer.kind !== 'region') throw forbidden('only the region sets the region\'s targets: give your municipalityId');
      } else {
        await requireMunicipalities(ctx.db, [municipalityId]);
        if (!covers(viewer, { kind: 'municipality', id: municipalityId })) throw forbidden(`municipality ${municipalityId} lies outside your scope`);
      }
      return ctx.transaction((trx) => writeTarget(trx, {
        code: valid.code, academicYear: valid.academicYear, municipalityId, value: valid.value ?? null,
        role: ctx.viewer.role, subject: ctx.viewer.subject ?? null,
      }));
    },
  },
  IndicatorTarget: {
    indicator: (target) => indicatorOf(target.code),
    municipality: (target) => (target.municipalityId ? { id: target.municipalityId } : null),
    updatedAt: (target) => target.updatedAt.toISOString(),
  },
};
