import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { composeSupergraph, readSupergraph, subgraphs } from '@mms/gateway';

/** Generated files are generated, never edited: these fail when a schema changed and `npm run …` was not re-run. */
test('the checked-in supergraph is what the subgraphs compose to (run `npm run compose`)', () => {
  expect(readSupergraph()).toBe(composeSupergraph(subgraphs));
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
