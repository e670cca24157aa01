import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import type { SubgraphDefinition } from '@mms/platform';
import { createContext, type Context } from './loaders';
import { resolvers } from './resolvers';
import { isEmpty, seedDemo } from './seed';

const sdl = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');

/** The indicators subgraph: the catalog of 15 indicators, their values by scope and year, targets, frozen reports. */
export const indicatorsSubgraph: SubgraphDefinition<Context> = {
  name: 'indicators',
  sdl,
  typeDefs: parse(sdl),
  resolvers: resolvers as SubgraphDefinition<Context>['resolvers'],
  createContext,
  demoSeed: {
    isEmpty,
    async seed(trx) {
      const counts = await seedDemo(trx);
      return `${counts.targets} targets, ${counts.reports} frozen report`;
    },
  },
};
