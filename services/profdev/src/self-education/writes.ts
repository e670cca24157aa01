import type { Knex } from 'knex';
import { badInput, can, forbidden, notFound, readScope, requireEducators, type Viewer } from '@mms/platform';
import { findItem, findRoute } from '../store/routes';
import * as store from './store';

/** The writes of self-education records: an educator their own, methodists and organization admins in their scope. */

/** The educator a write is about, checked against the writer. */
async function requireWriter(trx: Knex, viewer: Viewer, educatorId: string | null | undefined): Promise<string> {
  if (viewer.role === 'educator') {
    if (!can(viewer, 'self-education:own')) throw forbidden('role educator may not record self-education');
    if (educatorId && educatorId !== viewer.educatorId) throw forbidden('an educator records their own self-education only');
    await requireEducators(trx, [viewer.educatorId!]);
    return viewer.educatorId!;
  }
  if (!can(viewer, 'self-education:write')) throw forbidden(`role ${viewer.role} may not record self-education`);
  if (!educatorId) throw badInput('name the educator', 'input.educatorId');
  await requireEducators(trx, [educatorId], readScope(viewer), 'input.educatorId');
  return educatorId;
}

export async function record(trx: Knex, viewer: Viewer, input: { educatorId?: string | null; topic: string; periodFrom: string; periodTo: string; result?: string | null }) {
  const educatorId = await requireWriter(trx, viewer, input.educatorId);
  return store.insert(trx, { educatorId, topic: input.topic, periodFrom: input.periodFrom, periodTo: input.periodTo, result: input.result ?? null });
}

export async function setResult(trx: Knex, viewer: Viewer, id: string, result: string) {
  const [row] = await store.byIds(trx, { kind: 'region' }, [id]);
  if (!row) throw notFound('self-education record', id);
  await requireWriter(trx, viewer, row.educatorId);
  await store.setResult(trx, id, result);
  return id;
}

export async function linkRouteItem(trx: Knex, viewer: Viewer, itemId: string, selfEducationId: string) {
  const item = await findItem(trx, itemId);
  if (!item) throw notFound('route item', itemId);
  const route = (await findRoute(trx, item.routeId))!;
  await requireEducators(trx, [route.educatorId], readScope(viewer), 'itemId');
  if (item.activityKind !== 'self_study') throw badInput('only an item of kind SELF_STUDY is carried out as self-education', 'itemId');
  const [record] = await store.byIds(trx, { kind: 'region' }, [selfEducationId]);
  if (!record) throw notFound('self-education record', selfEducationId);
  if (record.educatorId !== route.educatorId) throw badInput('the self-education record is another educator\'s', 'selfEducationId');
  await store.linkItem(trx, itemId, selfEducationId);
  return findItem(trx, itemId).then((row) => row!);
}
