import { defineSubgraph } from '@mms/platform';
import { classification } from './classification';
import { createContext } from './loaders';
import { resolvers } from './resolvers';
import { isEmpty, seedDemo } from './seed';

/** The indicators subgraph: the catalog of 15 indicators, their values by scope and year, targets, frozen reports. */
export const indicatorsSubgraph = defineSubgraph({
  name: 'indicators',
  srcDir: __dirname,
  resolvers,
  classification,
  createContext,
  demoSeed: {
    isEmpty,
    async seed(trx) {
      const counts = await seedDemo(trx);
      return `${counts.targets} targets, ${counts.reports} frozen report`;
    },
  },
});
