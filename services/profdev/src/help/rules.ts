import { addDays } from '@mms/platform';

/** Plain rules of requests for help (issue 20), unit-tested in test/help-rules.test.ts. */

export type HelpRequestKind = 'consultation' | 'lesson_visit' | 'attestation' | 'route' | 'competition_entry' | 'other';
export type HelpRequestStatus = 'new' | 'assigned' | 'in_progress' | 'answered' | 'closed' | 'declined';

/** Days the service has to answer, by kind of request. */
export const answerTermDays: Record<HelpRequestKind, number> = {
  consultation: 10,
  lesson_visit: 20,
  attestation: 15,
  route: 15,
  competition_entry: 10,
  other: 30,
};

export function dueOn(filedOn: string, kind: HelpRequestKind): string {
  return addDays(filedOn, answerTermDays[kind]);
}

/** The lifecycle: which statuses each transition may start from. */
export const transitions = {
  assign: ['new', 'assigned'],
  start: ['assigned'],
  answer: ['assigned', 'in_progress'],
  close: ['answered'],
  decline: ['new', 'assigned', 'in_progress'],
  rate: ['answered', 'closed'],
} as const satisfies Record<string, readonly HelpRequestStatus[]>;

export type Transition = keyof typeof transitions;

export function mayMove(transition: Transition, status: HelpRequestStatus): boolean {
  return (transitions[transition] as readonly HelpRequestStatus[]).includes(status);
}

/** Still waiting for an answer. */
export const openStatuses: readonly HelpRequestStatus[] = ['new', 'assigned', 'in_progress'];

/** Overdue on `day`: still open after its due day, or answered after it. */
export function isOverdue(request: { status: string; dueOn: string; answeredOn: string | null }, day: string): boolean {
  if (request.status === 'declined') return false;
  if (request.answeredOn) return request.answeredOn > request.dueOn;
  return day > request.dueOn;
}
