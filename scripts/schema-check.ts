/**
 * npm run schema:check: the schema checks of `npm test` (test/schema-checks.test.ts) with a readable report: the
 * linter's findings by rule on gateway/schema.graphql, the subgraph elements without a description, and the breaking
 * changes against gateway/schema.released.graphql. Exit code 1 when a check fails.
 *
 * npm run schema:release: a release of the API schema: copies gateway/schema.graphql to gateway/schema.released.graphql
 * and empties gateway/schema-changes.acknowledged.json (what was acknowledged is released now).
 * Run `npm run compose` first: both read the API schema that compose writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { subgraphs } from '@mms/gateway';
import {
  acknowledgedChangesPath, apiSchemaPath, checkSchemaChangeFiles, descriptionRules, describeSchemaChangeReport,
  lintBaselinePath, lintSchema, missingDescriptions, relayRules, releasedSchemaPath,
} from './lib/schema-checks';

const relative = (file: string) => path.relative(process.cwd(), file);

async function main(): Promise<number> {
  if (process.argv.includes('--release')) {
    fs.copyFileSync(apiSchemaPath, releasedSchemaPath);
    fs.writeFileSync(acknowledgedChangesPath, '[]\n');
    console.log(`${relative(releasedSchemaPath)}: the released API schema is now ${relative(apiSchemaPath)}; ${relative(acknowledgedChangesPath)} emptied`);
    return 0;
  }
  let failed = false;
  const sdl = fs.readFileSync(apiSchemaPath, 'utf8');
  const baseline = JSON.parse(fs.readFileSync(lintBaselinePath, 'utf8')) as Record<string, string[]>;
  const findings = lintSchema(sdl, [...descriptionRules, ...relayRules]);
  console.log(`graphql-schema-linter on ${relative(apiSchemaPath)}:`);
  for (const rule of [...descriptionRules, ...relayRules]) {
    const own = findings.filter((f) => f.rule === rule);
    const fresh = own.filter((f) => !(baseline[rule] ?? []).includes(f.message));
    console.log(`  ${rule}: ${own.length}${own.length - fresh.length ? ` (${own.length - fresh.length} known, in ${relative(lintBaselinePath)})` : ''}`);
    for (const f of fresh) console.log(`    line ${f.line}: ${f.message}`);
    if (fresh.length) failed = true;
  }
  for (const { name, sdl: subgraphSdl } of subgraphs) {
    const missing = missingDescriptions(subgraphSdl);
    console.log(`services/${name}/schema.graphql: ${missing.length} element(s) without a description${missing.length ? `: ${missing.join(', ')}` : ''}`);
    if (missing.length) failed = true;
  }
  const report = await checkSchemaChangeFiles();
  const breaking = report.changes.filter((c) => c.criticality.level === 'BREAKING').length;
  console.log(`graphql-inspector against ${relative(releasedSchemaPath)}: ${report.changes.length} change(s), ${breaking} breaking`);
  const problems = describeSchemaChangeReport(report);
  if (problems) {
    console.log(problems);
    failed = true;
  }
  return failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => { console.error(error); process.exitCode = 1; });
