import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import knexFactory, { type Knex } from 'knex';
import { apiReaderRole, withCredentials, withDatabase, type TokenRequest } from '@mms/platform';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { fillFromDuplicate, planMerge, type MergeRecords } from '../src/changes';
import type { EducatorRow } from '../src/store/educators';
import { snilsFor } from '../src/validate';
import { createEducator, createMunicipality, createOrganization, employmentInput } from './fixtures';

/**
 * Duplicates (issue 9): two records of one person are found by name and birth date and merged by a region
 * administrator. Everything of the duplicate moves to the survivor, the duplicate is deleted, and the change feed and
 * staff_api.educator_merge tell the other systems which id became which.
 */
let graph: TestGraph;
let admin: Client;
let north: { id: string };
let south: { id: string };
let northSchool: { id: string };
let southSchool: { id: string };
let superuser: Knex;
let reader: Knex;
const probe = `svc_probe_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  north = await createMunicipality(admin);
  south = await createMunicipality(admin);
  northSchool = await createOrganization(admin, north.id);
  southSchool = await createOrganization(admin, south.id);
  // Another subgraph's view of the staff registry: a role that is a member of staff_api_reader only.
  const database = withDatabase(process.env.MMS_TEST_SERVER_URL!, graph.database);
  superuser = knexFactory({ client: 'pg', connection: database, pool: { min: 0, max: 1 } });
  await superuser.raw(`create role ${probe} login password 'probe'`);
  await superuser.raw(`grant ${apiReaderRole('staff')} to ${probe}`);
  reader = knexFactory({ client: 'pg', connection: withCredentials(database, probe, 'probe'), pool: { min: 0, max: 1 } });
});
afterAll(async () => {
  await reader.destroy();
  await superuser.raw(`drop role if exists ${probe}`).finally(() => superuser.destroy());
  await graph.close();
});

let n = 0;

/** Waits until no transaction older than an audit entry is running, so that the feed shows everything written. */
async function settled() {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const { rows: [{ pending }] } = await graph.db.staff.raw('select count(*) as pending from audit_log where xid >= pg_snapshot_xmin(pg_current_snapshot())');
    if (Number(pending) === 0) return;
    await sleep(25);
  }
  throw new Error('the feed did not catch up with the audit log');
}
const freshSnils = () => snilsFor(400_000_000 + (n += 1));

const mergeMutation = `mutation ($survivorId: ID!, $duplicateId: ID!) {
  mergeEducators(survivorId: $survivorId, duplicateId: $duplicateId) { id lastName email phone } }`;
const merge = (survivorId: string, duplicateId: string, client = admin) => client.run(mergeMutation, { survivorId, duplicateId });
const profileQuery = `query ($id: ID!) { educator(id: $id) {
  id lastName firstName patronymic snils email phone pedagogicalWorkStartedOn educationLevel
  employments { id position isMainJob organization { id } }
  categoryHistory { id category attestation { id } }
  attestations { id stage }
  statuses { id kind validFrom validTo }
  assignedEducators { id educator { id } }
  regionalMethodists { id methodist { id } }
} }`;
const profile = async (id: string) => (await admin.data(profileQuery, { id })).educator;

const grantStatus = async (educatorId: string, kind: string, extra: Record<string, unknown> = {}) =>
  (await admin.data(`mutation ($input: GrantEducatorStatusInput!) { grantEducatorStatus(input: $input) { id } }`, {
    input: { educatorId, kind, validFrom: '2024-09-01', document: { number: `${kind}-${(n += 1)}`, date: '2024-08-20' }, ...extra },
  })).grantEducatorStatus.id as string;
const assign = async (methodistId: string, educatorId: string, validFrom = '2024-10-01') =>
  (await admin.data(`mutation ($input: AssignToRegionalMethodistInput!) { assignToRegionalMethodist(input: $input) { id } }`, {
    input: { methodistId, educatorId, validFrom, validTo: '2025-05-31' },
  })).assignToRegionalMethodist.id as string;
const fileAttestation = async (educatorId: string, filedOn = '2025-01-15') =>
  (await admin.data(`mutation ($input: FileAttestationInput!) { fileAttestation(input: $input) { id } }`, {
    input: { educatorId, requestedCategory: 'FIRST', position: 'учитель', filedOn },
  })).fileAttestation.id as string;
const startEmployment = async (educatorId: string, organizationId: string, overrides: Record<string, unknown>) =>
  (await admin.data(`mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id } }`, {
    input: { educatorId, ...employmentInput(organizationId, overrides) },
  })).startEmployment.id as string;

/** Two records of one person: the second registered later, with another SNILS and the name in other letter case. */
async function twoRecords(survivor: Record<string, unknown> = {}, duplicate: Record<string, unknown> = {},
  duplicateJob: Record<string, unknown> = { isMainJob: false, rate: 0.5 }, duplicateSchool = southSchool.id) {
  const person = { lastName: `Семёнова${(n += 1)}`, firstName: 'Ольга', patronymic: 'Петровна', birthDate: '1985-02-03' };
  const kept = await createEducator(admin, northSchool.id, { ...person, snils: freshSnils(), ...survivor });
  const gone = await createEducator(admin, duplicateSchool, {
    ...person, lastName: person.lastName.toUpperCase().replace('Ё', 'Е'), firstName: 'ольга', snils: freshSnils(), ...duplicate,
  }, duplicateJob);
  return { kept, gone };
}

/** Every row merging may touch, as the database holds it. */
async function snapshot() {
  const db = graph.db.staff;
  const tables = ['educator', 'employment', 'category_award', 'attestation', 'educator_status', 'regional_methodist_assignment', 'external_id', 'educator_merge'];
  const rows = await Promise.all(tables.map((table) => db(table).select().orderBy('id')));
  const [{ count }] = await db('audit_log').count({ count: '*' });
  return { rows: Object.fromEntries(tables.map((table, i) => [table, rows[i]])), auditEntries: Number(count) };
}

async function refused(survivorId: string, duplicateId: string, code: string, client = admin) {
  const before = await snapshot();
  const { errors } = await merge(survivorId, duplicateId, client);
  expect(errors?.[0].extensions?.code).toBe(code);
  expect(await snapshot()).toEqual(before);
  return errors![0];
}

test('a merge moves employments, categories, attestations, statuses, assignments and external ids to the survivor', async () => {
  const { kept, gone } = await twoRecords(
    { email: null, phone: null, educationLevel: null },
    { email: 'olga@school.example', phone: '+79991234567', educationLevel: 'HIGHER_BACHELOR', pedagogicalWorkStartedOn: '2012-09-01' },
  );
  // The duplicate's own history: a second job, an award, an open request, a council membership; as a regional
  // methodist it supports a colleague, and it is itself supported by another methodist.
  const secondJob = await startEmployment(gone.id, northSchool.id, { position: 'педагог-организатор', isMainJob: false, rate: 0.25, startedOn: '2022-09-01' });
  const { recordCategoryAward: award } = await admin.data(`mutation ($input: RecordCategoryAwardInput!) { recordCategoryAward(input: $input) { id } }`,
    { input: { educatorId: gone.id, category: 'FIRST', position: 'учитель', awardedOn: '2021-04-01', orderNumber: '15', orderDate: '2021-04-01' } });
  const request = await fileAttestation(gone.id);
  const council = await grantStatus(gone.id, 'COUNCIL_MEMBER', { municipalityId: south.id });
  const methodistTerm = await grantStatus(gone.id, 'REGIONAL_METHODIST');
  const colleague = await createEducator(admin, southSchool.id);
  const supporting = await assign(gone.id, colleague.id);
  const methodist = await createEducator(admin, northSchool.id);
  await grantStatus(methodist.id, 'REGIONAL_METHODIST');
  const supported = await assign(methodist.id, gone.id);
  const personKey = `T-${n}`;
  await graph.db.staff('external_id').insert({ source: '1С:Зарплата', entity_type: 'educator', external_id: personKey, entity_id: gone.id });

  const { data, errors } = await merge(kept.id, gone.id);
  expect(errors).toBeUndefined();
  // The survivor's own fields stay; its empty optional fields are filled from the duplicate.
  expect(data.mergeEducators).toEqual({ id: kept.id, lastName: expect.stringMatching(/^Семёнова/), email: 'olga@school.example', phone: '+79991234567' });

  const survivor = await profile(kept.id);
  expect(survivor).toMatchObject({ firstName: 'Ольга', snils: kept.snils, pedagogicalWorkStartedOn: '2015-09-01', educationLevel: 'HIGHER_BACHELOR' });
  expect(survivor.employments.map((e: { id: string }) => e.id).sort()).toEqual([kept.employments[0].id, gone.employments[0].id, secondJob].sort());
  expect(survivor.categoryHistory.map((a: { id: string }) => a.id)).toEqual([award.id]);
  expect(survivor.attestations).toEqual([{ id: request, stage: 'FILED' }]);
  expect(survivor.statuses.map((s: { id: string }) => s.id).sort()).toEqual([council, methodistTerm].sort());
  expect(survivor.assignedEducators).toEqual([{ id: supporting, educator: { id: colleague.id } }]);
  expect(survivor.regionalMethodists).toEqual([{ id: supported, methodist: { id: methodist.id } }]);
  expect((await profile(colleague.id)).regionalMethodists).toEqual([{ id: supporting, methodist: { id: kept.id } }]);
  expect(await graph.db.staff('external_id').where({ external_id: personKey }).select('entity_id')).toEqual([{ entity_id: kept.id }]);

  // The duplicate is gone, by id and by SNILS.
  expect((await admin.data(`query ($id: ID!) { educator(id: $id) { id } }`, { id: gone.id })).educator).toBeNull();
  expect((await admin.data(`query ($snils: String!) { educatorBySnils(snils: $snils) { id } }`, { snils: gone.snils })).educatorBySnils).toBeNull();

  // The other subgraphs read which id became which.
  const { rows } = await reader.raw('select duplicate_id, survivor_id, merged_at from staff_api.educator_merge where duplicate_id = ?', [gone.id]);
  expect(rows).toEqual([{ duplicate_id: gone.id, survivor_id: kept.id, merged_at: expect.any(Date) }]);
  await expect(reader.raw('select merged_by_subject from staff.educator_merge')).rejects.toThrow(/permission denied/);
  expect(await graph.db.staff('educator_merge').where({ duplicate_id: gone.id }).select('merged_by_subject')).toEqual([{ merged_by_subject: regionAdmin.subject }]);

  // The feed shows the moves, the merge record and the duplicate's tombstone pointing at the survivor.
  await settled();
  const { changes } = await admin.data(`{ changes(first: 1000) { nodes { entityType entityId operation data mergedIntoId } } }`);
  const tail = changes.nodes.slice(-12);
  expect(tail.at(-1)).toEqual({ entityType: 'Educator', entityId: gone.id, operation: 'DELETED', data: null, mergedIntoId: kept.id });
  expect(tail.at(-2)).toMatchObject({ entityType: 'EducatorMerge', operation: 'CREATED', data: expect.objectContaining({ duplicateId: gone.id, survivorId: kept.id, mergedBySubject: regionAdmin.subject }) });
  expect(tail).toContainEqual(expect.objectContaining({ entityType: 'Employment', entityId: secondJob, operation: 'UPDATED', data: expect.objectContaining({ educatorId: kept.id }) }));
  expect(tail).toContainEqual(expect.objectContaining({ entityType: 'Educator', entityId: kept.id, operation: 'UPDATED', data: expect.objectContaining({ phone: '+79991234567' }) }));
  expect(tail).toContainEqual(expect.objectContaining({ entityType: 'ExternalId', operation: 'UPDATED', data: expect.objectContaining({ entityId: kept.id }) }));
});

test('the same employment, award, grant or assignment recorded on both records is kept once, the survivor\'s', async () => {
  // Both records came from the same school's spreadsheets: the same jobs, the same award and council term.
  const { kept, gone } = await twoRecords({}, {}, {}, northSchool.id);
  const extra = { position: 'педагог дополнительного образования', isMainJob: false, rate: 0.25, startedOn: '2024-09-01' };
  const keptJob = await startEmployment(kept.id, northSchool.id, extra);
  const goneJob = await startEmployment(gone.id, northSchool.id, { ...extra, position: ' Педагог Дополнительного Образования ' });
  const jobKey = `J-${n}`;
  await graph.db.staff('external_id').insert({ source: 'school', entity_type: 'employment', external_id: jobKey, entity_id: goneJob });
  const award = { category: 'FIRST', position: 'учитель', awardedOn: '2021-04-01', orderNumber: '15', orderDate: '2021-04-01' };
  const record = (educatorId: string) => admin.data(`mutation ($input: RecordCategoryAwardInput!) { recordCategoryAward(input: $input) { id } }`, { input: { educatorId, ...award } });
  const { recordCategoryAward: keptAward } = await record(kept.id);
  await record(gone.id);
  const keptTerm = await grantStatus(kept.id, 'COUNCIL_MEMBER', { municipalityId: north.id });
  await grantStatus(gone.id, 'COUNCIL_MEMBER', { municipalityId: north.id });

  expect((await merge(kept.id, gone.id)).errors).toBeUndefined();
  const survivor = await profile(kept.id);
  expect(survivor.employments.map((e: { id: string }) => e.id).sort()).toEqual([kept.employments[0].id, keptJob].sort());
  expect(survivor.categoryHistory.map((a: { id: string }) => a.id)).toEqual([keptAward.id]);
  expect(survivor.statuses.map((s: { id: string }) => s.id)).toEqual([keptTerm]);
  expect(await graph.db.staff('external_id').where({ external_id: jobKey }).select('entity_id')).toEqual([{ entity_id: keptJob }]);
  await settled();
  const { changes } = await admin.data(`{ changes(first: 1000) { nodes { entityType entityId operation mergedIntoId } } }`);
  for (const entityId of [goneJob, gone.employments[0].id]) {
    expect(changes.nodes).toContainEqual({ entityType: 'Employment', entityId, operation: 'DELETED', mergedIntoId: null });
  }
});

test('merging a survivor away later moves the earlier merges on: every merge names a live record', async () => {
  const { kept: first, gone: second } = await twoRecords();
  const third = await createEducator(admin, southSchool.id, { lastName: 'Третья' }, { isMainJob: false, rate: 0.25, position: 'логопед' });
  expect((await merge(first.id, second.id)).errors).toBeUndefined();
  expect((await merge(third.id, first.id)).errors).toBeUndefined();
  const { rows } = await reader.raw('select duplicate_id, survivor_id from staff_api.educator_merge where duplicate_id in (?, ?) order by merged_at', [second.id, first.id]);
  expect(rows).toEqual([{ duplicate_id: second.id, survivor_id: third.id }, { duplicate_id: first.id, survivor_id: third.id }]);
  await settled();
  const { changes } = await admin.data(`{ changes(first: 1000) { nodes { entityId operation mergedIntoId } } }`);
  const tombstones = changes.nodes.filter((c: { operation: string; entityId: string }) => c.operation === 'DELETED' && [first.id, second.id].includes(c.entityId));
  expect(tombstones).toEqual([
    { entityId: second.id, operation: 'DELETED', mergedIntoId: third.id },
    { entityId: first.id, operation: 'DELETED', mergedIntoId: third.id },
  ]);
  expect((await profile(third.id)).employments).toHaveLength(3);
});

test('merges that would break the registry\'s rules are refused and change nothing', async () => {
  const unknown = '00000000-0000-4000-8000-000000000000';
  const { kept, gone } = await twoRecords();
  expect((await refused(kept.id, unknown, 'NOT_FOUND')).message).toMatch(unknown);
  expect((await refused(unknown, gone.id, 'NOT_FOUND')).message).toMatch(unknown);
  expect((await refused(kept.id, kept.id, 'BAD_USER_INPUT')).extensions?.field).toBe('duplicateId');
  expect((await refused(kept.id, kept.id.toUpperCase(), 'BAD_USER_INPUT')).extensions?.field).toBe('duplicateId');
  expect((await refused('not-an-id', gone.id, 'BAD_USER_INPUT')).extensions?.field).toBe('survivorId');

  // Only a region administrator merges; anonymous callers must sign in.
  const others: TokenRequest[] = [
    { role: 'municipality_methodist', municipalityId: north.id }, { role: 'organization_admin', organizationId: northSchool.id },
    { role: 'educator', educatorId: kept.id }, { role: 'analyst' }, { role: 'integration', municipalityId: north.id },
  ];
  for (const token of others) await refused(kept.id, gone.id, 'FORBIDDEN', graph.as(token));
  await refused(kept.id, gone.id, 'UNAUTHENTICATED', graph.anonymous());

  // Two open attestation requests: one must be decided first.
  const keptRequest = await fileAttestation(kept.id);
  const goneRequest = await fileAttestation(gone.id, '2025-02-01');
  expect((await refused(kept.id, gone.id, 'CONFLICT')).message).toMatch(/open attestation request.*decide one first/);
  await admin.data(`mutation ($id: ID!) { startAttestationReview(id: $id, startedOn: "2025-02-10") { id } }`, { id: goneRequest });
  await admin.data(`mutation { decideAttestation(input: { id: "${goneRequest}", outcome: REFUSED, decidedOn: "2025-03-01" }) { id } }`);

  // Overlapping terms of one status from different orders.
  const year = new Date().getUTCFullYear() + 1;
  const keptTerm = await grantStatus(kept.id, 'COUNCIL_MEMBER', { municipalityId: north.id, validFrom: `${year}-01-01`, validTo: `${year}-08-31` });
  await grantStatus(gone.id, 'COUNCIL_MEMBER', { municipalityId: north.id, validFrom: `${year}-06-01`, validTo: `${year}-12-31` });
  expect((await refused(kept.id, gone.id, 'CONFLICT')).message).toMatch(new RegExp(`council_member term from ${year}-06-01 to ${year}-12-31.*terms may not overlap`));
  await admin.data(`mutation ($id: ID!, $validTo: Date!) { endEducatorStatus(id: $id, validTo: $validTo) { id } }`, { id: keptTerm, validTo: `${year}-05-31` });
  // …the same council in another municipality is another status.
  await grantStatus(gone.id, 'COUNCIL_MEMBER', { municipalityId: south.id, validFrom: `${year}-01-01`, validTo: `${year}-08-31` });

  // A second main job over the same days.
  const mainJob = await startEmployment(gone.id, southSchool.id, { position: 'завуч', staffCategory: 'MANAGERIAL', isMainJob: true, startedOn: '2023-09-01' });
  expect((await refused(kept.id, gone.id, 'CONFLICT')).message).toMatch(/employment as завуч from 2023-09-01.*main job/);
  await admin.data(`mutation ($id: ID!) { endEmployment(id: $id, endedOn: "2023-09-01") { id } }`, { id: mainJob });
  expect((await refused(kept.id, gone.id, 'CONFLICT')).message).toMatch(/main job/); // a day still overlaps

  // The survivor would become its own regional methodist.
  const other = await twoRecords();
  await grantStatus(other.gone.id, 'REGIONAL_METHODIST');
  await assign(other.gone.id, other.kept.id);
  expect((await refused(other.kept.id, other.gone.id, 'CONFLICT')).message).toMatch(/assigned to itself/);
  expect(keptRequest).toBeDefined();
});

describe('duplicate candidates', () => {
  const candidatesQuery = `query ($scope: ScopeInput, $first: Int) { duplicateCandidates(scope: $scope, first: $first) {
    reason survivor { id snils } duplicate { id snils } } }`;
  const candidates = async (variables: Record<string, unknown> = {}) => (await admin.data(candidatesQuery, { first: 200, ...variables })).duplicateCandidates as {
    reason: string; survivor: { id: string }; duplicate: { id: string };
  }[];
  const pairs = async (variables: Record<string, unknown> = {}) => (await candidates(variables)).map((c) => [c.survivor.id, c.duplicate.id]);

  test('a pair that differs only in SNILS and letter case (and ё) is found, the older record as the survivor', async () => {
    const { kept, gone } = await twoRecords();
    // Not one person: another patronymic, another birth date.
    await createEducator(admin, northSchool.id, { lastName: 'Семёнова-Другая', patronymic: 'Ивановна' });
    const cousin = await createEducator(admin, northSchool.id, { lastName: 'Лосева', firstName: 'Нина', patronymic: null, birthDate: '1970-01-01' });
    await createEducator(admin, southSchool.id, { lastName: 'Лосева', firstName: 'Нина', patronymic: 'Юрьевна', birthDate: '1970-01-01' });
    const twin = await createEducator(admin, southSchool.id, { lastName: 'лосева', firstName: 'НИНА', patronymic: null, birthDate: '1970-01-01' });

    const found = await candidates();
    expect(found).toContainEqual({ reason: expect.stringMatching(/name.*birth date/), survivor: { id: kept.id, snils: kept.snils }, duplicate: { id: gone.id, snils: gone.snils } });
    expect(await pairs()).toContainEqual([cousin.id, twin.id]);
    expect(found.filter((c) => [kept.id, gone.id, cousin.id, twin.id].includes(c.duplicate.id))).toHaveLength(2);
    // Narrowed: a pair is listed where either record works.
    expect(await pairs({ scope: { municipalityId: south.id } })).toEqual(expect.arrayContaining([[kept.id, gone.id], [cousin.id, twin.id]]));
    expect(await pairs({ scope: { organizationId: northSchool.id } })).toEqual(expect.arrayContaining([[kept.id, gone.id], [cousin.id, twin.id]]));
    const elsewhere = await createMunicipality(admin);
    expect(await pairs({ scope: { municipalityId: elsewhere.id } })).toEqual([]);
    expect(await pairs({ first: 1 })).toHaveLength(1);

    expect((await merge(kept.id, gone.id)).errors).toBeUndefined();
    expect((await pairs()).map(([, duplicate]) => duplicate)).not.toContain(gone.id);
  });

  test('only a region administrator lists candidates; bad arguments are BAD_USER_INPUT', async () => {
    for (const token of [{ role: 'municipality_methodist', municipalityId: north.id }, { role: 'integration', municipalityId: north.id }, { role: 'analyst' }] as TokenRequest[]) {
      expect((await graph.as(token).error(candidatesQuery, {})).code).toBe('FORBIDDEN');
    }
    expect((await graph.anonymous().error(candidatesQuery, {})).code).toBe('UNAUTHENTICATED');
    expect((await admin.error(candidatesQuery, { scope: { municipalityId: 'north' } })).error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scope.municipalityId' });
    expect((await admin.error(candidatesQuery, { first: 0 })).error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

describe('merge rules', () => {
  const educator = (fields: Partial<EducatorRow>): EducatorRow => ({
    id: 'x', lastName: 'Иванова', firstName: 'Анна', patronymic: null, birthDate: '1990-01-01', snils: '00000000000', email: null,
    phone: null, pedagogicalWorkStartedOn: null, educationLevel: null, sortName: '', createdAt: new Date(), updatedAt: new Date(), ...fields,
  });

  test('only the survivor\'s empty fields are filled, and never with a start of work before the survivor turned 14', () => {
    expect(fillFromDuplicate(educator({ email: 'a@x.ru' }), educator({ email: 'b@x.ru', phone: '+7999', patronymic: 'Ивановна' })))
      .toEqual({ phone: '+7999', patronymic: 'Ивановна' });
    expect(fillFromDuplicate(educator({ birthDate: '1990-01-01' }), educator({ pedagogicalWorkStartedOn: '2003-12-31' }))).toEqual({});
    expect(fillFromDuplicate(educator({ birthDate: '1990-01-01' }), educator({ pedagogicalWorkStartedOn: '2004-01-01' }))).toEqual({ pedagogicalWorkStartedOn: '2004-01-01' });
  });

  test('assignments: the same pair and term is kept once; another term of the pair that overlaps is a conflict', () => {
    const records = (assignments: MergeRecords['assignments']): MergeRecords => ({ employments: [], awards: [], attestations: [], statuses: [], assignments });
    const term = { validFrom: '2024-10-01', validTo: '2025-05-31' };
    const same = planMerge('s', 'd', records([{ id: 'a1', methodistId: 'm', educatorId: 's', ...term }, { id: 'a2', methodistId: 'm', educatorId: 'd', ...term }]));
    expect(same).toMatchObject({ assignmentIds: ['a2'], conflicts: [] });
    const overlapping = planMerge('s', 'd', records([{ id: 'a1', methodistId: 'm', educatorId: 's', ...term }, { id: 'a2', methodistId: 'm', educatorId: 'd', validFrom: '2025-01-01', validTo: null }]));
    expect(overlapping.conflicts).toEqual([expect.stringMatching(/already assigned to this regional methodist/)]);
    const adjacent = planMerge('s', 'd', records([{ id: 'a1', methodistId: 'm', educatorId: 's', ...term }, { id: 'a2', methodistId: 'm', educatorId: 'd', validFrom: '2025-06-01', validTo: null }]));
    expect(adjacent).toMatchObject({ assignmentIds: [], conflicts: [] });
    expect(planMerge('s', 'd', records([{ id: 'a1', methodistId: 'd', educatorId: 's', ...term }])).conflicts).toEqual([expect.stringMatching(/itself/)]);
  });
});
