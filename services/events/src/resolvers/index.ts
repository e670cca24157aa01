import { mergeResolvers } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { competitionResolvers } from './competition';
import { eventResolvers } from './event';
import { olympiadResolvers } from './olympiad';
import { relayResolvers } from '../relay/resolvers';
import { announcementResolvers } from '../announcements/resolvers';

export const resolvers: Resolvers = mergeResolvers(eventResolvers, competitionResolvers, olympiadResolvers,
  relayResolvers, announcementResolvers);
