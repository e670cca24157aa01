import type { GraphQLError } from 'graphql';
import {
  assignmentConflict, assignmentsLosingCover, coveringTerm, educatorStatusConflict, endTermRefusal, grantEducatorStatusInput,
  mayWriteEducatorStatus, mayWriteOrganizationStatus, organizationStatusConflict, periodAsked, sameDirection, termsOverlap,
} from '../src/statuses';
import type { AssignmentRow, EducatorStatusRow, OrganizationStatusRow } from '../src/store/statuses';

/** The rules of statuses with terms as plain functions, without a server or a database. */

const north = '11111111-1111-4111-8111-111111111111';
const south = '22222222-2222-4222-8222-222222222222';
const document = { documentNumber: '12-р', documentDate: '2024-08-20', documentTitle: null };

const status = (overrides: Partial<EducatorStatusRow>): EducatorStatusRow => ({
  id: 'status', educatorId: 'anna', kind: 'council_member', municipalityId: north, validFrom: '2024-09-01', validTo: '2025-08-31',
  ...document, ...overrides,
});
const site = (overrides: Partial<OrganizationStatusRow>): OrganizationStatusRow => ({
  id: 'site', organizationId: 'school', kind: 'internship_site', direction: 'Наставничество в ДОО', validFrom: '2024-09-01', validTo: null,
  ...document, ...overrides,
});
const assignment = (overrides: Partial<AssignmentRow>): AssignmentRow => ({
  id: 'assignment', methodistId: 'maria', educatorId: 'anna', validFrom: '2024-09-01', validTo: '2025-05-31', ...overrides,
});
const codeOf = (error: GraphQLError | null) => error?.extensions.code ?? null;

describe('terms', () => {
  test('terms sharing a day overlap, boundaries included', () => {
    expect(termsOverlap({ validFrom: '2024-09-01', validTo: '2025-08-31' }, { validFrom: '2025-08-31', validTo: null })).toBe(true);
    expect(termsOverlap({ validFrom: '2025-08-31', validTo: '2025-08-31' }, { validFrom: '2024-09-01', validTo: '2025-08-31' })).toBe(true);
    expect(termsOverlap({ validFrom: '2020-01-01', validTo: null }, { validFrom: '2030-01-01', validTo: null })).toBe(true);
  });

  test('a term ending the day before the next begins does not overlap it', () => {
    expect(termsOverlap({ validFrom: '2024-09-01', validTo: '2025-08-31' }, { validFrom: '2025-09-01', validTo: null })).toBe(false);
    expect(termsOverlap({ validFrom: '2025-09-01', validTo: null }, { validFrom: '2024-09-01', validTo: '2025-08-31' })).toBe(false);
  });

  test('a period is a day, a year, or (neither) every term; both at once or a badly written year is bad input', () => {
    expect(periodAsked({})).toBeNull();
    expect(periodAsked({ on: null, academicYear: null })).toBeNull();
    expect(periodAsked({ on: '2025-01-15' })).toEqual({ from: '2025-01-15', to: '2025-01-15' });
    expect(periodAsked({ academicYear: '2024/2025' })).toEqual({ from: '2024-09-01', to: '2025-08-31' });
    expect(() => periodAsked({ on: '2025-01-15', academicYear: '2024/2025' })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
    for (const academicYear of ['2024/2026', '2024-2025', '24/25']) {
      expect(() => periodAsked({ academicYear })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
    }
  });
});

describe('overlapping terms of the same status', () => {
  test('a council membership overlapping one in the same municipality conflicts; in another municipality it does not', () => {
    const held = [status({})];
    expect(educatorStatusConflict(held, { kind: 'council_member', municipalityId: north, validFrom: '2025-03-01', validTo: null })).toMatch(/may not overlap/);
    expect(educatorStatusConflict(held, { kind: 'council_member', municipalityId: south, validFrom: '2025-03-01', validTo: null })).toBeNull();
  });

  test('a different kind of status never conflicts; an adjacent term of the same one does not either', () => {
    const held = [status({})];
    expect(educatorStatusConflict(held, { kind: 'methodological_active', municipalityId: north, validFrom: '2024-09-01' })).toBeNull();
    expect(educatorStatusConflict(held, { kind: 'council_member', municipalityId: north, validFrom: '2025-09-01' })).toBeNull();
    expect(educatorStatusConflict(held, { kind: 'council_member', municipalityId: north, validFrom: '2023-09-01', validTo: '2024-08-31' })).toBeNull();
  });

  test('a regional methodist holds one status whatever municipality each term names', () => {
    const held = [status({ kind: 'regional_methodist', municipalityId: null, validTo: null })];
    expect(educatorStatusConflict(held, { kind: 'regional_methodist', municipalityId: south, validFrom: '2030-01-01' })).toMatch(/may not overlap/);
  });

  test('site terms conflict in the same kind and direction, whatever the case, ё or spacing', () => {
    const held = [site({})];
    expect(sameDirection('Наставничество в ДОО', '  наставничество  в доо ')).toBe(true);
    expect(sameDirection('Ёлочка', 'елочка')).toBe(true);
    expect(organizationStatusConflict(held, { kind: 'internship_site', direction: 'НАСТАВНИЧЕСТВО В ДОО', validFrom: '2026-01-01' })).toMatch(/may not overlap/);
    expect(organizationStatusConflict(held, { kind: 'internship_site', direction: 'Цифровая образовательная среда', validFrom: '2026-01-01' })).toBeNull();
    expect(organizationStatusConflict(held, { kind: 'base_site', direction: 'Наставничество в ДОО', validFrom: '2026-01-01' })).toBeNull();
    expect(organizationStatusConflict(held, { kind: 'internship_site', direction: 'Наставничество в ДОО', validFrom: '2023-09-01', validTo: '2024-08-31' })).toBeNull();
  });

  test('the same methodist and educator may not have overlapping assignments; other pairs may', () => {
    const held = [assignment({})];
    expect(assignmentConflict(held, { methodistId: 'maria', educatorId: 'anna', validFrom: '2025-05-31' })).toMatch(/already assigned/);
    expect(assignmentConflict(held, { methodistId: 'maria', educatorId: 'anna', validFrom: '2025-06-01' })).toBeNull();
    expect(assignmentConflict(held, { methodistId: 'maria', educatorId: 'boris', validFrom: '2024-09-01' })).toBeNull();
  });
});

describe('the methodist holds the status over the whole assignment', () => {
  const terms = [{ validFrom: '2023-09-01', validTo: '2024-08-31' }, { validFrom: '2024-09-01', validTo: '2026-08-31' }];

  test('one term must cover the assignment from its first day to its last', () => {
    expect(coveringTerm(terms, { validFrom: '2024-09-01', validTo: '2026-08-31' })).toBe(terms[1]);
    expect(coveringTerm(terms, { validFrom: '2024-01-01', validTo: '2024-06-30' })).toBe(terms[0]);
    expect(coveringTerm(terms, { validFrom: '2024-09-01', validTo: '2026-09-01' })).toBeUndefined();
    expect(coveringTerm(terms, { validFrom: '2023-08-31', validTo: '2024-06-30' })).toBeUndefined();
  });

  test('adjacent terms do not add up: an assignment across both is not covered', () => {
    expect(coveringTerm(terms, { validFrom: '2024-01-01', validTo: '2025-01-01' })).toBeUndefined();
  });

  test('an open-ended assignment needs an open-ended status', () => {
    expect(coveringTerm(terms, { validFrom: '2024-09-01', validTo: null })).toBeUndefined();
    expect(coveringTerm([{ validFrom: '2024-09-01', validTo: null }], { validFrom: '2025-01-01', validTo: null })).toBeDefined();
    expect(coveringTerm([{ validFrom: '2024-09-01', validTo: null }], { validFrom: '2025-01-01', validTo: '2030-01-01' })).toBeDefined();
  });

  test('shortening a methodist\'s term strands the assignments that last beyond it', () => {
    const before = [{ validFrom: '2024-09-01', validTo: null }];
    const after = [{ validFrom: '2024-09-01', validTo: '2025-02-28' }];
    const assignments = [
      assignment({ id: 'short', validTo: '2025-01-31' }), assignment({ id: 'long', validTo: '2025-05-31' }), assignment({ id: 'open', validTo: null }),
    ];
    expect(assignmentsLosingCover(assignments, before, after).map((a) => a.id)).toEqual(['long', 'open']);
  });
});

describe('ending a term', () => {
  const day = '2025-01-15';
  test('an open term ends on any day from its first', () => {
    expect(endTermRefusal({ validFrom: '2024-09-01', validTo: null }, '2024-09-01', day)).toBeNull();
    expect(endTermRefusal({ validFrom: '2024-09-01', validTo: null }, '2026-08-31', day)).toBeNull();
  });

  test('a last day before the first is bad input', () => {
    const error = endTermRefusal({ validFrom: '2024-09-01', validTo: null }, '2024-08-31', day);
    expect(codeOf(error)).toBe('BAD_USER_INPUT');
    expect(error?.extensions.field).toBe('args.validTo');
  });

  test('a term that already ended cannot be ended again', () => {
    expect(codeOf(endTermRefusal({ validFrom: '2024-09-01', validTo: '2024-12-31' }, '2024-11-30', day))).toBe('CONFLICT');
  });

  test('a term with a last day ahead may be shortened, never lengthened', () => {
    const term = { validFrom: '2024-09-01', validTo: '2025-08-31' };
    expect(endTermRefusal(term, '2025-03-31', day)).toBeNull();
    expect(codeOf(endTermRefusal(term, '2025-08-31', day))).toBe('CONFLICT');
    expect(codeOf(endTermRefusal(term, '2026-08-31', day))).toBe('CONFLICT');
    // a term whose last day is today is still in force
    expect(endTermRefusal({ validFrom: '2024-09-01', validTo: day }, '2025-01-10', day)).toBeNull();
  });
});

describe('who may write', () => {
  const region = { kind: 'region' } as const;
  const northMethodist = { kind: 'municipality', municipalityId: north } as const;
  test('the regional methodist status is the region\'s alone', () => {
    expect(mayWriteEducatorStatus(region, { kind: 'regional_methodist', municipalityId: null })).toBe(true);
    expect(mayWriteEducatorStatus(northMethodist, { kind: 'regional_methodist', municipalityId: north })).toBe(false);
  });

  test('a municipality methodist writes the memberships of their own municipality\'s council and active', () => {
    expect(mayWriteEducatorStatus(northMethodist, { kind: 'council_member', municipalityId: north })).toBe(true);
    expect(mayWriteEducatorStatus(northMethodist, { kind: 'methodological_active', municipalityId: north })).toBe(true);
    expect(mayWriteEducatorStatus(northMethodist, { kind: 'council_member', municipalityId: south })).toBe(false);
    expect(mayWriteEducatorStatus({ kind: 'organization', organizationId: 'school' }, { kind: 'council_member', municipalityId: north })).toBe(false);
  });

  test('organization statuses: the region, or the methodist of the organization\'s municipality', () => {
    const school = { id: 'school', municipalityId: north };
    expect(mayWriteOrganizationStatus(region, school)).toBe(true);
    expect(mayWriteOrganizationStatus(northMethodist, school)).toBe(true);
    expect(mayWriteOrganizationStatus({ kind: 'municipality', municipalityId: south }, school)).toBe(false);
    expect(mayWriteOrganizationStatus({ kind: 'organization', organizationId: 'school' }, school)).toBe(false);
  });
});

describe('grant input', () => {
  const input = {
    educatorId: north, kind: 'council_member', municipalityId: south, validFrom: '2024-09-01', validTo: '2025-08-31',
    document: { number: ' 12-р ', date: '2024-08-20' },
  };
  test('council and active memberships need a municipality; a regional methodist does not', () => {
    expect(grantEducatorStatusInput.safeParse({ ...input, municipalityId: null }).error?.issues[0].path).toEqual(['municipalityId']);
    expect(grantEducatorStatusInput.safeParse({ ...input, kind: 'regional_methodist', municipalityId: null }).success).toBe(true);
  });

  test('the document number is required and trimmed; a term may not end before it begins', () => {
    expect(grantEducatorStatusInput.parse(input).document.number).toBe('12-р');
    expect(grantEducatorStatusInput.safeParse({ ...input, document: { number: '  ', date: '2024-08-20' } }).error?.issues[0].path).toEqual(['document', 'number']);
    expect(grantEducatorStatusInput.safeParse({ ...input, validTo: '2024-08-31' }).error?.issues[0].path).toEqual(['validTo']);
  });
});
