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
 *
 * Only what is missing is created, so the admin connection needs only the rights for that: on a server where a DBA
 * created the roles, schemas and extension beforehand (docs/postgresql.md), `npm run migrate` runs with an admin role
 * that is not a superuser and may create nothing. The role's password is set when the role is created here, and
 * kept in step with `SVC_<NAME>_PASSWORD` afterwards only by an admin that may change roles.
 */
export async function provisionSubgraph(admin: Knex, subgraph: string): Promise<void> {
  const role = roleName(subgraph);
  const database = (await admin.raw('select current_database() as name')).rows[0].name as string;
  const mayManageRoles = (await admin.raw('select rolsuper or rolcreaterole as may from pg_roles where rolname = current_user')).rows[0].may as boolean;
  const roleExists = async (name: string) => (await admin.raw('select 1 from pg_roles where rolname = ?', [name])).rows.length > 0;
  if (!(await roleExists(role))) {
    await admin.raw(`create role ${role} login nosuperuser nocreatedb nocreaterole password ${quoteLiteral(rolePassword(subgraph))}`);
  } else if (mayManageRoles) {
    await admin.raw(`alter role ${role} password ${quoteLiteral(rolePassword(subgraph))}`);
  }
  if (!(await admin.raw('select has_database_privilege(?, current_database(), \'CONNECT\') as ok', [role])).rows[0].ok) {
    await admin.raw(`grant connect on database ${quoteIdent(database)} to ${role}`);
  }
  for (const schema of [subgraph, `${subgraph}_api`]) {
    if ((await admin.raw('select 1 from pg_namespace where nspname = ?', [schema])).rows.length) continue;
    // `create schema … authorization` needs the admin to be able to act as the role (PostgreSQL 15: membership; 16+:
    // SET): a superuser can; a CREATEROLE admin that created the role here grants itself that first.
    if (!(await admin.raw('select pg_has_role(current_user, ?, \'USAGE\') as ok', [role])).rows[0].ok) await admin.raw(`grant ${role} to current_user`);
    await admin.raw(`create schema ${schema} authorization ${role}`);
    await admin.raw(`revoke all on schema ${schema} from public`);
  }
  // The group role that other subgraphs join to read `<name>_api`; the subgraph's own migrations grant it SELECT.
  if (!(await roleExists(apiReaderRole(subgraph)))) await admin.raw(`create role ${apiReaderRole(subgraph)} nologin`);
  // Trigram indexes make "name contains" searches use an index instead of scanning every row (bench/: 44 → 2 ms
  // at 60,000 educators). pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: the database's owner
  // may create it; the subgraphs' migrations only use it.
  if (!(await admin.raw("select 1 from pg_extension where extname = 'pg_trgm'")).rows.length) {
    await admin.raw('create extension pg_trgm with schema public');
  }
  // PostgreSQL 15+ already keeps PUBLIC from creating in `public`; a database upgraded from an older one may not.
  const publicMayCreate = (await admin.raw(`
    select exists (select from pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
                   where n.nspname = 'public' and a.grantee = 0 and a.privilege_type = 'CREATE') as may`)).rows[0].may as boolean;
  if (publicMayCreate) await admin.raw('revoke create on schema public from public');
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
          if (reader === publisher) continue;
          const granted = (await admin.raw('select pg_has_role(?, ?, \'MEMBER\') as ok', [roleName(reader), apiReaderRole(publisher)])).rows[0].ok;
          if (!granted) await admin.raw(`grant ${apiReaderRole(publisher)} to ${roleName(reader)}`);
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
