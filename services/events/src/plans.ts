import type { Knex } from 'knex';
import { badInput, forbidden, notFound, requireEducators, requireMunicipalities, translateUniqueViolation, type Scope } from '@mms/platform';
import { eventsByIds } from './store/events';
import * as store from './store/plans';
import type { AnnualPlanRow, PlanActivityRow } from './store/plans';
import { monthOfAcademicYear, municipalityInScope, type CreateAnnualPlanInput, type PlanActivityInput } from './validate';

/**
 * The annual plan (seed 001 §4.5, seed 003 §5.7–5.8): planned activities aligned with the region's calendar of
 * significant events, and what took place. An activity is done when an event linked to it was held.
 */

async function checkActivities(trx: Knex, activities: readonly PlanActivityInput[]): Promise<void> {
  await requireEducators(trx, activities.flatMap((a) => (a.responsibleId ? [a.responsibleId] : [])), undefined, 'responsibleId');
  const calendarIds = [...new Set(activities.flatMap((a) => (a.calendarEventId ? [a.calendarEventId] : [])))];
  const events = new Map((await eventsByIds(trx, calendarIds)).map((e) => [e.id, e]));
  for (const eventId of calendarIds) {
    const event = events.get(eventId);
    if (!event) throw notFound('event', eventId);
    if (!event.isInRegionalCalendar) throw badInput(`calendarEventId: event ${eventId} is not in the region's calendar of significant events`, 'calendarEventId');
  }
}

const activityRow = (planId: string, academicYear: string, a: PlanActivityInput) => ({
  plan_id: planId, kind: a.kind, title: a.title, planned_month: monthOfAcademicYear(academicYear, a.month),
  responsible_id: a.responsibleId ?? null, calendar_event_id: a.calendarEventId ?? null,
});

export async function createAnnualPlan(trx: Knex, scope: Scope, input: CreateAnnualPlanInput): Promise<AnnualPlanRow> {
  await requireMunicipalities(trx, [input.municipalityId]);
  if (!municipalityInScope(scope, input.municipalityId)) throw forbidden('this municipality is outside your scope');
  const activities = input.activities ?? [];
  await checkActivities(trx, activities);
  const [{ id }] = await translateUniqueViolation(() => trx('annual_plan').insert({
    municipality_id: input.municipalityId, academic_year: input.academicYear, title: input.title, approved_on: input.approvedOn ?? null,
  }).returning('id'), { annual_plan_once: ['the municipality already has a plan for this academic year', 'input.academicYear'] });
  if (activities.length) await trx('plan_activity').insert(activities.map((a) => activityRow(id, input.academicYear, a)));
  return (await store.planById(trx, id))!;
}

async function planInScope(trx: Knex, scope: Scope, planId: string): Promise<AnnualPlanRow> {
  const plan = await store.planById(trx, planId);
  if (!plan) throw notFound('annual plan', planId);
  if (!municipalityInScope(scope, plan.municipalityId)) throw forbidden('this plan is outside your scope');
  return plan;
}

export async function addPlanActivity(trx: Knex, scope: Scope, planId: string, input: PlanActivityInput): Promise<PlanActivityRow> {
  const plan = await planInScope(trx, scope, planId);
  await checkActivities(trx, [input]);
  const [{ id }] = await trx('plan_activity').insert(activityRow(plan.id, plan.academicYear, input)).returning('id');
  return (await store.activityById(trx, id))!;
}

export async function linkActivityEvent(trx: Knex, scope: Scope, activityId: string, eventId: string): Promise<PlanActivityRow> {
  const activity = await store.activityById(trx, activityId);
  if (!activity) throw notFound('plan activity', activityId);
  await planInScope(trx, scope, activity.planId);
  if (!(await eventsByIds(trx, [eventId])).length) throw notFound('event', eventId);
  await translateUniqueViolation(() => trx('plan_activity_event').insert({ activity_id: activityId, event_id: eventId }),
    { plan_activity_event_once: ['the event is already linked to this activity', 'eventId'] });
  return (await store.activityById(trx, activityId))!;
}

