import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { apiReaderRole, withCredentials, withDatabase } from '@mms/platform';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization, employmentInput } from './fixtures';

/**
 * The published views in staff_api are the contract other subgraphs (indicators first) read with set-based SQL.
 * A role that is a member of staff_api_reader, as every other subgraph's role is, reads them and nothing else.
 */
let graph: TestGraph;
let admin: Client;
let reader: Knex;
let superuser: Knex;
const probe = `svc_probe_${randomBytes(4).toString('hex')}`;
let north: { id: string };
let school: { id: string };
let centre: { id: string };
let young: { id: string };
let veteran: { id: string };

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  north = await createMunicipality(admin);
  school = await createOrganization(admin, north.id);
  centre = await createOrganization(admin, north.id, { kind: 'METHODOLOGICAL_CENTRE' });
  young = await createEducator(admin, school.id, { birthDate: '2000-02-01', pedagogicalWorkStartedOn: '2023-09-01' }, { startedOn: '2023-09-01' });
  veteran = await createEducator(admin, school.id, { birthDate: '1970-02-01', pedagogicalWorkStartedOn: '1995-09-01' }, { startedOn: '1995-09-01', endedOn: '2024-12-31' });
  await admin.data(`mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id } }`,
    { input: { educatorId: veteran.id, ...employmentInput(centre.id, { isMainJob: false, rate: 0.5, staffCategory: 'MANAGERIAL', startedOn: '2024-01-10' }) } });

  superuser = knexFactory({ client: 'pg', connection: withDatabase(process.env.MMS_TEST_SERVER_URL!, graph.database), pool: { min: 0, max: 1 } });
  await superuser.raw(`create role ${probe} login password 'probe'`);
  await superuser.raw(`grant ${apiReaderRole('staff')} to ${probe}`);
  reader = knexFactory({ client: 'pg', connection: withCredentials(withDatabase(process.env.MMS_TEST_SERVER_URL!, graph.database), probe, 'probe'), pool: { min: 0, max: 1 } });
});
afterAll(async () => {
  await reader.destroy();
  await superuser.raw(`drop role if exists ${probe}`).finally(() => superuser.destroy());
  await graph.close();
});

test('a reader of the contract gets the views but not the registry tables behind them', async () => {
  await expect(reader.raw('select count(*) from staff.educator')).rejects.toThrow(/permission denied/);
  await expect(reader.raw('insert into staff_api.organization (id, municipality_id, kind, name) values (gen_random_uuid(), ?, \'school\', \'x\')', [north.id]))
    .rejects.toThrow(/permission denied/);
  const { rows } = await reader.raw('select * from staff_api.educator order by birth_date');
  expect(rows.map((r: Record<string, unknown>) => Object.keys(r).sort())[0]).toEqual(['birth_date', 'id', 'pedagogical_work_started_on']);
});

test('employment carries the municipality, so a scope is one join away', async () => {
  const { rows } = await reader.raw('select educator_id, organization_id, municipality_id, staff_category, is_main_job, started_on, ended_on from staff_api.employment where educator_id = ? order by started_on', [veteran.id]);
  expect(rows).toEqual([
    { educator_id: veteran.id, organization_id: school.id, municipality_id: north.id, staff_category: 'pedagogical', is_main_job: true, started_on: '1995-09-01', ended_on: '2024-12-31' },
    { educator_id: veteran.id, organization_id: centre.id, municipality_id: north.id, staff_category: 'managerial', is_main_job: false, started_on: '2024-01-10', ended_on: null },
  ]);
});

test('employed_during lists who worked in each organization during a period, with age and early-career facts on its first day', async () => {
  const { rows } = await reader.raw(`select educator_id, organization_id, is_pedagogical, is_managerial, has_main_job,
    age_on_from, experience_years_on_from, is_under_35, is_early_career
    from staff_api.employed_during('2024-09-01', '2025-08-31') order by age_on_from, organization_id`);
  const byPerson = rows.map((r: Record<string, unknown>) => ({ ...r, educator_id: r.educator_id === young.id ? 'young' : 'veteran' }));
  expect(byPerson).toEqual(expect.arrayContaining([
    { educator_id: 'young', organization_id: school.id, is_pedagogical: true, is_managerial: false, has_main_job: true, age_on_from: 24, experience_years_on_from: 1, is_under_35: true, is_early_career: true },
    { educator_id: 'veteran', organization_id: school.id, is_pedagogical: true, is_managerial: false, has_main_job: true, age_on_from: 54, experience_years_on_from: 29, is_under_35: false, is_early_career: false },
    { educator_id: 'veteran', organization_id: centre.id, is_pedagogical: false, is_managerial: true, has_main_job: false, age_on_from: 54, experience_years_on_from: 29, is_under_35: false, is_early_career: false },
  ]));
  expect(rows).toHaveLength(3);
  // The next year the veteran's school employment has ended; only the centre remains.
  const { rows: next } = await reader.raw(`select organization_id from staff_api.employed_during('2025-09-01', '2026-08-31') where educator_id = ?`, [veteran.id]);
  expect(next).toEqual([{ organization_id: centre.id }]);
});
