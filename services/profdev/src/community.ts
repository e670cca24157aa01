import type { Knex } from 'knex';
import type { z } from 'zod';
import {
  badInput, conflict, forbidden, notFound, requireEducators, requireMunicipalities, requireOrganizations, translateUniqueViolation, type Scope,
} from '@mms/platform';
import { translateExclusion } from './development';
import { termsOverlap } from './rules';
import * as associations from './store/associations';
import * as people from './store/people';
import { whereEducatorInScope } from './store/scope';
import type {
  associationInput, complaintInput, councilInput, meetingInput, memberInput, mentorshipInput, planInput, publicationInput, resolveComplaintInput, supportInput,
} from './validate';

/**
 * The writes of mentoring, targeted support, method associations, the method council and complaints: one mutation
 * each, run inside the transaction they are given.
 */

/** A municipality's bodies and records are written by region_admin or that municipality's methodists. */
export function requireMunicipalityWrite(scope: Scope, municipalityId: string) {
  if (scope.kind === 'region' || (scope.kind === 'municipality' && scope.municipalityId === municipalityId)) return;
  throw forbidden('this municipality is outside your scope');
}

// ---- mentoring and support ----

/** The mentee must be in the writer's scope; the mentor may work elsewhere (municipal mentoring crosses schools). */
export async function startMentorship(trx: Knex, scope: Scope, input: z.infer<typeof mentorshipInput>) {
  await requireEducators(trx, [input.menteeId], scope, 'menteeId');
  await requireEducators(trx, [input.mentorId], undefined, 'mentorId');
  try {
    return await people.insertMentorship(trx, input);
  } catch (error) {
    throw translateExclusion(error, 'mentorship_no_overlap', 'this mentor and mentee are already paired over these days');
  }
}

export async function endMentorship(trx: Knex, scope: Scope, id: string, endedOn: string, outcome: string) {
  const mentorship = await people.findMentorship(trx, id, { forUpdate: true });
  if (!mentorship) throw notFound('mentorship', id);
  const covered = await whereEducatorInScope(trx('mentorship as m').select('m.id').where('m.id', id), scope, 'm.mentee_id');
  if (!covered.length) throw forbidden('this mentorship is outside your scope');
  if (mentorship.endedOn) throw conflict(`the mentorship already ended on ${mentorship.endedOn}`, 'id');
  if (endedOn < mentorship.startedOn) throw badInput(`endedOn must not be before the start (${mentorship.startedOn})`, 'endedOn');
  try {
    return await people.endMentorship(trx, id, endedOn, outcome);
  } catch (error) {
    throw translateExclusion(error, 'mentorship_no_overlap', 'this mentor and mentee are already paired over these days');
  }
}

export async function recordSupport(trx: Knex, scope: Scope, input: z.infer<typeof supportInput>) {
  await requireEducators(trx, [input.educatorId], scope);
  await requireEducators(trx, [input.methodistId], undefined, 'methodistId');
  return people.insertSupport(trx, input);
}

// ---- method associations ----

export async function createAssociation(trx: Knex, scope: Scope, input: z.infer<typeof associationInput>) {
  requireMunicipalityWrite(scope, input.municipalityId);
  await requireMunicipalities(trx, [input.municipalityId]);
  if (input.organizationId) {
    const organization = (await requireOrganizations(trx, [input.organizationId])).get(input.organizationId)!;
    if (organization.municipalityId !== input.municipalityId) throw badInput('the organization is not in that municipality', 'input.organizationId');
  }
  if (input.leaderId) await requireEducators(trx, [input.leaderId], scope, 'leaderId');
  return associations.insertAssociation(trx, input);
}

async function associationForWrite(trx: Knex, scope: Scope, id: string) {
  const association = await associations.lockAssociation(trx, id);
  if (!association) throw notFound('method association', id);
  requireMunicipalityWrite(scope, association.municipalityId);
  return association;
}

export async function addMember(trx: Knex, scope: Scope, input: z.infer<typeof memberInput>) {
  await associationForWrite(trx, scope, input.associationId);
  await requireEducators(trx, [input.educatorId], scope);
  const terms = await associations.membershipTerms(trx, input.associationId, [input.educatorId]);
  const clash = terms.find((t) => termsOverlap({ from: t.joinedOn, to: t.leftOn }, { from: input.joinedOn, to: input.leftOn ?? null }));
  if (clash) throw conflict(`the educator is already a member from ${clash.joinedOn}${clash.leftOn ? ` to ${clash.leftOn}` : ''}: terms may not overlap`);
  return associations.insertMember(trx, input);
}

export async function endMember(trx: Knex, scope: Scope, id: string, leftOn: string) {
  const member = await associations.findMember(trx, id);
  if (!member) throw notFound('association membership', id);
  await associationForWrite(trx, scope, member.associationId);
  if (member.leftOn) throw conflict(`the membership already ended on ${member.leftOn}`, 'id');
  if (leftOn < member.joinedOn) throw badInput(`leftOn must not be before joining (${member.joinedOn})`, 'leftOn');
  const later = (await associations.membershipTerms(trx, member.associationId, [member.educatorId])).filter((t) => t.id !== id && t.joinedOn > member.joinedOn);
  if (later.some((t) => t.joinedOn <= leftOn)) throw conflict('a later term of the same member begins before that day');
  return associations.endMember(trx, id, leftOn);
}

export async function createPlan(trx: Knex, scope: Scope, input: z.infer<typeof planInput>) {
  await associationForWrite(trx, scope, input.associationId);
  return translateUniqueViolation(() => associations.insertPlan(trx, input), {
    association_plan_association_id_academic_year_key: ['the association already has a plan for this academic year', 'input.academicYear'],
  });
}

export async function adoptPlan(trx: Knex, scope: Scope, id: string, adoptedOn: string) {
  const plan = await associations.findPlan(trx, id);
  if (!plan) throw notFound('association plan', id);
  await associationForWrite(trx, scope, plan.associationId);
  if (plan.isAdopted) throw conflict(`the plan was already adopted on ${plan.adoptedOn}`, 'id');
  return associations.adoptPlan(trx, id, adoptedOn);
}

export async function markPlanItemDone(trx: Knex, scope: Scope, id: string, doneOn: string) {
  const item = await associations.findPlanItem(trx, id);
  if (!item) throw notFound('plan item', id);
  const plan = (await associations.findPlan(trx, item.planId))!;
  await associationForWrite(trx, scope, plan.associationId);
  if (item.doneOn) throw conflict(`the item was already carried out on ${item.doneOn}`, 'id');
  return associations.markPlanItemDone(trx, id, doneOn);
}

export async function recordPublication(trx: Knex, scope: Scope, input: z.infer<typeof publicationInput>) {
  await associationForWrite(trx, scope, input.associationId);
  return associations.insertPublication(trx, input);
}

// ---- method council ----

export async function createCouncil(trx: Knex, scope: Scope, input: z.infer<typeof councilInput>) {
  requireMunicipalityWrite(scope, input.municipalityId);
  await requireMunicipalities(trx, [input.municipalityId]);
  return associations.insertCouncil(trx, input);
}

export async function recordMeeting(trx: Knex, scope: Scope, input: z.infer<typeof meetingInput>) {
  const council = await associations.findCouncil(trx, input.councilId);
  if (!council) throw notFound('method council', input.councilId);
  requireMunicipalityWrite(scope, council.municipalityId);
  return associations.insertMeeting(trx, input);
}

// ---- complaints ----

export async function recordComplaint(trx: Knex, scope: Scope, input: z.infer<typeof complaintInput>) {
  requireMunicipalityWrite(scope, input.municipalityId);
  await requireMunicipalities(trx, [input.municipalityId]);
  if (input.organizationId) {
    const organization = (await requireOrganizations(trx, [input.organizationId])).get(input.organizationId)!;
    if (organization.municipalityId !== input.municipalityId) throw badInput('the organization is not in that municipality', 'input.organizationId');
  }
  if (input.educatorId) await requireEducators(trx, [input.educatorId], scope);
  return associations.insertComplaint(trx, input);
}

export async function resolveComplaint(trx: Knex, scope: Scope, id: string, input: z.infer<typeof resolveComplaintInput>) {
  const complaint = await associations.findComplaint(trx, id, { forUpdate: true });
  if (!complaint) throw notFound('complaint', id);
  requireMunicipalityWrite(scope, complaint.municipalityId);
  if (complaint.resolvedOn) throw conflict(`the complaint was already resolved on ${complaint.resolvedOn}`, 'id');
  if (input.resolvedOn < complaint.receivedOn) throw badInput(`resolvedOn must not be before it was received (${complaint.receivedOn})`, 'input.resolvedOn');
  return associations.resolveComplaint(trx, id, input);
}
