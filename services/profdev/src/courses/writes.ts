import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  badInput, can, conflict, forbidden, notFound, requireEducators, requireMunicipalities, requireOrganizations, today, type Scope, type Viewer,
} from '@mms/platform';
import * as programs from '../store/programs';
import { applicationProblem, nextStatus, placement, promotions, type RunAction, type RunStatus } from './rules';
import * as store from './store';
import type { OrderInput, OutcomeInput, RunInput } from './validate';

/** The writes of course runs: each runs inside the one transaction of its mutation; any error rolls it back. */

/** A run of a municipality the writer's scope covers. */
function requireRunInScope(run: store.CourseRunRow, scope: Scope) {
  if (scope.kind === 'region') return;
  if (scope.kind === 'municipality' && scope.municipalityId === run.municipalityId) return;
  throw forbidden('course runs of another municipality are its methodists\' to run');
}

async function requireRun(trx: Knex, id: string) {
  const run = await store.lockRun(trx, id);
  if (!run) throw notFound('course run', id);
  return run;
}

/** Today in the run's municipality. */
async function todayOf(trx: Knex, municipalityId: string) {
  const municipality = (await requireMunicipalities(trx, [municipalityId])).get(municipalityId)!;
  return today(municipality.timeZone);
}

export async function createRun(trx: Knex, scope: Scope, input: RunInput) {
  if (scope.kind !== 'region' && !(scope.kind === 'municipality' && scope.municipalityId === input.municipalityId)) {
    throw forbidden('a methodist plans course runs of their own municipality');
  }
  await requireMunicipalities(trx, [input.municipalityId]);
  const [program] = await programs.programsByIds(trx, [input.programId]);
  if (!program) throw notFound('program', input.programId);
  if (input.providerOrganizationId) await requireOrganizations(trx, [input.providerOrganizationId]);
  return store.insertRun(trx, input);
}

async function move(trx: Knex, scope: Scope, id: string, action: RunAction, changes: (run: store.CourseRunRow) => Promise<Record<string, unknown>> | Record<string, unknown> = () => ({})) {
  const run = await requireRun(trx, id);
  requireRunInScope(run, scope);
  const status = nextStatus(run.status as RunStatus, action);
  return { run, updated: await store.updateRun(trx, id, { status, ...(await changes(run)) }) };
}

export async function openRun(trx: Knex, scope: Scope, id: string, order: OrderInput) {
  return (await move(trx, scope, id, 'open', () => ({ opening_order_number: order.number, opening_order_date: order.date }))).updated;
}

export async function startRun(trx: Knex, scope: Scope, id: string, order: OrderInput) {
  return (await move(trx, scope, id, 'start', (run) => {
    if (run.openingOrderDate && order.date < run.openingOrderDate) throw badInput('the enrolment order cannot precede the opening order', 'enrolmentOrder.date');
    return { enrolment_order_number: order.number, enrolment_order_date: order.date };
  })).updated;
}

export async function cancelRun(trx: Knex, scope: Scope, id: string, on: string | null | undefined) {
  return (await move(trx, scope, id, 'cancel', async (run) => ({ cancelled_on: on ?? await todayOf(trx, run.municipalityId) }))).updated;
}

type Channel = 'applied' | 'nominated' | 'enrolled';

async function place(trx: Knex, run: store.CourseRunRow, educatorId: string, channel: Channel, nominatedByOrganizationId: string | null) {
  const status = placement(run, run.seatsTaken);
  return store.insertApplication(trx, { runId: run.id, educatorId, channel, nominatedByOrganizationId, status });
}

async function requireOpenForApplications(trx: Knex, run: store.CourseRunRow) {
  const problem = applicationProblem(run, await todayOf(trx, run.municipalityId));
  if (problem) throw conflict(problem, 'runId');
}

/** The signed-in educator applies for themself. */
export async function apply(trx: Knex, viewer: Viewer, runId: string) {
  if (viewer.role !== 'educator' || !viewer.educatorId) throw forbidden('only an educator applies for themself');
  await requireEducators(trx, [viewer.educatorId]);
  const run = await requireRun(trx, runId);
  await requireOpenForApplications(trx, run);
  return place(trx, run, viewer.educatorId, 'applied', null);
}

/** An organization admin nominates their staff; region_admin nominates for the educator's current organization. */
export async function nominate(trx: Knex, scope: Scope, runId: string, educatorId: string) {
  await requireEducators(trx, [educatorId], scope);
  let organizationId: string | null = scope.kind === 'organization' ? scope.organizationId : null;
  if (!organizationId) {
    const row = await trx('staff_api.employment').select('organization_id as organizationId').where('educator_id', educatorId)
      .where('started_on', '<=', today()).where((q) => q.whereNull('ended_on').orWhere('ended_on', '>=', today()))
      .orderBy([{ column: 'is_main_job', order: 'desc' }, { column: 'started_on' }]).first();
    if (!row) throw badInput('the educator is employed nowhere today: nobody can nominate them', 'educatorId');
    organizationId = row.organizationId;
  }
  const run = await requireRun(trx, runId);
  await requireOpenForApplications(trx, run);
  return place(trx, run, educatorId, 'nominated', organizationId);
}

/** A methodist enrols an educator of their municipality in an open or running run of their municipality. */
export async function enrol(trx: Knex, scope: Scope, runId: string, educatorId: string) {
  await requireEducators(trx, [educatorId], scope);
  const run = await requireRun(trx, runId);
  requireRunInScope(run, scope);
  if (run.status !== 'open' && run.status !== 'running') throw conflict(`the course run is ${run.status}: enrolment is for open or running runs`, 'runId');
  return place(trx, run, educatorId, 'enrolled', null);
}

/** Withdraws an application; a freed seat goes to the first on the waiting list. */
export async function withdraw(trx: Knex, viewer: Viewer, scope: Scope, id: string) {
  const application = await store.applicationById(trx, id);
  if (!application) throw notFound('course application', id);
  const run = await requireRun(trx, application.runId);
  const own = viewer.role === 'educator' && viewer.educatorId === application.educatorId && can(viewer, 'course:apply-own');
  const runner = can(viewer, 'course:write') && (scope.kind === 'region' || (scope.kind === 'municipality' && scope.municipalityId === run.municipalityId));
  if (!own && !runner) {
    if (!can(viewer, 'course:nominate')) throw forbidden(`role ${viewer.role} may not withdraw this application`);
    await requireEducators(trx, [application.educatorId], scope);
  }
  if (application.status !== 'enrolled' && application.status !== 'waitlisted') throw conflict(`the application is ${application.status}`, 'id');
  if (run.status !== 'open' && run.status !== 'running') throw conflict(`the course run is ${run.status}`, 'id');
  await store.setApplicationStatus(trx, [id], 'withdrawn');
  if (application.status === 'enrolled') {
    const waiting = (await store.applicationsOfRun(trx, run.id)).filter((a) => a.status === 'waitlisted');
    await store.setApplicationStatus(trx, promotions(waiting, run.seats - (run.seatsTaken - 1)).map((a) => a.id), 'enrolled');
  }
  return (await store.applicationById(trx, id))!;
}

/**
 * Finishes a running run: a completion (with its certificate number) for each enrolled educator marked completed,
 * the others not completed; certificate numbers unique within the provider (CONFLICT otherwise). One transaction.
 */
export async function finish(trx: Knex, scope: Scope, runId: string, finishedOn: string | null | undefined, outcomes: OutcomeInput[]) {
  const run = await requireRun(trx, runId);
  requireRunInScope(run, scope);
  nextStatus(run.status as RunStatus, 'finish');
  const day = finishedOn ?? await todayOf(trx, run.municipalityId);
  if (day < run.startsOn) throw badInput('a run finishes on or after its first day', 'finishedOn');
  // "Today" on the country's easternmost clock: a completion is never in the future anywhere in Russia.
  if (day > today('Asia/Kamchatka')) throw badInput('finishedOn must not be in the future', 'finishedOn');
  const [program] = await programs.programsByIds(trx, [run.programId]);
  const seated = new Map((await store.applicationsOfRun(trx, run.id)).filter((a) => a.status === 'enrolled').map((a) => [a.educatorId, a]));
  const seen = new Set<string>();
  const numbers = new Set<string>();
  for (const [i, outcome] of outcomes.entries()) {
    if (!seated.has(outcome.educatorId)) throw badInput(`educator ${outcome.educatorId} holds no seat in this run`, `outcomes.${i}.educatorId`);
    if (seen.has(outcome.educatorId)) throw badInput(`educator ${outcome.educatorId} has two outcomes`, `outcomes.${i}.educatorId`);
    seen.add(outcome.educatorId);
    if (outcome.completed) {
      if (numbers.has(outcome.certificateNumber!)) throw conflict(`certificate number ${outcome.certificateNumber} is given twice`, `outcomes.${i}.certificateNumber`);
      numbers.add(outcome.certificateNumber!);
    }
  }
  const reused = await store.issuedCertificates(trx, run.providerKey, [...numbers]);
  if (reused.length) throw conflict(`certificate number ${reused[0]} was already issued by this provider`, 'outcomes');
  const completed = outcomes.filter((o) => o.completed);
  const writes = completed.map((o) => ({
    applicationId: seated.get(o.educatorId)!.id, educatorId: o.educatorId, programId: run.programId, startedOn: run.startsOn, completedOn: day,
    certificateNumber: o.certificateNumber!, hours: o.hours ?? program.hours, completionId: randomUUID(),
  }));
  await store.writeCompletions(trx, writes);
  await store.insertCertificates(trx, writes.map((w) => ({ providerKey: run.providerKey, certificateNumber: w.certificateNumber, applicationId: w.applicationId })));
  const outcomeOf = new Map(outcomes.map((o) => [o.educatorId, o]));
  await store.markNotCompleted(trx, [...seated.values()].filter((a) => !outcomeOf.get(a.educatorId)?.completed)
    .map((a) => ({ applicationId: a.id, hours: outcomeOf.get(a.educatorId)?.hours ?? null })));
  return store.updateRun(trx, run.id, { status: 'finished', finished_on: day });
}
