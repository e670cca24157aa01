import type { Knex } from 'knex';
import {
  authorize, badInput, conflict, forbidden, notFound, requireEducators, requireMunicipalities, requireOrganizations, translateUniqueViolation,
  type Scope, type Viewer,
} from '@mms/platform';
import * as store from './store/events';
import type { EventRow, ParticipationRow } from './store/events';
import { municipalityInScope, type CreateEventInput, type UpdateEventInput } from './validate';
import { placementFor, promotions } from './waitlist';

/**
 * Events and participation: each function is one mutation's work inside the transaction it is given. Seats are
 * counted and given under a lock of the event row, so two registrations for the last seat cannot both get it.
 */

/** Who may write an event: the region, the event's municipality, or an organization for its own organization-level events. */
function mayWriteEvent(scope: Scope, event: { municipalityId: string; level: string; organizerOrganizationId?: string | null }): boolean {
  if (municipalityInScope(scope, event.municipalityId)) return true;
  return scope.kind === 'organization' && event.level === 'organization' && event.organizerOrganizationId === scope.organizationId;
}

async function requireEvent(db: Knex, id: string): Promise<EventRow> {
  const event = await store.lockEvent(db, id);
  if (!event) throw notFound('event', id);
  return event;
}

export async function createEvent(trx: Knex, scope: Scope, input: CreateEventInput): Promise<EventRow> {
  const municipalities = await requireMunicipalities(trx, [input.municipalityId]);
  await requireOrganizations(trx, [input.venueOrganizationId, input.organizerOrganizationId].filter((v): v is string => Boolean(v)));
  if (!mayWriteEvent(scope, input)) throw forbidden('this event is outside your scope');
  const id = await store.insertEvent(trx, {
    kind: input.kind, level: input.level, title: input.title, description: input.description ?? null,
    municipality_id: input.municipalityId, time_zone: municipalities.get(input.municipalityId)!.timeZone,
    starts_at: input.startsAt, ends_at: input.endsAt, venue_organization_id: input.venueOrganizationId ?? null, online_url: input.onlineUrl ?? null,
    organizer_organization_id: input.organizerOrganizationId ?? null, organizer_association_id: input.organizerAssociationId ?? null,
    audience: input.audience ?? null, is_in_regional_calendar: input.isInRegionalCalendar ?? false, capacity: input.capacity ?? null,
    has_waiting_list: input.hasWaitingList ?? true,
  });
  return (await store.eventsByIds(trx, [id]))[0];
}

const columnOf: Record<string, string> = {
  kind: 'kind', level: 'level', title: 'title', description: 'description', startsAt: 'starts_at', endsAt: 'ends_at',
  venueOrganizationId: 'venue_organization_id', onlineUrl: 'online_url', organizerOrganizationId: 'organizer_organization_id',
  organizerAssociationId: 'organizer_association_id', audience: 'audience', isInRegionalCalendar: 'is_in_regional_calendar',
  capacity: 'capacity', hasWaitingList: 'has_waiting_list',
};
const notNullable = new Set(['isInRegionalCalendar', 'hasWaitingList']);

/** Changes a planned event; a raised capacity gives the freed seats to the waiting list. */
export async function updateEvent(trx: Knex, scope: Scope, id: string, patch: UpdateEventInput): Promise<EventRow> {
  const event = await requireEvent(trx, id);
  if (!mayWriteEvent(scope, event)) throw forbidden('this event is outside your scope');
  if (event.status !== 'planned') throw conflict(`the event is ${event.status}: only a planned event can be changed`, 'id');
  const after = { ...event, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as EventRow;
  if (after.endsAt <= after.startsAt) throw badInput('input.endsAt: must be after startsAt', 'input.endsAt');
  if (!after.venueOrganizationId && !after.onlineUrl) throw badInput('input.venueOrganizationId: give a venue organization or an online link', 'input.venueOrganizationId');
  if (!mayWriteEvent(scope, after)) throw forbidden('the changed event would be outside your scope');
  await requireOrganizations(trx, [patch.venueOrganizationId, patch.organizerOrganizationId].filter((v): v is string => Boolean(v)));
  if (after.capacity !== null && after.capacity < event.seatsTaken) {
    throw conflict(`${event.seatsTaken} listeners hold a seat: the capacity cannot go below that`, 'input.capacity');
  }
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null && notNullable.has(field)) throw badInput(`input.${field}: must not be null`, `input.${field}`);
    values[columnOf[field]] = value;
  }
  await store.updateEvent(trx, id, values);
  await promoteFromWaitingList(trx, id, after.capacity);
  return (await store.eventsByIds(trx, [id]))[0];
}

export async function setEventStatus(trx: Knex, scope: Scope, id: string, status: string): Promise<EventRow> {
  const event = await requireEvent(trx, id);
  if (!mayWriteEvent(scope, event)) throw forbidden('this event is outside your scope');
  if (event.status !== 'planned') throw conflict(`the event is already ${event.status}`, 'status');
  if (status === 'planned') throw conflict('the event is already planned', 'status');
  if (status === 'held' && event.startsAt.getTime() > Date.now()) throw conflict('an event cannot be held before it begins', 'status');
  await store.updateEvent(trx, id, { status });
  return (await store.eventsByIds(trx, [id]))[0];
}

/** Whose registration a call is about: the caller's own ('registration:own') or someone else's ('participation:write'). */
async function registrant(trx: Knex, viewer: Viewer, educatorId: string | null | undefined): Promise<{ educatorId: string; own: boolean }> {
  if (!educatorId || educatorId === viewer.educatorId) {
    authorize(viewer, 'registration:own');
    if (!viewer.educatorId) throw badInput('educatorId: give whom to register (your token names no educator)', 'educatorId');
    await requireEducators(trx, [viewer.educatorId]);
    return { educatorId: viewer.educatorId, own: true };
  }
  const scope = authorize(viewer, 'participation:write');
  await requireEducators(trx, [educatorId], scope);
  return { educatorId, own: false };
}

export async function registerForEvent(trx: Knex, viewer: Viewer, input: { eventId: string; educatorId?: string | null; role?: string | null }): Promise<ParticipationRow> {
  const who = await registrant(trx, viewer, input.educatorId);
  const role = input.role ?? 'listener';
  if (who.own && role !== 'listener') throw forbidden('registering themself, an educator is a listener: speakers and hosts are registered by the organizers');
  const event = await requireEvent(trx, input.eventId);
  if (event.status !== 'planned') throw conflict(`the event is ${event.status}: registration is closed`, 'eventId');
  const participants = await store.participationsOfEvent(trx, event.id);
  if (participants.some((p) => p.educatorId === who.educatorId)) throw conflict('the educator is already registered for this event', 'educatorId');
  const placement = placementFor(role, event, event.seatsTaken);
  if (placement === 'refused') throw conflict(`the event is full (${event.capacity} seats) and keeps no waiting list`, 'eventId');
  const id = await translateUniqueViolation(
    () => store.insertParticipation(trx, { event_id: event.id, educator_id: who.educatorId, role, is_waitlisted: placement === 'waitlist' }),
    { participation_once: ['the educator is already registered for this event', 'educatorId'] });
  return (await store.participationById(trx, id))!;
}

/** Gives free listener seats to the waiting list, first come first served. */
async function promoteFromWaitingList(trx: Knex, eventId: string, capacity: number | null): Promise<void> {
  const moving = promotions(await store.participationsOfEvent(trx, eventId), capacity);
  if (moving.length) await trx('participation').whereIn('id', moving.map((p) => p.id)).update({ is_waitlisted: false });
}

export async function cancelRegistration(trx: Knex, viewer: Viewer, eventId: string, educatorId: string | null | undefined): Promise<EventRow> {
  const who = await registrant(trx, viewer, educatorId);
  const event = await requireEvent(trx, eventId);
  if (event.status !== 'planned') throw conflict(`the event is ${event.status}: registrations no longer change`, 'eventId');
  const participation = (await store.participationsOfEvent(trx, event.id)).find((p) => p.educatorId === who.educatorId);
  if (!participation) throw appNotRegistered(who.educatorId);
  await trx('participation').where('id', participation.id).delete();
  await promoteFromWaitingList(trx, event.id, event.capacity);
  return (await store.eventsByIds(trx, [event.id]))[0];
}

const appNotRegistered = (educatorId: string) => notFound('registration of educator', educatorId);

export async function markAttendance(trx: Knex, scope: Scope, eventId: string, educatorIds: readonly string[], isAttended: boolean): Promise<ParticipationRow[]> {
  await requireEducators(trx, educatorIds, scope, 'educatorIds');
  const event = await requireEvent(trx, eventId);
  if (event.status === 'cancelled') throw conflict('the event is cancelled', 'eventId');
  if (event.startsAt.getTime() > Date.now()) throw conflict('attendance is marked once the event has begun', 'eventId');
  const participants = await store.participationsOfEvent(trx, event.id);
  const marked = educatorIds.map((id) => {
    const participation = participants.find((p) => p.educatorId === id);
    if (!participation) throw appNotRegistered(id);
    if (participation.isWaitlisted) throw conflict(`educator ${id} is on the waiting list, without a seat`, 'educatorIds');
    return participation;
  });
  await trx('participation').whereIn('id', marked.map((p) => p.id)).update({ is_attended: isAttended });
  const after = await store.participationsOfEvent(trx, event.id);
  return marked.map((p) => after.find((a) => a.id === p.id)!);
}
