import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../src/config';
import knexFactory, { type Knex } from 'knex';
import { roleName, subgraphDatabaseUrl, withCredentials, withDatabase } from '../src/db';
import { migratedSubgraphs, runMigrations } from '../src/migrations';

/**
 * Migrations against the real PostgreSQL of the test run, on a database of our own made empty (not cloned from the
 * template): each subgraph migrates as its own role, keeps its bookkeeping in its own schema, and cannot touch
 * anybody else's.
 */

const serverUrl = process.env.MMS_TEST_SERVER_URL;
const suffix = randomBytes(5).toString('hex');
const database = `mig_test_${suffix}`;
const probeRole = `svc_probe_${suffix}`;
const probePassword = `probe_${randomBytes(8).toString('hex')}`;

let server: Knex;
let url: string;
/** Superuser on our database. */
let admin: Knex;
const opened: Knex[] = [];

function connect(connection: string): Knex {
  const knex = knexFactory({ client: 'pg', connection, pool: { min: 0, max: 1 } });
  opened.push(knex);
  return knex;
}

async function tablesIn(schema: string): Promise<string[]> {
  const { rows } = await admin.raw(
    'select table_name from information_schema.tables where table_schema = ? order by table_name', [schema]);
  return rows.map((row: { table_name: string }) => row.table_name);
}

const staffTables = ['attestation', 'audit_log', 'category_award', 'educator', 'educator_merge', 'educator_status', 'employment', 'external_id', 'municipality',
  'organization', 'organization_status', 'regional_methodist_assignment'];
// Every migration file of each subgraph, in the order knex runs them; subgraphs in the order they migrate (staff first:
// the others' published views and checks read staff_api).
const migrationsOf = (subgraph: string) => fs.readdirSync(path.join(repoRoot, 'db-migrations', subgraph)).filter((f) => f.endsWith('.ts')).sort();
const filesOf = (subgraph: string) => migrationsOf(subgraph).join(', ');
const subgraphs = migratedSubgraphs();
/** The subgraphs after staff, which read its views: they are rolled back before it. */
const others = subgraphs.filter((name) => name !== 'staff');
const staffMigrations = migrationsOf('staff');
const files = filesOf('staff');
const bookkeeping = ['knex_migrations', 'knex_migrations_lock'];
const profdevTables = ['association_member', 'association_plan', 'association_plan_item', 'audit_log', 'competency', 'complaint', 'council_meeting',
  'development_route', 'diagnostic', 'diagnostic_score', 'method_association', 'method_council', 'mentorship', 'program', 'program_competency',
  'program_completion', 'publication', 'route_item', 'route_template', 'route_template_item', 'support',
  // issue 20: requests for help, support sessions, surveys, data requests
  'help_request', 'help_request_support', 'support_session', 'support_session_participant', 'survey', 'survey_question', 'survey_respondent',
  'survey_response', 'survey_answer', 'data_request', 'data_request_target',
  // courses (issue 24)
  'course_application', 'course_certificate', 'course_run', 'internship', 'internship_participant', 'route_item_internship',
  'route_item_self_education', 'self_education', 'upskilling_plan', 'upskilling_plan_quota',
  // practices, materials, files, projects (issue 19)
  'file_chunk', 'material', 'material_author', 'material_practice', 'practice', 'practice_author', 'practice_competency', 'practice_presentation',
  'practice_review', 'practice_review_criterion', 'practice_review_score', 'practice_reviewer', 'practice_step', 'project', 'project_practice', 'stored_file'];

beforeAll(async () => {
  if (!serverUrl) throw new Error('run the tests with jest (its global setup starts PostgreSQL)');
  server = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await server.raw(`create database "${database}"`);
  url = withDatabase(serverUrl, database);
  admin = connect(url);
});

afterAll(async () => {
  await Promise.all(opened.map((knex) => knex.destroy()));
  if (!server) return;
  try {
    await server.raw(`drop database if exists "${database}" with (force)`);
    await server.raw(`drop role if exists "${probeRole}"`);
  } finally {
    await server.destroy();
  }
});

// The tests below run in order and build on each other: migrate, migrate again, look, roll back, migrate again.
describe('runMigrations on an empty database', () => {
  test('up creates every subgraph\'s tables and reports the migrations it applied, staff first', async () => {
    expect(subgraphs[0]).toBe('staff');
    const report = await runMigrations('up', undefined, url);
    expect(report).toEqual(subgraphs.map((name) => `${name}: batch 1: ${filesOf(name)}`));
    expect(await tablesIn('staff')).toEqual([...staffTables, ...bookkeeping].sort());
    if (subgraphs.includes('profdev')) expect(await tablesIn('profdev')).toEqual([...profdevTables, ...bookkeeping].sort());
  });

  test('up again says the database is already up to date', async () => {
    expect(await runMigrations('up', undefined, url)).toEqual(subgraphs.map((name) => `${name}: already up to date`));
  });

  test('status lists the applied migrations and nothing pending', async () => {
    expect(await runMigrations('status', undefined, url)).toEqual(subgraphs.map((name) => `${name}: ${migrationsOf(name).length} applied (${filesOf(name)}), 0 pending`));
  });

  test('the migration bookkeeping lives in each subgraph\'s schema, not in public', async () => {
    const { rows } = await admin.raw(
      `select table_schema, table_name from information_schema.tables where table_name like 'knex_migrations%' order by 1, 2`);
    expect(rows).toEqual([...subgraphs].sort().flatMap((schema) => bookkeeping.map((table_name) => ({ table_schema: schema, table_name }))));
    expect(await tablesIn('public')).toEqual([]);
    const { rows: applied } = await admin.raw('select name, batch from staff.knex_migrations');
    expect(applied).toEqual(staffMigrations.map((name) => ({ name, batch: 1 })));
  });

  test('the staff tables and schema belong to role svc_staff', async () => {
    const { rows } = await admin.raw(
      `select nspname as schema, pg_get_userbyid(nspowner) as owner from pg_namespace where nspname in ('staff', 'staff_api') order by 1`);
    expect(rows).toEqual([{ schema: 'staff', owner: 'svc_staff' }, { schema: 'staff_api', owner: 'svc_staff' }]);
    const { rows: owners } = await admin.raw(`select distinct tableowner from pg_tables where schemaname = 'staff'`);
    expect(owners).toEqual([{ tableowner: 'svc_staff' }]);
  });

  test('rollback removes the staff tables, and up brings them back', async () => {
    // The others' published views read staff_api: they are rolled back first, in reverse order.
    for (const name of [...others].reverse()) {
      expect(await runMigrations('rollback', [name], url)).toEqual([`${name}: rolled back batch 1: ${[...migrationsOf(name)].reverse().join(', ')}`]);
      expect(await tablesIn(name)).toEqual(bookkeeping);
    }
    expect(await runMigrations('rollback', ['staff'], url)).toEqual([`staff: rolled back batch 1: ${[...staffMigrations].reverse().join(', ')}`]);
    expect(await tablesIn('staff')).toEqual(bookkeeping);
    expect(await runMigrations('status', ['staff'], url)).toEqual([`staff: 0 applied, ${staffMigrations.length} pending (${files})`]);
    expect(await runMigrations('rollback', ['staff'], url)).toEqual(['staff: nothing to roll back']);

    expect(await runMigrations('up', ['staff'], url)).toEqual([`staff: batch 1: ${files}`]);
    expect(await tablesIn('staff')).toEqual([...staffTables, ...bookkeeping].sort());
    for (const name of others) expect(await runMigrations('up', [name], url)).toEqual([`${name}: batch 1: ${filesOf(name)}`]);
    if (subgraphs.includes('profdev')) expect(await tablesIn('profdev')).toEqual([...profdevTables, ...bookkeeping].sort());
  });
});

describe('each subgraph role keeps to its own schema', () => {
  let staff: Knex;
  beforeAll(() => {
    staff = connect(subgraphDatabaseUrl('staff', url));
  });

  test('svc_staff connects as itself and writes its own tables', async () => {
    const { rows } = await staff.raw('select current_user as name');
    expect(rows[0].name).toBe(roleName('staff'));
    const [municipality] = await staff('staff.municipality').insert({ name: 'Probe district', oktmo: '12345678' }).returning(['id', 'name']);
    expect(municipality).toMatchObject({ name: 'Probe district' });
    const [educator] = await staff('staff.educator')
      .insert({ last_name: 'Семёнов', first_name: 'Иван', birth_date: '1980-05-01', snils: '11223344595' })
      .returning(['id', 'sort_name', 'birth_date']);
    expect(educator).toMatchObject({ sort_name: 'семенов иван ', birth_date: '1980-05-01' });
    await staff.raw('create table staff.scratch (id int)');
    await staff.raw('drop table staff.scratch');
  });

  test('svc_staff cannot create a table in schema public', async () => {
    await expect(staff.raw('create table public.intruder (id int)')).rejects.toThrow(/permission denied for schema public/);
  });

  test('svc_staff cannot create a schema', async () => {
    await expect(staff.raw('create schema intruder')).rejects.toThrow(/permission denied for database/);
  });

  test('svc_staff cannot create roles or databases', async () => {
    await expect(staff.raw('create role intruder')).rejects.toThrow(/permission denied/);
    await expect(staff.raw('create database intruder')).rejects.toThrow(/permission denied/);
  });

  test('the role of another subgraph gets permission denied on staff.educator', async () => {
    await server.raw(`create role "${probeRole}" login password '${probePassword}'`);
    const probe = connect(withCredentials(url, probeRole, probePassword));
    const { rows } = await probe.raw('select current_user as name');
    expect(rows[0].name).toBe(probeRole);
    await expect(probe.raw('select * from staff.educator')).rejects.toThrow(/permission denied/);
    await expect(probe.raw(`insert into staff.municipality (name, oktmo) values ('x', '87654321')`)).rejects.toThrow(/permission denied/);
    await expect(probe.raw('select * from staff.knex_migrations')).rejects.toThrow(/permission denied/);
  });
});
