import type { Knex } from 'knex';
import type { Scope } from '@mms/platform';
import { educatorKeys, ownerSql, whereEducatorInScope } from '../store/scope';

/** Self-education records (tables self_education, route_item_self_education). */

export interface SelfEducationRow {
  id: string;
  educatorId: string;
  topic: string;
  periodFrom: string;
  periodTo: string;
  result: string | null;
}

const columns = ['s.id', 's.topic', 's.period_from as periodFrom', 's.period_to as periodTo', 's.result'];
const latestFirst = [{ column: 's.period_from', order: 'desc' }, { column: 's.id', order: 'desc' }] as const;

/** Records of many educators in one statement (merged duplicates' under their survivor), only those the scope covers. */
export async function byEducators(db: Knex, scope: Scope, educatorIds: readonly string[]): Promise<SelfEducationRow[]> {
  return db('self_education as s').join(educatorKeys(db, educatorIds, scope).as('k'), 'k.educator_id', 's.educator_id')
    .select(['k.key as educatorId', ...columns]).orderBy([...latestFirst]);
}

export async function byIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<SelfEducationRow[]> {
  return whereEducatorInScope(db('self_education as s').select([db.raw(`${ownerSql('s.educator_id')} as "educatorId"`), ...columns]).whereIn('s.id', ids), scope, 's.educator_id');
}

export async function insert(db: Knex, row: Omit<SelfEducationRow, 'id'>): Promise<string> {
  const [{ id }] = await db('self_education').insert({
    educator_id: row.educatorId, topic: row.topic, period_from: row.periodFrom, period_to: row.periodTo, result: row.result,
  }).returning('id');
  return id;
}

export async function setResult(db: Knex, id: string, result: string): Promise<void> {
  await db('self_education').where('id', id).update({ result });
}

export async function linkItem(db: Knex, itemId: string, selfEducationId: string): Promise<void> {
  await db('route_item_self_education').insert({ route_item_id: itemId, self_education_id: selfEducationId })
    .onConflict('route_item_id').merge(['self_education_id']);
}

export async function byItems(db: Knex, scope: Scope, itemIds: readonly string[]): Promise<(SelfEducationRow & { itemId: string })[]> {
  return whereEducatorInScope(db('self_education as s').join('route_item_self_education as ri', 'ri.self_education_id', 's.id')
    .select(['ri.route_item_id as itemId', db.raw(`${ownerSql('s.educator_id')} as "educatorId"`), ...columns]).whereIn('ri.route_item_id', itemIds), scope, 's.educator_id');
}
