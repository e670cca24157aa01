import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import type { SubgraphDefinition } from '@mms/platform';
import { createContext, type Context } from './loaders';
import { resolvers } from './resolvers';

const sdl = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');

/** The staff registry subgraph: Municipality, Organization, Educator, Employment. */
export const staffSubgraph: SubgraphDefinition<Context> = {
  name: 'staff',
  sdl,
  typeDefs: parse(sdl),
  resolvers: resolvers as SubgraphDefinition<Context>['resolvers'],
  createContext,
};
