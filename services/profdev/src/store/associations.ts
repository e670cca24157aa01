import type { Knex } from 'knex';
import type { Scope } from '@mms/platform';
import { educatorKeys, ownerSql, whereEducatorInScope, whereMunicipalityInScope } from './scope';

/**
 * Method associations, members, yearly plans and publications; the method council and its meetings; complaints.
 */

export interface AssociationRow {
  id: string;
  level: string;
  municipalityId: string;
  organizationId: string | null;
  subjectArea: string;
  title: string;
  leaderId: string | null;
}

export interface MemberRow {
  id: string;
  associationId: string;
  educatorId: string;
  joinedOn: string;
  leftOn: string | null;
}

export interface PlanRow {
  id: string;
  associationId: string;
  academicYear: string;
  isAdopted: boolean;
  adoptedOn: string | null;
  itemsTotal: number;
  itemsDone: number;
}

export interface PlanItemRow {
  id: string;
  planId: string;
  title: string;
  plannedOn: string;
  doneOn: string | null;
}

export interface PublicationRow {
  id: string;
  associationId: string;
  publishedOn: string;
  title: string;
  url: string;
}

export interface CouncilRow {
  id: string;
  municipalityId: string;
  title: string;
}

export interface MeetingRow {
  id: string;
  councilId: string;
  heldOn: string;
  agenda: string;
  decisions: string | null;
  minutesNumber: string | null;
}

export interface ComplaintRow {
  id: string;
  receivedOn: string;
  municipalityId: string;
  organizationId: string | null;
  educatorId: string | null;
  subject: string;
  resolution: string | null;
  resolvedOn: string | null;
  isUpheld: boolean | null;
}

const associationColumns = (db: Knex) => ['a.id', 'a.level', 'a.municipality_id as municipalityId', 'a.organization_id as organizationId',
  'a.subject_area as subjectArea', 'a.title', db.raw(`case when a.leader_id is null then null else ${ownerSql('a.leader_id')} end as "leaderId"`)];
const memberColumns = (db: Knex) => ['m.id', 'm.association_id as associationId', db.raw(`${ownerSql('m.educator_id')} as "educatorId"`),
  'm.joined_on as joinedOn', 'm.left_on as leftOn'];
const planColumns = ['p.id', 'p.association_id as associationId', 'p.academic_year as academicYear', 'p.is_adopted as isAdopted',
  'p.adopted_on as adoptedOn', 'p.items_total as itemsTotal', 'p.items_done as itemsDone'];
const planItemColumns = ['i.id', 'i.plan_id as planId', 'i.title', 'i.planned_on as plannedOn', 'i.done_on as doneOn'];
const publicationColumns = ['p.id', 'p.association_id as associationId', 'p.published_on as publishedOn', 'p.title', 'p.url'];
const meetingColumns = ['m.id', 'm.council_id as councilId', 'm.held_on as heldOn', 'm.agenda', 'm.decisions', 'm.minutes_number as minutesNumber'];
const complaintColumns = (db: Knex) => ['c.id', 'c.received_on as receivedOn', 'c.municipality_id as municipalityId', 'c.organization_id as organizationId',
  db.raw(`case when c.educator_id is null then null else ${ownerSql('c.educator_id')} end as "educatorId"`), 'c.subject', 'c.resolution',
  'c.resolved_on as resolvedOn', 'c.is_upheld as isUpheld'];

// ---- associations ----

export async function listAssociations(db: Knex, scope: Scope, filter: { municipalityId?: string | null; level?: string | null }): Promise<AssociationRow[]> {
  const query = whereMunicipalityInScope(db('method_association as a').select(associationColumns(db)), scope, 'a.municipality_id')
    .orderBy([{ column: 'a.title' }, { column: 'a.id' }]);
  if (filter.municipalityId) query.where('a.municipality_id', filter.municipalityId);
  if (filter.level) query.where('a.level', filter.level);
  return query;
}

export async function associationsByIds(db: Knex, scope: Scope | null, ids: readonly string[]): Promise<AssociationRow[]> {
  const query = db('method_association as a').select(associationColumns(db)).whereIn('a.id', ids);
  return scope ? whereMunicipalityInScope(query, scope, 'a.municipality_id') : query;
}

export async function insertAssociation(db: Knex, input: Omit<AssociationRow, 'id' | 'organizationId' | 'leaderId'> & { organizationId?: string | null; leaderId?: string | null }): Promise<AssociationRow> {
  const [{ id }] = await db('method_association').insert({
    level: input.level, municipality_id: input.municipalityId, organization_id: input.organizationId ?? null,
    subject_area: input.subjectArea, title: input.title, leader_id: input.leaderId ?? null,
  }).returning('id');
  return (await associationsByIds(db, null, [id]))[0];
}

/** Locks an association for the transaction: membership terms of one association are checked one writer at a time. */
export async function lockAssociation(db: Knex, id: string): Promise<AssociationRow | undefined> {
  await db('method_association').where({ id }).forUpdate().first('id');
  return (await associationsByIds(db, null, [id]))[0];
}

/** Members of associations whose educator the scope covers, by joining day. */
export async function membersByAssociations(db: Knex, scope: Scope, associationIds: readonly string[], activeOn: string | null): Promise<MemberRow[]> {
  const query = db('association_member as m').select(memberColumns(db)).whereIn('m.association_id', associationIds)
    .orderBy([{ column: 'm.joined_on' }, { column: 'm.id' }]);
  if (activeOn) query.where('m.joined_on', '<=', activeOn).where((q) => q.whereNull('m.left_on').orWhere('m.left_on', '>=', activeOn));
  return whereEducatorInScope(query, scope, 'm.educator_id');
}

export async function membershipsByEducators(db: Knex, scope: Scope, educatorIds: readonly string[]): Promise<MemberRow[]> {
  return db('association_member as m').join(educatorKeys(db, educatorIds, scope).as('k'), 'k.educator_id', 'm.educator_id')
    .select(['m.id', 'm.association_id as associationId', 'k.key as educatorId', 'm.joined_on as joinedOn', 'm.left_on as leftOn'])
    .orderBy([{ column: 'm.joined_on', order: 'desc' }, { column: 'm.id' }]);
}

export async function membershipTerms(db: Knex, associationId: string, educatorIds: readonly string[]): Promise<MemberRow[]> {
  return db('association_member as m').select(memberColumns(db)).where('m.association_id', associationId).whereIn('m.educator_id', educatorIds);
}

export async function findMember(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<MemberRow | undefined> {
  const query = db('association_member as m').select(memberColumns(db)).where('m.id', id).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

export async function insertMember(db: Knex, input: Omit<MemberRow, 'id' | 'leftOn'> & { leftOn?: string | null }): Promise<MemberRow> {
  const [{ id }] = await db('association_member').insert({
    association_id: input.associationId, educator_id: input.educatorId, joined_on: input.joinedOn, left_on: input.leftOn ?? null,
  }).returning('id');
  return (await findMember(db, id))!;
}

export async function endMember(db: Knex, id: string, leftOn: string): Promise<MemberRow> {
  await db('association_member').where({ id }).update({ left_on: leftOn, updated_at: db.fn.now() });
  return (await findMember(db, id))!;
}

// ---- plans ----

/** Memberships by id, the educator in the caller's scope (as `MethodAssociation.members`): Relay's node(id:). */
export async function membersInScopeByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<MemberRow[]> {
  return whereEducatorInScope(db('association_member as m').select(memberColumns(db)).whereIn('m.id', [...ids]), scope, 'm.educator_id');
}

/** Plans by id (Relay's node(id:); shown when their association is, as `MethodAssociation.plans`). */
export async function associationPlansByIds(db: Knex, ids: readonly string[]): Promise<PlanRow[]> {
  return db('profdev_api.association_plan as p').select(planColumns).whereIn('p.id', [...ids]);
}

/** Publications by id (Relay's node(id:); shown when their association is, as `MethodAssociation.publications`). */
export async function publicationsByIds(db: Knex, ids: readonly string[]): Promise<PublicationRow[]> {
  return db('publication as p').select(publicationColumns).whereIn('p.id', [...ids]);
}

export async function plansByAssociations(db: Knex, associationIds: readonly string[]): Promise<PlanRow[]> {
  return db('profdev_api.association_plan as p').select(planColumns).whereIn('p.association_id', associationIds)
    .orderBy([{ column: 'p.academic_year', order: 'desc' }]);
}

export async function findPlan(db: Knex, id: string): Promise<PlanRow | undefined> {
  return db('profdev_api.association_plan as p').select(planColumns).where('p.id', id).first();
}

export async function itemsByPlans(db: Knex, planIds: readonly string[]): Promise<PlanItemRow[]> {
  return db('association_plan_item as i').select(planItemColumns).whereIn('i.plan_id', planIds).orderBy([{ column: 'i.planned_on' }, { column: 'i.id' }]);
}

/** Plan items by id (Relay's node(id:); shown when their plan's association is, as `AssociationPlan.items`). */
export async function planItemsByIds(db: Knex, ids: readonly string[]): Promise<PlanItemRow[]> {
  return db('association_plan_item as i').select(planItemColumns).whereIn('i.id', [...ids]);
}

export async function findPlanItem(db: Knex, id: string): Promise<PlanItemRow | undefined> {
  return db('association_plan_item as i').select(planItemColumns).where('i.id', id).first();
}

export async function insertPlan(db: Knex, input: { associationId: string; academicYear: string; adoptedOn?: string | null; items: { title: string; plannedOn: string }[] }): Promise<PlanRow> {
  const [{ id }] = await db('association_plan').insert({
    association_id: input.associationId, academic_year: input.academicYear, is_adopted: Boolean(input.adoptedOn), adopted_on: input.adoptedOn ?? null,
  }).returning('id');
  if (input.items.length) await db('association_plan_item').insert(input.items.map((item) => ({ plan_id: id, title: item.title, planned_on: item.plannedOn })));
  return (await findPlan(db, id))!;
}

export async function adoptPlan(db: Knex, id: string, adoptedOn: string): Promise<PlanRow> {
  await db('association_plan').where({ id }).update({ is_adopted: true, adopted_on: adoptedOn, updated_at: db.fn.now() });
  return (await findPlan(db, id))!;
}

export async function markPlanItemDone(db: Knex, id: string, doneOn: string): Promise<PlanItemRow> {
  await db('association_plan_item').where({ id }).update({ done_on: doneOn, updated_at: db.fn.now() });
  return (await findPlanItem(db, id))!;
}

// ---- publications ----

export async function publicationsByAssociations(db: Knex, associationIds: readonly string[], period: { from?: string | null; to?: string | null }): Promise<PublicationRow[]> {
  const query = db('publication as p').select(publicationColumns).whereIn('p.association_id', associationIds)
    .orderBy([{ column: 'p.published_on', order: 'desc' }, { column: 'p.id' }]);
  if (period.from) query.where('p.published_on', '>=', period.from);
  if (period.to) query.where('p.published_on', '<=', period.to);
  return query;
}

export async function insertPublication(db: Knex, input: Omit<PublicationRow, 'id'>): Promise<PublicationRow> {
  const [row] = await db('publication').insert({
    association_id: input.associationId, published_on: input.publishedOn, title: input.title, url: input.url,
  }).returning(['id', 'association_id as associationId', 'published_on as publishedOn', 'title', 'url']);
  return row;
}

// ---- method council ----

export async function listCouncils(db: Knex, scope: Scope): Promise<CouncilRow[]> {
  return whereMunicipalityInScope(db('method_council as c').select('c.id', 'c.municipality_id as municipalityId', 'c.title'), scope, 'c.municipality_id')
    .orderBy([{ column: 'c.title' }, { column: 'c.id' }]);
}

/** Councils by id as `methodCouncils` shows them (the caller's scope): Relay's node(id:). */
export async function councilsByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<CouncilRow[]> {
  return whereMunicipalityInScope(db('method_council as c').select('c.id', 'c.municipality_id as municipalityId', 'c.title').whereIn('c.id', [...ids]), scope, 'c.municipality_id');
}

/** Meetings by id, shown exactly when their council is (`MethodCouncil.meetings`): Relay's node(id:). */
export async function meetingsByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<MeetingRow[]> {
  return whereMunicipalityInScope(db('council_meeting as m').join('method_council as c', 'c.id', 'm.council_id').select(meetingColumns).whereIn('m.id', [...ids]), scope, 'c.municipality_id');
}

export async function findCouncil(db: Knex, id: string): Promise<CouncilRow | undefined> {
  return db('method_council as c').select('c.id', 'c.municipality_id as municipalityId', 'c.title').where('c.id', id).first();
}

export async function insertCouncil(db: Knex, input: { municipalityId: string; title: string }): Promise<CouncilRow> {
  const [row] = await db('method_council').insert({ municipality_id: input.municipalityId, title: input.title })
    .returning(['id', 'municipality_id as municipalityId', 'title']);
  return row;
}

export async function meetingsByCouncils(db: Knex, councilIds: readonly string[]): Promise<MeetingRow[]> {
  return db('council_meeting as m').select(meetingColumns).whereIn('m.council_id', councilIds).orderBy([{ column: 'm.held_on', order: 'desc' }, { column: 'm.id' }]);
}

export async function insertMeeting(db: Knex, input: Omit<MeetingRow, 'id' | 'decisions' | 'minutesNumber'> & { decisions?: string | null; minutesNumber?: string | null }): Promise<MeetingRow> {
  const [{ id }] = await db('council_meeting').insert({
    council_id: input.councilId, held_on: input.heldOn, agenda: input.agenda, decisions: input.decisions ?? null, minutes_number: input.minutesNumber ?? null,
  }).returning('id');
  return db('council_meeting as m').select(meetingColumns).where('m.id', id).first();
}

// ---- complaints ----

/** Complaints the scope covers: a municipality's, an organization's own, an educator's own. */
/** The appeals a scope sees (`complaints`). */
function whereComplaintVisible(query: Knex.QueryBuilder, scope: Scope): Knex.QueryBuilder {
  if (scope.kind === 'municipality') query.where('c.municipality_id', scope.municipalityId);
  if (scope.kind === 'organization') query.where('c.organization_id', scope.organizationId);
  if (scope.kind === 'educator') query.where('c.educator_id', scope.educatorId);
  return query;
}

export async function listComplaints(db: Knex, scope: Scope, period: { from: string; to: string }, municipalityId: string | null | undefined): Promise<ComplaintRow[]> {
  const query = db('complaint as c').select(complaintColumns(db)).whereBetween('c.received_on', [period.from, period.to])
    .orderBy([{ column: 'c.received_on', order: 'desc' }, { column: 'c.id' }]);
  if (municipalityId) query.where('c.municipality_id', municipalityId);
  return whereComplaintVisible(query, scope);
}

/** Appeals by id as `complaints` shows them (the caller's scope): Relay's node(id:). */
export async function complaintsByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<ComplaintRow[]> {
  return whereComplaintVisible(db('complaint as c').select(complaintColumns(db)).whereIn('c.id', [...ids]), scope);
}

export async function findComplaint(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<ComplaintRow | undefined> {
  const query = db('complaint as c').select(complaintColumns(db)).where('c.id', id).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

export async function insertComplaint(db: Knex, input: { receivedOn: string; municipalityId: string; organizationId?: string | null; educatorId?: string | null; subject: string }): Promise<ComplaintRow> {
  const [{ id }] = await db('complaint').insert({
    received_on: input.receivedOn, municipality_id: input.municipalityId, organization_id: input.organizationId ?? null,
    educator_id: input.educatorId ?? null, subject: input.subject,
  }).returning('id');
  return (await findComplaint(db, id))!;
}

export async function resolveComplaint(db: Knex, id: string, input: { resolvedOn: string; resolution: string; isUpheld: boolean }): Promise<ComplaintRow> {
  await db('complaint').where({ id }).update({ resolved_on: input.resolvedOn, resolution: input.resolution, is_upheld: input.isUpheld, updated_at: db.fn.now() });
  return (await findComplaint(db, id))!;
}

export interface ShortfallRow {
  association: AssociationRow;
  publicationCount: number;
  monthCount: number;
  monthsWithout: string[];
}
