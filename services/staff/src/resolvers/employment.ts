import { parseInput, today, authorize } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import * as registry from '../registry';
import { isEmploymentActive } from '../rules';
import { endEmploymentInput, startEmploymentInput } from '../validate';
import { required } from './organization';


export const employmentResolvers: Resolvers = {
  Mutation: {
    startEmployment: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'employment:write');
      const valid = parseInput(startEmploymentInput, input);
      return ctx.transaction((trx) => registry.startEmployment(trx, scope, valid));
    },
    endEmployment: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'employment:write');
      const { id, endedOn } = parseInput(endEmploymentInput, args, 'args');
      return ctx.transaction((trx) => registry.endEmployment(trx, scope, id, endedOn));
    },
  },
  Employment: {
    // Through the scoped loader: an employment is visible with its educator.
    educator: (employment, _, ctx) => ctx.loaders.educator.load(employment.educatorId).then(required),
    organization: (employment, _, ctx) => ctx.loaders.organization.load(employment.organizationId).then(required),
    isActive: (employment) => isEmploymentActive(employment, today()),
  },
};
