import { parseInput, today, writeScope } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import * as registry from '../registry';
import { isEmploymentActive } from '../rules';
import { endEmploymentInput, startEmploymentInput } from '../validate';
import { required } from './organization';

const writers = ['region_admin', 'municipality_methodist', 'organization_admin', 'integration'] as const;

export const employmentResolvers: Resolvers = {
  Mutation: {
    startEmployment: (_, { input }, ctx) => {
      const scope = writeScope(ctx.viewer, writers, 'hire educators');
      const valid = parseInput(startEmploymentInput, input);
      return ctx.db.transaction((trx) => registry.startEmployment(trx, scope, valid));
    },
    endEmployment: (_, args, ctx) => {
      const scope = writeScope(ctx.viewer, writers, 'end employments');
      const { id, endedOn } = parseInput(endEmploymentInput, args, 'args');
      return ctx.db.transaction((trx) => registry.endEmployment(trx, scope, id, endedOn));
    },
  },
  Employment: {
    // Through the scoped loader: an employment is visible with its educator.
    educator: (employment, _, ctx) => ctx.loaders.educator.load(employment.educatorId).then(required),
    organization: (employment, _, ctx) => ctx.loaders.organization.load(employment.organizationId).then(required),
    isActive: (employment) => isEmploymentActive(employment, today()),
  },
};
