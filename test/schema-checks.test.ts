import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse, print, visit } from 'graphql';
import { subgraphs } from '@mms/gateway';
import {
  acknowledgedChangesPath, apiSchemaPath, checkSchemaChangeFiles, descriptionRules, describeSchemaChangeReport,
  lintBaselinePath, lintSchema, missingDescriptions, relayRules, releasedSchemaPath,
} from '../scripts/lib/schema-checks';

/**
 * The schema explains itself and changes on purpose (README, «Schema checks»): graphql-schema-linter on the API schema
 * (gateway/schema.graphql, written by `npm run compose`) and graphql-inspector against the released schema.
 */
const apiSdl = fs.readFileSync(apiSchemaPath, 'utf8');
const show = (findings: { rule: string; message: string; line: number }[]) =>
  findings.map((f) => `${f.rule}: ${f.message} (gateway/schema.graphql, line ${f.line})`);

test('the API schema has a description on every type, field, argument, input field and enum value', () => {
  // Write the missing descriptions in the subgraph's schema.graphql, then `npm run codegen && npm run compose`.
  expect(show(lintSchema(apiSdl, descriptionRules))).toEqual([]);
});

test('the linter catches a missing description (the check is not vacuous)', () => {
  const sdl = '"The root."\ntype Query {\n  "Described."\n  a(b: Int): String\n  c: Int\n}\n';
  expect(lintSchema(sdl, descriptionRules).map((f) => f.message).sort()).toEqual([
    'The `b` argument of `a` is missing a description.',
    'The field `Query.c` is missing a description.',
  ]);
});

test.each(subgraphs.map((s) => [s.name, s.sdl]))('%s: schema.graphql describes every type, field, argument, input field and enum value it defines', (_name, sdl) => {
  expect(missingDescriptions(sdl)).toEqual([]);
});

test('types and fields several subgraphs define carry one description (composition has no description to choose)', () => {
  const result = composeServices(subgraphs.map(({ name, sdl }) => ({ name, typeDefs: parse(sdl), url: `http://${name}` })));
  expect(result.errors).toBeUndefined();
  const inconsistent = (result.hints ?? []).filter((h) => h.definition.code === 'INCONSISTENT_DESCRIPTION').map((h) => h.message.split('\n')[0]);
  expect(inconsistent).toEqual([]);
});

test('the Relay rules find nothing but the known findings of gateway/schema-lint.baseline.json, which may only shrink', () => {
  const baseline = JSON.parse(fs.readFileSync(lintBaselinePath, 'utf8')) as Record<string, string[]>;
  const known = new Set(Object.entries(baseline).flatMap(([rule, messages]) => messages.map((m) => `${rule}: ${m}`)));
  const findings = lintSchema(apiSdl, relayRules);
  const found = new Set(findings.map((f) => `${f.rule}: ${f.message}`));
  const fresh = findings.filter((f) => !known.has(`${f.rule}: ${f.message}`));
  // A new finding: make the connection Relay-complete (edges, node, cursor, pageInfo; first/after or last/before).
  expect(show(fresh)).toEqual([]);
  // A known finding that is gone: remove it from gateway/schema-lint.baseline.json, so that it cannot come back.
  expect([...known].filter((k) => !found.has(k))).toEqual([]);
});

test('the API schema has no breaking change against gateway/schema.released.graphql that is not acknowledged', async () => {
  const report = await checkSchemaChangeFiles();
  expect(describeSchemaChangeReport(report)).toBe('');
});

describe('the schema-change check itself, on a temporary copy', () => {
  let dir: string;
  const files = () => ({ released: path.join(dir, 'released.graphql'), current: path.join(dir, 'current.graphql'), acknowledged: path.join(dir, 'acknowledged.json') });
  /** The API schema without Query.municipalities. */
  const withoutMunicipalities = () => print(visit(parse(apiSdl), {
    ObjectTypeDefinition(node) {
      if (node.name.value !== 'Query') return undefined;
      return { ...node, fields: node.fields?.filter((f) => f.name.value !== 'municipalities') };
    },
  }));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-changes-'));
    fs.writeFileSync(files().released, apiSdl);
    fs.writeFileSync(files().current, withoutMunicipalities());
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a removed field is reported as a breaking change and fails while unacknowledged', async () => {
    fs.writeFileSync(files().acknowledged, '[]');
    const report = await checkSchemaChangeFiles(files());
    expect(report.unacknowledged.map((c) => [c.type, c.path])).toEqual([['FIELD_REMOVED', 'Query.municipalities']]);
    const message = describeSchemaChangeReport(report);
    expect(message).toContain('1 breaking change(s)');
    expect(message).toContain('FIELD_REMOVED at Query.municipalities');
  });

  test('acknowledged with its path and a reason, the same change passes', async () => {
    fs.writeFileSync(files().acknowledged, JSON.stringify([{ path: 'Query.municipalities', type: 'FIELD_REMOVED', reason: 'replaced by a paginated list' }]));
    const report = await checkSchemaChangeFiles(files());
    expect(report.unacknowledged).toEqual([]);
    expect(describeSchemaChangeReport(report)).toBe('');
  });

  test('an acknowledgement without a reason does not count, and one matching no change is reported as stale', async () => {
    fs.writeFileSync(files().acknowledged, JSON.stringify([
      { path: 'Query.municipalities', reason: ' ' },
      { path: 'Query.educators', reason: 'removed once' },
    ]));
    const report = await checkSchemaChangeFiles(files());
    expect(report.unacknowledged.map((c) => c.path)).toEqual(['Query.municipalities']);
    expect(report.invalid.map((a) => a.path)).toEqual(['Query.municipalities']);
    expect(report.stale.map((a) => a.path)).toEqual(['Query.educators']);
    expect(describeSchemaChangeReport(report)).toContain('match no breaking change; remove them');
  });

  test('descriptions and new fields are not breaking', async () => {
    fs.writeFileSync(files().acknowledged, '[]');
    fs.writeFileSync(files().released, withoutMunicipalities());
    const described = '"""The municipality\'s stable id."""';
    expect(apiSdl).toContain(described);
    fs.writeFileSync(files().current, apiSdl.replace(described, '"""The id of the municipality."""'));
    const report = await checkSchemaChangeFiles(files());
    expect(report.changes.map((c) => c.type).sort()).toEqual(['FIELD_ADDED', 'FIELD_DESCRIPTION_ADDED', 'FIELD_DESCRIPTION_CHANGED']);
    expect(report.unacknowledged).toEqual([]);
  });
});

test('the check files exist where the README says', () => {
  for (const file of [releasedSchemaPath, acknowledgedChangesPath, lintBaselinePath]) expect(fs.existsSync(file)).toBe(true);
});
