/** npm run compose: writes gateway/supergraph.graphql and the API schema gateway/schema.graphql from the subgraphs' schema.graphql files. */
import fs from 'node:fs';
import { apiSchemaFile, composeGraph, subgraphs, supergraphFile } from '@mms/gateway';

const composed = composeGraph(subgraphs);
for (const [file, content] of [[supergraphFile, composed.supergraph], [apiSchemaFile, composed.apiSchema]] as const) {
  const changed = !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content;
  fs.writeFileSync(file, content);
  console.log(`${file}: ${changed ? 'written' : 'unchanged'}`);
}
