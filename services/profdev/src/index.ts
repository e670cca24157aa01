import { defineSubgraph } from '@mms/platform';
import { classification } from './classification';
import { createContext } from './loaders';
import { resolvers } from './resolvers';
import { isEmpty, seedDemo } from './seed';
import { filesRoutes } from './materials/files';

/**
 * The professional development subgraph: programs and completions, competencies and diagnostics, development routes,
 * mentoring, targeted support, method associations, the method council and complaints.
 */
export const profdevSubgraph = defineSubgraph({
  name: 'profdev',
  srcDir: __dirname,
  resolvers,
  classification,
  createContext,
  // issue 19: files of practices and materials (the gateway's /files proxies here)
  routes: filesRoutes,
  demoSeed: {
    isEmpty,
    async seed(trx) {
      const counts = await seedDemo(trx);
      return Object.entries(counts).map(([name, count]) => `${count} ${name}`).join(', ');
    },
  },
});
