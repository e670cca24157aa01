import type { Knex } from 'knex';
import { keysetPage, likePattern, translateUniqueViolation, type PageRequest } from '@mms/platform';
import type { OrganizationInput, OrganizationPatch } from '../validate';

export interface OrganizationRow {
  id: string;
  municipalityId: string;
  name: string;
  shortName: string | null;
  kind: string;
  inn: string | null;
  code: string | null;
  address: string | null;
}

const columns = ['o.id', 'o.municipality_id as municipalityId', 'o.name', 'o.short_name as shortName', 'o.kind', 'o.inn', 'o.code', 'o.address'];
const innTaken: Record<string, [string, string]> = {
  organization_inn_key: ['an organization with this INN is already registered', 'input.inn'],
  organization_municipality_code: ['an organization of this municipality already has this code', 'input.code'],
};

export interface OrganizationFilter {
  municipalityId?: string | null;
  kind?: string | null;
  nameContains?: string | null;
}

function filtered(db: Knex, filter: OrganizationFilter): Knex.QueryBuilder {
  const query = db('organization as o');
  if (filter.municipalityId) query.where('o.municipality_id', filter.municipalityId);
  if (filter.kind) query.where('o.kind', filter.kind);
  if (filter.nameContains?.trim()) {
    const pattern = likePattern(filter.nameContains.trim());
    query.where((q) => q.whereILike('o.name', pattern).orWhereILike('o.short_name', pattern));
  }
  return query;
}

/** Organizations by name, a page at a time; the cursor is (name, id). */
export async function listOrganizations(db: Knex, filter: OrganizationFilter, page: PageRequest): Promise<OrganizationRow[]> {
  return keysetPage(filtered(db, filter).select(columns), page, ['o.name', 'o.id'], { casts: [null, 'uuid'] });
}

export async function countOrganizations(db: Knex, filter: OrganizationFilter): Promise<number> {
  const [{ count }] = await filtered(db, filter).count({ count: '*' });
  return Number(count);
}

export const organizationCursor = (row: OrganizationRow) => [row.name, row.id];

export async function organizationsByIds(db: Knex, ids: readonly string[]): Promise<OrganizationRow[]> {
  return db('organization as o').select(columns).whereIn('o.id', ids);
}

export async function organizationsByMunicipalities(db: Knex, municipalityIds: readonly string[], kind: string | null | undefined): Promise<OrganizationRow[]> {
  const query = db('organization as o').select(columns).whereIn('o.municipality_id', municipalityIds).orderBy(['o.name', 'o.id']);
  if (kind) query.where('o.kind', kind);
  return query;
}

export async function findOrganization(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<OrganizationRow | undefined> {
  const query = db('organization as o').select(columns).where('o.id', id).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

export async function createOrganization(db: Knex, input: OrganizationInput): Promise<OrganizationRow> {
  const [{ id }] = await translateUniqueViolation(() => db('organization').insert({
    municipality_id: input.municipalityId, name: input.name, short_name: input.shortName ?? null,
    kind: input.kind, inn: input.inn ?? null, code: input.code ?? null, address: input.address ?? null,
  }).returning('id'), innTaken);
  return (await findOrganization(db, id))!;
}

export async function updateOrganization(db: Knex, id: string, patch: OrganizationPatch): Promise<OrganizationRow> {
  const changes = definedOnly({ name: patch.name, short_name: patch.shortName, kind: patch.kind, inn: patch.inn, code: patch.code, address: patch.address });
  await translateUniqueViolation(() => db('organization').where({ id }).update({ ...changes, updated_at: db.fn.now() }), innTaken);
  return (await findOrganization(db, id))!;
}

/** Keeps the keys a patch gave (null included: it clears the field), drops the ones it did not. */
export function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
