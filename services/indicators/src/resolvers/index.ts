import { mergeResolvers } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { indicatorResolvers } from './indicator';
import { reportResolvers } from './report';
import { targetResolvers } from './target';
import { valueResolvers } from './value';
import { relayResolvers } from '../relay/resolvers';
import { statisticsResolvers } from '../statistics/resolvers';

export const resolvers: Resolvers = mergeResolvers(indicatorResolvers, valueResolvers, targetResolvers, reportResolvers,
  statisticsResolvers, relayResolvers);
