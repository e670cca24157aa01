import { conflict } from '@mms/platform';

/**
 * The rules of course runs, without a database (unit-tested in test/courses-rules.test.ts).
 *
 * - Lifecycle: planned → open → running → finished, and planned, open or running → cancelled; nothing else.
 * - Seats: an applicant takes a seat while enrolled ones are fewer than the seats; beyond them they wait when the run
 *   keeps a waiting list and are refused (CONFLICT) when it does not. The idea of events' waiting list
 *   (services/events/src/waitlist.ts): served in order of application, the first waiting take the seats that free.
 */
export type RunStatus = 'planned' | 'open' | 'running' | 'finished' | 'cancelled';
export type RunAction = 'open' | 'start' | 'finish' | 'cancel';

const transitions: Record<RunAction, { from: RunStatus[]; to: RunStatus }> = {
  open: { from: ['planned'], to: 'open' },
  start: { from: ['open'], to: 'running' },
  finish: { from: ['running'], to: 'finished' },
  cancel: { from: ['planned', 'open', 'running'], to: 'cancelled' },
};

/** The status after `action`, or CONFLICT naming why not. */
export function nextStatus(status: RunStatus, action: RunAction): RunStatus {
  const rule = transitions[action];
  if (!rule.from.includes(status)) {
    const why = action === 'finish' && (status === 'planned' || status === 'open') ? ': it has not started' : '';
    throw conflict(`a ${status} course run cannot ${action}${why}`, 'status');
  }
  return rule.to;
}

export type Placement = 'enrolled' | 'waitlisted';

/** Where a new applicant goes: a seat, the waiting list, or CONFLICT when full and without one. */
export function placement(run: { seats: number; hasWaitingList: boolean }, seatsTaken: number): Placement {
  if (seatsTaken < run.seats) return 'enrolled';
  if (run.hasWaitingList) return 'waitlisted';
  throw conflict(`all ${run.seats} seats are taken and the run keeps no waiting list`, 'runId');
}

export interface Waiting { id: string; appliedAt: Date | string }

/** Who moves up from the waiting list to the free seats: the first in order of application. */
export function promotions<T extends Waiting>(waiting: readonly T[], free: number): T[] {
  if (free <= 0) return [];
  return [...waiting].sort((a, b) => new Date(a.appliedAt).getTime() - new Date(b.appliedAt).getTime() || a.id.localeCompare(b.id)).slice(0, free);
}

/** Whether applying (or being nominated) on `day` is still allowed: on or before the deadline, while open. */
export function applicationProblem(run: { status: string; applicationDeadline: string }, day: string): string | null {
  if (run.status !== 'open') return `the course run is ${run.status}, not open for applications`;
  if (day > run.applicationDeadline) return `the application deadline (${run.applicationDeadline}) has passed`;
  return null;
}
