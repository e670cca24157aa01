import {
  deficitsOf, isDeficit, isUpskillingOverdue, itemChangeProblem, monthsOf, monthsWithoutPublication, routeProgress, scoreChange, scoresProblem,
  termsOverlap, transitionProblem, type ItemState, type Scale,
} from '../src/rules';

/** The tricky rules as plain functions: deficit derivation, the route lifecycle, publication frequency. */

const code = (error: unknown) => (error as { extensions?: { code?: string } } | null)?.extensions?.code ?? null;
const open: ItemState = { doneOn: null, isDropped: false };
const done: ItemState = { doneOn: '2025-10-01', isDropped: false };
const dropped: ItemState = { doneOn: null, isDropped: true };

describe('deficits', () => {
  test('a score strictly below the threshold is a deficit; at the threshold it is not', () => {
    expect(isDeficit({ score: 59.99, threshold: 60 })).toBe(true);
    expect(isDeficit({ score: 60, threshold: 60 })).toBe(false);
    expect(deficitsOf([{ id: 'a', score: 10, threshold: 60 }, { id: 'b', score: 80, threshold: 60 }, { id: 'c', score: 3, threshold: 3.5 }]).map((d) => d.id)).toEqual(['a', 'c']);
    expect(deficitsOf([])).toEqual([]);
  });

  const framework = new Map<string, Scale>([
    ['c1', { id: 'c1', code: 'М-1', scaleMin: 0, scaleMax: 100, threshold: 60 }],
    ['c2', { id: 'c2', code: 'М-2', scaleMin: 1, scaleMax: 5, threshold: 3.5 }],
  ]);

  test('scores must lie within each competency\'s own scale, both ends included', () => {
    expect(scoresProblem([{ competencyId: 'c1', score: 0 }, { competencyId: 'c2', score: 5 }], framework)).toBeNull();
    expect(scoresProblem([{ competencyId: 'c1', score: 100.01 }], framework)?.message).toMatch(/outside its scale 0–100/);
    expect(scoresProblem([{ competencyId: 'c2', score: 0.99 }], framework)?.extensions.field).toBe('input.scores.0.score');
    expect(scoresProblem([{ competencyId: 'c2', score: Number.NaN }], framework)).not.toBeNull();
  });

  test('every competency once, and known to the framework', () => {
    expect(scoresProblem([], framework)?.message).toMatch(/at least one/);
    expect(scoresProblem([{ competencyId: 'c1', score: 1 }, { competencyId: 'c1', score: 2 }], framework)?.message).toMatch(/twice/);
    expect(code(scoresProblem([{ competencyId: 'zz', score: 1 }], framework))).toBe('BAD_USER_INPUT');
  });

  test('how a score moved since the previous diagnostic', () => {
    expect(scoreChange(72, 50)).toBe(22);
    expect(scoreChange(3.3, 3.1)).toBe(0.2);
    expect(scoreChange(40, null)).toBeNull();
  });
});

describe('the development route lifecycle', () => {
  const at = '2025-12-01';
  test('draft → active needs at least one item', () => {
    expect(code(transitionProblem({ status: 'draft' }, [], 'activate', at))).toBe('CONFLICT');
    expect(transitionProblem({ status: 'draft' }, [open], 'activate', at)).toBeNull();
  });

  test('active → completed only when every item is done or dropped', () => {
    expect(transitionProblem({ status: 'active' }, [done, open, dropped], 'complete', at)?.message).toMatch(/1 still open/);
    expect(transitionProblem({ status: 'active' }, [done, dropped], 'complete', at)).toBeNull();
    expect(transitionProblem({ status: 'active' }, [dropped], 'complete', at)).toBeNull();
    expect(code(transitionProblem({ status: 'active' }, [done], 'complete', '2025-09-30'))).toBe('BAD_USER_INPUT');
  });

  test('no other step: completed and abandoned are final, a draft does not complete, nothing activates twice', () => {
    const table: [string, 'activate' | 'complete' | 'abandon', string | null][] = [
      ['draft', 'activate', null], ['draft', 'complete', 'CONFLICT'], ['draft', 'abandon', null],
      ['active', 'activate', 'CONFLICT'], ['active', 'complete', null], ['active', 'abandon', null],
      ['completed', 'activate', 'CONFLICT'], ['completed', 'complete', 'CONFLICT'], ['completed', 'abandon', 'CONFLICT'],
      ['abandoned', 'activate', 'CONFLICT'], ['abandoned', 'complete', 'CONFLICT'], ['abandoned', 'abandon', 'CONFLICT'],
    ];
    for (const [status, action, expected] of table) {
      expect([status, action, code(transitionProblem({ status }, [done], action, at))]).toEqual([status, action, expected]);
    }
  });

  test('items are added to draft and active routes, done or dropped only in active ones, once', () => {
    expect(itemChangeProblem('draft', 'add')).toBeNull();
    expect(itemChangeProblem('active', 'add')).toBeNull();
    expect(code(itemChangeProblem('completed', 'add'))).toBe('CONFLICT');
    expect(code(itemChangeProblem('draft', 'done', open))).toBe('CONFLICT');
    expect(itemChangeProblem('active', 'done', open)).toBeNull();
    expect(itemChangeProblem('active', 'drop', done)?.message).toMatch(/already done/);
    expect(itemChangeProblem('active', 'done', dropped)?.message).toMatch(/already dropped/);
  });

  test('progress counts done items among those not dropped', () => {
    expect(routeProgress([done, open, dropped, open])).toEqual({ total: 4, done: 1, dropped: 1, open: 2, share: 0.333 });
    expect(routeProgress([dropped])).toEqual({ total: 1, done: 0, dropped: 1, open: 0, share: 1 });
    expect(routeProgress([])).toMatchObject({ total: 0, share: 1 });
  });
});

describe('publication frequency (seed 000, 4.3: at least once a month)', () => {
  test('the months a period touches', () => {
    expect(monthsOf({ from: '2025-11-20', to: '2026-02-03' })).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsOf({ from: '2025-09-01', to: '2025-09-30' })).toEqual(['2025-09']);
  });

  test('months without a publication inside the period', () => {
    const period = { from: '2025-09-01', to: '2025-12-31' };
    expect(monthsWithoutPublication(['2025-09-30', '2025-10-01', '2025-11-15', '2025-12-31'], period)).toEqual([]);
    // two in one month do not make up for an empty one
    expect(monthsWithoutPublication(['2025-09-02', '2025-09-20', '2025-11-15', '2025-12-01'], period)).toEqual(['2025-10']);
    // publications outside the period do not count, even in a month it touches
    expect(monthsWithoutPublication(['2025-08-31', '2026-01-01'], { from: '2025-09-10', to: '2025-12-20' })).toEqual(['2025-09', '2025-10', '2025-11', '2025-12']);
    expect(monthsWithoutPublication([], { from: '2025-09-10', to: '2025-09-20' })).toEqual(['2025-09']);
  });
});

describe('terms and upskilling', () => {
  test('terms overlap when they share a day; open terms run on', () => {
    expect(termsOverlap({ from: '2025-09-01', to: '2026-05-31' }, { from: '2026-05-31', to: null })).toBe(true);
    expect(termsOverlap({ from: '2025-09-01', to: '2026-05-31' }, { from: '2026-06-01', to: null })).toBe(false);
    expect(termsOverlap({ from: '2025-09-01', to: null }, { from: '2030-01-01', to: '2030-01-02' })).toBe(true);
  });

  test('upskilling is overdue more than three years after the last one, or without any', () => {
    expect(isUpskillingOverdue(null, '2025-09-01', 3)).toBe(true);
    expect(isUpskillingOverdue('2022-09-01', '2025-09-01', 3)).toBe(false);
    expect(isUpskillingOverdue('2022-08-31', '2025-09-01', 3)).toBe(true);
  });
});
