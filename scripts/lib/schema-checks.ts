/**
 * The API schema's two checks (README, «Schema checks»; test/schema-checks.test.ts runs them in `npm test`):
 *
 * - the linter: graphql-schema-linter's description rules find nothing in gateway/schema.graphql, and its Relay rules
 *   find nothing beyond the known findings of gateway/schema-lint.baseline.json (a list that may only shrink); the
 *   subgraphs' own schema.graphql files, where descriptions are written, are checked for missing ones too;
 * - the schema-change check: graphql-inspector compares gateway/schema.graphql with the released schema
 *   (gateway/schema.released.graphql) and every breaking change must be acknowledged, with a reason, in
 *   gateway/schema-changes.acknowledged.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, type ASTNode } from 'graphql';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';

const gatewayDir = path.join(__dirname, '..', '..', 'gateway');
export const apiSchemaPath = path.join(gatewayDir, 'schema.graphql');
export const releasedSchemaPath = path.join(gatewayDir, 'schema.released.graphql');
export const acknowledgedChangesPath = path.join(gatewayDir, 'schema-changes.acknowledged.json');
export const lintBaselinePath = path.join(gatewayDir, 'schema-lint.baseline.json');

/** Every type, field, argument, input field and enum value has a description (interfaces and unions included). */
export const descriptionRules = [
  'types-have-descriptions',
  'fields-have-descriptions',
  'arguments-have-descriptions',
  'input-object-values-have-descriptions',
  'enum-values-have-descriptions',
  'descriptions-are-capitalized',
] as const;

/** Connections as Relay's connection specification defines them. */
export const relayRules = ['relay-connection-types-spec', 'relay-connection-arguments-spec', 'relay-page-info-spec'] as const;

export interface LintFinding {
  rule: string;
  message: string;
  /** The line in the linted SDL. */
  line: number;
}

interface LinterError { ruleName: string; message: string; locations?: { line: number }[] }
/* graphql-schema-linter ships no type declarations: its programmatic entry points, as its own runner uses them. */
const { Configuration } = require('graphql-schema-linter/lib/configuration.js') as {
  Configuration: new (schema: unknown, options: { rules: string[] }) => { getRules(): unknown[] };
};
const { validateSchemaDefinition } = require('graphql-schema-linter/lib/validator.js') as {
  validateSchemaDefinition(schema: unknown, rules: unknown[], configuration: unknown): LinterError[];
};
const { Schema } = require('graphql-schema-linter/lib/schema.js') as { Schema: new (definition: string, sourceMap: unknown) => unknown };
const { SourceMap } = require('graphql-schema-linter/lib/source_map.js') as { SourceMap: new (sources: Record<string, string>) => unknown };

/** Runs graphql-schema-linter's `rules` on an SDL, as `npx graphql-schema-linter --rules …` does. */
export function lintSchema(sdl: string, rules: readonly string[], name = 'schema.graphql'): LintFinding[] {
  const schema = new Schema(sdl, new SourceMap({ [name]: sdl }));
  const configuration = new Configuration(schema, { rules: [...rules] });
  const loaded = configuration.getRules();
  if (loaded.length !== rules.length) throw new Error(`graphql-schema-linter knows ${loaded.length} of the rules ${rules.join(', ')}`);
  return validateSchemaDefinition(schema, loaded, configuration)
    .map((e) => ({ rule: e.ruleName, message: e.message, line: e.locations?.[0]?.line ?? 0 }));
}

/**
 * The elements of a subgraph's SDL that have no description, as coordinates (`Type`, `Type.field`,
 * `Type.field(argument)`, `Enum.VALUE`). Type extensions (`extend type`) cannot carry one and are skipped, their
 * fields are not.
 */
export function missingDescriptions(sdl: string): string[] {
  const missing: string[] = [];
  const check = (node: ASTNode & { description?: unknown }, coordinate: string) => {
    if (!node.description) missing.push(coordinate);
  };
  for (const def of parse(sdl).definitions) {
    if (!('name' in def) || !def.name) continue;
    const type = def.name.value;
    if (!def.kind.endsWith('Extension')) check(def, type);
    for (const field of 'fields' in def ? def.fields ?? [] : []) {
      check(field, `${type}.${field.name.value}`);
      for (const arg of 'arguments' in field ? field.arguments ?? [] : []) check(arg, `${type}.${field.name.value}(${arg.name.value})`);
    }
    for (const value of 'values' in def ? def.values ?? [] : []) check(value, `${type}.${value.name.value}`);
  }
  return missing;
}

/** A breaking change that was decided on: its path as graphql-inspector reports it, and why it is accepted. */
export interface Acknowledgement {
  /** graphql-inspector's path of the change, e.g. `Query.educators` or `Educator.fullName`. */
  path: string;
  /** graphql-inspector's change type (e.g. FIELD_REMOVED); any change at the path when omitted. */
  type?: string;
  /** Why the change is accepted (who is told, what replaces it). */
  reason: string;
}

export interface SchemaChangeReport {
  /** Every change graphql-inspector found, breaking or not. */
  changes: Change[];
  /** Breaking changes no acknowledgement covers: the check fails on them. */
  unacknowledged: Change[];
  /** Acknowledgements that cover no breaking change any more (released since, or never needed): remove them. */
  stale: Acknowledgement[];
  /** Acknowledgements without a path or a reason. */
  invalid: Acknowledgement[];
}

function covers(ack: Acknowledgement, change: Change): boolean {
  return ack.path === change.path && (!ack.type || ack.type === change.type);
}

/** Compares the current API schema with the released one; breaking changes must be acknowledged. */
export async function checkSchemaChanges(releasedSdl: string, currentSdl: string, acknowledged: Acknowledgement[]): Promise<SchemaChangeReport> {
  const changes = await diff(buildSchema(releasedSdl), buildSchema(currentSdl));
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  const invalid = acknowledged.filter((a) => typeof a.path !== 'string' || !a.path || typeof a.reason !== 'string' || !a.reason.trim());
  const valid = acknowledged.filter((a) => !invalid.includes(a));
  return {
    changes,
    unacknowledged: breaking.filter((c) => !valid.some((a) => covers(a, c))),
    stale: valid.filter((a) => !breaking.some((c) => covers(a, c))),
    invalid,
  };
}

/** The check on files: the released schema, the current one and the acknowledgements. */
export async function checkSchemaChangeFiles(files = { released: releasedSchemaPath, current: apiSchemaPath, acknowledged: acknowledgedChangesPath }): Promise<SchemaChangeReport> {
  const acknowledged = JSON.parse(fs.readFileSync(files.acknowledged, 'utf8')) as Acknowledgement[];
  if (!Array.isArray(acknowledged)) throw new Error(`${files.acknowledged}: a JSON array of { "path", "type"?, "reason" } expected`);
  return checkSchemaChanges(fs.readFileSync(files.released, 'utf8'), fs.readFileSync(files.current, 'utf8'), acknowledged);
}

/** A report as a developer reads it in a failing test. */
export function describeSchemaChangeReport(report: SchemaChangeReport, acknowledgedFile = 'gateway/schema-changes.acknowledged.json'): string {
  const lines: string[] = [];
  if (report.unacknowledged.length) {
    lines.push(`${report.unacknowledged.length} breaking change(s) against gateway/schema.released.graphql, not acknowledged in ${acknowledgedFile}:`);
    for (const c of report.unacknowledged) lines.push(`  - ${c.type} at ${c.path ?? '(schema)'}: ${c.message}`);
    lines.push(`Keep the old field/argument/type (deprecate it), or add { "path": "…", "type": "…", "reason": "…" } to ${acknowledgedFile}.`);
  }
  if (report.stale.length) {
    lines.push(`${report.stale.length} acknowledgement(s) in ${acknowledgedFile} match no breaking change; remove them:`);
    for (const a of report.stale) lines.push(`  - ${a.path}${a.type ? ` (${a.type})` : ''}`);
  }
  if (report.invalid.length) {
    lines.push(`${report.invalid.length} acknowledgement(s) without a path or a reason:`);
    for (const a of report.invalid) lines.push(`  - ${JSON.stringify(a)}`);
  }
  return lines.join('\n');
}
