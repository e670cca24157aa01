import { groupLoader, isUuid, readScope, rowLoader, type BaseContext } from '@mms/platform';
import * as store from './store';

/** Per-request loaders of course runs (one statement per batch). Anonymous callers reach open runs only. */
export function courseLoaders(base: BaseContext) {
  const { db } = base;
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  return {
    courseRun: rowLoader((keys) => store.runsByIds(db, ids(keys), base.viewer.role === 'anonymous'), (row) => row.id),
    // Anonymous callers fail here, on first use, with UNAUTHENTICATED: who applied is not public.
    applicationsOfRun: groupLoader((keys) => store.applicationsByRuns(db, readScope(base.viewer), keys), (row) => row.runId),
    completionOfApplication: rowLoader((keys) => store.completionsByIds(db, ids(keys)), (row) => row.id),
  };
}
