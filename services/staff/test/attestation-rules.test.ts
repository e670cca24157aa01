import {
  awardValidUntil, categoryOn, categoryRank, decideAttestationInput, holdsHighestOn, isAwardInForce, nextStage, requiresHighest,
  samePosition, stageConflict, categoryAwardInput,
} from '../src/attestation';

/** The category and attestation rules as plain functions, without a server or a database. */

const award = (category: string, awardedOn: string, position = 'учитель') => ({ category, position, awardedOn, validUntil: awardValidUntil(awardedOn) });

describe('how long an award is valid', () => {
  test('through the day before its fifth anniversary', () => {
    expect(awardValidUntil('2024-09-10')).toBe('2029-09-09');
    expect(awardValidUntil('2020-01-01')).toBe('2024-12-31');
    expect(awardValidUntil('2021-12-31')).toBe('2026-12-30');
  });

  test('an award of 29 February is valid through 28 February five years on, its anniversary being 1 March', () => {
    expect(awardValidUntil('2024-02-29')).toBe('2029-02-28');
    expect(awardValidUntil('2020-02-29')).toBe('2025-02-28');
  });

  test('an award of 1 March is valid through 29 February when the fifth year is a leap year', () => {
    expect(awardValidUntil('2023-03-01')).toBe('2028-02-29');
    expect(awardValidUntil('2024-03-01')).toBe('2029-02-28');
  });

  test('an award is in force from its first day to its last, both included', () => {
    const a = award('first', '2020-01-01');
    expect(isAwardInForce(a, '2019-12-31')).toBe(false);
    expect(isAwardInForce(a, '2020-01-01')).toBe(true);
    expect(isAwardInForce(a, '2024-12-31')).toBe(true);
    expect(isAwardInForce(a, '2025-01-01')).toBe(false);
  });
});

describe('the category in force on a day', () => {
  test('categories rank conformity < first < highest < mentor < methodologist', () => {
    const order = Object.entries(categoryRank).sort(([, a], [, b]) => a - b).map(([c]) => c);
    expect(order).toEqual(['conformity', 'first', 'highest', 'mentor', 'methodologist']);
  });

  test('none before the first award, the award during it, none after it ends', () => {
    const awards = [award('first', '2020-03-15')];
    expect(categoryOn(awards, '2020-03-14')).toBeNull();
    expect(categoryOn(awards, '2020-03-15')).toBe(awards[0]);
    expect(categoryOn(awards, '2025-03-14')).toBe(awards[0]);
    expect(categoryOn(awards, '2025-03-15')).toBeNull();
  });

  test('a higher category outranks a lower one still in force, and the lower one answers again once the higher has ended', () => {
    const first = award('first', '2020-01-10');
    const highest = award('highest', '2022-01-10');
    const awards = [highest, first];
    expect(categoryOn(awards, '2021-06-01')).toBe(first);
    expect(categoryOn(awards, '2023-06-01')).toBe(highest);
    expect(categoryOn(awards, '2026-06-01')).toBe(highest);
    expect(categoryOn(awards, '2027-01-10')).toBeNull();
  });

  test('a later award of a lower category does not hide a higher one in force', () => {
    const highest = award('highest', '2021-05-01');
    const conformity = award('conformity', '2023-05-01');
    expect(categoryOn([conformity, highest], '2024-01-01')).toBe(highest);
  });

  test('of two awards of the same category, the later answers', () => {
    const older = award('first', '2019-05-01');
    const newer = award('first', '2023-05-01');
    expect(categoryOn([older, newer], '2023-06-01')).toBe(newer);
  });

  test('methodologist outranks mentor, both outrank highest', () => {
    const highest = award('highest', '2022-01-01');
    const mentor = award('mentor', '2023-01-01');
    const methodologist = award('methodologist', '2023-06-01');
    expect(categoryOn([highest, mentor], '2023-03-01')).toBe(mentor);
    expect(categoryOn([methodologist, highest, mentor], '2024-01-01')).toBe(methodologist);
  });

  test('for a position, only the awards for that position count, matched ignoring case and spaces', () => {
    const teacher = award('highest', '2022-01-01', 'учитель');
    const tutor = award('first', '2022-01-01', 'Педагог дополнительного образования');
    expect(categoryOn([teacher, tutor], '2023-01-01', ' педагог ДОПОЛНИТЕЛЬНОГО образования ')).toBe(tutor);
    expect(categoryOn([teacher, tutor], '2023-01-01', 'УЧИТЕЛЬ')).toBe(teacher);
    expect(categoryOn([teacher, tutor], '2023-01-01', 'воспитатель')).toBeNull();
    expect(samePosition(' Учитель ', 'учитель')).toBe(true);
  });
});

describe('the categories of 2023', () => {
  test('methodologist and mentor require the highest, the others do not', () => {
    expect(['conformity', 'first', 'highest', 'methodologist', 'mentor'].filter(requiresHighest)).toEqual(['methodologist', 'mentor']);
  });

  test('the highest must be in force on the day itself', () => {
    const awards = [award('first', '2015-01-01'), award('highest', '2018-02-01')]; // valid through 2023-01-31
    expect(holdsHighestOn(awards, '2018-01-31')).toBe(false);
    expect(holdsHighestOn(awards, '2018-02-01')).toBe(true);
    expect(holdsHighestOn(awards, '2023-01-31')).toBe(true);
    expect(holdsHighestOn(awards, '2023-02-01')).toBe(false);
    expect(holdsHighestOn([award('methodologist', '2022-01-01')], '2023-01-01')).toBe(false);
  });
});

describe('the stages of a request', () => {
  const filed = { stage: 'filed', reviewStartedOn: null, outcome: null, decidedOn: null };
  const underReview = { stage: 'under_review', reviewStartedOn: '2024-02-01', outcome: null, decidedOn: null };
  const decided = { stage: 'decided', reviewStartedOn: '2024-02-01', outcome: 'refused', decidedOn: '2024-03-01' };

  test('filed → under review → decided, and nothing after', () => {
    expect(nextStage).toEqual({ filed: 'under_review', under_review: 'decided', decided: null });
    expect(stageConflict(filed, 'under_review')).toBeNull();
    expect(stageConflict(underReview, 'decided')).toBeNull();
  });

  test('a filed request cannot be decided before its review starts', () => {
    expect(stageConflict(filed, 'decided')).toMatch(/start its review/);
  });

  test('a request under review cannot start its review again', () => {
    expect(stageConflict(underReview, 'under_review')).toMatch(/already under review since 2024-02-01/);
  });

  test('a decided request is closed to every move', () => {
    expect(stageConflict(decided, 'decided')).toMatch(/closed: it was decided \(refused\) on 2024-03-01/);
    expect(stageConflict(decided, 'under_review')).toMatch(/closed/);
  });
});

describe('input of awards and decisions', () => {
  const id = '00000000-0000-4000-8000-000000000000';
  const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
    result.success ? [] : result.error!.issues.map((i) => i.path.join('.'));

  test('an order may be dated the day of the decision or later, never before', () => {
    const input = { educatorId: id, category: 'first', position: 'учитель', awardedOn: '2024-03-01', orderNumber: '12-к' };
    expect(issues(categoryAwardInput.safeParse({ ...input, orderDate: '2024-03-01' }))).toEqual([]);
    expect(issues(categoryAwardInput.safeParse({ ...input, orderDate: '2024-03-20' }))).toEqual([]);
    expect(issues(categoryAwardInput.safeParse({ ...input, orderDate: '2024-02-29' }))).toEqual(['orderDate']);
  });

  test('a grant needs its order, a refusal takes none', () => {
    const decision = { id, decidedOn: '2024-03-01' };
    expect(issues(decideAttestationInput.safeParse({ ...decision, outcome: 'granted' }))).toEqual(['orderNumber', 'orderDate']);
    expect(issues(decideAttestationInput.safeParse({ ...decision, outcome: 'granted', orderNumber: ' ', orderDate: '2024-03-01' }))).toEqual(['orderNumber']);
    expect(issues(decideAttestationInput.safeParse({ ...decision, outcome: 'granted', orderNumber: '7', orderDate: '2024-02-28' }))).toEqual(['orderDate']);
    expect(issues(decideAttestationInput.safeParse({ ...decision, outcome: 'granted', orderNumber: '7', orderDate: '2024-03-05' }))).toEqual([]);
    expect(issues(decideAttestationInput.safeParse({ ...decision, outcome: 'refused' }))).toEqual([]);
    expect(issues(decideAttestationInput.safeParse({ ...decision, outcome: 'refused', orderNumber: '7' }))).toEqual(['orderNumber']);
  });

  test('decisions and orders are not in the future', () => {
    const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
    expect(issues(decideAttestationInput.safeParse({ id, outcome: 'refused', decidedOn: nextYear }))).toEqual(['decidedOn']);
  });
});
