import { mergeResolvers } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { associationResolvers } from './associations';
import { diagnosticResolvers } from './diagnostics';
import { federationResolvers } from './federation';
import { peopleResolvers } from './people';
import { programResolvers } from './programs';
import { routeResolvers } from './routes';
import { courseResolvers } from '../courses/resolvers';
import { internshipResolvers } from '../internships/resolvers';
import { selfEducationResolvers } from '../self-education/resolvers';
import { upskillingPlanResolvers } from '../upskilling-plan/resolvers';

export const resolvers: Resolvers = mergeResolvers(
  federationResolvers, programResolvers, diagnosticResolvers, routeResolvers, peopleResolvers, associationResolvers,
  courseResolvers, internshipResolvers, selfEducationResolvers, upskillingPlanResolvers);
