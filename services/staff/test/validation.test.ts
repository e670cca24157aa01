import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { innFor, snilsFor } from '../src/validate';
import { createEducator, createMunicipality, createOrganization, educatorInput, employmentInput } from './fixtures';

/**
 * Every bad input to the staff mutations, through the gateway: the caller gets the right `extensions.code` (and the
 * field, where the code names one), and the registry's tables are exactly as they were before the call.
 */
let graph: TestGraph;
let admin: Client;
let municipality: { id: string };
let school: { id: string };
let otherSchool: { id: string };
beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  municipality = await createMunicipality(admin);
  school = await createOrganization(admin, municipality.id);
  otherSchool = await createOrganization(admin, municipality.id);
});
afterAll(() => graph.close());

const unknownId = '00000000-0000-4000-8000-000000000000';
const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
let n = 0;
/** Values no fixture uses: SNILS from 300 000 000, INN from 500 000 000, OKTMO from 20 000 000. */
const freshSnils = () => snilsFor(300_000_000 + (n += 1));
const freshInn = () => innFor(500_000_000 + (n += 1));
const freshOktmo = () => String(20_000_000 + (n += 1));

const createMunicipalityMutation = `mutation ($input: CreateMunicipalityInput!) { createMunicipality(input: $input) { id } }`;
const createOrganizationMutation = `mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`;
const updateOrganizationMutation = `mutation ($id: ID!, $input: UpdateOrganizationInput!) {
  updateOrganization(id: $id, input: $input) { id name shortName inn } }`;
const createEducatorMutation = `mutation ($input: CreateEducatorInput!) { createEducator(input: $input) { id } }`;
const updateEducatorMutation = `mutation ($id: ID!, $input: UpdateEducatorInput!) {
  updateEducator(id: $id, input: $input) { id fullName patronymic birthDate pedagogicalWorkStartedOn snils } }`;
const startEmploymentMutation = `mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id rate isMainJob startedOn endedOn } }`;
const endEmploymentMutation = `mutation ($id: ID!, $endedOn: Date!) { endEmployment(id: $id, endedOn: $endedOn) { id endedOn } }`;
const educatorsQuery = `query ($first: Int, $after: String) { educators(first: $first, after: $after) { totalCount } }`;

/** Every row of the registry, as the database holds it. */
async function snapshot() {
  const db = graph.db.staff;
  const [municipalities, organizations, educators, employments] = await Promise.all(
    ['municipality', 'organization', 'educator', 'employment'].map((table) => db(table).select().orderBy('id')),
  );
  return { municipalities, organizations, educators, employments };
}

/**
 * Runs an operation that must be refused with `code` (and `field`, when given); checks that no row changed.
 * Returns the error for further checks.
 */
async function refused(query: string, variables: Record<string, unknown>, code: string, field?: string) {
  const before = await snapshot();
  const { error } = await admin.error(query, variables);
  const seen = { code: error.extensions?.code, field: error.extensions?.field, message: error.message };
  expect(seen).toMatchObject(field === undefined ? { code } : { code, field });
  expect(await snapshot()).toEqual(before);
  return error;
}

const startEmployment = (educatorId: string, organizationId: string, overrides: Record<string, unknown> = {}) =>
  admin.run(startEmploymentMutation, { input: { educatorId, ...employmentInput(organizationId, overrides) } });

describe('municipalities', () => {
  test('an OKTMO code of other than 8 or 11 digits is refused', async () => {
    for (const oktmo of ['1234567', '123456789', '1234567890', '123456789012', '1234567a', '']) {
      await refused(createMunicipalityMutation, { input: { name: 'Новый район', oktmo } }, 'BAD_USER_INPUT', 'input.oktmo');
    }
    await admin.data(createMunicipalityMutation, { input: { name: 'Городской округ', oktmo: `${freshOktmo()}001` } });
  });

  test('a second municipality with an OKTMO code already registered is a conflict', async () => {
    const oktmo = freshOktmo();
    await admin.data(createMunicipalityMutation, { input: { name: 'Первый', oktmo } });
    const error = await refused(createMunicipalityMutation, { input: { name: 'Второй', oktmo } }, 'CONFLICT', 'input.oktmo');
    expect(error.message).toMatch(/OKTMO/);
  });

  test('a time zone that is not an IANA name is refused', async () => {
    for (const timeZone of ['Mars/Olympus', 'Europe/Atlantis', 'MSK', '+03:00', '']) {
      await refused(createMunicipalityMutation, { input: { name: 'Район', oktmo: freshOktmo(), timeZone } }, 'BAD_USER_INPUT', 'input.timeZone');
    }
  });

  test('a name of only spaces is refused', async () => {
    await refused(createMunicipalityMutation, { input: { name: '   ', oktmo: freshOktmo() } }, 'BAD_USER_INPUT', 'input.name');
  });
});

describe('organizations', () => {
  test('an organization in an unknown municipality is not found', async () => {
    const error = await refused(createOrganizationMutation, { input: { municipalityId: unknownId, name: 'Школа', kind: 'SCHOOL' } }, 'NOT_FOUND');
    expect(error.extensions?.id).toBe(unknownId);
  });

  test('an INN with a wrong control digit or of other than 10 digits is refused, on registration and on change', async () => {
    const valid = innFor(770708389); // 7707083893
    for (const inn of ['7707083894', '7707083890', '770708389', '77070838930', '500100732259', 'ИНН']) {
      const error = await refused(createOrganizationMutation, { input: { municipalityId: municipality.id, name: 'Школа', kind: 'SCHOOL', inn } },
        'BAD_USER_INPUT', 'input.inn');
      expect(error.message).toMatch(/^input\.inn: /);
      await refused(updateOrganizationMutation, { id: school.id, input: { inn } }, 'BAD_USER_INPUT', 'input.inn');
    }
    await admin.data(createOrganizationMutation, { input: { municipalityId: municipality.id, name: 'Школа', kind: 'SCHOOL', inn: valid } });
  });

  test('an INN already registered is a conflict, on registration and on change', async () => {
    const taken = (await createOrganization(admin, municipality.id, { inn: freshInn() })).inn;
    const other = await createOrganization(admin, municipality.id, { inn: freshInn() });
    await refused(createOrganizationMutation, { input: { municipalityId: municipality.id, name: 'Дубль', kind: 'SCHOOL', inn: taken } },
      'CONFLICT', 'input.inn');
    await refused(updateOrganizationMutation, { id: other.id, input: { inn: taken } }, 'CONFLICT', 'input.inn');
    // keeping one's own INN is no conflict
    await admin.data(updateOrganizationMutation, { id: other.id, input: { inn: other.inn } });
  });

  test('changing an unknown organization is not found', async () => {
    const error = await refused(updateOrganizationMutation, { id: unknownId, input: { name: 'Школа' } }, 'NOT_FOUND');
    expect(error.extensions?.id).toBe(unknownId);
  });

  test('the name and kind cannot be cleared or blank, while the INN and short name can be cleared', async () => {
    const organization = await createOrganization(admin, municipality.id, { shortName: 'Школа', inn: freshInn() });
    await refused(updateOrganizationMutation, { id: organization.id, input: { name: null } }, 'BAD_USER_INPUT', 'input.name');
    await refused(updateOrganizationMutation, { id: organization.id, input: { name: '  ' } }, 'BAD_USER_INPUT', 'input.name');
    await refused(updateOrganizationMutation, { id: organization.id, input: { kind: null } }, 'BAD_USER_INPUT', 'input.kind');
    await refused(createOrganizationMutation, { input: { municipalityId: municipality.id, name: ' \t ', kind: 'SCHOOL' } },
      'BAD_USER_INPUT', 'input.name');
    const { updateOrganization } = await admin.data(updateOrganizationMutation, { id: organization.id, input: { inn: null, shortName: null } });
    expect(updateOrganization).toEqual({ id: organization.id, name: organization.name, shortName: null, inn: null });
  });
});

describe('educators', () => {
  test('a SNILS with a wrong control number is refused, on registration and on change', async () => {
    const educator = await createEducator(admin, school.id);
    for (const snils of ['112-233-445 96', '11223344594', '001-326-679 01']) {
      const error = await refused(createEducatorMutation, { input: educatorInput({ snils }) }, 'BAD_USER_INPUT', 'input.snils');
      expect(error.message).toBe('input.snils: has a wrong control number');
      await refused(updateEducatorMutation, { id: educator.id, input: { snils } }, 'BAD_USER_INPUT', 'input.snils');
    }
  });

  test('a SNILS of other than 11 digits is refused', async () => {
    const educator = await createEducator(admin, school.id);
    for (const snils of ['112-233-445 9', '112-233-445 955', '', 'СНИЛС', '112-233-445 9x']) {
      const error = await refused(createEducatorMutation, { input: educatorInput({ snils }) }, 'BAD_USER_INPUT', 'input.snils');
      expect(error.message).toBe('input.snils: must have 11 digits');
      await refused(updateEducatorMutation, { id: educator.id, input: { snils } }, 'BAD_USER_INPUT', 'input.snils');
    }
  });

  test('registering an educator whose SNILS is already registered is a conflict, however the SNILS is written', async () => {
    const snils = freshSnils();
    await createEducator(admin, school.id, { snils });
    const formatted = `${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)}`;
    for (const written of [snils, formatted]) {
      const error = await refused(createEducatorMutation, { input: educatorInput({ snils: written, lastName: 'Другая' }) }, 'CONFLICT', 'input.snils');
      expect(error.message).toMatch(/educatorSnils/); // points to the way out: hire the registered person
      await refused(createEducatorMutation, { input: { ...educatorInput({ snils: written }), employment: employmentInput(otherSchool.id) } },
        'CONFLICT', 'input.snils');
    }
  });

  test('giving an educator the SNILS of another is a conflict, while keeping their own is fine', async () => {
    const first = await createEducator(admin, school.id);
    const second = await createEducator(admin, school.id);
    await refused(updateEducatorMutation, { id: second.id, input: { snils: first.snils } }, 'CONFLICT', 'input.snils');
    await refused(updateEducatorMutation, { id: second.id, input: { snils: first.snils.replace(/-/g, '').replace(' ', '') } }, 'CONFLICT', 'input.snils');
    const { updateEducator } = await admin.data(updateEducatorMutation, { id: second.id, input: { snils: second.snils } });
    expect(updateEducator.snils).toBe(second.snils);
  });

  test('names of only spaces are refused', async () => {
    const educator = await createEducator(admin, school.id);
    await refused(createEducatorMutation, { input: educatorInput({ lastName: '   ' }) }, 'BAD_USER_INPUT', 'input.lastName');
    await refused(createEducatorMutation, { input: educatorInput({ firstName: '\t' }) }, 'BAD_USER_INPUT', 'input.firstName');
    await refused(createEducatorMutation, { input: educatorInput({ patronymic: ' ' }) }, 'BAD_USER_INPUT', 'input.patronymic');
    await refused(createEducatorMutation, { input: educatorInput({ lastName: '' }) }, 'BAD_USER_INPUT', 'input.lastName');
    await refused(updateEducatorMutation, { id: educator.id, input: { lastName: '  ' } }, 'BAD_USER_INPUT', 'input.lastName');
    await refused(updateEducatorMutation, { id: educator.id, input: { firstName: ' ' } }, 'BAD_USER_INPUT', 'input.firstName');
  });

  test('a birth date in the future is refused', async () => {
    const educator = await createEducator(admin, school.id);
    const error = await refused(createEducatorMutation, { input: educatorInput({ birthDate: nextYear, pedagogicalWorkStartedOn: null }) },
      'BAD_USER_INPUT', 'input.birthDate');
    expect(error.message).toBe('input.birthDate: must not be in the future');
    await refused(updateEducatorMutation, { id: educator.id, input: { birthDate: nextYear } }, 'BAD_USER_INPUT', 'input.birthDate');
  });

  test('pedagogical work cannot start before the educator is 14, on registration', async () => {
    const error = await refused(createEducatorMutation,
      { input: educatorInput({ birthDate: '1990-05-17', pedagogicalWorkStartedOn: '2004-05-16' }) }, 'BAD_USER_INPUT', 'input.pedagogicalWorkStartedOn');
    expect(error.message).toMatch(/14 years after birthDate/);
    await refused(createEducatorMutation, { input: educatorInput({ birthDate: '1990-05-17', pedagogicalWorkStartedOn: '1989-09-01' }) },
      'BAD_USER_INPUT', 'input.pedagogicalWorkStartedOn');
    // on the 14th birthday itself, work may begin
    await admin.data(createEducatorMutation, { input: educatorInput({ birthDate: '1990-05-17', pedagogicalWorkStartedOn: '2004-05-17' }) });
  });

  test('changing only the birth date or only the start of work is checked against the other, and nothing is saved', async () => {
    // born 1990-05-17, working since 2015-09-01
    const educator = await createEducator(admin, school.id, { birthDate: '1990-05-17', pedagogicalWorkStartedOn: '2015-09-01' });
    // the update runs before the rule is checked on the row it produced: the rollback is what keeps the data
    await refused(updateEducatorMutation, { id: educator.id, input: { birthDate: '2002-01-01' } }, 'BAD_USER_INPUT', 'input.pedagogicalWorkStartedOn');
    await refused(updateEducatorMutation, { id: educator.id, input: { pedagogicalWorkStartedOn: '2004-05-16' } },
      'BAD_USER_INPUT', 'input.pedagogicalWorkStartedOn');
    const { updateEducator } = await admin.data(updateEducatorMutation, { id: educator.id, input: { pedagogicalWorkStartedOn: '2004-05-17' } });
    expect(updateEducator).toMatchObject({ birthDate: '1990-05-17', pedagogicalWorkStartedOn: '2004-05-17' });
    // both fields changed together are checked together
    const { updateEducator: both } = await admin.data(updateEducatorMutation,
      { id: educator.id, input: { birthDate: '2001-01-01', pedagogicalWorkStartedOn: '2020-09-01' } });
    expect(both).toMatchObject({ birthDate: '2001-01-01', pedagogicalWorkStartedOn: '2020-09-01' });
  });

  test('a required field cannot be cleared, while an optional one can', async () => {
    const educator = await createEducator(admin, school.id, { lastName: 'Петрова', firstName: 'Мария', patronymic: 'Ивановна' });
    for (const field of ['lastName', 'firstName', 'birthDate', 'snils']) {
      await refused(updateEducatorMutation, { id: educator.id, input: { [field]: null } }, 'BAD_USER_INPUT', `input.${field}`);
    }
    const { updateEducator } = await admin.data(updateEducatorMutation, { id: educator.id, input: { patronymic: null } });
    expect(updateEducator).toMatchObject({ fullName: 'Петрова Мария', patronymic: null });
    const row = await graph.db.staff('educator').where({ id: educator.id }).first();
    expect(row).toMatchObject({ last_name: 'Петрова', first_name: 'Мария', patronymic: null, sort_name: 'петрова мария ' });
  });

  test('changing an unknown educator is not found', async () => {
    const error = await refused(updateEducatorMutation, { id: unknownId, input: { firstName: 'Анна' } }, 'NOT_FOUND');
    expect(error.extensions?.id).toBe(unknownId);
  });

  test('a malformed id is refused as bad input, not answered as a server error', async () => {
    // endEmployment validates its id; updateEducator and updateOrganization should answer the same way
    await refused(endEmploymentMutation, { id: 'not-an-id', endedOn: '2024-01-01' }, 'BAD_USER_INPUT', 'args.id');
    await refused(updateEducatorMutation, { id: 'not-an-id', input: { firstName: 'Анна' } }, 'BAD_USER_INPUT');
    await refused(updateOrganizationMutation, { id: 'not-an-id', input: { name: 'Школа' } }, 'BAD_USER_INPUT');
  });
});

describe('employments', () => {
  test('an employment that ends before it starts is refused: on registration, on hiring and on ending', async () => {
    await refused(createEducatorMutation,
      { input: { ...educatorInput(), employment: employmentInput(school.id, { startedOn: '2020-09-01', endedOn: '2020-08-31' }) } },
      'BAD_USER_INPUT', 'input.employment.endedOn');
    const educator = await createEducator(admin, school.id, {}, { startedOn: '2020-09-01' });
    await refused(startEmploymentMutation,
      { input: { educatorId: educator.id, ...employmentInput(otherSchool.id, { isMainJob: false, startedOn: '2021-09-01', endedOn: '2021-08-31' }) } },
      'BAD_USER_INPUT', 'input.endedOn');
    const error = await refused(endEmploymentMutation, { id: educator.employments[0].id, endedOn: '2020-08-31' }, 'BAD_USER_INPUT');
    expect(error.extensions?.field).toMatch(/endedOn$/);
    expect(error.message).toMatch(/2020-09-01/);
    // a one-day employment is fine
    await admin.data(endEmploymentMutation, { id: educator.employments[0].id, endedOn: '2020-09-01' });
  });

  test('a rate must be above 0 and at most 2', async () => {
    const educator = await createEducator(admin, school.id);
    for (const rate of [0, -0.5, -1, 2.01, 3]) {
      await refused(startEmploymentMutation, { input: { educatorId: educator.id, ...employmentInput(otherSchool.id, { isMainJob: false, rate }) } },
        'BAD_USER_INPUT', 'input.rate');
      await refused(createEducatorMutation, { input: { ...educatorInput(), employment: employmentInput(school.id, { rate }) } },
        'BAD_USER_INPUT', 'input.employment.rate');
    }
    const { startEmployment } = await admin.data(startEmploymentMutation,
      { input: { educatorId: educator.id, ...employmentInput(otherSchool.id, { isMainJob: false, rate: 2 }) } });
    expect(startEmployment.rate).toBe(2);
  });

  test('a rate finer than the hundredths the registry keeps is refused as bad input, not answered as a server error', async () => {
    // 0.001 passes "above 0" but rounds to 0.00 in numeric(4,2), which the table's check refuses
    const educator = await createEducator(admin, school.id);
    await refused(startEmploymentMutation, { input: { educatorId: educator.id, ...employmentInput(otherSchool.id, { isMainJob: false, rate: 0.001 }) } },
      'BAD_USER_INPUT', 'input.rate');
    await refused(createEducatorMutation, { input: { ...educatorInput(), employment: employmentInput(school.id, { rate: 0.001 }) } },
      'BAD_USER_INPUT', 'input.employment.rate');
  });

  test('hiring into an unknown organization, or an unknown educator, is not found', async () => {
    const educator = await createEducator(admin, school.id);
    const byOrganization = await refused(startEmploymentMutation,
      { input: { educatorId: educator.id, ...employmentInput(unknownId, { isMainJob: false }) } }, 'NOT_FOUND');
    expect(byOrganization.extensions?.id).toBe(unknownId);
    expect(byOrganization.message).toMatch(/^Organization /);
    const byId = await refused(startEmploymentMutation, { input: { educatorId: unknownId, ...employmentInput(otherSchool.id) } }, 'NOT_FOUND');
    expect(byId.message).toMatch(/^Educator /);
    const snils = freshSnils();
    await refused(startEmploymentMutation, { input: { educatorSnils: snils, ...employmentInput(otherSchool.id) } }, 'NOT_FOUND');
  });

  test('hiring names the educator by exactly one of id and SNILS', async () => {
    const educator = await createEducator(admin, school.id);
    await refused(startEmploymentMutation,
      { input: { educatorId: educator.id, educatorSnils: educator.snils, ...employmentInput(otherSchool.id, { isMainJob: false }) } },
      'BAD_USER_INPUT', 'input.educatorId');
    await refused(startEmploymentMutation, { input: { ...employmentInput(otherSchool.id, { isMainJob: false }) } }, 'BAD_USER_INPUT', 'input.educatorId');
    await refused(startEmploymentMutation, { input: { educatorId: null, educatorSnils: null, ...employmentInput(otherSchool.id, { isMainJob: false }) } },
      'BAD_USER_INPUT', 'input.educatorId');
    // by SNILS alone, as written on the card
    const { startEmployment } = await admin.data(startEmploymentMutation,
      { input: { educatorSnils: educator.snils, ...employmentInput(otherSchool.id, { isMainJob: false }) } });
    expect(startEmployment.isMainJob).toBe(false);
  });

  test('ending an unknown employment is not found', async () => {
    const error = await refused(endEmploymentMutation, { id: unknownId, endedOn: '2024-06-30' }, 'NOT_FOUND');
    expect(error.extensions?.id).toBe(unknownId);
  });

  test('an employment cannot be ended twice', async () => {
    const educator = await createEducator(admin, school.id, {}, { startedOn: '2020-09-01' });
    const [{ id }] = educator.employments;
    await admin.data(endEmploymentMutation, { id, endedOn: '2023-06-30' });
    const error = await refused(endEmploymentMutation, { id, endedOn: '2024-06-30' }, 'CONFLICT');
    expect(error.message).toMatch(/2023-06-30/);
    await refused(endEmploymentMutation, { id, endedOn: '2023-06-30' }, 'CONFLICT');
  });

  test('a second main job over the same days is a conflict, while a part-time one is fine', async () => {
    const educator = await createEducator(admin, school.id, {}, { startedOn: '2020-09-01' });
    const error = await refused(startEmploymentMutation,
      { input: { educatorId: educator.id, ...employmentInput(otherSchool.id, { isMainJob: true, startedOn: '2022-09-01' }) } }, 'CONFLICT');
    expect(error.message).toMatch(/main job/);
    // one that ends on the day the first began reaches into it
    await refused(startEmploymentMutation,
      { input: { educatorId: educator.id, ...employmentInput(otherSchool.id, { isMainJob: true, startedOn: '2019-09-01', endedOn: '2020-09-01' }) } },
      'CONFLICT');
    const { startEmployment } = await admin.data(startEmploymentMutation,
      { input: { educatorId: educator.id, ...employmentInput(otherSchool.id, { isMainJob: false, rate: 0.5, startedOn: '2022-09-01' }) } });
    expect(startEmployment).toMatchObject({ isMainJob: false, rate: 0.5 });
    // one that ended the day before the first began overlaps nothing
    await admin.data(startEmploymentMutation,
      { input: { educatorId: educator.id, ...employmentInput(otherSchool.id, { isMainJob: true, startedOn: '2019-09-01', endedOn: '2020-08-31' }) } });
  });

  test('a main job may start the day after the previous one ended, not on its last day', async () => {
    const educator = await createEducator(admin, school.id, {}, { startedOn: '2020-09-01' });
    await admin.data(endEmploymentMutation, { id: educator.employments[0].id, endedOn: '2022-06-30' });
    await refused(startEmploymentMutation,
      { input: { educatorId: educator.id, ...employmentInput(otherSchool.id, { isMainJob: true, startedOn: '2022-06-30' }) } }, 'CONFLICT');
    const result = await startEmployment(educator.id, otherSchool.id, { isMainJob: true, startedOn: '2022-07-01' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.startEmployment).toMatchObject({ isMainJob: true, startedOn: '2022-07-01', endedOn: null });
  });

  test('the same position in the same organization cannot be held twice over the same days', async () => {
    const educator = await createEducator(admin, school.id, {}, { position: 'учитель', startedOn: '2020-09-01', endedOn: '2023-06-30' });
    for (const position of ['учитель', 'Учитель', '  УЧИТЕЛЬ ']) {
      const error = await refused(startEmploymentMutation,
        { input: { educatorId: educator.id, ...employmentInput(school.id, { position, isMainJob: false, rate: 0.25, startedOn: '2023-01-09' }) } },
        'CONFLICT');
      expect(error.message).toMatch(/already holds this position here from 2020-09-01 to 2023-06-30/);
    }
    // another position there, or the same one once the first has ended, is fine
    expect((await startEmployment(educator.id, school.id, { position: 'педагог дополнительного образования', isMainJob: false, rate: 0.25, startedOn: '2023-01-09' })).errors)
      .toBeUndefined();
    expect((await startEmployment(educator.id, school.id, { position: 'учитель', startedOn: '2023-07-01' })).errors).toBeUndefined();
  });

  test('registering an educator with an employment is all or nothing', async () => {
    const snils = freshSnils();
    const error = await refused(createEducatorMutation,
      { input: { ...educatorInput({ snils }), employment: employmentInput(unknownId) } }, 'NOT_FOUND');
    expect(error.extensions?.id).toBe(unknownId);
    expect(await graph.db.staff('educator').where({ snils })).toEqual([]);
    // the same person, hired into a real school, is registered once with their employment
    await admin.data(createEducatorMutation, { input: { ...educatorInput({ snils }), employment: employmentInput(school.id) } });
    const [row] = await graph.db.staff('educator').where({ snils });
    expect(await graph.db.staff('employment').where({ educator_id: row.id })).toHaveLength(1);
  });
});

describe('dates and paging', () => {
  test('a date that is not a calendar day is refused', async () => {
    const educator = await createEducator(admin, school.id, {}, { startedOn: '2020-09-01' });
    for (const day of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-00-10', '2024-1-5', '05.01.2024', '2024-01-05T00:00:00Z', '']) {
      const error = await refused(createEducatorMutation, { input: educatorInput({ birthDate: day }) }, 'BAD_USER_INPUT');
      expect(error.message).toMatch(/input\.birthDate.*YYYY-MM-DD/);
      await refused(endEmploymentMutation, { id: educator.employments[0].id, endedOn: day }, 'BAD_USER_INPUT');
      await refused(startEmploymentMutation, { input: { educatorId: educator.id, ...employmentInput(otherSchool.id, { isMainJob: false, startedOn: day }) } },
        'BAD_USER_INPUT');
    }
    // 29 February of a leap year is a day
    await admin.data(createEducatorMutation, { input: educatorInput({ birthDate: '1996-02-29', pedagogicalWorkStartedOn: '2018-09-01' }) });
  });

  test('a page size outside 0 to 200 is refused', async () => {
    for (const first of [-1, 201, 1000]) {
      const error = await refused(educatorsQuery, { first }, 'BAD_USER_INPUT', 'first');
      expect(error.message).toBe('first must be between 0 and 200');
    }
    expect((await admin.data(educatorsQuery, { first: 0 })).educators.totalCount).toBeGreaterThan(0);
    expect((await admin.data(educatorsQuery, { first: 200 })).educators.totalCount).toBeGreaterThan(0);
  });

  test('a cursor the API never returned is refused', async () => {
    for (const after of ['garbage', '!!!', Buffer.from('12').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      await refused(educatorsQuery, { after }, 'BAD_USER_INPUT', 'after');
    }
  });

  test('a cursor of the wrong shape is refused as bad input, not answered as a server error', async () => {
    const forged = [[], [1], ['иванова анна', 'not-an-id'], ['a', 'b', 'c']];
    for (const key of forged) {
      await refused(educatorsQuery, { after: Buffer.from(JSON.stringify(key)).toString('base64url') }, 'BAD_USER_INPUT', 'after');
    }
  });
});
