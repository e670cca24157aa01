import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import type { SubgraphDefinition } from '@mms/platform';
import { createContext, type Context } from './loaders';
import { resolvers } from './resolvers';
import { isEmpty, seedDemo } from './seed';

const sdl = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');

/** The events subgraph: events and participation, the public calendar, competitions, olympiads, the annual plan. */
export const eventsSubgraph: SubgraphDefinition<Context> = {
  name: 'events',
  sdl,
  typeDefs: parse(sdl),
  resolvers: resolvers as SubgraphDefinition<Context>['resolvers'],
  createContext,
  demoSeed: {
    isEmpty,
    async seed(trx) {
      const counts = await seedDemo(trx);
      return `${counts.events} events, ${counts.competitions} competition with ${counts.stages} stages (results of both), ${counts.olympiads} olympiads, an annual plan of ${counts.activities} activities`;
    },
  },
};
