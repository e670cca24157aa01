import type { Knex } from 'knex';
import { badInput, conflict, forbidden, notFound, requireEducators, requireMunicipalities, requireOrganizations, type Scope } from '@mms/platform';
import * as store from './store/olympiads';
import type { OlympiadRow, OlympiadTaskRow } from './store/olympiads';
import { municipalityInScope, type CreateOlympiadInput } from './validate';

/** Olympiads the service supports (seeds 000, 003): one mutation's work per function. */

export async function createOlympiad(trx: Knex, scope: Scope, input: CreateOlympiadInput): Promise<OlympiadRow> {
  await requireMunicipalities(trx, [input.municipalityId]);
  if (!municipalityInScope(scope, input.municipalityId)) throw forbidden('this municipality is outside your scope');
  const venues = [...new Set(input.venueOrganizationIds ?? [])];
  await requireOrganizations(trx, venues);
  const responsible = (input.tasks ?? []).flatMap((t) => (t.responsibleId ? [t.responsibleId] : []));
  await requireEducators(trx, responsible, undefined, 'input.tasks.responsibleId');
  const [{ id }] = await trx('olympiad').insert({
    subject: input.subject, stage: input.stage, academic_year: input.academicYear, municipality_id: input.municipalityId,
    starts_on: input.startsOn, ends_on: input.endsOn, description: input.description ?? null,
  }).returning('id');
  if (venues.length) await trx('olympiad_venue').insert(venues.map((organizationId) => ({ olympiad_id: id, organization_id: organizationId })));
  if (input.tasks?.length) {
    await trx('olympiad_task').insert(input.tasks.map((t) => ({ olympiad_id: id, title: t.title, responsible_id: t.responsibleId ?? null, due_on: t.dueOn ?? null })));
  }
  return (await store.olympiadById(trx, id))!;
}

export async function completeOlympiadTask(trx: Knex, scope: Scope, id: string, doneOn: string): Promise<OlympiadTaskRow> {
  const task = await store.taskById(trx, id);
  if (!task) throw notFound('olympiad task', id);
  if (!municipalityInScope(scope, task.municipalityId)) throw forbidden('this olympiad is outside your scope');
  if (task.doneOn) throw conflict(`the task was already done on ${task.doneOn}`, 'id');
  const olympiad = (await store.olympiadById(trx, task.olympiadId))!;
  if (doneOn < `${olympiad.academicYear.slice(0, 4)}-01-01`) throw badInput('doneOn: too long before the olympiad\'s academic year', 'doneOn');
  await trx('olympiad_task').where('id', id).update({ done_on: doneOn });
  return (await store.taskById(trx, id))!;
}
