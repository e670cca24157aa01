import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { repoRoot } from '../src/config';
import { rolePassword, subgraphDatabaseUrl, withCredentials, withDatabase } from '../src/db';
import { migratedSubgraphs, runMigrations } from '../src/migrations';

/**
 * The DBA path of docs/postgresql.md (issue 26): a superuser runs the page's SQL block once, and `npm run migrate`
 * then runs with `mms_migrator`, a role that is no superuser, may create no role, and owns nothing. The SQL is read
 * from the page itself, so the page cannot drift from what works. Run against the embedded 18 by `npm test`, and
 * against PostgreSQL 15 by `.ci/run`.
 */
const serverUrl = process.env.MMS_TEST_SERVER_URL!;
const database = `dba_test_${randomBytes(5).toString('hex')}`;
const migratorPassword = `migrator_${randomBytes(8).toString('hex')}`;
const opened: Knex[] = [];
const connect = (connection: string) => {
  const knex = knexFactory({ client: 'pg', connection, pool: { min: 0, max: 1 } });
  opened.push(knex);
  return knex;
};
let superuser: Knex;
let url: string;

/** The page's SQL, with this test's database and passwords: the subgraph roles keep the ones the test run uses. */
function dbaSql(): string {
  const page = fs.readFileSync(path.join(repoRoot, 'docs', 'postgresql.md'), 'utf8');
  const block = /## The SQL a DBA runs[\s\S]*?```sql\n([\s\S]*?)```/.exec(page);
  if (!block) throw new Error('docs/postgresql.md has no DBA SQL block');
  let sql = block[1].replace("'change-me-migrator'", `'${migratorPassword}'`);
  for (const subgraph of migratedSubgraphs()) sql = sql.replace(`'change-me-${subgraph}'`, `'${rolePassword(subgraph)}'`);
  expect(sql).not.toMatch(/change-me/);
  return sql;
}

beforeAll(async () => {
  const server = connect(serverUrl);
  await server.raw(`create database "${database}"`);
  url = withDatabase(serverUrl, database);
  superuser = connect(url);
  await superuser.raw(dbaSql());
});

afterAll(async () => {
  await Promise.all(opened.map((knex) => knex.destroy()));
  const server = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  try {
    await server.raw(`drop database if exists "${database}" with (force)`);
  } finally {
    await server.destroy();
  }
});

test('the migrator role of the DBA page is no superuser and may create no role, database or schema', async () => {
  const migrator = connect(withCredentials(url, 'mms_migrator', migratorPassword));
  const { rows } = await migrator.raw(`select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user`);
  expect(rows).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
  await expect(migrator.raw('create schema intruder')).rejects.toThrow(/permission denied/);
});

test('npm run migrate runs as that role on a database the DBA prepared, and the subgraphs can write (audit included)', async () => {
  const report = await runMigrations('up', undefined, withCredentials(url, 'mms_migrator', migratorPassword));
  expect(report).toEqual(migratedSubgraphs().map((name) => expect.stringMatching(new RegExp(`^${name}: batch 1: `))));
  expect(await runMigrations('up', undefined, withCredentials(url, 'mms_migrator', migratorPassword)))
    .toEqual(migratedSubgraphs().map((name) => `${name}: already up to date`));
  // An audited write, with an actor as a mutation sets it: the audit trigger must run on this server's version.
  const staff = connect(subgraphDatabaseUrl('staff', url));
  await staff.transaction(async (trx) => {
    await trx.raw("select set_config('mms.actor', ?, true)", [JSON.stringify({ role: 'region_admin', subject: 'dba "test" ж' })]);
    await trx('staff.municipality').insert({ name: 'DBA district', oktmo: '12345670' });
  });
  const { rows } = await staff.raw(`select actor_role, actor_subject, operation from staff.audit_log where table_name = 'municipality'`);
  expect(rows).toEqual([{ actor_role: 'region_admin', actor_subject: 'dba "test" ж', operation: 'insert' }]);
});

test('a malformed actor is kept as text and never fails the write', async () => {
  const staff = connect(subgraphDatabaseUrl('staff', url));
  for (const [index, actor] of ['{"role":', '{"role":"x","subject":"\\u0000"}', 'plain words'].entries()) {
    await staff.transaction(async (trx) => {
      await trx.raw("select set_config('mms.actor', ?, true)", [actor]);
      await trx('staff.municipality').insert({ name: `Odd actor ${index}`, oktmo: `8765432${index}` });
    });
  }
  const { rows } = await staff.raw(`select actor_role, actor_subject from staff.audit_log where table_name = 'municipality' and actor_role = 'unknown' order by id`);
  expect(rows).toEqual([
    { actor_role: 'unknown', actor_subject: '{"role":' },
    { actor_role: 'unknown', actor_subject: '{"role":"x","subject":"\\u0000"}' },
    { actor_role: 'unknown', actor_subject: 'plain words' },
  ]);
});
