/**
 * Capacity and the waiting list of an event (the rules, without a database).
 *
 * - `capacity` counts listener seats only: speakers, organizers and master-class hosts are part of the programme and
 *   always get their place. No capacity: no limit.
 * - A listener registering when every seat is taken goes to the waiting list when the event keeps one
 *   (`hasWaitingList`, the default), and is refused with CONFLICT when it does not.
 * - The waiting list is served in order of registration (registered_at, then id). When a seat frees (a holder
 *   cancels, or the capacity is raised), the first on the list take the free seats.
 */
export interface SeatHolder { id: string; role: string; isWaitlisted: boolean; registeredAt: Date | string }

export type Placement = 'seat' | 'waitlist' | 'refused';

export const takesSeat = (p: { role: string; isWaitlisted: boolean }) => p.role === 'listener' && !p.isWaitlisted;

export function placementFor(role: string, event: { capacity: number | null; hasWaitingList: boolean }, seatsTaken: number): Placement {
  if (role !== 'listener' || event.capacity === null || seatsTaken < event.capacity) return 'seat';
  return event.hasWaitingList ? 'waitlist' : 'refused';
}

/** The waiting list in the order it is served. */
export function waitingList<T extends SeatHolder>(participants: readonly T[]): T[] {
  return participants.filter((p) => p.isWaitlisted)
    .sort((a, b) => new Date(a.registeredAt).getTime() - new Date(b.registeredAt).getTime() || a.id.localeCompare(b.id));
}

/** Who moves up from the waiting list to the seats free now. */
export function promotions<T extends SeatHolder>(participants: readonly T[], capacity: number | null): T[] {
  const waiting = waitingList(participants);
  if (capacity === null) return waiting;
  const free = capacity - participants.filter(takesSeat).length;
  return free > 0 ? waiting.slice(0, free) : [];
}
