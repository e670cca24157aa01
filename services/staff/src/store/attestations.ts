import type { Knex } from 'knex';
import { translateUniqueViolation, type PersonOrder, type Scope } from '@mms/platform';
import { whereEducatorInScope } from './scope';

/**
 * Category awards and attestation requests: SQL of tables category_award and attestation.
 * (Row types are the contract with the resolvers and the generated types; queries follow.)
 */

export interface CategoryAwardRow {
  id: string;
  educatorId: string;
  category: string;
  position: string;
  awardedOn: string;
  validUntil: string;
  orderNumber: string;
  orderDate: string;
  attestationId: string | null;
}

export interface AttestationRow {
  id: string;
  educatorId: string;
  requestedCategory: string;
  position: string;
  filedOn: string;
  stage: string;
  reviewStartedOn: string | null;
  outcome: string | null;
  decidedOn: string | null;
}

export interface AttestationDueRow {
  educatorId: string;
  expiringAward: CategoryAwardRow;
  dueOn: string;
  openAttestation: AttestationRow | null;
}

const awardColumns = (alias: string, prefix = '') => [
  `${alias}.id as ${prefix}id`, `${alias}.educator_id as ${prefix}educatorId`, `${alias}.category as ${prefix}category`,
  `${alias}.position as ${prefix}position`, `${alias}.awarded_on as ${prefix}awardedOn`, `${alias}.valid_until as ${prefix}validUntil`,
  `${alias}.order_number as ${prefix}orderNumber`, `${alias}.order_date as ${prefix}orderDate`, `${alias}.attestation_id as ${prefix}attestationId`,
];
const attestationColumns = (alias: string, prefix = '') => [
  `${alias}.id as ${prefix}id`, `${alias}.educator_id as ${prefix}educatorId`, `${alias}.requested_category as ${prefix}requestedCategory`,
  `${alias}.position as ${prefix}position`, `${alias}.filed_on as ${prefix}filedOn`, `${alias}.stage as ${prefix}stage`,
  `${alias}.review_started_on as ${prefix}reviewStartedOn`, `${alias}.outcome as ${prefix}outcome`, `${alias}.decided_on as ${prefix}decidedOn`,
];

/** The rule "at most one open request per educator" is the partial unique index; a race past the check lands here. */
const openRequestTaken: Record<string, [string, string]> = {
  attestation_one_open: ['the educator already has an open attestation request: decide it before filing another', 'input.educatorId'],
};

// ---- category awards ------------------------------------------------------------------------------------------

/** Every award of the given educators, latest first (the educators were already checked against the scope). */
export async function categoryAwardsByEducators(db: Knex, educatorIds: readonly string[]): Promise<CategoryAwardRow[]> {
  return db('category_award as a').select(awardColumns('a')).whereIn('a.educator_id', educatorIds)
    .orderBy([{ column: 'a.awarded_on', order: 'desc' }, { column: 'a.created_at', order: 'desc' }, { column: 'a.id' }]);
}

/** The awards the given attestations produced (at most one each). */
export async function categoryAwardsByAttestations(db: Knex, attestationIds: readonly string[]): Promise<CategoryAwardRow[]> {
  return db('category_award as a').select(awardColumns('a')).whereIn('a.attestation_id', attestationIds);
}

export async function findCategoryAward(db: Knex, id: string): Promise<CategoryAwardRow | undefined> {
  return db('category_award as a').select(awardColumns('a')).where('a.id', id).first();
}

/** Category awards by id, in one statement (Relay's node(id:)). */
export async function categoryAwardsByIds(db: Knex, ids: readonly string[]): Promise<CategoryAwardRow[]> {
  return db('category_award as a').select(awardColumns('a')).whereIn('a.id', ids);
}

export interface NewCategoryAward {
  educatorId: string;
  category: string;
  position: string;
  awardedOn: string;
  validUntil: string;
  orderNumber: string;
  orderDate: string;
  attestationId?: string | null;
}

export async function insertCategoryAward(db: Knex, award: NewCategoryAward): Promise<CategoryAwardRow> {
  const [{ id }] = await db('category_award').insert({
    educator_id: award.educatorId, category: award.category, position: award.position, awarded_on: award.awardedOn,
    valid_until: award.validUntil, order_number: award.orderNumber, order_date: award.orderDate,
    attestation_id: award.attestationId ?? null,
  }).returning('id');
  return (await findCategoryAward(db, id))!;
}

// ---- attestation requests -------------------------------------------------------------------------------------

/** Every request of the given educators, latest first. */
export async function attestationsByEducators(db: Knex, educatorIds: readonly string[]): Promise<AttestationRow[]> {
  return db('attestation as t').select(attestationColumns('t')).whereIn('t.educator_id', educatorIds)
    .orderBy([{ column: 't.filed_on', order: 'desc' }, { column: 't.created_at', order: 'desc' }, { column: 't.id' }]);
}

export async function attestationsByIds(db: Knex, ids: readonly string[]): Promise<AttestationRow[]> {
  return db('attestation as t').select(attestationColumns('t')).whereIn('t.id', ids);
}

export async function findAttestation(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<AttestationRow | undefined> {
  const query = db('attestation as t').select(attestationColumns('t')).where('t.id', id).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

/** The educator's request not yet decided, if any (there is at most one). */
export async function findOpenAttestation(db: Knex, educatorId: string): Promise<AttestationRow | undefined> {
  return db('attestation as t').select(attestationColumns('t')).where('t.educator_id', educatorId).whereNot('t.stage', 'decided').first();
}

export async function insertAttestation(db: Knex, request: { educatorId: string; requestedCategory: string; position: string; filedOn: string }): Promise<AttestationRow> {
  const [{ id }] = await translateUniqueViolation(() => db('attestation').insert({
    educator_id: request.educatorId, requested_category: request.requestedCategory, position: request.position, filed_on: request.filedOn,
  }).returning('id'), openRequestTaken);
  return (await findAttestation(db, id))!;
}

export async function setAttestationUnderReview(db: Knex, id: string, startedOn: string): Promise<AttestationRow> {
  await db('attestation').where({ id }).update({ stage: 'under_review', review_started_on: startedOn, updated_at: db.fn.now() });
  return (await findAttestation(db, id))!;
}

export async function setAttestationDecided(db: Knex, id: string, outcome: string, decidedOn: string): Promise<AttestationRow> {
  await db('attestation').where({ id }).update({ stage: 'decided', outcome, decided_on: decidedOn, updated_at: db.fn.now() });
  return (await findAttestation(db, id))!;
}

// ---- who is due -----------------------------------------------------------------------------------------------

export interface DueFilter {
  /** Employed on `day` in this municipality / organization (intersected with the caller's scope). */
  municipalityId?: string | null;
  organizationId?: string | null;
  /** The day employment is judged on: today. */
  day: string;
  /** Awards whose last valid day is strictly before this day are due. */
  before: string;
}

/**
 * Who must be attested, in one statement: the educators of the scope employed on `day` (in the caller's own
 * municipality or organization, and in the asked one when given); for each, the award that lasts longest (largest
 * valid_until); those whose award ends before `before`, soonest first then by name (by id for a caller who may not
 * read names), with the open request if any.
 */
export async function attestationsDue(db: Knex, scope: Scope, filter: DueFilter, order: PersonOrder): Promise<AttestationDueRow[]> {
  const employed = db('employment as m').select(db.raw('1')).whereRaw('m.educator_id = e.id')
    .where('m.started_on', '<=', filter.day).where((q) => q.whereNull('m.ended_on').orWhere('m.ended_on', '>=', filter.day));
  const inMunicipality = (municipalityId: string) => db('organization').select('id').where('municipality_id', municipalityId);
  // Employed today where the caller works from: someone who once worked here and has moved on is another's to support.
  if (scope.kind === 'municipality') employed.whereIn('m.organization_id', inMunicipality(scope.municipalityId));
  if (scope.kind === 'organization') employed.where('m.organization_id', scope.organizationId);
  if (filter.municipalityId) employed.whereIn('m.organization_id', inMunicipality(filter.municipalityId));
  if (filter.organizationId) employed.where('m.organization_id', filter.organizationId);
  const educators = whereEducatorInScope(db('educator as e').select('e.id'), scope, 'e.id').whereExists(employed);

  const latest = db('category_award as a').distinctOn('a.educator_id').select('a.*').whereIn('a.educator_id', educators)
    .orderBy([{ column: 'a.educator_id' }, { column: 'a.valid_until', order: 'desc' }, { column: 'a.awarded_on', order: 'desc' }, { column: 'a.id' }]);

  const rows: Record<string, string | null>[] = await db.with('latest', latest)
    .select([...awardColumns('l', 'award_'), ...attestationColumns('t', 'open_')])
    .from('latest as l')
    .join('educator as e', 'e.id', 'l.educator_id')
    .leftJoin('attestation as t', (on) => on.on('t.educator_id', 'l.educator_id').andOnVal('t.stage', '<>', 'decided'))
    .where('l.valid_until', '<', filter.before)
    .orderBy([{ column: 'l.valid_until' }, ...(order === 'name' ? [{ column: 'e.sort_name' }] : []), { column: 'e.id' }]);

  return rows.map((row) => {
    const expiringAward = unprefixed(row, 'award_') as unknown as CategoryAwardRow;
    const openAttestation = row.open_id === null ? null : (unprefixed(row, 'open_') as unknown as AttestationRow);
    return { educatorId: expiringAward.educatorId, expiringAward, dueOn: expiringAward.validUntil, openAttestation };
  });
}

function unprefixed(row: Record<string, unknown>, prefix: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
}
