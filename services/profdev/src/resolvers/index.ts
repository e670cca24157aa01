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

export const resolvers: Resolvers = mergeResolvers(
  federationResolvers, programResolvers, diagnosticResolvers, routeResolvers, peopleResolvers, associationResolvers,
  // ---- help requests, support sessions, surveys (issue 20) ----
  helpResolvers, surveyResolvers, dataRequestResolvers);
