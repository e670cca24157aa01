import type { Knex } from 'knex';
import type { Scope } from '@mms/platform';
import { educatorKeys, ownerSql, whereEducatorInScope } from './scope';

/** Development routes and their items (tables development_route, route_item), route templates. */

export interface RouteRow {
  id: string;
  educatorId: string;
  title: string;
  periodFrom: string;
  periodTo: string;
  status: string;
  diagnosticId: string | null;
  templateId: string | null;
  activatedOn: string | null;
  completedOn: string | null;
  abandonedOn: string | null;
  abandonReason: string | null;
  createdAt: Date;
}

export interface RouteItemRow {
  id: string;
  routeId: string;
  position: number;
  activityKind: string;
  title: string;
  competencyId: string | null;
  programId: string | null;
  plannedFrom: string;
  plannedTo: string;
  doneOn: string | null;
  isDropped: boolean;
  dropReason: string | null;
}

export interface TemplateRow {
  id: string;
  title: string;
  municipalityId: string | null;
}

export interface TemplateItemRow {
  templateId: string;
  position: number;
  activityKind: string;
  title: string;
  programId: string | null;
}

const columns = ['r.id', 'r.title', 'r.period_from as periodFrom', 'r.period_to as periodTo', 'r.status', 'r.diagnostic_id as diagnosticId',
  'r.template_id as templateId', 'r.activated_on as activatedOn', 'r.completed_on as completedOn', 'r.abandoned_on as abandonedOn',
  'r.abandon_reason as abandonReason', 'r.created_at as createdAt'];
const itemColumns = ['i.id', 'i.route_id as routeId', 'i.position', 'i.activity_kind as activityKind', 'i.title', 'i.competency_id as competencyId',
  'i.program_id as programId', 'i.planned_from as plannedFrom', 'i.planned_to as plannedTo', 'i.done_on as doneOn', 'i.is_dropped as isDropped',
  'i.drop_reason as dropReason'];
const latestFirst = [{ column: 'r.period_from', order: 'desc' }, { column: 'r.created_at', order: 'desc' }, { column: 'r.id' }] as const;

export async function routesByEducators(db: Knex, scope: Scope, educatorIds: readonly string[]): Promise<RouteRow[]> {
  return db('development_route as r').join(educatorKeys(db, educatorIds, scope).as('k'), 'k.educator_id', 'r.educator_id')
    .select(['k.key as educatorId', ...columns]).orderBy([...latestFirst]);
}

export async function routesByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<RouteRow[]> {
  const query = db('development_route as r').select([db.raw(`${ownerSql('r.educator_id')} as "educatorId"`), ...columns]).whereIn('r.id', ids);
  return whereEducatorInScope(query, scope, 'r.educator_id');
}

/** A route, locked for the transaction: its status and items change together. */
export async function findRoute(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<RouteRow | undefined> {
  const query = db('development_route as r').select([db.raw(`${ownerSql('r.educator_id')} as "educatorId"`), ...columns]).where('r.id', id).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

export async function itemsByRoutes(db: Knex, routeIds: readonly string[]): Promise<RouteItemRow[]> {
  return db('route_item as i').select(itemColumns).whereIn('i.route_id', routeIds).orderBy([{ column: 'i.route_id' }, { column: 'i.position' }]);
}

/** Route items by id (Relay's node(id:); shown when their route is, as `DevelopmentRoute.items`). */
export async function routeItemsByIds(db: Knex, ids: readonly string[]): Promise<RouteItemRow[]> {
  return db('route_item as i').select(itemColumns).whereIn('i.id', [...ids]);
}

export async function findItem(db: Knex, id: string): Promise<RouteItemRow | undefined> {
  return db('route_item as i').select(itemColumns).where('i.id', id).first();
}

export async function insertRoute(db: Knex, input: {
  educatorId: string; title: string; periodFrom: string; periodTo: string; diagnosticId?: string | null; templateId?: string | null;
}): Promise<RouteRow> {
  const [{ id }] = await db('development_route').insert({
    educator_id: input.educatorId, title: input.title, period_from: input.periodFrom, period_to: input.periodTo,
    diagnostic_id: input.diagnosticId ?? null, template_id: input.templateId ?? null,
  }).returning('id');
  return (await findRoute(db, id))!;
}

export interface ItemFields {
  activityKind: string;
  title: string;
  competencyId?: string | null;
  programId?: string | null;
  plannedFrom: string;
  plannedTo: string;
}

/** Appends items after the route's last one. */
export async function insertItems(db: Knex, routeId: string, items: readonly ItemFields[]): Promise<RouteItemRow[]> {
  if (!items.length) return [];
  const [{ last }] = await db('route_item').where('route_id', routeId).max({ last: 'position' });
  const rows = await db('route_item').insert(items.map((item, i) => ({
    route_id: routeId, position: (last ?? 0) + i + 1, activity_kind: item.activityKind, title: item.title,
    competency_id: item.competencyId ?? null, program_id: item.programId ?? null, planned_from: item.plannedFrom, planned_to: item.plannedTo,
  }))).returning('id');
  const ids = rows.map((row: { id: string }) => row.id);
  return db('route_item as i').select(itemColumns).whereIn('i.id', ids).orderBy('i.position');
}

export async function updateItem(db: Knex, id: string, changes: { done_on?: string; is_dropped?: boolean; drop_reason?: string }): Promise<RouteItemRow> {
  await db('route_item').where({ id }).update({ ...changes, updated_at: db.fn.now() });
  return (await findItem(db, id))!;
}

export async function updateRoute(db: Knex, id: string, changes: Record<string, unknown>): Promise<RouteRow> {
  await db('development_route').where({ id }).update({ ...changes, updated_at: db.fn.now() });
  return (await findRoute(db, id))!;
}

// ---- templates ----

export async function listTemplates(db: Knex, scope: Scope): Promise<TemplateRow[]> {
  return visibleTemplates(db, scope).orderBy([{ column: 't.title' }, { column: 't.id' }]);
}

/** Templates by id as `routeTemplates` shows them (the region's, and the caller's municipality's): Relay's node(id:). */
export async function visibleTemplatesByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<TemplateRow[]> {
  return visibleTemplates(db, scope).whereIn('t.id', [...ids]);
}

/** The templates a scope sees: the region's (no municipality) and its municipality's; the region all. */
function visibleTemplates(db: Knex, scope: Scope): Knex.QueryBuilder {
  const query = db('route_template as t').select('t.id', 't.title', 't.municipality_id as municipalityId');
  if (scope.kind !== 'region') {
    query.where((q) => {
      q.whereNull('t.municipality_id');
      if (scope.kind === 'municipality') q.orWhere('t.municipality_id', scope.municipalityId);
      if (scope.kind === 'organization') q.orWhereIn('t.municipality_id', (sub) => sub.select('municipality_id').from('staff_api.organization').where('id', scope.organizationId));
    });
  }
  return query;
}

export async function templatesByIds(db: Knex, ids: readonly string[]): Promise<TemplateRow[]> {
  return db('route_template as t').select('t.id', 't.title', 't.municipality_id as municipalityId').whereIn('t.id', ids);
}

export async function itemsByTemplates(db: Knex, templateIds: readonly string[]): Promise<TemplateItemRow[]> {
  return db('route_template_item as ti').select('ti.template_id as templateId', 'ti.position', 'ti.activity_kind as activityKind', 'ti.title', 'ti.program_id as programId')
    .whereIn('ti.template_id', templateIds).orderBy([{ column: 'ti.template_id' }, { column: 'ti.position' }]);
}

export async function insertTemplate(db: Knex, input: { title: string; municipalityId?: string | null; items: { activityKind: string; title: string; programId?: string | null }[] }): Promise<TemplateRow> {
  const [{ id }] = await db('route_template').insert({ title: input.title, municipality_id: input.municipalityId ?? null }).returning('id');
  await db('route_template_item').insert(input.items.map((item, i) => ({
    template_id: id, position: i + 1, activity_kind: item.activityKind, title: item.title, program_id: item.programId ?? null,
  })));
  return (await templatesByIds(db, [id]))[0];
}

/**
 * Assigns a template to a cohort in three statements, whatever its size: a route for each member of the cohort
 * (educators employed during the period in the municipality or organization, early-career on its first day when
 * asked) who has no draft, active or completed route overlapping the period; then the template's items for each.
 * Returns the created routes' ids and how many members were left alone.
 */
export async function assignTemplate(db: Knex, input: {
  templateId: string; title: string; periodFrom: string; periodTo: string; municipalityId?: string | null; organizationId?: string | null;
  earlyCareerOnly: boolean; activate: boolean;
}): Promise<{ createdIds: string[]; skippedCount: number }> {
  const cohortWhere = [
    input.municipalityId ? 'p.municipality_id = :municipalityId' : null,
    input.organizationId ? 'p.organization_id = :organizationId' : null,
    input.earlyCareerOnly ? 'p.is_early_career' : null,
  ].filter(Boolean).join(' and ') || 'true';
  const bindings = {
    templateId: input.templateId, title: input.title, from: input.periodFrom, to: input.periodTo,
    municipalityId: input.municipalityId ?? null, organizationId: input.organizationId ?? null,
    status: input.activate ? 'active' : 'draft', activatedOn: input.activate ? input.periodFrom : null,
  };
  const { rows } = await db.raw(`
    with cohort as (
      select distinct p.educator_id from staff_api.employed_during(cast(:from as date), cast(:to as date)) p where ${cohortWhere}
    ), covered as (
      select c.educator_id from cohort c
      where exists (select from profdev_api.development_route r where r.educator_id = c.educator_id
                    and r.status <> 'abandoned' and r.period_from <= cast(:to as date) and r.period_to >= cast(:from as date))
    ), created as (
      insert into development_route (educator_id, title, period_from, period_to, status, template_id, activated_on)
      select c.educator_id, :title, cast(:from as date), cast(:to as date), :status, cast(:templateId as uuid), cast(:activatedOn as date)
      from cohort c where c.educator_id not in (select educator_id from covered)
      returning id
    )
    select (select coalesce(array_agg(id), '{}') from created) as "createdIds", (select count(*)::integer from covered) as "skippedCount"
  `, bindings);
  const { createdIds, skippedCount } = rows[0] as { createdIds: string[]; skippedCount: number };
  if (createdIds.length) {
    await db.raw(`
      insert into route_item (route_id, position, activity_kind, title, program_id, planned_from, planned_to)
      select r.id, ti.position, ti.activity_kind, ti.title, ti.program_id, r.period_from, r.period_to
      from unnest(?::uuid[]) as r0(id) join development_route r on r.id = r0.id
      join route_template_item ti on ti.template_id = ?
    `, [createdIds, input.templateId]);
  }
  return { createdIds, skippedCount };
}

export interface AssignmentResult {
  createdIds: string[];
  skippedCount: number;
}
