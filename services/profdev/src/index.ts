import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import type { SubgraphDefinition } from '@mms/platform';
import { createContext, type Context } from './loaders';
import { resolvers } from './resolvers';
import { isEmpty, seedDemo } from './seed';

const sdl = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');

/**
 * The professional development subgraph: programs and completions, competencies and diagnostics, development routes,
 * mentoring, targeted support, method associations, the method council and complaints.
 */
export const profdevSubgraph: SubgraphDefinition<Context> = {
  name: 'profdev',
  sdl,
  typeDefs: parse(sdl),
  resolvers: resolvers as SubgraphDefinition<Context>['resolvers'],
  createContext,
  demoSeed: {
    isEmpty,
    async seed(trx) {
      const counts = await seedDemo(trx);
      return Object.entries(counts).map(([name, count]) => `${count} ${name}`).join(', ');
    },
  },
};
