import { randomBytes } from 'node:crypto';
import { execute, parse } from 'graphql';
import knexFactory, { type Knex } from 'knex';
import {
  apiReaderRole, mintDevToken, subgraphContext, subgraphDatabaseUrl, subgraphKnex, subgraphSchema, withCredentials, withDatabase,
  type TokenRequest,
} from '@mms/platform';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { staffSubgraph } from '../src';
import { seedDemo } from '../src/seed';
import { createEducator, createMunicipality, createOrganization, educatorInput, employmentInput } from './fixtures';

/**
 * The audit log (issue 8): database triggers record every change every mutation makes, in staff.audit_log, with the
 * token's role and subject and the request id; Query.auditLog reads it, for region_admin only.
 * The tests run in order: each mutation of the story below is checked right after it ran.
 */
let graph: TestGraph;
let admin: Client;
let methodist: Client;
let municipality: { id: string };
let school: { id: string; name: string; inn: string };
let educator: { id: string; snils: string; employments: { id: string }[] };
let attestationId: string;
let startedAt: string;

let methodistToken: TokenRequest;

const auditQuery = `query ($filter: AuditFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
    nodes { id at actorRole actorSubject requestId entityType entityId operation before after changedFields }
  } }`;

interface Entry {
  id: string; at: string; actorRole: string; actorSubject: string | null; requestId: string | null; entityType: string;
  entityId: string; operation: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null;
  changedFields: string[];
}

async function auditLog(filter: Record<string, unknown> = {}, first = 200, after?: string, client = admin) {
  return (await client.data(auditQuery, { filter, first, after })).auditLog as {
    totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { id: string } }[]; nodes: Entry[];
  };
}
const entries = async (filter: Record<string, unknown> = {}) => (await auditLog(filter)).nodes;
const totalCount = async () => (await auditLog({}, 0)).totalCount;

beforeAll(async () => {
  graph = await createTestGraph();
  startedAt = new Date(Date.now() - 1000).toISOString();
  admin = graph.as(regionAdmin);
  municipality = await createMunicipality(admin);
  methodistToken = { role: 'municipality_methodist', municipalityId: municipality.id, subject: 'methodist-1' };
  methodist = graph.as(methodistToken);
});
afterAll(() => graph.close());

test('creating an organization records the new row with the role and subject of the token and the request id', async () => {
  school = await createOrganization(methodist, municipality.id, { shortName: null, address: null });
  const [entry, ...more] = await entries({ entityId: school.id });
  expect(more).toEqual([]);
  expect(entry).toEqual({
    id: expect.stringMatching(/^\d+$/), at: expect.any(String),
    actorRole: 'municipality_methodist', actorSubject: 'methodist-1', requestId: expect.stringMatching(/.+/),
    entityType: 'Organization', entityId: school.id, operation: 'INSERT', before: null,
    after: expect.objectContaining({ id: school.id, municipalityId: municipality.id, name: school.name, kind: 'school', inn: school.inn, shortName: null }),
    changedFields: ['createdAt', 'id', 'inn', 'kind', 'municipalityId', 'name', 'updatedAt'],
  });
  expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(Date.parse(startedAt));
  expect(Date.parse(entry.at)).toBeLessThanOrEqual(Date.now());
});

test('creating an educator with an employment records both rows under one request id', async () => {
  educator = await createEducator(methodist, school.id, { lastName: 'Аудитова', phone: '+79990000001' });
  const [employment, person] = await entries({ actorSubject: 'methodist-1' });
  expect(person).toMatchObject({ entityType: 'Educator', entityId: educator.id, operation: 'INSERT', before: null, actorSubject: 'methodist-1' });
  expect(employment).toMatchObject({ entityType: 'Employment', entityId: educator.employments[0].id, operation: 'INSERT', before: null });
  expect(employment.after).toMatchObject({ educatorId: educator.id, organizationId: school.id, position: 'учитель', staffCategory: 'pedagogical', rate: 1, isMainJob: true, startedOn: '2020-09-01', endedOn: null });
  expect(person.after).toMatchObject({ lastName: 'Аудитова', phone: '+79990000001', snils: educator.snils.replace(/\D/g, ''), birthDate: '1990-05-17', educationLevel: 'higher_specialist_or_master' });
  // Derived columns (the generated sort_name) are not part of what a mutation changed.
  expect(person.after).not.toHaveProperty('sortName');
  expect(person.requestId).toBe(employment.requestId);
  const [organization] = await entries({ entityId: school.id });
  expect(person.requestId).not.toBe(organization.requestId);
  expect(Number(employment.id)).toBeGreaterThan(Number(person.id));
  expect(employment.at).toBe(person.at); // one transaction, one instant
});

test('updating an educator records the row before and after and names exactly the fields that changed', async () => {
  await methodist.data(`mutation ($id: ID!) { updateEducator(id: $id, input: { lastName: "Переписанная", phone: "+79990000002" }) { id } }`, { id: educator.id });
  const [entry] = await entries({ entityType: 'Educator', entityId: educator.id });
  expect(entry).toMatchObject({ operation: 'UPDATE', actorRole: 'municipality_methodist', actorSubject: 'methodist-1', changedFields: ['lastName', 'phone', 'updatedAt'] });
  expect(entry.before).toMatchObject({ lastName: 'Аудитова', phone: '+79990000001', firstName: 'Анна' });
  expect(entry.after).toMatchObject({ lastName: 'Переписанная', phone: '+79990000002', firstName: 'Анна' });
  expect(Object.keys(entry.after!).sort()).toEqual(Object.keys(entry.before!).sort());
});

test('ending an employment records the update of that employment', async () => {
  const employmentId = educator.employments[0].id;
  await methodist.data(`mutation ($id: ID!) { endEmployment(id: $id, endedOn: "2025-06-30") { id } }`, { id: employmentId });
  const [entry] = await entries({ entityId: employmentId });
  expect(entry).toMatchObject({ entityType: 'Employment', operation: 'UPDATE', changedFields: ['endedOn', 'updatedAt'], actorSubject: 'methodist-1' });
  expect(entry.before).toMatchObject({ endedOn: null });
  expect(entry.after).toMatchObject({ endedOn: '2025-06-30' });
});

test('filing an attestation records the request; a grant records the decision and the award in one request', async () => {
  const { fileAttestation } = await methodist.data(`mutation ($input: FileAttestationInput!) { fileAttestation(input: $input) { id } }`,
    { input: { educatorId: educator.id, requestedCategory: 'FIRST', position: 'учитель', filedOn: '2025-01-15' } });
  attestationId = fileAttestation.id;
  const [filed] = await entries({ entityType: 'Attestation', entityId: attestationId });
  expect(filed).toMatchObject({ operation: 'INSERT', actorSubject: 'methodist-1', changedFields: expect.arrayContaining(['educatorId', 'filedOn', 'requestedCategory', 'stage']) });
  expect(filed.after).toMatchObject({ educatorId: educator.id, requestedCategory: 'first', stage: 'filed', filedOn: '2025-01-15', outcome: null });

  await admin.data(`mutation ($id: ID!) { startAttestationReview(id: $id, startedOn: "2025-02-01") { id } }`, { id: attestationId });
  await admin.data(`mutation ($input: DecideAttestationInput!) { decideAttestation(input: $input) { id } }`,
    { input: { id: attestationId, outcome: 'GRANTED', decidedOn: '2025-03-01', orderNumber: '12-а', orderDate: '2025-03-01' } });
  const [award, decided, reviewed] = await entries({ actorSubject: regionAdmin.subject });
  expect(reviewed).toMatchObject({ entityType: 'Attestation', entityId: attestationId, operation: 'UPDATE', actorRole: 'region_admin', changedFields: ['reviewStartedOn', 'stage', 'updatedAt'] });
  expect(decided).toMatchObject({ entityType: 'Attestation', entityId: attestationId, operation: 'UPDATE', changedFields: ['decidedOn', 'outcome', 'stage', 'updatedAt'] });
  expect(award).toMatchObject({ entityType: 'CategoryAward', operation: 'INSERT', actorRole: 'region_admin', actorSubject: regionAdmin.subject });
  expect(award.after).toMatchObject({ educatorId: educator.id, attestationId, category: 'first', awardedOn: '2025-03-01', orderNumber: '12-а' });
  expect(award.requestId).toBe(decided.requestId);
  expect(reviewed.requestId).not.toBe(decided.requestId);
});

test('a mutation that fails leaves no audit entry, even when it had written before failing', async () => {
  const before = await totalCount();
  const mutations: [string, string, Record<string, unknown>][] = [
    // the update runs, then the rule across fields refuses it and the transaction rolls back
    ['BAD_USER_INPUT', `mutation ($id: ID!) { updateEducator(id: $id, input: { lastName: "Никогда", birthDate: "2016-01-01" }) { id } }`, { id: educator.id }],
    ['CONFLICT', `mutation ($id: ID!) { endEmployment(id: $id, endedOn: "2026-01-01") { id } }`, { id: educator.employments[0].id }],
    ['CONFLICT', `mutation ($input: FileAttestationInput!) { fileAttestation(input: $input) { id } }`,
      { input: { educatorId: educator.id, requestedCategory: 'HIGHEST', position: 'учитель', filedOn: '2025-04-01' } }],
    ['CONFLICT', `mutation ($input: CreateEducatorInput!) { createEducator(input: $input) { id } }`,
      { input: { ...educatorInput({ snils: educator.snils }), employment: employmentInput(school.id) } }],
    ['FORBIDDEN', `mutation { createMunicipality(input: { name: "Чужой", oktmo: "99999999" }) { id } }`, {}],
  ];
  // A second open request is a CONFLICT only while the first is open: open one again.
  await methodist.data(`mutation ($input: FileAttestationInput!) { fileAttestation(input: $input) { id } }`,
    { input: { educatorId: educator.id, requestedCategory: 'HIGHEST', position: 'учитель', filedOn: '2025-03-15' } });
  const withOpen = await totalCount();
  expect(withOpen).toBe(before + 1);
  for (const [code, mutation, variables] of mutations) {
    expect((await methodist.error(mutation, variables)).code).toBe(code);
  }
  expect(await totalCount()).toBe(withOpen);
  const { educator: unchanged } = await admin.data(`query ($id: ID!) { educator(id: $id) { lastName } }`, { id: educator.id });
  expect(unchanged.lastName).toBe('Переписанная');
});

test('the request id a request came with is the one its entries carry', async () => {
  const token = await mintDevToken(regionAdmin);
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-request-id': 'audit-test-42' };
  const contextValue = await subgraphContext(staffSubgraph, (name) => headers[name.toLowerCase()], graph.db.staff);
  const result = await execute({
    schema: subgraphSchema(staffSubgraph), contextValue,
    document: parse(`mutation ($id: ID!) { updateOrganization(id: $id, input: { address: "ул. Ленина, 1" }) { id } }`),
    variableValues: { id: school.id },
  });
  expect(result.errors).toBeUndefined();
  const [entry] = await entries({ entityId: school.id });
  expect(entry).toMatchObject({ requestId: 'audit-test-42', operation: 'UPDATE', changedFields: ['address', 'updatedAt'], after: expect.objectContaining({ address: 'ул. Ленина, 1' }) });
});

test('only a region administrator may read the audit log; anonymous callers must sign in', async () => {
  const others: TokenRequest[] = [
    methodistToken,
    { role: 'organization_admin', organizationId: school.id },
    { role: 'educator', educatorId: educator.id },
    { role: 'analyst' },
    { role: 'integration', municipalityId: municipality.id },
  ];
  for (const token of others) {
    const refused = await graph.as(token).error(auditQuery, {});
    expect([token.role, refused.code]).toEqual([token.role, 'FORBIDDEN']);
  }
  expect((await graph.anonymous().error(auditQuery, {})).code).toBe('UNAUTHENTICATED');
  expect((await auditLog()).totalCount).toBeGreaterThan(0);
});

test('the audit log filters by entity type, entity, actor and time', async () => {
  const all = await entries();
  expect(all.length).toBeGreaterThan(8);
  const educators = await entries({ entityType: 'Educator' });
  expect(educators.map((e) => e.entityId)).toEqual([educator.id, educator.id]);
  const byMethodist = await entries({ actorSubject: 'methodist-1' });
  expect(byMethodist.length).toBeGreaterThan(0);
  expect(byMethodist.every((e) => e.actorSubject === 'methodist-1')).toBe(true);
  expect(byMethodist).toEqual(all.filter((e) => e.actorSubject === 'methodist-1'));
  const both = await entries({ entityType: 'Employment', actorSubject: 'methodist-1' });
  expect(both.map((e) => e.operation)).toEqual(['UPDATE', 'INSERT']);

  expect(await entries({ from: startedAt, to: new Date(Date.now() + 60_000).toISOString() })).toEqual(all);
  expect(await entries({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
  expect(await entries({ to: startedAt })).toEqual([]);
  const newest = all[0];
  expect(await entries({ from: newest.at, to: newest.at })).toEqual([]); // `to` is exclusive
  expect((await entries({ from: newest.at })).map((e) => e.id)).toContain(newest.id); // `from` is inclusive
  expect(await entries({ entityId: '00000000-0000-4000-8000-000000000000' })).toEqual([]);
});

test('bad filters and foreign cursors are BAD_USER_INPUT', async () => {
  const bad = async (variables: Record<string, unknown>) => (await admin.error(auditQuery, variables)).error.extensions;
  expect(await bad({ filter: { entityType: 'Teacher' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.entityType' });
  expect(await bad({ filter: { entityType: 'educator' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.entityType' });
  expect(await bad({ filter: { entityId: 'not-an-id' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.entityId' });
  expect(await bad({ filter: { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
  expect(await bad({ filter: { from: 'yesterday' } })).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(await bad({ first: 201 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  const { educators } = await admin.data(`{ educators(first: 1) { pageInfo { endCursor } } }`);
  expect(await bad({ after: educators.pageInfo.endCursor })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  expect(await bad({ after: Buffer.from('[-1]').toString('base64url') })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
});

test('the audit log pages newest first without gaps or repeats', async () => {
  const all = await auditLog();
  const ids = all.nodes.map((e) => Number(e.id));
  expect(ids).toEqual([...ids].sort((a, b) => b - a));
  expect(new Set(ids).size).toBe(ids.length);
  const paged: string[] = [];
  let after: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await auditLog({}, 3, after);
    expect(page.totalCount).toBe(all.totalCount);
    expect(page.pageInfo.hasPreviousPage).toBe(after !== undefined);
    expect(page.edges.map((e) => e.node.id)).toEqual(page.nodes.map((e) => e.id));
    paged.push(...page.nodes.map((e) => e.id));
    pages += 1;
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor!;
  }
  expect(paged).toEqual(all.nodes.map((e) => e.id));
  expect(pages).toBe(Math.ceil(all.totalCount / 3));
});

describe('in the database', () => {
  let superuser: Knex;
  let reader: Knex;
  const probe = `svc_probe_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    superuser = knexFactory({ client: 'pg', connection: withDatabase(process.env.MMS_TEST_SERVER_URL!, graph.database), pool: { min: 0, max: 1 } });
    await superuser.raw(`create role ${probe} login password 'probe'`);
    await superuser.raw(`grant ${apiReaderRole('staff')} to ${probe}`);
    reader = knexFactory({ client: 'pg', connection: withCredentials(withDatabase(process.env.MMS_TEST_SERVER_URL!, graph.database), probe, 'probe'), pool: { min: 0, max: 1 } });
  });
  afterAll(async () => {
    await reader.destroy();
    await superuser.raw(`drop role if exists ${probe}`).finally(() => superuser.destroy());
  });

  test('every staff table is audited, and every audited table has an entity type', async () => {
    const { rows } = await superuser.raw(`
      select c.relname as name, exists (select from pg_trigger t where t.tgrelid = c.oid and t.tgname = 'audit') as audited
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'staff' and c.relkind in ('r', 'p') and c.relname not in ('audit_log', 'knex_migrations', 'knex_migrations_lock')
      order by c.relname`);
    expect(rows.filter((r: { audited: boolean }) => !r.audited)).toEqual([]);
    expect(rows.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['educator', 'employment', 'regional_methodist_assignment']));
    for (const { name } of rows as { name: string }[]) {
      const entityType = name.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
      expect((await admin.run(auditQuery, { filter: { entityType }, first: 0 })).errors).toBeUndefined();
    }
  });

  test('the log is in schema staff, not published in staff_api, and closed to the other subgraphs\' roles', async () => {
    const { rows } = await superuser.raw(`select to_regclass('staff.audit_log')::text as log, to_regclass('staff_api.audit_log')::text as published`);
    expect(rows).toEqual([{ log: 'staff.audit_log', published: null }]);
    await expect(reader.raw('select count(*) from staff.audit_log')).rejects.toThrow(/permission denied/);
    const { rows: views } = await superuser.raw(`select viewname from pg_views where schemaname = 'staff_api' and definition ilike '%audit%'`);
    expect(views).toEqual([]);
  });

  test('the log is append-only, and a write that changes nothing is not recorded', async () => {
    await expect(graph.db.staff.raw('update audit_log set actor_role = \'region_admin\'')).rejects.toThrow(/append-only/);
    await expect(graph.db.staff.raw('delete from audit_log')).rejects.toThrow(/append-only/);
    await expect(graph.db.staff.raw('truncate audit_log')).rejects.toThrow(/append-only/);
    const before = await totalCount();
    await graph.db.staff('educator').where({ id: educator.id }).update({ last_name: graph.db.staff.ref('last_name') });
    expect(await totalCount()).toBe(before);
  });

  test('a malformed actor setting does not stop the write: it is kept as an unknown actor', async () => {
    await graph.db.staff.transaction(async (trx) => {
      await trx.raw("select set_config('mms.actor', 'someone in psql', true)");
      await trx('organization').where({ id: school.id }).update({ address: 'ул. Ручная, 2' });
    });
    const [entry] = await entries({ entityId: school.id });
    expect(entry).toMatchObject({ actorRole: 'unknown', actorSubject: 'someone in psql', requestId: null, changedFields: ['address'] });
  });

  test('writes outside any request (the demo seed) are recorded as the system, even on a connection a mutation used', async () => {
    // One connection: a mutation's transaction sets the actor on it, then the seed runs on the same session.
    const single = subgraphKnex('staff', subgraphDatabaseUrl('staff', withDatabase(process.env.MMS_TEST_SERVER_URL!, graph.database)), { min: 0, max: 1 });
    try {
      await single.transaction(async (trx) => {
        await trx.raw("select set_config('mms.actor', ?, true), set_config('mms.request_id', 'earlier-request', true)", [JSON.stringify({ role: 'region_admin', subject: 'earlier' })]);
        await trx('organization').where({ id: school.id }).update({ short_name: 'Школа', updated_at: trx.fn.now() });
      });
      const before = await totalCount();
      const counts = await single.transaction((trx) => seedDemo(trx));
      const log = await auditLog({}, 200);
      const seeded = log.totalCount - before;
      expect(seeded).toBeGreaterThan(counts.educators * 2);
      const newest = log.nodes.slice(0, Math.min(seeded, 200));
      expect(newest.filter((e) => e.actorRole !== 'system' || e.actorSubject !== null || e.requestId !== null)).toEqual([]);
      expect(log.nodes[seeded]).toMatchObject({ actorSubject: 'earlier' });
      const [municipalityEntry] = await entries({ entityType: 'Municipality' });
      expect(municipalityEntry).toMatchObject({ actorRole: 'system', operation: 'INSERT', after: expect.objectContaining({ oktmo: '05717000' }) });
      const [earlier] = await entries({ entityId: school.id });
      expect(earlier).toMatchObject({ actorRole: 'region_admin', actorSubject: 'earlier', requestId: 'earlier-request', changedFields: ['shortName', 'updatedAt'] });
    } finally {
      await single.destroy();
    }
  });
});
