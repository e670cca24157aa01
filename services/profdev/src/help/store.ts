import type { Knex } from 'knex';
import { whereEducatorInScope, type Scope } from '@mms/platform';
import type { SupportRow } from '../store/people';
import { educatorKeys, ownerSql } from '../store/scope';
import { openStatuses } from './rules';

/** Requests for help and support sessions (tables help_request, help_request_support, support_session, support_session_participant). */

export interface HelpRequestRow {
  id: string;
  municipalityId: string;
  requesterKind: string;
  requesterEducatorId: string | null;
  requesterOrganizationId: string | null;
  requesterAssociationId: string | null;
  requesterName: string | null;
  requesterContact: string | null;
  topic: string;
  subjectArea: string | null;
  kind: string;
  status: string;
  filedOn: string;
  dueOn: string;
  methodistId: string | null;
  assignedOn: string | null;
  answeredOn: string | null;
  answer: string | null;
  closedOn: string | null;
  declinedOn: string | null;
  declineReason: string | null;
  rating: number | null;
  ratedOn: string | null;
}

const requestColumns = (db: Knex) => ['h.id', 'h.municipality_id as municipalityId', 'h.requester_kind as requesterKind',
  db.raw(`case when h.requester_educator_id is null then null else ${ownerSql('h.requester_educator_id')} end as "requesterEducatorId"`),
  'h.requester_organization_id as requesterOrganizationId', 'h.requester_association_id as requesterAssociationId', 'h.requester_name as requesterName', 'h.requester_contact as requesterContact',
  'h.topic', 'h.subject_area as subjectArea', 'h.kind', 'h.status', 'h.filed_on as filedOn', 'h.due_on as dueOn',
  db.raw(`case when h.methodist_id is null then null else ${ownerSql('h.methodist_id')} end as "methodistId"`), 'h.assigned_on as assignedOn',
  'h.answered_on as answeredOn', 'h.answer', 'h.closed_on as closedOn', 'h.declined_on as declinedOn', 'h.decline_reason as declineReason',
  'h.rating', 'h.rated_on as ratedOn'];

/** Which requests a scope sees: a municipality's service its own, an organization its own, an educator their own. */
export function whereRequestVisible(query: Knex.QueryBuilder, scope: Scope): Knex.QueryBuilder {
  switch (scope.kind) {
    case 'region':
      return query;
    case 'municipality':
      return query.where('h.municipality_id', scope.municipalityId);
    case 'organization':
      return query.where('h.requester_organization_id', scope.organizationId);
    case 'educator':
      // their own, and their association's while they lead it
      return query.where((q) => q.whereRaw(`h.requester_educator_id is not null and ${ownerSql('h.requester_educator_id')} = ?`, [scope.educatorId])
        .orWhereRaw(`h.requester_association_id is not null and ${associationLeaderSql('h.requester_association_id')} = ?`, [scope.educatorId]));
  }
}

/** The current leader of the association `column` names (the survivor of a merge), or null. */
export const associationLeaderSql = (column: string) =>
  `(select ${ownerSql('ma.leader_id')} from method_association ma where ma.id = ${column})`;

/** The association (its municipality and current leader) a request may be filed for. */
export function associationForRequest(db: Knex, id: string): Promise<{ id: string; municipalityId: string; leaderId: string | null } | undefined> {
  return db('method_association as ma').where('ma.id', id)
    .select('ma.id', 'ma.municipality_id as municipalityId', db.raw(`case when ma.leader_id is null then null else ${ownerSql('ma.leader_id')} end as "leaderId"`)).first();
}

export function requestsByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<HelpRequestRow[]> {
  return whereRequestVisible(db('help_request as h').select(requestColumns(db)).whereIn('h.id', [...ids]), scope);
}

export function findRequest(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<HelpRequestRow | undefined> {
  const query = db('help_request as h').select(requestColumns(db)).where('h.id', id).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

export interface RequestFilter {
  municipalityId?: string | null;
  status?: string | null;
  methodistId?: string | null;
  kind?: string | null;
}

export function listRequests(db: Knex, scope: Scope, filter: RequestFilter, limit: number): Promise<HelpRequestRow[]> {
  const query = whereRequestVisible(db('help_request as h').select(requestColumns(db)), scope)
    .orderBy([{ column: 'h.filed_on', order: 'desc' }, { column: 'h.id' }]).limit(limit);
  if (filter.municipalityId) query.where('h.municipality_id', filter.municipalityId);
  if (filter.status) query.where('h.status', filter.status);
  if (filter.kind) query.where('h.kind', filter.kind);
  if (filter.methodistId) query.whereRaw(`h.methodist_id is not null and ${ownerSql('h.methodist_id')} = ?`, [filter.methodistId]);
  return query;
}

/** Open requests past their due day on `day`, most overdue first. */
export function listOverdue(db: Knex, scope: Scope, municipalityId: string | null, day: string, limit: number): Promise<HelpRequestRow[]> {
  const query = whereRequestVisible(db('help_request as h').select(requestColumns(db)), scope)
    .whereIn('h.status', [...openStatuses]).where('h.due_on', '<', day).where('h.filed_on', '<=', day)
    .orderBy([{ column: 'h.due_on' }, { column: 'h.id' }]).limit(limit);
  if (municipalityId) query.where('h.municipality_id', municipalityId);
  return query;
}

export interface QualityRow {
  municipalityId: string;
  filedCount: number;
  answeredCount: number;
  answeredOnTimeCount: number;
  ratedCount: number;
  averageRating: number | null;
  overdueCount: number;
}

/** The quality figure per municipality, for requests filed in the period; `day` decides which open ones are overdue. */
export async function quality(db: Knex, municipalityIds: string[] | null, period: { from: string; to: string }, day: string): Promise<QualityRow[]> {
  const query = db('help_request as h').whereBetween('h.filed_on', [period.from, period.to]).groupBy('h.municipality_id').orderBy('h.municipality_id')
    .select('h.municipality_id as municipalityId', db.raw('count(*)::int as "filedCount"'),
      db.raw(`count(*) filter (where h.answered_on is not null)::int as "answeredCount"`),
      db.raw(`count(*) filter (where h.answered_on is not null and h.answered_on <= h.due_on)::int as "answeredOnTimeCount"`),
      db.raw('count(h.rating)::int as "ratedCount"'), db.raw('round(avg(h.rating), 2)::float as "averageRating"'),
      db.raw(`count(*) filter (where h.status in ('new', 'assigned', 'in_progress') and h.due_on < ?)::int as "overdueCount"`, [day]));
  if (municipalityIds) query.whereIn('h.municipality_id', municipalityIds);
  return query;
}

export async function insertRequest(db: Knex, row: Record<string, unknown>): Promise<HelpRequestRow> {
  const [{ id }] = await db('help_request').insert(row).returning('id');
  return (await findRequest(db, id))!;
}

export async function updateRequest(db: Knex, id: string, changes: Record<string, unknown>): Promise<HelpRequestRow> {
  await db('help_request').where({ id }).update({ ...changes, updated_at: db.fn.now() });
  return (await findRequest(db, id))!;
}

/** The municipalities where an educator is employed on a day. */
export async function municipalitiesOf(db: Knex, educatorId: string, day: string): Promise<string[]> {
  return db('staff_api.employment').distinct('municipality_id').where('educator_id', educatorId).where('started_on', '<=', day)
    .where((q) => q.whereNull('ended_on').orWhere('ended_on', '>=', day)).orderBy('municipality_id').pluck('municipality_id');
}

// ---- links between answers and support ----

export async function linkSupport(db: Knex, helpRequestId: string, supportIds: string[]): Promise<void> {
  if (!supportIds.length) return;
  await db('help_request_support').insert(supportIds.map((supportId) => ({ help_request_id: helpRequestId, support_id: supportId }))).onConflict().ignore();
}

/** Individual support records by id, with the municipality of each one's receiver now or before (for the scope check). */
export async function supportRows(db: Knex, ids: string[]): Promise<{ id: string; educatorId: string }[]> {
  return db('support as s').whereIn('s.id', ids).select('s.id', db.raw(`${ownerSql('s.educator_id')} as "educatorId"`));
}

/** The individual support records linked to requests, those whose receiver the scope covers. */
export function supportOfRequests(db: Knex, scope: Scope, requestIds: readonly string[]) {
  const query = db('help_request_support as l').join('support as s', 's.id', 'l.support_id').whereIn('l.help_request_id', [...requestIds])
    .select('l.help_request_id as helpRequestId', 's.id', db.raw(`${ownerSql('s.methodist_id')} as "methodistId"`),
      db.raw(`${ownerSql('s.educator_id')} as "educatorId"`), 's.given_on as givenOn', 's.form', 's.topic', 's.follow_up as followUp')
    .orderBy([{ column: 's.given_on' }, { column: 's.id' }]);
  return whereEducatorInScope(query, scope, 's.educator_id') as Knex.QueryBuilder<any, (SupportRow & { helpRequestId: string })[]>;
}

// ---- support sessions ----

export interface SessionRow {
  id: string;
  municipalityId: string;
  methodistId: string;
  heldOn: string;
  form: string;
  topic: string;
  organizationId: string | null;
  othersCount: number;
  helpRequestId: string | null;
  routeItemId: string | null;
  associationId: string | null;
  participantCount: number;
}

const sessionColumns = (db: Knex) => ['ss.id', 'ss.municipality_id as municipalityId', db.raw(`${ownerSql('ss.methodist_id')} as "methodistId"`),
  'ss.held_on as heldOn', 'ss.form', 'ss.topic', 'ss.organization_id as organizationId', 'ss.others_count as othersCount',
  'ss.help_request_id as helpRequestId', 'ss.route_item_id as routeItemId', 'ss.association_id as associationId',
  db.raw('(select count(*)::int from support_session_participant p where p.session_id = ss.id) as "participantCount"')];

/** Which sessions a scope sees: the region all, a municipality its service's, an organization those for it or with its educators, an educator those they took part in. */
function whereSessionVisible(query: Knex.QueryBuilder, scope: Scope): Knex.QueryBuilder {
  switch (scope.kind) {
    case 'region':
      return query;
    case 'municipality':
      return query.where('ss.municipality_id', scope.municipalityId);
    case 'organization':
    case 'educator':
      return query.where((q) => {
        if (scope.kind === 'organization') q.where('ss.organization_id', scope.organizationId);
        q.orWhereExists((sub) => whereEducatorInScope(sub.select(sub.client.raw('1')).from('support_session_participant as vp').whereRaw('vp.session_id = ss.id'), scope, 'vp.educator_id'));
      });
  }
}

export function sessionsByIds(knex: Knex, scope: Scope, ids: readonly string[]): Promise<SessionRow[]> {
  return whereSessionVisible(knex('support_session as ss').select(sessionColumns(knex)).whereIn('ss.id', [...ids]), scope);
}

export function sessionsByRequests(knex: Knex, scope: Scope, requestIds: readonly string[]): Promise<SessionRow[]> {
  return whereSessionVisible(knex('support_session as ss').select(sessionColumns(knex)).whereIn('ss.help_request_id', [...requestIds]), scope)
    .orderBy([{ column: 'ss.held_on' }, { column: 'ss.id' }]);
}

export function listSessions(knex: Knex, scope: Scope, municipalityId: string | null, period: { from: string; to: string }, limit: number): Promise<SessionRow[]> {
  const query = whereSessionVisible(knex('support_session as ss').select(sessionColumns(knex)), scope)
    .whereBetween('ss.held_on', [period.from, period.to]).orderBy([{ column: 'ss.held_on', order: 'desc' }, { column: 'ss.id' }]).limit(limit);
  if (municipalityId) query.where('ss.municipality_id', municipalityId);
  return query;
}

/** Sessions each educator took part in (with those of duplicates merged into them), if the scope covers the educator. */
export function sessionsByEducators(knex: Knex, scope: Scope, educatorIds: readonly string[]): Promise<(SessionRow & { educatorId: string })[]> {
  return knex('support_session_participant as p').join(educatorKeys(knex, educatorIds, scope).as('k'), 'k.educator_id', 'p.educator_id')
    .join('support_session as ss', 'ss.id', 'p.session_id').select(['k.key as educatorId', ...sessionColumns(knex)])
    .orderBy([{ column: 'ss.held_on', order: 'desc' }, { column: 'ss.id' }]);
}

/** Participants of the sessions, those the scope covers, by id (an order that tells nothing of names). */
export function participantsBySessions(knex: Knex, scope: Scope, sessionIds: readonly string[]): Promise<{ sessionId: string; id: string }[]> {
  const query = knex('support_session_participant as p').whereIn('p.session_id', [...sessionIds])
    .select('p.session_id as sessionId', knex.raw(`${ownerSql('p.educator_id')} as id`)).orderBy([{ column: 'p.session_id' }, { column: 'p.educator_id' }]);
  return whereEducatorInScope(query, scope, 'p.educator_id');
}

export async function insertSession(knex: Knex, row: Record<string, unknown>, participantIds: string[]): Promise<string> {
  const [{ id }] = await knex('support_session').insert(row).returning('id');
  if (participantIds.length) await knex('support_session_participant').insert(participantIds.map((educatorId) => ({ session_id: id, educator_id: educatorId })));
  return id;
}

export async function sessionsForLink(knex: Knex, ids: string[]): Promise<{ id: string; municipalityId: string; helpRequestId: string | null }[]> {
  return knex('support_session').whereIn('id', ids).forUpdate().select('id', 'municipality_id as municipalityId', 'help_request_id as helpRequestId');
}

export async function linkSessions(knex: Knex, helpRequestId: string, ids: string[]): Promise<void> {
  if (ids.length) await knex('support_session').whereIn('id', ids).update({ help_request_id: helpRequestId });
}

/** Whether an educator is employed on a day in a municipality. */
export async function employedIn(knex: Knex, educatorId: string, municipalityId: string, day: string): Promise<boolean> {
  const row = await knex('staff_api.employment').select(knex.raw('1')).where({ educator_id: educatorId, municipality_id: municipalityId })
    .where('started_on', '<=', day).where((q) => q.whereNull('ended_on').orWhere('ended_on', '>=', day)).first();
  return Boolean(row);
}
