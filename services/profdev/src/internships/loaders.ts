import { groupLoader, isUuid, readScope, rowLoader, type BaseContext } from '@mms/platform';
import * as store from './store';

/** Per-request loaders of internships (one statement per batch), filtered by the caller's scope. */
export function internshipLoaders(base: BaseContext) {
  const { db } = base;
  const scope = () => readScope(base.viewer);
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  return {
    internship: rowLoader((keys) => store.internshipsByIds(db, scope(), ids(keys)), (row) => row.id),
    participantsOfInternship: groupLoader((keys) => store.participantsByInternships(db, scope(), keys), (row) => row.internshipId),
    internshipOfRouteItem: rowLoader((keys) => store.internshipsByItems(db, scope(), keys), (row) => row.itemId),
  };
}
