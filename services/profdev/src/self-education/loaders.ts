import { groupLoader, isUuid, readScope, rowLoader, type BaseContext } from '@mms/platform';
import * as store from './store';

/** Per-request loaders of self-education records (one statement per batch), filtered by the caller's scope. */
export function selfEducationLoaders(base: BaseContext) {
  const { db } = base;
  const scope = () => readScope(base.viewer);
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  return {
    selfEducation: rowLoader((keys) => store.byIds(db, scope(), ids(keys)), (row) => row.id),
    selfEducationOfEducator: groupLoader((keys) => store.byEducators(db, scope(), ids(keys)), (row) => row.educatorId),
    selfEducationOfRouteItem: rowLoader((keys) => store.byItems(db, scope(), keys), (row) => row.itemId),
  };
}
