import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { buildSchema } from 'graphql';
import { composeGraph, readApiSchema, readSupergraph, subgraphs } from '@mms/gateway';

/** Generated files are generated, never edited: these fail when a schema changed and `npm run …` was not re-run. */
const composed = composeGraph(subgraphs);

test('the checked-in supergraph is what the subgraphs compose to (run `npm run compose`)', () => {
  expect(readSupergraph()).toBe(composed.supergraph);
});

test('the checked-in API schema is the composed graph\'s (run `npm run compose`), a plain schema without federation', () => {
  const file = readApiSchema();
  expect(file).toBe(composed.apiSchema);
  // What codegen and IDEs read: valid on its own, no join__/link__ machinery, no federation directives or _entities.
  const schema = buildSchema(file);
  expect(Object.keys(schema.getTypeMap()).filter((name) => /^(join__|link__|_Entity|_Service|_Any$)/.test(name))).toEqual([]);
  expect(file).not.toMatch(/@(key|shareable|external|requires|provides|join__|link|inaccessible|tag)\b|_entities|_service/);
  expect(schema.getQueryType()!.getFields().calendar.args.map((a) => a.name)).toEqual(['municipalityId', 'level', 'kind', 'from', 'to']);
  expect(schema.getMutationType()!.getFields()).toHaveProperty('createMunicipality');
});

test('every subgraph folder is in the supergraph', () => {
  const folders = fs.readdirSync(path.join(__dirname, '../../services')).filter((name) =>
    fs.existsSync(path.join(__dirname, '../../services', name, 'schema.graphql')));
  expect(subgraphs.map((s) => s.name).sort()).toEqual(folders.sort());
});

test('the generated resolver types match the schemas (run `npm run codegen`)', () => {
  // The codegen CLI is ESM inside: it runs as a process of its own, writing into a scratch folder.
  const root = path.join(__dirname, '../..');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'codegen-'));
  try {
    execFileSync(path.join(root, 'node_modules/.bin/graphql-codegen'), ['--config', 'codegen.ts', '--silent'], {
      cwd: root, env: { ...process.env, CODEGEN_OUT_DIR: scratch }, stdio: 'pipe',
    });
    for (const { name } of subgraphs) {
      const file = `services/${name}/src/generated/graphql.ts`;
      expect({ file, content: fs.readFileSync(path.join(root, file), 'utf8') })
        .toEqual({ file, content: fs.readFileSync(path.join(scratch, file), 'utf8') });
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
