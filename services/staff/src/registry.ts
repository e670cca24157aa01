import type { Knex } from 'knex';
import { badInput, conflict, forbidden, notFound, type Scope } from '@mms/platform';
import { employmentConflict } from './rules';
import * as educators from './store/educators';
import * as employments from './store/employments';
import * as municipalities from './store/municipalities';
import * as organizations from './store/organizations';
import { organizationInScope } from './store/scope';
import type { EducatorInput, EducatorPatch, EmploymentFields, OrganizationInput, OrganizationPatch, StartEmploymentInput } from './validate';

/**
 * The registry's writes. Each function is one mutation and runs inside the transaction it is given, so that an error
 * thrown at any step leaves the data as it was.
 */

export async function createOrganization(trx: Knex, scope: Scope, input: OrganizationInput) {
  await assertMunicipalityExists(trx, input.municipalityId);
  if (!organizationInScope(scope, { id: '', municipalityId: input.municipalityId })) {
    throw forbidden('you may create organizations only in your own municipality');
  }
  return organizations.createOrganization(trx, input);
}

export async function updateOrganization(trx: Knex, scope: Scope, id: string, patch: OrganizationPatch) {
  const organization = await organizations.findOrganization(trx, id, { forUpdate: true });
  if (!organization) throw notFound('Organization', id);
  if (!organizationInScope(scope, organization) || scope.kind === 'organization') {
    throw forbidden('you may change only the organizations of your own municipality');
  }
  return organizations.updateOrganization(trx, id, patch);
}

export async function createEducator(trx: Knex, scope: Scope, input: EducatorInput) {
  const { employment, ...person } = input;
  if (!employment && scope.kind !== 'region') {
    throw forbidden('hire the educator in the same step (input.employment): without an employment in your scope you could not see them');
  }
  if (employment) await assertOrganizationWritable(trx, scope, employment.organizationId);
  if (await educators.findEducator(trx, { snils: person.snils })) {
    throw conflict('an educator with this SNILS is already registered: hire them with startEmployment(input: { educatorSnils })', 'input.snils');
  }
  const educator = await educators.insertEducator(trx, person);
  if (employment) await employments.insertEmployment(trx, educator.id, employment);
  return educator;
}

export async function updateEducator(trx: Knex, scope: Scope, id: string, patch: EducatorPatch) {
  const educator = await educators.findEducator(trx, { id }, { forUpdate: true });
  if (!educator) throw notFound('Educator', id);
  if (!(await educators.isEducatorInScope(trx, scope, id))) throw forbidden('this educator is outside your scope');
  if (patch.snils && patch.snils !== educator.snils && (await educators.findEducator(trx, { snils: patch.snils }))) {
    throw conflict('an educator with this SNILS is already registered', 'input.snils');
  }
  return educators.updateEducator(trx, id, patch);
}

export async function startEmployment(trx: Knex, scope: Scope, input: StartEmploymentInput) {
  const { educatorId, educatorSnils, ...employment } = input;
  await assertOrganizationWritable(trx, scope, employment.organizationId);
  // Locking the educator serialises concurrent hires of the same person, so the overlap rules below hold.
  const educator = educatorId
    ? await educators.findEducator(trx, { id: educatorId }, { forUpdate: true })
    : await educators.findEducator(trx, { snils: educatorSnils! }, { forUpdate: true });
  if (!educator) throw educatorId ? notFound('Educator', educatorId) : notFound('Educator with SNILS', educatorSnils!);
  // By id, only an educator already in scope; by SNILS (the person's own document in hand), anyone.
  if (educatorId && !(await educators.isEducatorInScope(trx, scope, educatorId))) {
    throw forbidden('this educator is outside your scope: hire them by SNILS (input.educatorSnils)');
  }
  await assertNoEmploymentConflict(trx, educator.id, employment);
  return employments.insertEmployment(trx, educator.id, employment);
}

export async function endEmployment(trx: Knex, scope: Scope, id: string, endedOn: string) {
  const employment = await employments.findEmployment(trx, id, { forUpdate: true });
  if (!employment) throw notFound('Employment', id);
  await assertOrganizationWritable(trx, scope, employment.organizationId);
  if (employment.endedOn !== null) throw conflict(`this employment already ended on ${employment.endedOn}`);
  if (endedOn < employment.startedOn) throw badInput(`endedOn must not be before the employment started (${employment.startedOn})`, 'args.endedOn');
  return employments.setEmploymentEnd(trx, id, endedOn);
}

async function assertNoEmploymentConflict(trx: Knex, educatorId: string, employment: EmploymentFields) {
  const overlapping = await employments.overlappingEmployments(trx, educatorId, employment.startedOn, employment.endedOn);
  const reason = employmentConflict(overlapping, employment);
  if (reason) throw conflict(reason);
}

async function assertOrganizationWritable(trx: Knex, scope: Scope, organizationId: string) {
  const organization = await organizations.findOrganization(trx, organizationId);
  if (!organization) throw notFound('Organization', organizationId);
  if (!organizationInScope(scope, organization)) throw forbidden('this organization is outside your scope');
}

async function assertMunicipalityExists(trx: Knex, municipalityId: string) {
  if ((await municipalities.municipalitiesByIds(trx, [municipalityId])).length === 0) throw notFound('Municipality', municipalityId);
}
