import { defineSubgraph } from '@mms/platform';
import { classification } from './classification';
import { createContext } from './loaders';
import { resolvers } from './resolvers';
import { isEmpty, seedDemo } from './seed';

/** The events subgraph: events and participation, the public calendar, competitions, olympiads, the annual plan. */
export const eventsSubgraph = defineSubgraph({
  name: 'events',
  srcDir: __dirname,
  resolvers,
  classification,
  createContext,
  demoSeed: {
    isEmpty,
    async seed(trx) {
      const counts = await seedDemo(trx);
      return `${counts.events} events, ${counts.competitions} competition with ${counts.stages} stages (results of both), ${counts.olympiads} olympiads, an annual plan of ${counts.activities} activities, ${counts.announcements ?? 0} announcements`;
    },
  },
});
