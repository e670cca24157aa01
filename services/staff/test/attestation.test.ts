import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { today } from '@mms/platform';
import { createEducator, createMunicipality, createOrganization } from './fixtures';

/**
 * Qualification categories and attestation through the gateway: the lifecycle of a request, the category it produces,
 * the category on any day, who is due, and every bad case with its code and the tables exactly as they were.
 * Fixture educators began pedagogical work on 2015-09-01 and are employed as «учитель» since 2020-09-01.
 */
let graph: TestGraph;
let admin: Client;
let municipality: { id: string };
let school: { id: string };
beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  municipality = await createMunicipality(admin);
  school = await createOrganization(admin, municipality.id);
});
afterAll(() => graph.close());

const unknownId = '00000000-0000-4000-8000-000000000000';
const methodist = (municipalityId: string) => ({ role: 'municipality_methodist' as const, municipalityId });

const awardFields = 'id category position awardedOn validUntil orderNumber orderDate attestation { id stage }';
const attestationFields = `id requestedCategory position filedOn stage reviewStartedOn outcome decidedOn
  categoryAward { id category position awardedOn validUntil orderNumber orderDate } educator { id }`;
const recordMutation = `mutation ($input: RecordCategoryAwardInput!) { recordCategoryAward(input: $input) { ${awardFields} educator { id } } }`;
const fileMutation = `mutation ($input: FileAttestationInput!) { fileAttestation(input: $input) { ${attestationFields} } }`;
const reviewMutation = `mutation ($id: ID!, $startedOn: Date!) { startAttestationReview(id: $id, startedOn: $startedOn) { ${attestationFields} } }`;
const decideMutation = `mutation ($input: DecideAttestationInput!) { decideAttestation(input: $input) { ${attestationFields} } }`;
const historyQuery = `query ($id: ID!, $on: Date, $position: String) { educator(id: $id) {
  category(on: $on, position: $position) { id category position awardedOn validUntil attestation { id } }
  categoryHistory { id category position awardedOn validUntil orderNumber orderDate attestation { id outcome } }
  attestations { id stage outcome categoryAward { id category } } } }`;

let orders = 0;
const awardInput = (educatorId: string, category: string, awardedOn: string, overrides: Record<string, unknown> = {}) =>
  ({ educatorId, category, position: 'учитель', awardedOn, orderNumber: `${(orders += 1)}-к`, orderDate: awardedOn, ...overrides });
const fileInput = (educatorId: string, requestedCategory: string, filedOn: string, overrides: Record<string, unknown> = {}) =>
  ({ educatorId, requestedCategory, position: 'учитель', filedOn, ...overrides });
const grantInput = (id: string, decidedOn: string, overrides: Record<string, unknown> = {}) =>
  ({ id, outcome: 'GRANTED', decidedOn, orderNumber: `${(orders += 1)}-а`, orderDate: decidedOn, ...overrides });

async function record(educatorId: string, category: string, awardedOn: string, overrides: Record<string, unknown> = {}, client = admin) {
  return (await client.data(recordMutation, { input: awardInput(educatorId, category, awardedOn, overrides) })).recordCategoryAward;
}
async function file(educatorId: string, requestedCategory: string, filedOn: string, overrides: Record<string, unknown> = {}, client = admin) {
  return (await client.data(fileMutation, { input: fileInput(educatorId, requestedCategory, filedOn, overrides) })).fileAttestation;
}
async function review(id: string, startedOn: string, client = admin) {
  return (await client.data(reviewMutation, { id, startedOn })).startAttestationReview;
}
async function decide(input: Record<string, unknown>, client = admin) {
  return (await client.data(decideMutation, { input })).decideAttestation;
}
/** A request filed on 2024-01-15 and under review since 2024-02-01. */
async function underReview(educatorId: string, requestedCategory = 'HIGHEST', overrides: Record<string, unknown> = {}) {
  const filed = await file(educatorId, requestedCategory, '2024-01-15', overrides);
  return review(filed.id, '2024-02-01');
}
async function history(educatorId: string, on?: string, position?: string) {
  return (await admin.data(historyQuery, { id: educatorId, on, position })).educator;
}
const categoryOn = async (educatorId: string, on: string, position?: string) => (await history(educatorId, on, position)).category?.category ?? null;

/** Every row the attestation rules could touch, as the database holds it. */
async function snapshot() {
  const db = graph.db.staff;
  const [educators, employments, attestations, awards] = await Promise.all(
    ['educator', 'employment', 'attestation', 'category_award'].map((table) => db(table).select().orderBy('id')),
  );
  return { educators, employments, attestations, awards };
}

/** Runs an operation that must be refused with `code` (and `field`, when given) and checks that no row changed. */
async function refused(query: string, variables: Record<string, unknown>, code: string, field?: string, client = admin) {
  const before = await snapshot();
  const { error } = await client.error(query, variables);
  const seen = { code: error.extensions?.code, field: error.extensions?.field, message: error.message };
  expect(seen).toMatchObject(field === undefined ? { code } : { code, field });
  expect(await snapshot()).toEqual(before);
  return error;
}

describe('the lifecycle of an attestation', () => {
  test('filing, reviewing and granting gives the educator the category, valid five years less a day', async () => {
    const educator = await createEducator(admin, school.id);
    const filed = await file(educator.id, 'HIGHEST', '2024-01-15');
    expect(filed).toMatchObject({ requestedCategory: 'HIGHEST', position: 'учитель', filedOn: '2024-01-15', stage: 'FILED',
      reviewStartedOn: null, outcome: null, decidedOn: null, categoryAward: null, educator: { id: educator.id } });

    const reviewed = await review(filed.id, '2024-02-01');
    expect(reviewed).toMatchObject({ id: filed.id, stage: 'UNDER_REVIEW', reviewStartedOn: '2024-02-01', outcome: null });

    const decided = await decide(grantInput(filed.id, '2024-03-20', { orderNumber: '145-к', orderDate: '2024-03-25' }));
    expect(decided).toMatchObject({ stage: 'DECIDED', outcome: 'GRANTED', decidedOn: '2024-03-20', reviewStartedOn: '2024-02-01',
      categoryAward: { category: 'HIGHEST', position: 'учитель', awardedOn: '2024-03-20', validUntil: '2029-03-19', orderNumber: '145-к', orderDate: '2024-03-25' } });

    const { category, categoryHistory, attestations } = await history(educator.id, '2024-06-01');
    expect(category).toEqual({ id: decided.categoryAward.id, category: 'HIGHEST', position: 'учитель', awardedOn: '2024-03-20',
      validUntil: '2029-03-19', attestation: { id: filed.id } });
    expect(categoryHistory).toEqual([{ id: decided.categoryAward.id, category: 'HIGHEST', position: 'учитель', awardedOn: '2024-03-20',
      validUntil: '2029-03-19', orderNumber: '145-к', orderDate: '2024-03-25', attestation: { id: filed.id, outcome: 'GRANTED' } }]);
    expect(attestations).toEqual([{ id: filed.id, stage: 'DECIDED', outcome: 'GRANTED', categoryAward: { id: decided.categoryAward.id, category: 'HIGHEST' } }]);

    // in force from the day of the decision through its last valid day, not a day longer
    expect(await categoryOn(educator.id, '2024-03-19')).toBeNull();
    expect(await categoryOn(educator.id, '2024-03-20')).toBe('HIGHEST');
    expect(await categoryOn(educator.id, '2029-03-19')).toBe('HIGHEST');
    expect(await categoryOn(educator.id, '2029-03-20')).toBeNull();
    // without `on`: today
    expect((await admin.data(`query ($id: ID!) { educator(id: $id) { category { category } } }`, { id: educator.id })).educator.category)
      .toEqual(today() <= '2029-03-19' ? { category: 'HIGHEST' } : null);
  });

  test('a category granted on 29 February is valid through 28 February five years on', async () => {
    const educator = await createEducator(admin, school.id);
    const request = await underReview(educator.id, 'FIRST');
    const decided = await decide(grantInput(request.id, '2024-02-29'));
    expect(decided.categoryAward).toMatchObject({ awardedOn: '2024-02-29', validUntil: '2029-02-28' });
    expect(await categoryOn(educator.id, '2029-02-28')).toBe('FIRST');
    expect(await categoryOn(educator.id, '2029-03-01')).toBeNull();
    // and the same for an award recorded from earlier records
    const other = await createEducator(admin, school.id);
    expect(await record(other.id, 'FIRST', '2020-02-29')).toMatchObject({ awardedOn: '2020-02-29', validUntil: '2025-02-28' });
  });

  test('a refusal closes the request and creates no category', async () => {
    const educator = await createEducator(admin, school.id);
    const request = await underReview(educator.id);
    const decided = await decide({ id: request.id, outcome: 'REFUSED', decidedOn: '2024-03-20' });
    expect(decided).toMatchObject({ stage: 'DECIDED', outcome: 'REFUSED', decidedOn: '2024-03-20', categoryAward: null });
    const { category, categoryHistory, attestations } = await history(educator.id, '2024-06-01');
    expect(category).toBeNull();
    expect(categoryHistory).toEqual([]);
    expect(attestations).toEqual([{ id: request.id, stage: 'DECIDED', outcome: 'REFUSED', categoryAward: null }]);
    expect(await graph.db.staff('category_award').where({ educator_id: educator.id })).toEqual([]);
    // the request is closed: the educator may file again
    expect((await file(educator.id, 'FIRST', '2024-04-01')).stage).toBe('FILED');
  });

  test('a grant of a lower category keeps the higher one in force, and every request is listed latest first', async () => {
    const educator = await createEducator(admin, school.id);
    await record(educator.id, 'HIGHEST', '2022-01-10');
    const request = await underReview(educator.id, 'FIRST', { position: 'педагог дополнительного образования' });
    await decide(grantInput(request.id, '2024-03-01'));
    const second = await file(educator.id, 'CONFORMITY', '2024-05-01');
    const { category, categoryHistory, attestations } = await history(educator.id, '2024-06-01');
    expect(category.category).toBe('HIGHEST');
    expect(categoryHistory.map((a: { category: string }) => a.category)).toEqual(['FIRST', 'HIGHEST']);
    expect(attestations.map((a: { id: string }) => a.id)).toEqual([second.id, request.id]);
    expect(await categoryOn(educator.id, '2024-06-01', 'Педагог дополнительного образования ')).toBe('FIRST');
  });
});

describe('bad requests and decisions change nothing', () => {
  test('a second open request for the same educator is a conflict, while the first is filed or under review', async () => {
    const educator = await createEducator(admin, school.id);
    const first = await file(educator.id, 'FIRST', '2024-01-15');
    const error = await refused(fileMutation, { input: fileInput(educator.id, 'HIGHEST', '2024-01-20') }, 'CONFLICT', 'input.educatorId');
    expect(error.message).toMatch(/already has an open attestation request, filed on 2024-01-15/);
    await review(first.id, '2024-02-01');
    await refused(fileMutation, { input: fileInput(educator.id, 'FIRST', '2024-02-20') }, 'CONFLICT', 'input.educatorId');
    // behind the check, the database itself keeps one open request per educator
    await expect(graph.db.staff('attestation').insert({ educator_id: educator.id, requested_category: 'first', position: 'учитель', filed_on: '2024-02-20' }))
      .rejects.toMatchObject({ code: '23505', constraint: 'attestation_one_open' });
  });

  test('two requests filed at the same moment: one is filed, the other is a conflict', async () => {
    const educator = await createEducator(admin, school.id);
    const results = await Promise.all(['FIRST', 'HIGHEST'].map((category) =>
      admin.run(fileMutation, { input: fileInput(educator.id, category, '2024-01-15') })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => r.errors).map((r) => r.errors![0].extensions?.code)).toEqual(['CONFLICT']);
    expect(await graph.db.staff('attestation').where({ educator_id: educator.id })).toHaveLength(1);
  });

  test('a decision on a closed request is a conflict, whatever the decision', async () => {
    const educator = await createEducator(admin, school.id);
    const request = await underReview(educator.id);
    await decide(grantInput(request.id, '2024-03-20'));
    const error = await refused(decideMutation, { input: grantInput(request.id, '2024-03-21') }, 'CONFLICT');
    expect(error.message).toMatch(/closed: it was decided \(granted\) on 2024-03-20/);
    await refused(decideMutation, { input: { id: request.id, outcome: 'REFUSED', decidedOn: '2024-03-21' } }, 'CONFLICT');
    await refused(reviewMutation, { id: request.id, startedOn: '2024-03-21' }, 'CONFLICT');
    expect(await graph.db.staff('category_award').where({ educator_id: educator.id })).toHaveLength(1);
  });

  test('two decisions at the same moment on one request: one decides it, the other finds it closed', async () => {
    const educator = await createEducator(admin, school.id);
    const request = await underReview(educator.id);
    const results = await Promise.all([
      admin.run(decideMutation, { input: grantInput(request.id, '2024-03-20') }),
      admin.run(decideMutation, { input: { id: request.id, outcome: 'REFUSED', decidedOn: '2024-03-20' } }),
    ]);
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.errors).map((r) => r.errors![0].extensions?.code)).toEqual(['CONFLICT']);
    const awards = await graph.db.staff('category_award').where({ educator_id: educator.id });
    expect(awards).toHaveLength(won[0].data!.decideAttestation.outcome === 'GRANTED' ? 1 : 0);
  });

  test('a filed request cannot be decided before its review starts, nor reviewed twice', async () => {
    const educator = await createEducator(admin, school.id);
    const request = await file(educator.id, 'FIRST', '2024-01-15');
    const error = await refused(decideMutation, { input: grantInput(request.id, '2024-03-20') }, 'CONFLICT');
    expect(error.message).toMatch(/start its review/);
    await review(request.id, '2024-02-01');
    const again = await refused(reviewMutation, { id: request.id, startedOn: '2024-02-02' }, 'CONFLICT');
    expect(again.message).toMatch(/already under review since 2024-02-01/);
  });

  test('a review cannot start before the request was filed, and a decision not before the review started', async () => {
    const educator = await createEducator(admin, school.id);
    const request = await file(educator.id, 'FIRST', '2024-01-15');
    await refused(reviewMutation, { id: request.id, startedOn: '2024-01-14' }, 'BAD_USER_INPUT', 'args.startedOn');
    await review(request.id, '2024-01-15'); // the same day is fine
    const error = await refused(decideMutation, { input: grantInput(request.id, '2024-01-14') }, 'BAD_USER_INPUT', 'input.decidedOn');
    expect(error.message).toMatch(/before the review started \(2024-01-15\)/);
    await refused(decideMutation, { input: { id: request.id, outcome: 'REFUSED', decidedOn: '2024-01-14' } }, 'BAD_USER_INPUT', 'input.decidedOn');
    expect((await decide(grantInput(request.id, '2024-01-15'))).categoryAward.awardedOn).toBe('2024-01-15');
  });

  test('a grant without its order number or order date is refused, and so is an order dated before the decision', async () => {
    const educator = await createEducator(admin, school.id);
    const request = await underReview(educator.id);
    await refused(decideMutation, { input: grantInput(request.id, '2024-03-20', { orderNumber: null }) }, 'BAD_USER_INPUT', 'input.orderNumber');
    await refused(decideMutation, { input: grantInput(request.id, '2024-03-20', { orderNumber: '  ' }) }, 'BAD_USER_INPUT', 'input.orderNumber');
    await refused(decideMutation, { input: grantInput(request.id, '2024-03-20', { orderDate: undefined }) }, 'BAD_USER_INPUT', 'input.orderDate');
    await refused(decideMutation, { input: grantInput(request.id, '2024-03-20', { orderDate: '2024-03-19' }) }, 'BAD_USER_INPUT', 'input.orderDate');
    // a refusal creates no award: an order given with it would be lost, so it is refused too
    await refused(decideMutation, { input: { id: request.id, outcome: 'REFUSED', decidedOn: '2024-03-20', orderNumber: '1-к' } },
      'BAD_USER_INPUT', 'input.orderNumber');
    expect((await decide(grantInput(request.id, '2024-03-20', { orderDate: '2024-04-02' }))).categoryAward.orderDate).toBe('2024-04-02');
  });

  test('a request for an unknown educator, or a review or decision of an unknown request, is not found', async () => {
    const error = await refused(fileMutation, { input: fileInput(unknownId, 'FIRST', '2024-01-15') }, 'NOT_FOUND');
    expect(error.extensions?.id).toBe(unknownId);
    await refused(reviewMutation, { id: unknownId, startedOn: '2024-02-01' }, 'NOT_FOUND');
    await refused(decideMutation, { input: grantInput(unknownId, '2024-03-20') }, 'NOT_FOUND');
    await refused(recordMutation, { input: awardInput(unknownId, 'FIRST', '2024-03-20') }, 'NOT_FOUND');
    await refused(reviewMutation, { id: 'not-an-id', startedOn: '2024-02-01' }, 'BAD_USER_INPUT', 'args.id');
  });

  test('a request filed before the educator\'s pedagogical work began is refused', async () => {
    const educator = await createEducator(admin, school.id, { pedagogicalWorkStartedOn: '2019-09-01' });
    const error = await refused(fileMutation, { input: fileInput(educator.id, 'FIRST', '2019-08-31') }, 'BAD_USER_INPUT', 'input.filedOn');
    expect(error.message).toMatch(/before the educator's pedagogical work began \(2019-09-01\)/);
    await file(educator.id, 'FIRST', '2019-09-01');
  });

  test('dates in the future are refused', async () => {
    const educator = await createEducator(admin, school.id);
    const nextYear = `${Number(today().slice(0, 4)) + 1}-01-01`;
    await refused(fileMutation, { input: fileInput(educator.id, 'FIRST', nextYear) }, 'BAD_USER_INPUT', 'input.filedOn');
    await refused(recordMutation, { input: awardInput(educator.id, 'FIRST', nextYear) }, 'BAD_USER_INPUT', 'input.awardedOn');
  });

  test('a methodologist or mentor request needs the highest category in force on the day it is filed', async () => {
    const educator = await createEducator(admin, school.id);
    for (const category of ['METHODOLOGIST', 'MENTOR']) {
      const error = await refused(fileMutation, { input: fileInput(educator.id, category, '2024-01-15') }, 'CONFLICT', 'input.requestedCategory');
      expect(error.message).toMatch(/open only to holders of the highest category/);
    }
    await record(educator.id, 'FIRST', '2022-01-10');
    await record(educator.id, 'HIGHEST', '2018-01-10'); // valid through 2023-01-09
    await refused(fileMutation, { input: fileInput(educator.id, 'MENTOR', '2024-01-15') }, 'CONFLICT');
    await refused(fileMutation, { input: fileInput(educator.id, 'MENTOR', '2018-01-09') }, 'CONFLICT');
    expect((await file(educator.id, 'MENTOR', '2023-01-09')).stage).toBe('FILED');
  });

  test('a methodologist grant needs the highest category still in force on the day of the decision', async () => {
    const educator = await createEducator(admin, school.id);
    await record(educator.id, 'HIGHEST', '2019-03-01'); // through 2024-02-29
    const request = await underReview(educator.id, 'METHODOLOGIST');
    const error = await refused(decideMutation, { input: grantInput(request.id, '2024-03-01') }, 'CONFLICT');
    expect(error.message).toMatch(/held none in force on 2024-03-01/);
    expect((await decide(grantInput(request.id, '2024-02-29'))).categoryAward).toMatchObject({ category: 'METHODOLOGIST', validUntil: '2029-02-28' });
  });
});

describe('awards recorded from earlier records', () => {
  test('a second award is added to the history and never replaces the first', async () => {
    const educator = await createEducator(admin, school.id);
    const first = await record(educator.id, 'FIRST', '2016-12-20', { orderNumber: '77-к', orderDate: '2016-12-28' });
    expect(first).toMatchObject({ category: 'FIRST', awardedOn: '2016-12-20', validUntil: '2021-12-19', orderNumber: '77-к',
      orderDate: '2016-12-28', attestation: null, educator: { id: educator.id } });
    const rowBefore = await graph.db.staff('category_award').where({ id: first.id }).first();
    const highest = await record(educator.id, 'HIGHEST', '2021-11-30');
    const { categoryHistory } = await history(educator.id);
    expect(categoryHistory.map((a: { id: string }) => a.id)).toEqual([highest.id, first.id]);
    expect(await graph.db.staff('category_award').where({ id: first.id }).first()).toEqual(rowBefore);
  });

  test('an award dated before the educator\'s pedagogical work began is refused', async () => {
    const educator = await createEducator(admin, school.id, { pedagogicalWorkStartedOn: '2019-09-01' });
    const error = await refused(recordMutation, { input: awardInput(educator.id, 'CONFORMITY', '2019-08-31') }, 'BAD_USER_INPUT', 'input.awardedOn');
    expect(error.message).toMatch(/2019-09-01/);
    await record(educator.id, 'CONFORMITY', '2019-09-01');
  });

  test('an order dated before the award is refused; one dated the same day or later is accepted', async () => {
    const educator = await createEducator(admin, school.id);
    await refused(recordMutation, { input: awardInput(educator.id, 'FIRST', '2020-03-10', { orderDate: '2020-03-09' }) }, 'BAD_USER_INPUT', 'input.orderDate');
    await record(educator.id, 'FIRST', '2020-03-10', { orderDate: '2020-03-10' });
    await record(educator.id, 'HIGHEST', '2023-03-10', { orderDate: '2023-04-05' });
  });

  test('a methodologist or mentor award needs the highest category in force on the award day', async () => {
    const educator = await createEducator(admin, school.id);
    await record(educator.id, 'FIRST', '2020-03-10');
    for (const category of ['METHODOLOGIST', 'MENTOR']) {
      await refused(recordMutation, { input: awardInput(educator.id, category, '2023-10-01') }, 'CONFLICT');
    }
    await record(educator.id, 'HIGHEST', '2022-05-01');
    await refused(recordMutation, { input: awardInput(educator.id, 'METHODOLOGIST', '2022-04-30') }, 'CONFLICT');
    expect((await record(educator.id, 'METHODOLOGIST', '2023-10-01')).category).toBe('METHODOLOGIST');
    expect(await categoryOn(educator.id, '2024-01-01')).toBe('METHODOLOGIST');
  });

  test('the same award recorded twice is a conflict', async () => {
    const educator = await createEducator(admin, school.id);
    await record(educator.id, 'FIRST', '2020-03-10', { position: 'Учитель' });
    const error = await refused(recordMutation, { input: awardInput(educator.id, 'FIRST', '2020-03-10', { position: ' учитель ' }) }, 'CONFLICT');
    expect(error.message).toMatch(/already recorded/);
  });

  test('a blank position or order number and an unknown category are refused', async () => {
    const educator = await createEducator(admin, school.id);
    await refused(recordMutation, { input: awardInput(educator.id, 'FIRST', '2020-03-10', { position: '  ' }) }, 'BAD_USER_INPUT', 'input.position');
    await refused(recordMutation, { input: awardInput(educator.id, 'FIRST', '2020-03-10', { orderNumber: '' }) }, 'BAD_USER_INPUT', 'input.orderNumber');
    await refused(fileMutation, { input: fileInput(educator.id, 'FIRST', '2020-03-10', { position: ' ' }) }, 'BAD_USER_INPUT', 'input.position');
    const { code } = await admin.error(recordMutation, { input: awardInput(educator.id, 'SECOND', '2020-03-10') });
    expect(code).toBe('BAD_USER_INPUT');
  });
});

describe('the category on a day', () => {
  test('none before the award, the award from its first day to its last, none after it expires', async () => {
    const educator = await createEducator(admin, school.id);
    await record(educator.id, 'FIRST', '2019-03-15');
    expect(await categoryOn(educator.id, '2019-03-14')).toBeNull();
    expect(await categoryOn(educator.id, '2019-03-15')).toBe('FIRST');
    expect(await categoryOn(educator.id, '2024-03-14')).toBe('FIRST');
    expect(await categoryOn(educator.id, '2024-03-15')).toBeNull();
  });

  test('with a first category and then the highest, each answers in its time and the highest wins while both are in force', async () => {
    const educator = await createEducator(admin, school.id);
    await record(educator.id, 'FIRST', '2018-01-10'); // through 2023-01-09
    await record(educator.id, 'HIGHEST', '2021-06-01'); // through 2026-05-31
    expect(await categoryOn(educator.id, '2018-01-09')).toBeNull();
    expect(await categoryOn(educator.id, '2020-01-01')).toBe('FIRST');
    expect(await categoryOn(educator.id, '2021-06-01')).toBe('HIGHEST');
    expect(await categoryOn(educator.id, '2025-01-01')).toBe('HIGHEST');
    expect(await categoryOn(educator.id, '2026-06-01')).toBeNull();
  });

  test('for a position, only the awards for that position count, however its name is written', async () => {
    const educator = await createEducator(admin, school.id);
    await record(educator.id, 'HIGHEST', '2021-06-01', { position: 'Учитель' });
    await record(educator.id, 'FIRST', '2022-06-01', { position: 'Педагог-психолог' });
    expect(await categoryOn(educator.id, '2023-01-01')).toBe('HIGHEST');
    expect(await categoryOn(educator.id, '2023-01-01', '  педагог-ПСИХОЛОГ ')).toBe('FIRST');
    expect(await categoryOn(educator.id, '2023-01-01', 'учитель')).toBe('HIGHEST');
    expect(await categoryOn(educator.id, '2023-01-01', 'воспитатель')).toBeNull();
  });
});

describe('who may write', () => {
  test('roles that do not keep the registry may not record awards or file, review or decide requests', async () => {
    const educator = await createEducator(admin, school.id);
    const request = await underReview(educator.id);
    for (const token of [{ role: 'analyst' as const }, { role: 'educator' as const, educatorId: educator.id }]) {
      const client = graph.as(token);
      await refused(recordMutation, { input: awardInput(educator.id, 'FIRST', '2020-03-10') }, 'FORBIDDEN', undefined, client);
      await refused(fileMutation, { input: fileInput(educator.id, 'FIRST', '2024-01-15') }, 'FORBIDDEN', undefined, client);
      await refused(reviewMutation, { id: request.id, startedOn: '2024-02-01' }, 'FORBIDDEN', undefined, client);
      await refused(decideMutation, { input: grantInput(request.id, '2024-03-20') }, 'FORBIDDEN', undefined, client);
    }
    await refused(recordMutation, { input: awardInput(educator.id, 'FIRST', '2020-03-10') }, 'UNAUTHENTICATED', undefined, graph.anonymous());
  });

  test('a municipal methodist writes about the educators of their municipality, and about others is FORBIDDEN', async () => {
    const other = await createMunicipality(admin);
    const otherSchool = await createOrganization(admin, other.id);
    const stranger = await createEducator(admin, otherSchool.id);
    const strangerRequest = await underReview(stranger.id);
    const ours = await createEducator(admin, school.id);
    const client = graph.as(methodist(municipality.id));

    await refused(recordMutation, { input: awardInput(stranger.id, 'FIRST', '2020-03-10') }, 'FORBIDDEN', undefined, client);
    await refused(fileMutation, { input: fileInput(stranger.id, 'FIRST', '2024-01-15') }, 'FORBIDDEN', undefined, client);
    await refused(decideMutation, { input: grantInput(strangerRequest.id, '2024-03-20') }, 'FORBIDDEN', undefined, client);
    await refused(reviewMutation, { id: strangerRequest.id, startedOn: '2024-02-02' }, 'FORBIDDEN', undefined, client);

    await record(ours.id, 'FIRST', '2020-03-10', {}, client);
    const request = await file(ours.id, 'HIGHEST', '2024-01-15', {}, client);
    await review(request.id, '2024-02-01', client);
    expect((await decide(grantInput(request.id, '2024-03-20'), client)).categoryAward.category).toBe('HIGHEST');
    const { educator } = await client.data(`query ($id: ID!) { educator(id: $id) { categoryHistory { category } } }`, { id: ours.id });
    expect(educator.categoryHistory).toEqual([{ category: 'HIGHEST' }, { category: 'FIRST' }]);
  });

  test('a school administrator does not handle attestation, not even of their own staff (the municipal service does)', async () => {
    const ours = await createEducator(admin, school.id);
    const client = graph.as({ role: 'organization_admin', organizationId: school.id });
    await refused(fileMutation, { input: fileInput(ours.id, 'FIRST', '2024-01-15') }, 'FORBIDDEN', undefined, client);
  });
});

describe('who must be attested', () => {
  /**
   * A municipality of its own, «Due», with two schools. Awards valid through (awarded on the next day, five years
   * earlier): Абрамова and Борисова 2026-09-30, Васильева 2026-05-09 (with a request filed), Григорьева 2026-10-01
   * (exactly the asked day), Давыдова an old award and a newer one, Егорова dismissed, Жукова no award at all,
   * Зайцева in the second school 2026-07-31. Кузнецова once worked in Due and now works in Other.
   */
  const before = '2026-10-01';
  let due: { id: string };
  let other: { id: string };
  let first: { id: string };
  let second: { id: string };
  const people: Record<string, { id: string }> = {};
  const dueQuery = `query ($scope: ScopeInput, $before: Date!) { attestationsDue(scope: $scope, before: $before) {
    dueOn educator { lastName } expiringAward { category awardedOn validUntil } openAttestation { stage requestedCategory } } }`;
  const names = (list: { educator: { lastName: string } }[]) => list.map((d) => d.educator.lastName);

  beforeAll(async () => {
    due = await createMunicipality(admin);
    other = await createMunicipality(admin);
    first = await createOrganization(admin, due.id);
    second = await createOrganization(admin, due.id);
    const otherSchool = await createOrganization(admin, other.id);
    const person = async (lastName: string, organizationId: string, employment: Record<string, unknown> = {}) =>
      (people[lastName] = await createEducator(admin, organizationId, { lastName }, employment));

    await record((await person('Борисова', first.id)).id, 'FIRST', '2021-10-01');
    await record((await person('Абрамова', first.id)).id, 'HIGHEST', '2021-10-01');
    await record((await person('Васильева', first.id)).id, 'FIRST', '2021-05-10');
    await file(people['Васильева'].id, 'HIGHEST', '2026-03-01');
    await record((await person('Григорьева', first.id)).id, 'FIRST', '2021-10-02');
    await record((await person('Давыдова', first.id)).id, 'FIRST', '2019-02-01');
    await record(people['Давыдова'].id, 'HIGHEST', '2024-02-01');
    await record((await person('Егорова', first.id, { endedOn: '2025-06-30' })).id, 'FIRST', '2021-03-01');
    await person('Жукова', first.id);
    await record((await person('Зайцева', second.id)).id, 'FIRST', '2021-08-01');
    await record((await person('Кузнецова', first.id, { endedOn: '2023-08-31' })).id, 'FIRST', '2021-04-01');
    await admin.data(`mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id } }`, { input: {
      educatorId: people['Кузнецова'].id, organizationId: otherSchool.id, position: 'учитель', staffCategory: 'PEDAGOGICAL',
      rate: 1, isMainJob: true, startedOn: '2023-09-01' } });
  });

  test('employed educators whose category ends before the day are listed soonest first, then by name, with any request filed', async () => {
    const { attestationsDue } = await admin.data(dueQuery, { scope: { municipalityId: due.id }, before });
    expect(attestationsDue).toEqual([
      { dueOn: '2026-05-09', educator: { lastName: 'Васильева' }, expiringAward: { category: 'FIRST', awardedOn: '2021-05-10', validUntil: '2026-05-09' },
        openAttestation: { stage: 'FILED', requestedCategory: 'HIGHEST' } },
      { dueOn: '2026-07-31', educator: { lastName: 'Зайцева' }, expiringAward: { category: 'FIRST', awardedOn: '2021-08-01', validUntil: '2026-07-31' }, openAttestation: null },
      { dueOn: '2026-09-30', educator: { lastName: 'Абрамова' }, expiringAward: { category: 'HIGHEST', awardedOn: '2021-10-01', validUntil: '2026-09-30' }, openAttestation: null },
      { dueOn: '2026-09-30', educator: { lastName: 'Борисова' }, expiringAward: { category: 'FIRST', awardedOn: '2021-10-01', validUntil: '2026-09-30' }, openAttestation: null },
    ]);
  });

  test('a category that ends on the asked day itself is not yet due; the day after, it is', async () => {
    const { attestationsDue: onTheDay } = await admin.data(dueQuery, { scope: { municipalityId: due.id }, before });
    expect(names(onTheDay)).not.toContain('Григорьева');
    const { attestationsDue: dayAfter } = await admin.data(dueQuery, { scope: { municipalityId: due.id }, before: '2026-10-02' });
    expect(names(dayAfter)).toEqual(['Васильева', 'Зайцева', 'Абрамова', 'Борисова', 'Григорьева']);
  });

  test('an educator with a newer award is not due by the old one', async () => {
    const { attestationsDue } = await admin.data(dueQuery, { scope: { municipalityId: due.id }, before: '2029-01-01' });
    expect(names(attestationsDue)).not.toContain('Давыдова');
    const { attestationsDue: later } = await admin.data(dueQuery, { scope: { municipalityId: due.id }, before: '2029-02-01' });
    expect(later.find((d: { educator: { lastName: string } }) => d.educator.lastName === 'Давыдова'))
      .toMatchObject({ dueOn: '2029-01-31', expiringAward: { category: 'HIGHEST', awardedOn: '2024-02-01' } });
  });

  test('dismissed educators, those who moved to another municipality and those with no category are not listed', async () => {
    const { attestationsDue } = await admin.data(dueQuery, { scope: { municipalityId: due.id }, before: '2040-01-01' });
    expect(names(attestationsDue)).toEqual(['Васильева', 'Зайцева', 'Абрамова', 'Борисова', 'Григорьева', 'Давыдова']);
    // the one who moved is due where she works now
    const { attestationsDue: there } = await admin.data(dueQuery, { scope: { municipalityId: other.id }, before });
    expect(names(there)).toEqual(['Кузнецова']);
  });

  test('a municipal methodist sees their own municipality; asking for another narrows to nothing', async () => {
    const client = graph.as(methodist(due.id));
    expect(names((await client.data(dueQuery, { before })).attestationsDue)).toEqual(['Васильева', 'Зайцева', 'Абрамова', 'Борисова']);
    expect((await client.data(dueQuery, { scope: { municipalityId: other.id }, before })).attestationsDue).toEqual([]);
    expect(names((await client.data(dueQuery, { scope: { organizationId: second.id }, before })).attestationsDue)).toEqual(['Зайцева']);
    const theirs = graph.as(methodist(other.id));
    expect(names((await theirs.data(dueQuery, { before })).attestationsDue)).toEqual(['Кузнецова']);
    expect((await theirs.data(dueQuery, { scope: { municipalityId: due.id }, before })).attestationsDue).toEqual([]);
  });

  test('the list costs one SQL statement, plus one for the educators\' names, however long it is', async () => {
    await admin.data(dueQuery, { before }); // token minted: measure the query alone
    const short = await graph.countSql(() => admin.data(dueQuery, { scope: { organizationId: second.id }, before }));
    const long = await graph.countSql(() => admin.data(dueQuery, { before: '2040-01-01' }));
    expect(short).toBe(2);
    expect(long).toBe(short);
  });

  test('a school administrator sees their own school', async () => {
    const client = graph.as({ role: 'organization_admin', organizationId: second.id });
    expect(names((await client.data(dueQuery, { before })).attestationsDue)).toEqual(['Зайцева']);
  });

  test('scope ids and the day are checked before any SQL', async () => {
    expect((await admin.error(dueQuery, { scope: { municipalityId: 'north' }, before })).error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'args.scope.municipalityId' });
    expect((await admin.error(dueQuery, { before: '2026-02-30' })).code).toBe('BAD_USER_INPUT');
    expect((await graph.anonymous().error(dueQuery, { before })).code).toBe('UNAUTHENTICATED');
  });
});

describe('SQL per request', () => {
  const nested = `query ($first: Int!, $filter: EducatorFilter) { educators(first: $first, filter: $filter) { nodes {
    category(on: "2024-06-01") { category validUntil }
    categoryHistory { category attestation { stage } }
    attestations { stage categoryAward { category } } } } }`;
  let place: { id: string };

  beforeAll(async () => {
    place = await createMunicipality(admin);
    const here = await createOrganization(admin, place.id);
    for (let i = 0; i < 30; i += 1) {
      const educator = await createEducator(admin, here.id, { lastName: `Аттестуемая${String(i).padStart(2, '0')}` });
      await record(educator.id, 'FIRST', '2019-05-01');
      const request = await underReview(educator.id);
      if (i % 3 === 0) await decide(grantInput(request.id, '2024-03-20'));
      if (i % 3 === 1) await decide({ id: request.id, outcome: 'REFUSED', decidedOn: '2024-03-20' });
    }
  });

  async function sqlFor(first: number) {
    const filter = { municipalityId: place.id };
    await admin.data(nested, { first: 1, filter }); // token minted, caches warm: measure the query alone
    return graph.countSql(async () => {
      const { educators } = await admin.data(nested, { first, filter });
      expect(educators.nodes).toHaveLength(first);
      expect(educators.nodes[0]).toEqual({
        category: { category: 'HIGHEST', validUntil: '2029-03-19' },
        categoryHistory: [{ category: 'HIGHEST', attestation: { stage: 'DECIDED' } }, { category: 'FIRST', attestation: null }],
        attestations: [{ stage: 'DECIDED', categoryAward: { category: 'HIGHEST' } }],
      });
    });
  }

  test('categories, their attestations and the awards of attestations cost the same SQL for 10 educators and for 30', async () => {
    const ten = await sqlFor(10);
    const thirty = await sqlFor(30);
    // page, awards of educators, attestations of awards, attestations of educators, awards of attestations
    expect(ten).toBe(5);
    expect(thirty).toBe(ten);
  });
});
