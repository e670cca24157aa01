/** npm run compose: writes gateway/supergraph.graphql from the subgraphs' schema.graphql files. */
import fs from 'node:fs';
import { composeSupergraph, subgraphs, supergraphFile } from '@mms/gateway';

const supergraph = composeSupergraph(subgraphs);
const changed = !fs.existsSync(supergraphFile) || fs.readFileSync(supergraphFile, 'utf8') !== supergraph;
fs.writeFileSync(supergraphFile, supergraph);
console.log(`${supergraphFile}: ${changed ? 'written' : 'unchanged'}`);
