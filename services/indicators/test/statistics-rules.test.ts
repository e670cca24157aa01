import { periodsOf, suppressSmallCells } from '../src/statistics/rules';

/** Small-cell protection and periods of statistics (src/statistics/rules.ts), apart from SQL. */
const figures = (...people: number[]) => people.map((n) => ({ people: n, population: null, isSuppressed: false }));
const total = (n: number) => ({ people: n, population: null, isSuppressed: false });

describe('suppressSmallCells', () => {
  test('nothing under the threshold: nothing suppressed', () => {
    const rows = figures(5, 12, 40);
    expect(suppressSmallCells(rows, total(57), false)).toBe(0);
    expect(rows.map((r) => r.isSuppressed)).toEqual([false, false, false]);
  });

  test('a lone small group takes the next smallest with it, so that total − shown does not give it back', () => {
    const rows = figures(40, 3, 9, 12);
    const t = total(64);
    expect(suppressSmallCells(rows, t, false)).toBe(2);
    expect(rows.map((r) => r.isSuppressed)).toEqual([false, true, true, false]);
    expect(t.isSuppressed).toBe(false);
  });

  test('two small groups are enough on their own; a single group is its own total', () => {
    const rows = figures(1, 4, 30);
    expect(suppressSmallCells(rows, total(35), false)).toBe(2);
    expect(rows.map((r) => r.isSuppressed)).toEqual([true, true, false]);
    const alone = figures(3);
    const t = total(3);
    expect(suppressSmallCells(alone, t, false)).toBe(1);
    expect(t.isSuppressed).toBe(true);
  });

  test('for SHARE the group is its population (the denominator), not those who have the fact', () => {
    const rows = [{ people: 1, population: 50, isSuppressed: false }, { people: 2, population: 3, isSuppressed: false }, { people: 0, population: 20, isSuppressed: false }];
    expect(suppressSmallCells(rows, { people: 3, population: 73, isSuppressed: false }, true)).toBe(2);
    expect(rows.map((r) => r.isSuppressed)).toEqual([false, true, true]);
  });
});

describe('periodsOf', () => {
  test('a day, a year, several years', () => {
    expect(periodsOf({ on: '2026-01-15', academicYear: null, academicYears: null })).toEqual({ periods: [{ y: '2026-01-15', f: '2026-01-15', t: '2026-01-15' }], isYears: false });
    expect(periodsOf({ on: null, academicYear: '2024/2025', academicYears: null }).periods).toEqual([{ y: '2024/2025', f: '2024-09-01', t: '2025-08-31' }]);
    expect(periodsOf({ on: null, academicYear: null, academicYears: ['2023/2024', '2024/2025'] }).periods).toHaveLength(2);
  });

  test.each([
    [{ on: null, academicYear: null, academicYears: null }, 'on'],
    [{ on: '2026-01-15', academicYear: '2025/2026', academicYears: null }, 'on'],
    [{ on: null, academicYear: null, academicYears: [] }, 'academicYears'],
    [{ on: null, academicYear: null, academicYears: ['2024/2025', '2024/2025'] }, 'academicYears'],
  ])('%j is BAD_USER_INPUT on %s', (args, field) => {
    expect(() => periodsOf(args)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) }));
  });
});
