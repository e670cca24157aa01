import type { Knex } from 'knex';
import { z } from 'zod';
import { badInput, conflict, forbidden, notFound, requireMunicipalities, requireOrganizations, type Scope } from '@mms/platform';
import { requireMunicipalityWrite } from '../community';
import { date, id, text } from '../validate';

/** Data requests to organizations (tables data_request, data_request_target): inputs, SQL and the two writes. */

export interface DataRequestRow {
  id: string;
  title: string;
  description: string | null;
  municipalityId: string | null;
  organizationKind: string | null;
  dueOn: string;
  fields: string[];
  createdOn: string;
}

export interface TargetRow {
  id: string;
  requestId: string;
  organizationId: string;
  dueOn: string;
  submittedOn: string | null;
  text: string | null;
  link: string | null;
  figures: { field: string; value: number }[] | null;
}

export const dataRequestInput = z.object({
  title: text(500),
  description: text(4000).nullish(),
  municipalityId: id.nullish(),
  organizationKind: z.enum(['school', 'kindergarten', 'additional_education', 'methodological_centre', 'other']).nullish(),
  dueOn: date,
  fields: z.array(text(200)).max(20).nullish().transform((f) => f ?? [])
    .refine((f) => new Set(f).size === f.length, 'names each figure once'),
});

export const submissionInput = z.object({
  requestId: id,
  organizationId: id.nullish(),
  text: text(8000).nullish(),
  link: z.string().trim().url('is not a link').max(2000).refine((u) => /^https?:\/\//.test(u), 'must be an http(s) link').nullish(),
  figures: z.array(z.object({ field: text(200), value: z.number().finite() })).max(20).nullish().transform((f) => f ?? []),
});

const requestColumns = ['d.id', 'd.title', 'd.description', 'd.municipality_id as municipalityId', 'd.organization_kind as organizationKind',
  'd.due_on as dueOn', 'd.fields', 'd.created_on as createdOn'];
const targetColumns = ['t.id', 't.request_id as requestId', 't.organization_id as organizationId', 'd.due_on as dueOn', 't.submitted_on as submittedOn',
  't.text_value as text', 't.link', 't.figures'];

/** Targets a scope sees: the region all; a municipality its organizations'; an organization its own; an educator none. */
function whereTargetVisible(query: Knex.QueryBuilder, scope: Scope): Knex.QueryBuilder {
  switch (scope.kind) {
    case 'region':
      return query;
    case 'municipality':
      return query.whereIn('t.organization_id', (sub) => sub.select('id').from('staff_api.organization').where('municipality_id', scope.municipalityId));
    case 'organization':
      return query.where('t.organization_id', scope.organizationId);
    case 'educator':
      return query.whereRaw('false');
  }
}

/** The data requests a scope sees: those with a target it sees (a municipality: its own and the region's). */
function visibleRequests(db: Knex, scope: Scope): Knex.QueryBuilder {
  const query = db('data_request as d').select(requestColumns)
    .whereExists((sub) => whereTargetVisible(sub.select(sub.client.raw('1')).from('data_request_target as t').whereRaw('t.request_id = d.id'), scope));
  if (scope.kind === 'municipality') query.where((q) => q.whereNull('d.municipality_id').orWhere('d.municipality_id', scope.municipalityId));
  return query;
}

export function listRequests(db: Knex, scope: Scope, municipalityId: string | null, limit: number): Promise<DataRequestRow[]> {
  const query = visibleRequests(db, scope).orderBy([{ column: 'd.created_on', order: 'desc' }, { column: 'd.id' }]).limit(limit);
  if (municipalityId) query.where('d.municipality_id', municipalityId);
  return query;
}

/** Data requests by id as `dataRequests` shows them (Relay's node(id:)). */
export function requestsByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<DataRequestRow[]> {
  return visibleRequests(db, scope).whereIn('d.id', [...ids]);
}

export function targetsByRequests(db: Knex, scope: Scope, requestIds: readonly string[]): Promise<TargetRow[]> {
  return whereTargetVisible(db('data_request_target as t').join('data_request as d', 'd.id', 't.request_id').select(targetColumns)
    .whereIn('t.request_id', [...requestIds]).orderBy([{ column: 't.request_id' }, { column: 't.organization_id' }]), scope);
}

export function isLate(target: { dueOn: string; submittedOn: string | null }, day: string): boolean {
  return target.submittedOn ? target.submittedOn > target.dueOn : day > target.dueOn;
}

export async function createRequest(trx: Knex, scope: Scope, input: z.infer<typeof dataRequestInput>, day: string): Promise<DataRequestRow> {
  if (input.municipalityId) {
    requireMunicipalityWrite(scope, input.municipalityId);
    await requireMunicipalities(trx, [input.municipalityId]);
  } else if (scope.kind !== 'region') {
    throw forbidden('a data request to the whole region is region_admin\'s: name your municipality');
  }
  if (input.dueOn < day) throw badInput('dueOn must not be in the past', 'input.dueOn');
  const [row] = await trx('data_request').insert({
    title: input.title, description: input.description ?? null, municipality_id: input.municipalityId ?? null, organization_kind: input.organizationKind ?? null,
    due_on: input.dueOn, fields: input.fields, created_on: day,
  }).returning('id');
  // one target per organization of the scope, in one statement
  const organizations = trx('staff_api.organization').select(trx.raw('?::uuid', [row.id]), 'id');
  if (input.municipalityId) organizations.where('municipality_id', input.municipalityId);
  if (input.organizationKind) organizations.where('kind', input.organizationKind);
  const inserted = await trx.into(trx.raw('data_request_target (request_id, organization_id)')).insert(organizations).returning('id');
  if (!inserted.length) throw badInput('no organization of that scope and kind to ask', 'input.organizationKind');
  return trx('data_request as d').select(requestColumns).where('d.id', row.id).first();
}

export async function submit(trx: Knex, scope: Scope, input: z.infer<typeof submissionInput>, day: string): Promise<TargetRow> {
  const organizationId = input.organizationId ?? (scope.kind === 'organization' ? scope.organizationId : null);
  if (!organizationId) throw badInput('name the organization submitting', 'input.organizationId');
  if (scope.kind === 'organization' && organizationId !== scope.organizationId) throw forbidden('an organization admin submits for their organization only');
  const organization = (await requireOrganizations(trx, [organizationId])).get(organizationId)!;
  if (scope.kind === 'municipality' && organization.municipalityId !== scope.municipalityId) throw forbidden('this organization is outside your scope');
  const request = await trx('data_request as d').select(requestColumns).where('d.id', input.requestId).first() as DataRequestRow | undefined;
  if (!request) throw notFound('data request', input.requestId);
  const target = await trx('data_request_target').where({ request_id: request.id, organization_id: organizationId }).forUpdate().first();
  if (!target) throw forbidden('this data request does not ask that organization');
  if (target.submitted_on) throw conflict(`the organization already submitted on ${target.submitted_on}`, 'input.requestId');
  const given = new Map(input.figures.map((f) => [f.field, f.value]));
  const stranger = input.figures.find((f) => !request.fields.includes(f.field));
  if (stranger) throw badInput(`"${stranger.field}" is not asked`, 'input.figures');
  if (given.size !== input.figures.length) throw badInput('gives a figure twice', 'input.figures');
  const missing = request.fields.find((f) => !given.has(f));
  if (missing) throw badInput(`"${missing}" is asked and missing`, 'input.figures');
  if (!input.text && !input.link && !request.fields.length) throw badInput('submit a text or a link', 'input.text');
  await trx('data_request_target').where({ id: target.id }).update({
    submitted_on: day, text_value: input.text ?? null, link: input.link ?? null, figures: JSON.stringify(request.fields.map((field) => ({ field, value: given.get(field)! }))),
  });
  return trx('data_request_target as t').join('data_request as d', 'd.id', 't.request_id').select(targetColumns).where('t.id', target.id).first();
}
