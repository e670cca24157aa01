import { mergeResolvers } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { helpResolvers } from '../help/resolvers';
import { dataRequestResolvers } from '../surveys/data-requests-resolvers';
import { surveyResolvers } from '../surveys/resolvers';
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
import { relayResolvers } from '../relay/resolvers';
import { practiceResolvers } from '../practices/resolvers';
import { materialResolvers } from '../materials/resolvers';
import { projectResolvers } from '../practices/projects';

export const resolvers: Resolvers = mergeResolvers(
  federationResolvers, programResolvers, diagnosticResolvers, routeResolvers, peopleResolvers, associationResolvers,
  // ---- help requests, support sessions, surveys (issue 20) ----
  helpResolvers, surveyResolvers, dataRequestResolvers,
  // ---- course runs, internships, self-education, upskilling plans (issue 24) ----
  courseResolvers, internshipResolvers, selfEducationResolvers, upskillingPlanResolvers,
  // ---- practices, materials, projects (issue 19) ----
  practiceResolvers, materialResolvers, projectResolvers,
  // ---- relay ----
  relayResolvers);
