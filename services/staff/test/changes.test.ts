import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { encodeCursor, type TokenRequest } from '@mms/platform';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { decodeChangeCursor, encodeChangeCursor } from '../src/changes';
import { snilsFor } from '../src/validate';
import { createEducator, createMunicipality, createOrganization, employmentInput } from './fixtures';

/**
 * The change feed (issue 9, journey 7): a regional system reads every change of the registry in its scope, in pages,
 * from a cursor it stores, including deletions and merges, and never misses one, even when transactions commit in
 * another order than they began.
 */
let graph: TestGraph;
let admin: Client;
let north: { id: string };
let south: { id: string };
let northSchool: { id: string; inn: string };
let southSchool: { id: string; inn: string };

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  north = await createMunicipality(admin);
  south = await createMunicipality(admin);
  northSchool = await createOrganization(admin, north.id);
  southSchool = await createOrganization(admin, south.id);
});
afterAll(() => graph.close());

interface Change {
  cursor: string; entityType: string; entityId: string; operation: 'CREATED' | 'UPDATED' | 'DELETED'; at: string;
  data: Record<string, any> | null; mergedIntoId: string | null;
}
interface Page {
  cursor: string | null; nodes: Change[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const changesQuery = `query ($after: String, $first: Int) {
  changes(after: $after, first: $first) {
    cursor
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { cursor entityType entityId operation at data mergedIntoId }
  } }`;

async function page(after: string | null, first = 100, client = admin): Promise<Page> {
  return (await client.data(changesQuery, { after, first })).changes;
}

/** Reads pages until the feed has nothing more to give now; returns what was read and the cursor to store. */
async function drain(after: string | null, first = 100, client = admin) {
  const changes: Change[] = [];
  let cursor = after;
  let pages = 0;
  for (;;) {
    const next = await page(cursor, first, client);
    changes.push(...next.nodes);
    cursor = next.cursor;
    pages += 1;
    if (!next.pageInfo.hasNextPage) return { changes, cursor, pages };
  }
}

/**
 * Waits until no transaction older than an audit entry is running: the feed then shows everything written. (The
 * horizon is the server's: a test file running beside this one may hold it back for a moment.)
 */
async function settled() {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const { rows: [{ pending }] } = await graph.db.staff.raw('select count(*) as pending from audit_log where xid >= pg_snapshot_xmin(pg_current_snapshot())');
    if (Number(pending) === 0) return;
    await sleep(25);
  }
  throw new Error('the feed did not catch up with the audit log');
}

const entityTypes: Record<string, string> = {
  municipality: 'Municipality', organization: 'Organization', educator: 'Educator', employment: 'Employment',
  attestation: 'Attestation', category_award: 'CategoryAward', educator_status: 'EducatorStatus',
  organization_status: 'OrganizationStatus', regional_methodist_assignment: 'RegionalMethodistAssignment',
  external_id: 'ExternalId', educator_merge: 'EducatorMerge',
};
const operations: Record<string, string> = { insert: 'CREATED', update: 'UPDATED', delete: 'DELETED' };

/** The audit log as the feed must tell it: every entry after `after`, in the feed's order. */
async function auditLogAfter(after: string | null) {
  const query = graph.db.staff('audit_log').select('id', 'xid', 'table_name', 'entity_id', 'operation').orderBy([{ column: 'xid' }, { column: 'id' }]);
  if (after) {
    const { xid, id } = decodeChangeCursor(after);
    query.whereRaw('(xid, id) > (?::xid8, ?::bigint)', [xid, id]);
  }
  const rows: { id: number; xid: string; table_name: string; entity_id: string; operation: string }[] = await query;
  return rows.map((row) => ({ id: row.id, entityType: entityTypes[row.table_name], entityId: row.entity_id, operation: operations[row.operation] }));
}
const told = (changes: Change[]) => changes.map((c) => ({ id: decodeChangeCursor(c.cursor).id, entityType: c.entityType, entityId: c.entityId, operation: c.operation }));

const updateEducatorMutation = `mutation ($id: ID!, $input: UpdateEducatorInput!) { updateEducator(id: $id, input: $input) { id } }`;
const startEmploymentMutation = `mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id } }`;
const endEmploymentMutation = `mutation ($id: ID!, $endedOn: Date!) { endEmployment(id: $id, endedOn: $endedOn) { id } }`;
const mergeMutation = `mutation ($survivorId: ID!, $duplicateId: ID!) { mergeEducators(survivorId: $survivorId, duplicateId: $duplicateId) { id } }`;

test('a consumer paging with first: 100 from the beginning reads every change, in order, with creations, updates and tombstones', async () => {
  const educators = [];
  for (let i = 0; i < 55; i += 1) {
    // the third works part-time: merged into the second below, it must not bring a second main job
    educators.push(await createEducator(admin, i % 2 ? northSchool.id : southSchool.id, { lastName: `Лентина${i}` }, i === 2 ? { isMainJob: false, rate: 0.5 } : {}));
  }
  const [first, second, third] = educators;
  await admin.data(updateEducatorMutation, { id: first.id, input: { phone: '+79990001122', patronymic: null } });
  await admin.data(endEmploymentMutation, { id: first.employments[0].id, endedOn: '2025-06-30' });
  await admin.data(`mutation ($id: ID!) { updateOrganization(id: $id, input: { address: "ул. Лесная, 3" }) { id } }`, { id: northSchool.id });
  await admin.data(`mutation ($input: RecordCategoryAwardInput!) { recordCategoryAward(input: $input) { id } }`,
    { input: { educatorId: second.id, category: 'FIRST', position: 'учитель', awardedOn: '2023-03-01', orderNumber: '7', orderDate: '2023-03-01' } });
  // The only deletion there is: a merge, which leaves a tombstone pointing at the survivor.
  await admin.data(mergeMutation, { survivorId: second.id, duplicateId: third.id });
  await settled();

  const { changes, pages } = await drain(null, 100);
  expect(pages).toBeGreaterThan(1);
  expect(told(changes)).toEqual(await auditLogAfter(null));
  expect(new Set(changes.map((c) => c.cursor)).size).toBe(changes.length);

  const ofFirst = changes.filter((c) => c.entityId === first.id);
  expect(ofFirst.map((c) => c.operation)).toEqual(['CREATED', 'UPDATED']);
  expect(ofFirst[0].data).toMatchObject({ id: first.id, lastName: 'Лентина0', patronymic: 'Сергеевна', birthDate: '1990-05-17', educationLevel: 'higher_specialist_or_master' });
  expect(ofFirst[0].data).not.toHaveProperty('sortName');
  expect(ofFirst[1].data).toMatchObject({ phone: '+79990001122', patronymic: null, lastName: 'Лентина0' });
  expect(changes.filter((c) => c.entityId === first.employments[0].id).map((c) => [c.operation, c.data?.endedOn ?? null]))
    .toEqual([['CREATED', null], ['UPDATED', '2025-06-30']]);
  expect(changes.find((c) => c.entityType === 'CategoryAward')).toMatchObject({ operation: 'CREATED', data: expect.objectContaining({ educatorId: second.id, category: 'first' }) });

  const tombstone = changes.find((c) => c.entityId === third.id && c.operation === 'DELETED');
  expect(tombstone).toMatchObject({ entityType: 'Educator', data: null, mergedIntoId: second.id });
  const merge = changes.find((c) => c.entityType === 'EducatorMerge');
  expect(merge).toMatchObject({ operation: 'CREATED', data: expect.objectContaining({ duplicateId: third.id, survivorId: second.id }), mergedIntoId: null });
  // The employment moved before the duplicate was deleted; nothing else is a tombstone.
  const moved = changes.filter((c) => c.entityId === third.employments[0].id);
  expect(moved.at(-1)).toMatchObject({ operation: 'UPDATED', data: expect.objectContaining({ educatorId: second.id }) });
  expect(changes.indexOf(moved.at(-1)!)).toBeLessThan(changes.indexOf(tombstone!));
  expect(changes.filter((c) => c.operation === 'DELETED')).toEqual([tombstone]);
  expect(changes.every((c) => c.mergedIntoId === null || c === tombstone)).toBe(true);
  expect(changes.every((c) => !Number.isNaN(Date.parse(c.at)))).toBe(true);
});

test('a stored cursor resumes exactly after the last change read: no repeats, no gaps, whatever the page size', async () => {
  const everything = (await drain(null, 1000)).changes;
  expect(everything.length).toBeGreaterThan(100);
  for (const size of [1, 7, 100]) {
    const stopAt = 37;
    const head = (await page(null, stopAt)).nodes;
    const stored = head.at(-1)!.cursor;
    const rest = await drain(stored, size);
    expect([...head, ...rest.changes]).toEqual(everything);
  }
  const first = await page(null, 10);
  expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: first.nodes[0].cursor, endCursor: first.nodes[9].cursor });
  expect(first.cursor).toBe(first.pageInfo.endCursor);
  const second = await page(first.cursor, 10);
  expect(second.pageInfo.hasPreviousPage).toBe(true);
  expect(second.nodes).toEqual(everything.slice(10, 20));

  // At the end of the feed the cursor stays where it was, and a page from it is empty until something changes.
  const tip = (await drain(null, 1000)).cursor!;
  expect(await page(tip)).toEqual({ cursor: tip, nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null } });
});

test('a transaction that commits late is not skipped: the feed stops behind it until it ends', async () => {
  await settled();
  const start = (await drain(null, 1000)).cursor;
  // A begins and writes first; B begins later, writes, and commits before A does.
  const a: Knex.Transaction = await graph.db.staff.transaction();
  let late: string;
  try {
    await a.raw("select set_config('mms.actor', ?, true)", [JSON.stringify({ role: 'integration', subject: 'late-writer' })]);
    [{ id: late }] = await a('municipality').insert({ name: 'Поздний район', oktmo: '45999001' }).returning('id');
    const early = await createMunicipality(admin);

    // The consumer reads while A runs: B is committed but not shown, since A began before it and may still write.
    const meanwhile = await page(start);
    expect(meanwhile.nodes).toEqual([]);
    expect(meanwhile.cursor).toBe(start);
    // An id-ordered cursor would have moved past A's entry here: A's entry has the lower id and is not committed yet.
    const [ofA] = await graph.db.staff('audit_log').where({ entity_id: late }).select('id'); // visible to nobody yet
    expect(ofA).toBeUndefined();
    const [ofB] = await graph.db.staff('audit_log').where({ entity_id: early.id }).select('id');
    expect(ofB).toBeDefined();

    await a.commit();
    await settled();
    const after = await drain(meanwhile.cursor);
    expect(after.changes.map((c) => [c.entityType, c.entityId, c.operation])).toEqual([
      ['Municipality', late, 'CREATED'],
      ['Municipality', early.id, 'CREATED'],
    ]);
    expect(told(after.changes)).toEqual(await auditLogAfter(start));
    const [{ id: idOfA }] = await graph.db.staff('audit_log').where({ entity_id: late }).select('id');
    expect(idOfA).toBeLessThan(ofB.id);
  } finally {
    if (!a.isCompleted()) await a.rollback();
  }
});

test('a record changed last by a transaction that began earlier ends, in the feed, as it is in the table', async () => {
  const teacher = await createEducator(admin, northSchool.id);
  await settled();
  const start = (await drain(null, 1000)).cursor;
  const a: Knex.Transaction = await graph.db.staff.transaction();
  try {
    await a.raw("select set_config('mms.actor', ?, true)", [JSON.stringify({ role: 'region_admin', subject: 'slow-writer' })]);
    // A has its transaction id (it wrote something else) before B begins.
    await a('organization').where({ id: southSchool.id }).update({ short_name: 'Южная', updated_at: a.fn.now() });
    await admin.data(updateEducatorMutation, { id: teacher.id, input: { phone: '+79990000001' } });
    await a('educator').where({ id: teacher.id }).update({ phone: '+79990000002', updated_at: a.fn.now() });
    await a.commit();
  } finally {
    if (!a.isCompleted()) await a.rollback();
  }
  await settled();
  const { changes } = await drain(start);
  expect(told(changes)).toEqual(await auditLogAfter(start));
  const ofTeacher = changes.filter((c) => c.entityId === teacher.id);
  expect(ofTeacher.map((c) => c.data?.phone)).toEqual(['+79990000001', '+79990000002']);
  const [row] = await graph.db.staff('educator').where({ id: teacher.id }).select('phone');
  expect(row.phone).toBe('+79990000002');
});

/**
 * Runs `work` while a consumer reads the feed in pages of 100 and rebuilds educators and employments from it; after a
 * final drain the rebuilt rows must equal the tables, with no change read twice.
 */
async function expectFeedRebuildsTablesWhile(work: () => Promise<unknown>) {
  const educators = new Map<string, Record<string, any>>();
  const employments = new Map<string, Record<string, any>>();
  const apply = (changes: Change[]) => {
    for (const change of changes) {
      const table = change.entityType === 'Educator' ? educators : change.entityType === 'Employment' ? employments : null;
      if (!table) continue;
      if (change.operation === 'DELETED') table.delete(change.entityId);
      else table.set(change.entityId, change.data!);
    }
  };
  const seen = new Set<string>();
  let done = false;
  const reader = async () => {
    let cursor: string | null = null;
    let pages = 0;
    while (!done) {
      const next = await page(cursor, 100);
      for (const c of next.nodes) {
        expect(seen.has(c.cursor)).toBe(false);
        seen.add(c.cursor);
      }
      apply(next.nodes);
      cursor = next.cursor;
      pages += 1;
      if (!next.pageInfo.hasNextPage) await sleep(5);
    }
    return { cursor, pages };
  };

  const reading = reader();
  await work().finally(() => { done = true; });
  const { cursor, pages } = await reading;
  expect(pages).toBeGreaterThan(1);
  await settled();
  const rest = await drain(cursor, 100);
  for (const c of rest.changes) expect(seen.has(c.cursor)).toBe(false);
  apply(rest.changes);

  const educatorColumns = ['id', 'last_name', 'first_name', 'patronymic', 'birth_date', 'snils', 'email', 'phone', 'pedagogical_work_started_on', 'education_level'];
  const employmentColumns = ['id', 'educator_id', 'organization_id', 'position', 'staff_category', 'rate', 'is_main_job', 'started_on', 'ended_on'];
  const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const pick = (row: Record<string, any>, columns: string[]) => Object.fromEntries(columns.map((column) => [camel(column), camel(column) in row ? row[camel(column)] : row[column]]));
  const byId = (a: Record<string, any>, b: Record<string, any>) => (a.id < b.id ? -1 : 1);
  const inTables = async (table: string, columns: string[]) => (await graph.db.staff(table).select(columns)).map((row: Record<string, any>) => pick(row, columns)).sort(byId);
  const fromFeed = (rows: Map<string, Record<string, any>>, columns: string[]) => [...rows.values()].map((row) => pick(row, columns)).sort(byId);

  const educatorsInTable = await inTables('educator', educatorColumns);
  expect(educatorsInTable.length).toBeGreaterThan(40);
  expect(fromFeed(educators, educatorColumns)).toEqual(educatorsInTable);
  expect(fromFeed(employments, employmentColumns)).toEqual(await inTables('employment', employmentColumns));
}

test('a consumer reading in pages of 100 while writers run ends, after a final drain, with exactly the database\'s state', async () => {
  const pool: string[] = (await graph.db.staff('educator').select('id')).map((e: { id: string }) => e.id);
  let serial = 0;
  const writer = async (loop: number) => {
    const mine: string[] = [];
    for (let step = 0; step < 100; step += 1) {
      const n = (serial += 1);
      const someone = pool[(n * 7919) % pool.length];
      if (step % 3 === 0) {
        const created = await createEducator(admin, loop % 2 ? northSchool.id : southSchool.id, { lastName: `Поток${loop}-${step}` });
        pool.push(created.id);
      } else if (step % 3 === 1) {
        const { startEmployment } = await admin.data(startEmploymentMutation, {
          input: { educatorId: someone, ...employmentInput(loop % 2 ? southSchool.id : northSchool.id, { position: `совместитель ${n}`, isMainJob: false, rate: 0.25 }) },
        });
        mine.push(startEmployment.id);
      } else if (step % 9 === 5 && mine.length) {
        await admin.data(endEmploymentMutation, { id: mine.shift(), endedOn: '2024-06-30' });
      } else {
        await admin.data(updateEducatorMutation, { id: someone, input: { phone: `+7999${String(n).padStart(7, '0')}`, email: `w${n}@school.example` } });
      }
    }
  };
  await expectFeedRebuildsTablesWhile(() => Promise.all([writer(0), writer(1), writer(2)]));
});

test('a consumer reading in pages of 100 while bulk imports run ends with exactly the database\'s state', async () => {
  const upsert = `mutation ($input: UpsertEducatorsInput!) { upsertEducators(input: $input) { created updated rejected } }`;
  // Three files of 300 people each (one per municipality's school, by INN), then each re-sent with new phones and
  // every tenth person dismissed.
  const rowsOf = (file: number, round: number) => Array.from({ length: 300 }, (_, i) => ({
    snils: snilsFor(600000000 + file * 1000 + i), lastName: `Импорт${file}`, firstName: `Номер${i}`, birthDate: '1990-01-01',
    phone: `+7900${round}${String(file * 1000 + i).padStart(6, '0')}`,
    organizationInn: file % 2 ? southSchool.inn : northSchool.inn, position: 'учитель', staffCategory: 'педагогический', rate: '1', isMainJob: 'да', startedOn: '2022-09-01',
    endedOn: round === 1 && i % 10 === 0 ? '2025-06-30' : '',
  }));
  const importFile = async (file: number) => {
    for (const round of [0, 1]) {
      const { upsertEducators } = await admin.data(upsert, { input: { municipalityId: file % 2 ? south.id : north.id, rows: rowsOf(file, round) } });
      expect(upsertEducators.rejected).toBe(0);
    }
  };
  await expectFeedRebuildsTablesWhile(() => Promise.all([importFile(0), importFile(1), importFile(2)]));
});

test('an integration of one municipality reads the directory and its own educators\' changes, never another municipality\'s', async () => {
  const ours = await createEducator(admin, northSchool.id, { lastName: 'Нашева' });
  const theirs = await createEducator(admin, southSchool.id, { lastName: 'Чужова' });
  // Registered in the south, hired in the north later: theirs before, ours now, with their history.
  const arrived = await createEducator(admin, southSchool.id, { lastName: 'Переездова' });
  await admin.data(startEmploymentMutation, { input: { educatorSnils: arrived.snils, ...employmentInput(northSchool.id, { isMainJob: false, rate: 0.5 }) } });
  await admin.data(updateEducatorMutation, { id: theirs.id, input: { phone: '+79990009999' } });
  await settled();

  const integration = graph.as({ role: 'integration', municipalityId: north.id, subject: 'north-warehouse' });
  const { changes } = await drain(null, 100, integration);
  const all = (await drain(null, 1000)).changes;
  const northEducators = new Set((await graph.db.staff('employment as m').join('organization as o', 'o.id', 'm.organization_id')
    .where('o.municipality_id', north.id).distinct('m.educator_id')).map((r: { educator_id: string }) => r.educator_id));
  // Records merged into a northern educator are northern too: their employments are the survivor's now.
  for (const { duplicate_id: id } of await graph.db.staff('educator_merge').whereIn('survivor_id', [...northEducators]).select('duplicate_id')) northEducators.add(id);
  const southOnly = (await graph.db.staff('educator').select('id')).map((e: { id: string }) => e.id).filter((id: string) => !northEducators.has(id));
  expect(southOnly).toContain(theirs.id);

  const ids = new Set(changes.map((c) => c.entityId));
  expect(ids.has(ours.id) && ids.has(arrived.id) && ids.has(arrived.employments[0].id)).toBe(true);
  expect(ids.has(theirs.id) || ids.has(theirs.employments[0].id)).toBe(false);
  for (const change of changes) {
    const educatorId = change.entityType === 'Educator' ? change.entityId : change.data?.educatorId;
    if (educatorId) expect(northEducators.has(educatorId)).toBe(true);
  }
  // The directory is everyone's: both municipalities and the southern school.
  expect(ids.has(south.id) && ids.has(southSchool.id) && ids.has(north.id)).toBe(true);
  // What it reads is the region's feed without the other municipality's educators, in the same order.
  const expected = all.filter((c) => {
    const educatorId = c.entityType === 'Educator' ? c.entityId : c.data?.educatorId ?? c.data?.survivorId;
    return !educatorId || northEducators.has(educatorId);
  });
  expect(changes.map((c) => c.cursor)).toEqual(expected.map((c) => c.cursor));
});

test('only region administrators and integrations read the feed; anonymous callers must sign in', async () => {
  const school = await createOrganization(admin, north.id);
  const educator = await createEducator(admin, school.id);
  const refused: TokenRequest[] = [
    { role: 'municipality_methodist', municipalityId: north.id },
    { role: 'organization_admin', organizationId: school.id },
    { role: 'educator', educatorId: educator.id },
    { role: 'analyst' },
  ];
  for (const token of refused) {
    expect([token.role, (await graph.as(token).error(changesQuery, {})).code]).toEqual([token.role, 'FORBIDDEN']);
  }
  expect((await graph.anonymous().error(changesQuery, {})).code).toBe('UNAUTHENTICATED');
  expect((await graph.as({ role: 'integration', municipalityId: north.id }).data(changesQuery, { first: 1 })).changes.nodes).toHaveLength(1);
  expect((await admin.data(changesQuery, {})).changes.nodes).toHaveLength(100);
});

test('cursors of other lists, forged or garbled cursors and page sizes out of 1..1000 are BAD_USER_INPUT', async () => {
  const bad = async (variables: Record<string, unknown>) => (await admin.error(changesQuery, variables)).error.extensions;
  const { educators } = await admin.data(`{ educators(first: 1) { pageInfo { endCursor } } }`);
  const { auditLog } = await admin.data(`{ auditLog(first: 1) { pageInfo { endCursor } } }`);
  const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  // Sealed with the feed's own key and list, but not a position the feed could have made (a cursor of an older release).
  const sealed = (key: unknown[]) => encodeCursor('staff.changes', key);
  const [genuine] = (await page(null, 1)).nodes;
  for (const after of [
    'not a cursor', '', '%%%', educators.pageInfo.endCursor, auditLog.pageInfo.endCursor,
    forged(['changes', '12', 5]), forged(['12', 5]), forged({ xid: '12', id: 5 }), forged(decodeChangeCursor(genuine.cursor)),
    sealed(['12', 0]), sealed([12, 5]), sealed(['-3', 5]), sealed(['99999999999999999999999', 5]), sealed(['12', 5, 'extra']),
    encodeCursor('staff.educators by name', ['12', 5]),
  ]) {
    if (after === '') continue; // an empty cursor is no cursor: the beginning
    expect([after, await bad({ after })]).toEqual([after, expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' })]);
  }
  expect((await admin.data(changesQuery, { after: '' })).changes.nodes.length).toBeGreaterThan(0);
  for (const first of [0, -1, 1001]) expect(await bad({ first })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  expect((await admin.data(changesQuery, { first: 1000 })).changes.nodes.length).toBeGreaterThan(100);
  // A well-formed cursor is accepted: the feed's own, re-encoded.
  const [one] = (await page(null, 1)).nodes;
  expect((await page(encodeChangeCursor(decodeChangeCursor(one.cursor)), 1)).nodes[0].cursor).not.toBe(one.cursor);
});
