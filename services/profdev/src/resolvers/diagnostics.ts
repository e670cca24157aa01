import { academicYearPeriod, authorize, badInput, forbidden, parseId, parseInput, readScope } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import * as development from '../development';
import { isDeficit, scoreChange } from '../rules';
import { growthPoints, unaddressedDeficits } from '../store/diagnostics';
import { diagnosticInput, scopeInput } from '../validate';
import { today } from '@mms/platform';
import { required } from './required';

export const diagnosticResolvers: Resolvers = {
  Query: {
    diagnostic: (_, args, ctx) => {
      readScope(ctx.viewer);
      return ctx.loaders.diagnostic.load(parseId(args.id));
    },
    growthPoints: async (_, { academicYear, scope: narrowing }, ctx) => {
      const scope = readScope(ctx.viewer);
      const period = academicYearPeriod(academicYear);
      const { municipalityId, organizationId } = parseInput(scopeInput, narrowing, 'scope');
      if (organizationId) return ctx.loaders.growthPointsOfOrganization(academicYear).load(organizationId);
      const municipality = municipalityId ?? (scope.kind === 'municipality' ? scope.municipalityId : null);
      if (!municipality) throw badInput('name a municipality or an organization', 'scope');
      if (scope.kind === 'organization' || scope.kind === 'educator') throw forbidden('growth points of a municipality are for its methodists and the region');
      return growthPoints(ctx.db, scope, 'municipality_id', [municipality], period);
    },
    unaddressedDeficits: (_, { scope: narrowing }, ctx) => {
      const scope = readScope(ctx.viewer);
      return unaddressedDeficits(ctx.db, scope, parseInput(scopeInput, narrowing, 'scope'), today());
    },
  },
  Mutation: {
    recordDiagnostic: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'diagnostic:write');
      const valid = parseInput(diagnosticInput, input);
      return ctx.transaction((trx) => development.recordDiagnostic(trx, scope, valid));
    },
  },
  Diagnostic: {
    educator: (diagnostic) => ({ id: diagnostic.educatorId }),
    scores: (diagnostic, _, ctx) => ctx.loaders.scoresOfDiagnostic.load(diagnostic.id),
    deficits: (diagnostic, _, ctx) => ctx.loaders.deficitsOfDiagnostic.load(diagnostic.id),
  },
  DiagnosticScore: {
    competency: (score, _, ctx) => ctx.loaders.competency.load(score.competencyId).then(required),
    isDeficit: (score) => isDeficit(score),
    change: (score) => scoreChange(score.score, score.previousScore),
  },
  Deficit: {
    competency: (deficit, _, ctx) => ctx.loaders.competency.load(deficit.competencyId).then(required),
    diagnostic: (deficit, _, ctx) => ctx.loaders.diagnostic.load(deficit.diagnosticId).then(required),
  },
  UnaddressedDeficit: {
    educator: (deficit) => ({ id: deficit.educatorId }),
    deficit: (deficit) => deficit,
  },
  GrowthPoint: {
    competency: (point, _, ctx) => ctx.loaders.competency.load(point.competencyId).then(required),
    share: (point) => (point.diagnosedCount ? Math.round((point.educatorCount / point.diagnosedCount) * 1000) / 1000 : 0),
  },
};
