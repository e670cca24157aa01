import type { Knex } from 'knex';
import { badInput, conflict, forbidden, notFound, organizationInScope, requireEducators, requireOrganizations, today, type Scope } from '@mms/platform';
import { findItem, findRoute } from '../store/routes';
import * as store from './store';

/** The writes of internships, each inside its mutation's one transaction. */

export interface InternshipInput {
  organizationId: string;
  programTitle: string;
  form: 'individual' | 'team';
  teamOrganizationId?: string | null;
  startsOn: string;
  endsOn: string;
  participantIds: string[];
}

export async function createInternship(trx: Knex, scope: Scope, input: InternshipInput) {
  const ids = [input.organizationId, ...(input.teamOrganizationId ? [input.teamOrganizationId] : [])];
  const organizations = await requireOrganizations(trx, ids);
  const site = organizations.get(input.organizationId)!;
  if (scope.kind !== 'region' && !(scope.kind === 'municipality' && scope.municipalityId === site.municipalityId)) {
    throw forbidden('internships are recorded by the methodists of the site\'s municipality');
  }
  if (input.teamOrganizationId && !organizationInScope(scope, organizations.get(input.teamOrganizationId)!)) {
    throw forbidden('the team\'s school is outside the writer\'s scope');
  }
  if (!await store.isSiteThroughout(trx, input.organizationId, input.startsOn, input.endsOn)) {
    throw badInput(`the organization is not an internship site for every day from ${input.startsOn} to ${input.endsOn}`, 'input.organizationId');
  }
  const participants = [...new Set(input.participantIds)];
  await requireEducators(trx, participants, scope, 'input.participantIds');
  return store.insertInternship(trx, { ...input, municipalityId: site.municipalityId, teamOrganizationId: input.teamOrganizationId ?? null }, participants);
}

export async function recordOutcome(trx: Knex, scope: Scope, id: string, completedOn: string, outcome: string) {
  const internship = await store.findInternship(trx, id);
  if (!internship) throw notFound('internship', id);
  if (scope.kind !== 'region' && !(scope.kind === 'municipality' && scope.municipalityId === internship.municipalityId)) {
    throw forbidden('internships are recorded by the methodists of the site\'s municipality');
  }
  if (internship.completedOn) throw conflict('the outcome of this internship is already recorded', 'id');
  if (completedOn < internship.startsOn) throw badInput('an internship ends on or after its first day', 'completedOn');
  if (completedOn > today('Asia/Kamchatka')) throw badInput('completedOn must not be in the future', 'completedOn');
  await store.setOutcome(trx, id, completedOn, outcome);
  return id;
}

export async function linkRouteItem(trx: Knex, scope: Scope, itemId: string, internshipId: string) {
  const item = await findItem(trx, itemId);
  if (!item) throw notFound('route item', itemId);
  const route = (await findRoute(trx, item.routeId))!;
  await requireEducators(trx, [route.educatorId], scope, 'itemId');
  if (item.activityKind !== 'internship') throw badInput('only an item of kind INTERNSHIP is carried out as an internship', 'itemId');
  if (item.isDropped) throw conflict('the item was dropped', 'itemId');
  const internship = await store.findInternship(trx, internshipId);
  if (!internship) throw notFound('internship', internshipId);
  if (!(await store.participantIds(trx, internshipId)).includes(route.educatorId)) {
    throw badInput('the route\'s educator does not take part in this internship', 'internshipId');
  }
  await store.linkItem(trx, itemId, internshipId);
  return findItem(trx, itemId).then((row) => row!);
}
