import { mergeResolvers } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { associationResolvers } from './associations';
import { diagnosticResolvers } from './diagnostics';
import { federationResolvers } from './federation';
import { peopleResolvers } from './people';
import { programResolvers } from './programs';
import { routeResolvers } from './routes';
import { practiceResolvers } from '../practices/resolvers';
import { materialResolvers } from '../materials/resolvers';
import { projectResolvers } from '../practices/projects';

export const resolvers: Resolvers = mergeResolvers(
  federationResolvers, programResolvers, diagnosticResolvers, routeResolvers, peopleResolvers, associationResolvers,
  practiceResolvers, materialResolvers, projectResolvers);
