import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';
import { defaultPorts, type SubgraphName } from '@mms/platform';

export const supergraphFile = path.join(__dirname, '..', 'supergraph.graphql');
/** The public API schema, for codegen and IDEs (`npm run compose` writes it next to the supergraph). */
export const apiSchemaFile = path.join(__dirname, '..', 'schema.graphql');

/** The URL a subgraph is reached at: `<NAME>_URL`, or its default port on localhost. */
export function subgraphUrl(name: string): string {
  return process.env[`${name.toUpperCase()}_URL`] ?? `http://localhost:${defaultPorts[name as SubgraphName]}/graphql`;
}

/**
 * Composes the supergraph from the subgraphs' SDL files, as `rover supergraph compose` would (rover cannot be
 * installed here). The URLs written into it are the embedded run's defaults; the gateway overrides them from env.
 * With it, the API schema: what clients see (no federation directives, no join__/link__ types, nothing @inaccessible).
 */
export function composeGraph(subgraphs: { name: string; sdl: string }[]): { supergraph: string; apiSchema: string } {
  const result = composeServices(subgraphs.map(({ name, sdl }) => ({
    name, typeDefs: parse(sdl), url: `http://localhost:${defaultPorts[name as SubgraphName]}/graphql`,
  })));
  if (result.errors) {
    throw new Error(`the subgraphs do not compose:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  const apiSchema = printSchema(result.schema.toAPISchema().toGraphQLJSSchema());
  return { supergraph: `${result.supergraphSdl.trimEnd()}\n`, apiSchema: `${apiSchema.trimEnd()}\n` };
}

export function composeSupergraph(subgraphs: { name: string; sdl: string }[]): string {
  return composeGraph(subgraphs).supergraph;
}

export function readSupergraph(): string {
  return fs.readFileSync(supergraphFile, 'utf8');
}

export function readApiSchema(): string {
  return fs.readFileSync(apiSchemaFile, 'utf8');
}
