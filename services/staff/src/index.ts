import { defineSubgraph } from '@mms/platform';
import { classification } from './classification';
import { createContext } from './loaders';
import { resolvers } from './resolvers';
import { isEmpty, seedDemo } from './seed';

/** The staff registry subgraph: Municipality, Organization, Educator, Employment. */
export const staffSubgraph = defineSubgraph({
  name: 'staff',
  srcDir: __dirname,
  resolvers,
  classification,
  createContext,
  demoSeed: {
    isEmpty,
    async seed(trx) {
      const counts = await seedDemo(trx);
      return `${counts.municipalities} municipality, ${counts.organizations} organizations, ${counts.educators} educators`;
    },
  },
});
