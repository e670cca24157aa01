import type { Knex } from 'knex';
import { whereEducatorInScope, type Scope } from '@mms/platform';
import { withSurvivor } from './sources';

/** Events and participation: SQL of tables event and participation. */

export interface EventRow {
  id: string;
  kind: string;
  level: string;
  title: string;
  description: string | null;
  municipalityId: string;
  timeZone: string;
  startsAt: Date;
  endsAt: Date;
  startsOn: string;
  endsOn: string;
  venueOrganizationId: string | null;
  onlineUrl: string | null;
  organizerOrganizationId: string | null;
  organizerAssociationId: string | null;
  audience: string | null;
  isInRegionalCalendar: boolean;
  status: string;
  capacity: number | null;
  hasWaitingList: boolean;
  seatsTaken: number;
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CalendarRow extends EventRow {
  municipalityName: string;
  venueName: string | null;
  organizerName: string | null;
}

export interface ParticipationRow {
  id: string;
  eventId: string;
  educatorId: string;
  role: string;
  registeredAt: Date;
  isAttended: boolean;
  isWaitlisted: boolean;
  waitlistPosition: number | null;
}

export const eventColumns = (db: Knex, alias = 'e') => [
  `${alias}.id`, `${alias}.kind`, `${alias}.level`, `${alias}.title`, `${alias}.description`, `${alias}.municipality_id as municipalityId`,
  `${alias}.time_zone as timeZone`, `${alias}.starts_at as startsAt`, `${alias}.ends_at as endsAt`,
  db.raw(`(${alias}.starts_at at time zone ${alias}.time_zone)::date as "startsOn"`),
  db.raw(`(${alias}.ends_at at time zone ${alias}.time_zone)::date as "endsOn"`),
  `${alias}.venue_organization_id as venueOrganizationId`, `${alias}.online_url as onlineUrl`,
  `${alias}.organizer_organization_id as organizerOrganizationId`, `${alias}.organizer_association_id as organizerAssociationId`,
  `${alias}.audience`, `${alias}.is_in_regional_calendar as isInRegionalCalendar`, `${alias}.status`, `${alias}.capacity`,
  `${alias}.has_waiting_list as hasWaitingList`, `${alias}.sequence`, `${alias}.created_at as createdAt`, `${alias}.updated_at as updatedAt`,
  db.raw(`(select count(*) from events.participation s where s.event_id = ${alias}.id and s.role = 'listener' and not s.is_waitlisted)::int as "seatsTaken"`),
];

export interface EventFilter {
  municipalityId?: string | null;
  level?: string | null;
  kind?: string | null;
  status?: string | null;
  isInRegionalCalendar?: boolean | null;
  from?: string | null;
  to?: string | null;
}

/** Events whose local days meet [from, to]; the instants are first narrowed a day wide so the index on starts_at helps. */
function whereFilter(query: Knex.QueryBuilder, filter: EventFilter): Knex.QueryBuilder {
  if (filter.municipalityId) query.where('e.municipality_id', filter.municipalityId);
  if (filter.level) query.where('e.level', filter.level);
  if (filter.kind) query.where('e.kind', filter.kind);
  if (filter.status) query.where('e.status', filter.status);
  if (typeof filter.isInRegionalCalendar === 'boolean') query.where('e.is_in_regional_calendar', filter.isInRegionalCalendar);
  if (filter.from) {
    query.where('e.ends_at', '>=', query.client.raw(`?::date - interval '2 days'`, [filter.from]))
      .whereRaw('(e.ends_at at time zone e.time_zone)::date >= ?::date', [filter.from]);
  }
  if (filter.to) {
    query.where('e.starts_at', '<', query.client.raw(`?::date + interval '2 days'`, [filter.to]))
      .whereRaw('(e.starts_at at time zone e.time_zone)::date <= ?::date', [filter.to]);
  }
  return query;
}

export async function eventsByIds(db: Knex, ids: readonly string[]): Promise<EventRow[]> {
  if (!ids.length) return [];
  return db('event as e').select(eventColumns(db)).whereIn('e.id', ids);
}

export async function listEvents(db: Knex, filter: EventFilter, limit = 500): Promise<EventRow[]> {
  return whereFilter(db('event as e').select(eventColumns(db)), filter).orderBy([{ column: 'e.starts_at' }, { column: 'e.id' }]).limit(limit);
}

/** The public calendar: events with the names a calendar shows, from staff_api. */
export async function calendarEntries(db: Knex, filter: EventFilter, limit = 2000): Promise<CalendarRow[]> {
  return whereFilter(db('event as e')
    .join('staff_api.municipality as m', 'm.id', 'e.municipality_id')
    .leftJoin('staff_api.organization as v', 'v.id', 'e.venue_organization_id')
    .leftJoin('staff_api.organization as o', 'o.id', 'e.organizer_organization_id')
    .select(...eventColumns(db), 'm.name as municipalityName',
      db.raw('coalesce(v.short_name, v.name) as "venueName"'), db.raw('coalesce(o.short_name, o.name) as "organizerName"')), filter)
    .orderBy([{ column: 'e.starts_at' }, { column: 'e.id' }]).limit(limit);
}

/**
 * The public calendar's revision (`Query.calendarRevision`): the last id of the events audit log (every mutation of
 * events writes there, in its own transaction), a digest of the names the calendar shows from staff_api, and the day.
 */
export async function calendarRevision(db: Knex, day: string): Promise<string> {
  const { rows: [row] } = await db.raw(`select (select coalesce(max(id), 0) from events.audit_log) as audit,
      (select count(*) from events.event) as events,
      md5(coalesce((select string_agg(concat_ws('|', id, name, time_zone), ',' order by id) from staff_api.municipality), '')
        || coalesce((select string_agg(concat_ws('|', id, name, short_name), ',' order by id) from staff_api.organization), '')) as names`);
  return `${row.audit}.${row.events}.${String(row.names).slice(0, 12)}.${day}`;
}

/** Events hosted by organizations (as the venue or the organizer), with the host's id; one statement for all. */
export async function eventsByHosts(db: Knex, organizationIds: readonly string[], filter: EventFilter): Promise<(EventRow & { hostId: string })[]> {
  if (!organizationIds.length) return [];
  const rows = await whereFilter(db('event as e').select(...eventColumns(db), 'h.host_id as hostId')
    .joinRaw(`cross join lateral (select distinct unnest(array[e.venue_organization_id, e.organizer_organization_id]) as host_id) h`)
    .whereIn('h.host_id', organizationIds)
    .where((q) => q.whereIn('e.venue_organization_id', organizationIds).orWhereIn('e.organizer_organization_id', organizationIds)), filter)
    .orderBy([{ column: 'e.starts_at' }, { column: 'e.id' }]);
  return rows;
}

const participationColumns = (db: Knex) => [
  't.id', 't.event_id', 't.role', 't.registered_at', 't.is_attended', 't.is_waitlisted',
  db.raw(`case when t.is_waitlisted then (select count(*) from events.participation w where w.event_id = t.event_id and w.is_waitlisted
    and (w.registered_at, w.id) <= (t.registered_at, t.id))::int end as waitlist_position`),
];

const participationOut = ['p.id', 'p.event_id as eventId', 'p.current_educator_id as educatorId', 'p.role', 'p.registered_at as registeredAt',
  'p.is_attended as isAttended', 'p.is_waitlisted as isWaitlisted', 'p.waitlist_position as waitlistPosition'];

/** Participations of events that the scope covers: seat holders first (by registration), then the waiting list in order. */
export async function participationsByEvents(db: Knex, scope: Scope, eventIds: readonly string[]): Promise<ParticipationRow[]> {
  if (!eventIds.length) return [];
  const source = withSurvivor(db, 'participation', participationColumns(db)).whereIn('t.event_id', eventIds).as('p');
  return whereEducatorInScope(db.from(source).select(participationOut), scope, 'p.current_educator_id')
    .orderBy([{ column: 'p.is_waitlisted' }, { column: 'p.registered_at' }, { column: 'p.id' }]);
}

/** Participations by id as `Event.participations` shows them (educators of the caller's scope): Relay's node(id:). */
export async function participationsInScopeByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<ParticipationRow[]> {
  if (!ids.length) return [];
  const source = withSurvivor(db, 'participation', participationColumns(db)).whereIn('t.id', [...ids]).as('p');
  return whereEducatorInScope(db.from(source).select(participationOut), scope, 'p.current_educator_id');
}

/** Participations of educators (already shown to the caller by staff, and filtered by scope here too), latest first. */
export async function participationsByEducators(db: Knex, scope: Scope, educatorIds: readonly string[]): Promise<ParticipationRow[]> {
  if (!educatorIds.length) return [];
  const source = withSurvivor(db, 'participation', participationColumns(db), educatorIds).as('p');
  return whereEducatorInScope(db.from(source).select(participationOut), scope, 'p.current_educator_id')
    .join('event as e', 'e.id', 'p.event_id')
    .orderBy([{ column: 'e.starts_at', order: 'desc' }, { column: 'p.id' }]);
}

/** Every participation of an event, for the waiting-list rules (unscoped; inside a write's transaction). */
export async function participationsOfEvent(db: Knex, eventId: string): Promise<ParticipationRow[]> {
  const source = withSurvivor(db, 'participation', participationColumns(db)).where('t.event_id', eventId).as('p');
  return db.from(source).select(participationOut);
}

export async function participationById(db: Knex, id: string): Promise<ParticipationRow | undefined> {
  const source = withSurvivor(db, 'participation', participationColumns(db)).where('t.id', id).as('p');
  return db.from(source).first(participationOut);
}

/** Locks the event row for the rest of the transaction (seats are counted and given under this lock). */
export async function lockEvent(db: Knex, id: string): Promise<EventRow | undefined> {
  await db('event').where('id', id).forUpdate().first('id');
  return db('event as e').first(eventColumns(db)).where('e.id', id);
}

export async function insertEvent(db: Knex, values: Record<string, unknown>): Promise<string> {
  const [row] = await db('event').insert(values).returning('id');
  return row.id;
}

export async function updateEvent(db: Knex, id: string, values: Record<string, unknown>): Promise<void> {
  await db('event').where('id', id).update({ ...values, sequence: db.raw('sequence + 1'), updated_at: db.fn.now() });
}

export async function insertParticipation(db: Knex, values: Record<string, unknown>): Promise<string> {
  const [row] = await db('participation').insert(values).returning('id');
  return row.id;
}
