import type { Knex } from 'knex';
import {
  badInput, conflict, forbidden, notFound, organizationInScope, requireEducators, requireMunicipalities, requireOrganizations, type Scope, type Viewer,
} from '@mms/platform';
import { requireMunicipalityWrite } from '../community';
import { ownerSql } from '../store/scope';
import { dueOn, mayMove, type HelpRequestKind, type HelpRequestStatus, type Transition } from './rules';
import * as store from './store';
import type { FileHelpRequestInput, SessionInput } from './validate';

/** The writes of requests for help and support sessions: one mutation each, inside the transaction they are given. */

/** Files a request: the requester follows from the caller (an educator, an organization admin) or is named by the service. */
export async function fileRequest(trx: Knex, viewer: Viewer, scope: Scope, input: FileHelpRequestInput, day: string) {
  const filedOn = input.filedOn ?? day;
  if (filedOn > day) throw badInput('filedOn must not be in the future', 'input.filedOn');
  let requester: { requester_kind: string; requester_educator_id?: string; requester_organization_id?: string; requester_association_id?: string; requester_name?: string; requester_contact?: string };
  let municipalityId = input.municipalityId ?? null;
  if (input.associationId) {
    // an association's leader files on its behalf; the service may record such a request too
    const association = await store.associationForRequest(trx, input.associationId);
    if (!association) throw notFound('method association', input.associationId);
    if (scope.kind === 'educator' && association.leaderId !== scope.educatorId) throw forbidden('only the association\'s leader files requests on its behalf');
    if (scope.kind === 'organization') throw forbidden('an organization admin files requests for their organization only');
    if (scope.kind === 'municipality') requireMunicipalityWrite(scope, association.municipalityId);
    if (municipalityId && municipalityId !== association.municipalityId) throw badInput('the association is of another municipality', 'input.municipalityId');
    municipalityId = association.municipalityId;
    requester = { requester_kind: 'association', requester_association_id: association.id };
  } else if (scope.kind === 'educator') {
    if (input.organizationId || input.outsider || (input.educatorId && input.educatorId !== scope.educatorId)) {
      throw forbidden('an educator files requests for themself only');
    }
    requester = { requester_kind: 'educator', requester_educator_id: scope.educatorId };
  } else if (scope.kind === 'organization') {
    if (input.educatorId || input.outsider || (input.organizationId && input.organizationId !== scope.organizationId)) {
      throw forbidden('an organization admin files requests for their organization only');
    }
    requester = { requester_kind: 'organization', requester_organization_id: scope.organizationId };
  } else if (input.educatorId) {
    await requireEducators(trx, [input.educatorId], scope, 'input.educatorId');
    requester = { requester_kind: 'educator', requester_educator_id: input.educatorId };
  } else if (input.organizationId) {
    requester = { requester_kind: 'organization', requester_organization_id: input.organizationId };
  } else if (input.outsider) {
    requester = { requester_kind: 'outsider', requester_name: input.outsider.name, requester_contact: input.outsider.contact };
  } else {
    throw badInput('name the requester: educatorId, organizationId or outsider', 'input.outsider');
  }

  if (requester.requester_organization_id) {
    const organization = (await requireOrganizations(trx, [requester.requester_organization_id])).get(requester.requester_organization_id)!;
    if (!organizationInScope(scope, organization)) throw forbidden('this organization is outside your scope');
    if (municipalityId && municipalityId !== organization.municipalityId) throw badInput('the organization is not in that municipality', 'input.municipalityId');
    municipalityId = organization.municipalityId;
  } else if (requester.requester_educator_id) {
    const where = await store.municipalitiesOf(trx, requester.requester_educator_id, filedOn);
    if (municipalityId && !where.includes(municipalityId)) throw badInput('the educator is not employed in that municipality', 'input.municipalityId');
    if (!municipalityId && where.length !== 1) {
      throw badInput(where.length ? 'the educator works in several municipalities: name one' : 'the educator is employed nowhere that day: name the municipality', 'input.municipalityId');
    }
    municipalityId ??= where[0];
  }
  if (!municipalityId) {
    if (scope.kind === 'municipality') municipalityId = scope.municipalityId;
    else throw badInput('name the municipality whose service is asked', 'input.municipalityId');
  }
  // a municipality's service records requests to its own service only
  if (scope.kind === 'municipality') requireMunicipalityWrite(scope, municipalityId);
  await requireMunicipalities(trx, [municipalityId]);
  return store.insertRequest(trx, {
    ...requester, municipality_id: municipalityId, topic: input.topic, subject_area: input.subjectArea ?? null, kind: input.kind,
    filed_on: filedOn, due_on: dueOn(filedOn, input.kind as HelpRequestKind),
  });
}

/** The request, locked, for a transition by the service of its municipality. */
async function requestForHandling(trx: Knex, scope: Scope, id: string, transition: Transition) {
  const request = await store.findRequest(trx, id, { forUpdate: true });
  if (!request) throw notFound('help request', id);
  requireMunicipalityWrite(scope, request.municipalityId);
  requireTransition(request, transition);
  return request;
}

function requireTransition(request: store.HelpRequestRow, transition: Transition) {
  if (!mayMove(transition, request.status as HelpRequestStatus)) {
    throw conflict(`a request that is ${request.status.replace('_', ' ')} cannot be ${{ assign: 'assigned', start: 'started', answer: 'answered', close: 'closed', decline: 'declined', rate: 'rated' }[transition]}`, 'id');
  }
}

export async function assign(trx: Knex, scope: Scope, id: string, methodistId: string, day: string) {
  const request = await requestForHandling(trx, scope, id, 'assign');
  await requireEducators(trx, [methodistId], undefined, 'methodistId');
  if (!(await store.employedIn(trx, methodistId, request.municipalityId, day))) {
    throw badInput('the methodist is not employed in the municipality of the request', 'methodistId');
  }
  return store.updateRequest(trx, id, { methodist_id: methodistId, assigned_on: day, status: 'assigned' });
}

export async function start(trx: Knex, scope: Scope, id: string) {
  await requestForHandling(trx, scope, id, 'start');
  return store.updateRequest(trx, id, { status: 'in_progress' });
}

export async function answer(trx: Knex, scope: Scope, input: { id: string; answer: string; answeredOn?: string | null; supportIds: string[]; supportSessionIds: string[] }, day: string) {
  const request = await requestForHandling(trx, scope, input.id, 'answer');
  const answeredOn = input.answeredOn ?? day;
  if (answeredOn < request.filedOn) throw badInput(`answeredOn must not be before the request was filed (${request.filedOn})`, 'input.answeredOn');
  if (answeredOn > day) throw badInput('answeredOn must not be in the future', 'input.answeredOn');
  if (input.supportIds.length) {
    const found = await store.supportRows(trx, input.supportIds);
    const missing = input.supportIds.find((sid) => !found.some((row) => row.id === sid));
    if (missing) throw notFound('support record', missing);
    await requireEducators(trx, found.map((row) => row.educatorId), scope, 'input.supportIds');
  }
  if (input.supportSessionIds.length) {
    const sessions = await store.sessionsForLink(trx, input.supportSessionIds);
    const missing = input.supportSessionIds.find((sid) => !sessions.some((row) => row.id === sid));
    if (missing) throw notFound('support session', missing);
    const foreign = sessions.find((s) => s.municipalityId !== request.municipalityId);
    if (foreign) throw badInput(`support session ${foreign.id} was given by another municipality's service`, 'input.supportSessionIds');
    const taken = sessions.find((s) => s.helpRequestId && s.helpRequestId !== request.id);
    if (taken) throw conflict(`support session ${taken.id} already answers another request`, 'input.supportSessionIds');
  }
  await store.linkSupport(trx, request.id, input.supportIds);
  await store.linkSessions(trx, request.id, input.supportSessionIds);
  return store.updateRequest(trx, request.id, { status: 'answered', answer: input.answer, answered_on: answeredOn });
}

/** Whether the viewer is the request's requester: the educator who asked, an admin of the organization that asked, the leader of the association that asked. */
async function isRequester(trx: Knex, viewer: Viewer, request: store.HelpRequestRow): Promise<boolean> {
  if (viewer.role === 'educator' && request.requesterAssociationId) {
    // an association's request: whoever leads it now
    return (await store.associationForRequest(trx, request.requesterAssociationId))?.leaderId === viewer.educatorId;
  }
  if (viewer.role === 'educator') return request.requesterEducatorId !== null && request.requesterEducatorId === viewer.educatorId;
  if (viewer.role === 'organization_admin') return request.requesterOrganizationId !== null && request.requesterOrganizationId === viewer.organizationId;
  return false;
}

/** Closed by the service of its municipality or by the requester. */
export async function close(trx: Knex, viewer: Viewer, scope: Scope, id: string, day: string) {
  const request = await store.findRequest(trx, id, { forUpdate: true });
  if (!request) throw notFound('help request', id);
  if (!(await isRequester(trx, viewer, request))) requireMunicipalityWrite(scope, request.municipalityId);
  requireTransition(request, 'close');
  if (day < request.answeredOn!) throw badInput(`on must not be before the answer (${request.answeredOn})`, 'on');
  return store.updateRequest(trx, id, { status: 'closed', closed_on: day });
}

export async function decline(trx: Knex, scope: Scope, id: string, reason: string, day: string) {
  const request = await requestForHandling(trx, scope, id, 'decline');
  if (day < request.filedOn) throw badInput(`on must not be before the request was filed (${request.filedOn})`, 'on');
  return store.updateRequest(trx, id, { status: 'declined', decline_reason: reason, declined_on: day });
}

/** Only the requester rates, once, an answered or closed request. */
export async function rate(trx: Knex, viewer: Viewer, id: string, rating: number, day: string) {
  const request = await store.findRequest(trx, id, { forUpdate: true });
  if (!request) throw notFound('help request', id);
  if (!(await isRequester(trx, viewer, request))) throw forbidden('only the requester rates the help');
  if (request.rating !== null) throw conflict(`the help was already rated on ${request.ratedOn}`, 'id');
  requireTransition(request, 'rate');
  return store.updateRequest(trx, id, { rating, rated_on: day });
}

// ---- support sessions ----

export async function recordSession(trx: Knex, scope: Scope, input: SessionInput) {
  let municipalityId = input.municipalityId ?? null;
  if (input.organizationId) {
    const organization = (await requireOrganizations(trx, [input.organizationId])).get(input.organizationId)!;
    if (municipalityId && municipalityId !== organization.municipalityId) throw badInput('the organization is not in that municipality', 'input.organizationId');
    municipalityId = organization.municipalityId;
  }
  if (!municipalityId && scope.kind === 'municipality') municipalityId = scope.municipalityId;
  if (!municipalityId) throw badInput('name the municipality whose service gave it', 'input.municipalityId');
  requireMunicipalityWrite(scope, municipalityId);
  await requireMunicipalities(trx, [municipalityId]);
  await requireEducators(trx, [input.methodistId], undefined, 'input.methodistId');
  await requireEducators(trx, input.participantIds, scope, 'input.participantIds');
  if (input.helpRequestId) {
    const request = await store.findRequest(trx, input.helpRequestId, { forUpdate: true });
    if (!request) throw notFound('help request', input.helpRequestId);
    if (request.municipalityId !== municipalityId) throw badInput('the request was made to another municipality\'s service', 'input.helpRequestId');
    if (request.status === 'declined' || request.status === 'closed') throw conflict(`the request is ${request.status}`, 'input.helpRequestId');
  }
  if (input.routeItemId) {
    const item = await trx('route_item as i').join('development_route as r', 'r.id', 'i.route_id').where('i.id', input.routeItemId)
      .select(trx.raw(`${ownerSql('r.educator_id')} as "educatorId"`)).first();
    if (!item) throw notFound('route item', input.routeItemId);
    await requireEducators(trx, [item.educatorId], scope, 'input.routeItemId');
  }
  if (input.associationId) {
    const association = await trx('method_association').where('id', input.associationId).select('municipality_id as municipalityId').first();
    if (!association) throw notFound('method association', input.associationId);
    if (association.municipalityId !== municipalityId) throw badInput('the association is of another municipality', 'input.associationId');
  }
  return store.insertSession(trx, {
    municipality_id: municipalityId, methodist_id: input.methodistId, held_on: input.heldOn, form: input.form, topic: input.topic,
    organization_id: input.organizationId ?? null, others_count: input.othersCount, help_request_id: input.helpRequestId ?? null,
    route_item_id: input.routeItemId ?? null, association_id: input.associationId ?? null,
  }, input.participantIds);
}
