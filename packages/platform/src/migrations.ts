import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { repoRoot } from './config';
import { adminKnex, migrationConfig, rolePassword, roleName, subgraphDatabaseUrl, subgraphKnex } from './db';

/** Subgraphs that have migrations: one folder each under db-migrations/. */
export function migratedSubgraphs(): string[] {
  const root = path.join(repoRoot, 'db-migrations');
  return fs.readdirSync(root).filter((name) => fs.statSync(path.join(root, name)).isDirectory()).sort(byStartOrder);
}

// staff first: the others' views and checks read its published views.
const order = ['staff', 'profdev', 'events', 'indicators'];
function byStartOrder(a: string, b: string): number {
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/**
 * Creates (idempotently) the subgraph's role and its two schemas: `<name>` for its tables and `<name>_api` for the
 * read-only views it publishes to the others. Nobody else may use them until a migration grants it.
 */
export async function provisionSubgraph(admin: Knex, subgraph: string): Promise<void> {
  const role = roleName(subgraph);
  const database = (await admin.raw('select current_database() as name')).rows[0].name as string;
  await admin.raw(`
    do $$ begin
      if not exists (select from pg_roles where rolname = '${role}') then
        create role ${role} login nosuperuser nocreatedb nocreaterole;
      end if;
    end $$`);
  await admin.raw(`alter role ${role} password ${quoteLiteral(rolePassword(subgraph))}`);
  await admin.raw(`grant connect on database ${quoteIdent(database)} to ${role}`);
  for (const schema of [subgraph, `${subgraph}_api`]) {
    await admin.raw(`create schema if not exists ${schema} authorization ${role}`);
    await admin.raw(`revoke all on schema ${schema} from public`);
  }
  // The group role that other subgraphs join to read `<name>_api`; the subgraph's own migrations grant it SELECT.
  await admin.raw(`
    do $$ begin
      if not exists (select from pg_roles where rolname = '${apiReaderRole(subgraph)}') then
        create role ${apiReaderRole(subgraph)} nologin;
      end if;
    end $$`);
  // Trigram indexes make "name contains" searches use an index instead of scanning every row (bench/: 44 → 2 ms
  // at 60,000 educators). An extension is the admin's to create; the subgraphs' migrations only use it.
  await admin.raw('create extension if not exists pg_trgm with schema public');
  // PostgreSQL 15+ already keeps PUBLIC from creating in `public`; older servers are told so explicitly.
  await admin.raw('revoke create on schema public from public');
}

/** Granted SELECT on `<name>_api` by the subgraph's migrations; members are the other subgraphs' roles. */
export const apiReaderRole = (subgraph: string) => `${subgraph}_api_reader`;

export type MigrationAction = 'up' | 'status' | 'rollback';

/** Runs one action for the given subgraphs (all by default), each as its own role inside its own schema. */
export async function runMigrations(action: MigrationAction, subgraphs = migratedSubgraphs(), adminUrl?: string): Promise<string[]> {
  const report: string[] = [];
  if (action === 'up') {
    const admin = adminKnex(adminUrl);
    try {
      for (const subgraph of subgraphs) await provisionSubgraph(admin, subgraph);
      // Every subgraph may read every other's published views (and nothing else of theirs).
      for (const reader of subgraphs) {
        for (const publisher of subgraphs) {
          if (reader !== publisher) await admin.raw(`grant ${apiReaderRole(publisher)} to ${roleName(reader)}`);
        }
      }
    } finally {
      await admin.destroy();
    }
  }
  for (const subgraph of subgraphs) {
    const knex = subgraphKnex(subgraph, subgraphDatabaseUrl(subgraph, adminUrl), { min: 0, max: 1 });
    try {
      const config = migrationConfig(subgraph);
      if (action === 'up') {
        const [batch, files] = await knex.migrate.latest(config);
        report.push(`${subgraph}: ${files.length ? `batch ${batch}: ${files.join(', ')}` : 'already up to date'}`);
      } else if (action === 'rollback') {
        const [batch, files] = await knex.migrate.rollback(config);
        report.push(`${subgraph}: ${files.length ? `rolled back batch ${batch}: ${files.join(', ')}` : 'nothing to roll back'}`);
      } else {
        const [done, pending] = await knex.migrate.list(config);
        report.push(`${subgraph}: ${done.length} applied${done.length ? ` (${done.map((m: { name: string }) => m.name).join(', ')})` : ''}, ${pending.length} pending${pending.length ? ` (${pending.map((m: { file: string }) => m.file).join(', ')})` : ''}`);
      }
    } finally {
      await knex.destroy();
    }
  }
  return report;
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
function quoteIdent(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}
