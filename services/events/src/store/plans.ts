import type { Knex } from 'knex';

/** The annual plan: SQL of annual_plan, plan_activity, plan_activity_event. */
export interface AnnualPlanRow {
  id: string; municipalityId: string; academicYear: string; title: string; approvedOn: string | null; activitiesTotal: number; activitiesDone: number;
}
export interface PlanActivityRow {
  id: string; planId: string; kind: string; title: string; plannedMonth: string; responsibleId: string | null; calendarEventId: string | null; isDone: boolean;
}

const isDone = `exists (select 1 from events.plan_activity_event pe join events.event ev on ev.id = pe.event_id
  where pe.activity_id = pa.id and ev.status = 'held')`;

const planColumns = (db: Knex) => ['p.id', 'p.municipality_id as municipalityId', 'p.academic_year as academicYear', 'p.title', 'p.approved_on as approvedOn',
  db.raw('(select count(*) from events.plan_activity pa where pa.plan_id = p.id)::int as "activitiesTotal"'),
  db.raw(`(select count(*) from events.plan_activity pa where pa.plan_id = p.id and ${isDone})::int as "activitiesDone"`)];
const activityColumns = (db: Knex) => ['pa.id', 'pa.plan_id as planId', 'pa.kind', 'pa.title', 'pa.planned_month as plannedMonth',
  'pa.responsible_id as responsibleId', 'pa.calendar_event_id as calendarEventId', db.raw(`${isDone} as "isDone"`)];

export const planFor = async (db: Knex, municipalityId: string, academicYear: string): Promise<AnnualPlanRow | undefined> =>
  db('annual_plan as p').first(planColumns(db)).where({ 'p.municipality_id': municipalityId, 'p.academic_year': academicYear });
export const planById = async (db: Knex, id: string): Promise<AnnualPlanRow | undefined> => db('annual_plan as p').first(planColumns(db)).where('p.id', id);
export const activitiesByPlans = async (db: Knex, ids: readonly string[]): Promise<PlanActivityRow[]> =>
  db('plan_activity as pa').select(activityColumns(db)).whereIn('pa.plan_id', ids).orderBy(['pa.planned_month', 'pa.title', 'pa.id']);
export const activityById = async (db: Knex, id: string): Promise<PlanActivityRow | undefined> =>
  db('plan_activity as pa').first(activityColumns(db)).where('pa.id', id);
export const eventIdsByActivities = async (db: Knex, ids: readonly string[]): Promise<{ activityId: string; eventId: string }[]> =>
  db('plan_activity_event as pe').join('event as e', 'e.id', 'pe.event_id').select('pe.activity_id as activityId', 'pe.event_id as eventId')
    .whereIn('pe.activity_id', ids).orderBy('e.starts_at');
/** Annual plans by id, in one statement (Relay's node(id:)). */
export const plansByIds = async (db: Knex, ids: readonly string[]): Promise<AnnualPlanRow[]> => db('annual_plan as p').select(planColumns(db)).whereIn('p.id', ids);
/** Plan activities by id, in one statement (Relay's node(id:)). */
export const activitiesByIds = async (db: Knex, ids: readonly string[]): Promise<PlanActivityRow[]> =>
  db('plan_activity as pa').select(activityColumns(db)).whereIn('pa.id', ids);
