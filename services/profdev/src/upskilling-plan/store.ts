import type { Knex } from 'knex';
import { academicYearPeriod } from '@mms/platform';

/** The yearly upskilling plan (tables upskilling_plan, upskilling_plan_quota); progress is computed when read. */

export interface UpskillingPlanRow { id: string; municipalityId: string; academicYear: string }
export interface UpskillingQuotaRow { id: string; direction: string; competencyId: string | null; plannedCount: number; trainedCount: number }

export async function findPlan(db: Knex, municipalityId: string, academicYear: string): Promise<UpskillingPlanRow | undefined> {
  return db('upskilling_plan').select('id', 'municipality_id as municipalityId', 'academic_year as academicYear')
    .where({ municipality_id: municipalityId, academic_year: academicYear }).first();
}

/** Plans by id (Relay's node(id:); the caller's scope is checked on each, as upskillingPlan does). */
export async function plansByIds(db: Knex, ids: readonly string[]): Promise<UpskillingPlanRow[]> {
  return db('upskilling_plan').select('id', 'municipality_id as municipalityId', 'academic_year as academicYear').whereIn('id', [...ids]);
}

/** Replaces the plan's quotas (creating the plan first when there is none). */
export async function savePlan(db: Knex, municipalityId: string, academicYear: string, quotas: { direction: string; competencyId?: string | null; plannedCount: number }[]): Promise<UpskillingPlanRow> {
  await db('upskilling_plan').insert({ municipality_id: municipalityId, academic_year: academicYear }).onConflict(['municipality_id', 'academic_year']).ignore();
  const plan = (await findPlan(db, municipalityId, academicYear))!;
  await db('upskilling_plan_quota').where('plan_id', plan.id).delete();
  await db('upskilling_plan_quota').insert(quotas.map((q) => ({ plan_id: plan.id, direction: q.direction, competency_id: q.competencyId ?? null, planned_count: q.plannedCount })));
  return plan;
}

/** The educators employed in the municipality during the year who completed a program in it (SQL of `trained`). */
const trained = `
  with pop as (
    select distinct educator_id from staff_api.employment
    where municipality_id = :municipality and started_on <= :to and (ended_on is null or ended_on >= :from)
  )
  select c.educator_id, c.program_id from profdev_api.program_completion c join pop p on p.educator_id = c.educator_id
  where c.completed_on between :from and :to`;

/** Every quota of a plan with its progress: one statement. */
export async function quotasOf(db: Knex, plan: UpskillingPlanRow): Promise<UpskillingQuotaRow[]> {
  const period = academicYearPeriod(plan.academicYear);
  const { rows } = await db.raw(`
    with done as (${trained})
    select q.id, q.direction, q.competency_id as "competencyId", q.planned_count as "plannedCount",
      (select count(distinct d.educator_id)::int from done d where q.competency_id is null or exists (
        select 1 from profdev.program_competency pc where pc.program_id = d.program_id and pc.competency_id = q.competency_id)) as "trainedCount"
    from upskilling_plan_quota q where q.plan_id = :plan order by q.direction`,
  { municipality: plan.municipalityId, from: period.from, to: period.to, plan: plan.id });
  return rows;
}

export async function trainedCount(db: Knex, plan: UpskillingPlanRow): Promise<number> {
  const period = academicYearPeriod(plan.academicYear);
  const { rows } = await db.raw(`with done as (${trained}) select count(distinct educator_id)::int as n from done`,
    { municipality: plan.municipalityId, from: period.from, to: period.to });
  return rows[0].n;
}
