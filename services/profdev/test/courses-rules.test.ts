import { applicationProblem, nextStatus, placement, promotions } from '../src/courses/rules';

/** The rules of course runs (src/courses/rules.ts), without a database. */
describe('the lifecycle of a course run', () => {
  test('planned → open → running → finished, and cancelled from any of the first three', () => {
    expect(nextStatus('planned', 'open')).toBe('open');
    expect(nextStatus('open', 'start')).toBe('running');
    expect(nextStatus('running', 'finish')).toBe('finished');
    for (const status of ['planned', 'open', 'running'] as const) expect(nextStatus(status, 'cancel')).toBe('cancelled');
  });

  test('anything else is CONFLICT; finishing before the start says it has not started', () => {
    const code = (fn: () => unknown) => { try { fn(); return 'none'; } catch (e) { return (e as { extensions: { code: string } }).extensions.code; } };
    expect(code(() => nextStatus('planned', 'start'))).toBe('CONFLICT');
    expect(code(() => nextStatus('finished', 'cancel'))).toBe('CONFLICT');
    expect(code(() => nextStatus('cancelled', 'open'))).toBe('CONFLICT');
    expect(code(() => nextStatus('open', 'open'))).toBe('CONFLICT');
    expect(() => nextStatus('open', 'finish')).toThrow(/has not started/);
  });
});

describe('seats and the waiting list', () => {
  test('a seat while any is free; then the waiting list, or CONFLICT without one', () => {
    expect(placement({ seats: 2, hasWaitingList: false }, 1)).toBe('enrolled');
    expect(placement({ seats: 2, hasWaitingList: true }, 2)).toBe('waitlisted');
    expect(() => placement({ seats: 2, hasWaitingList: false }, 2)).toThrow(/no waiting list/);
  });

  test('the first in order of application take the seats that free', () => {
    const waiting = [
      { id: 'c', appliedAt: '2026-01-03T10:00:00Z' }, { id: 'a', appliedAt: '2026-01-01T10:00:00Z' },
      { id: 'b2', appliedAt: '2026-01-02T10:00:00Z' }, { id: 'b1', appliedAt: '2026-01-02T10:00:00Z' },
    ];
    expect(promotions(waiting, 3).map((w) => w.id)).toEqual(['a', 'b1', 'b2']);
    expect(promotions(waiting, 0)).toEqual([]);
  });

  test('applications while open, on or before the deadline', () => {
    expect(applicationProblem({ status: 'open', applicationDeadline: '2026-12-10' }, '2026-12-10')).toBeNull();
    expect(applicationProblem({ status: 'open', applicationDeadline: '2026-12-10' }, '2026-12-11')).toMatch(/deadline/);
    expect(applicationProblem({ status: 'planned', applicationDeadline: '2026-12-10' }, '2026-12-01')).toMatch(/not open/);
  });
});
