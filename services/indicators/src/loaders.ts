import DataLoader from 'dataloader';
import { groupLoader, isUuid, rowLoader, type BaseContext } from '@mms/platform';
import type { IndicatorCode } from './catalog';
import { scopeKey, type ValueScope } from './scope';
import { reportsByIds, reportValuesByReports } from './store/reports';
import { municipalityScopes, organizationScopes, organizationScopesByIds } from './store/scopes';
import { targetsFor, type TargetRow } from './store/targets';
import { computeValues, drillDown, serviceRuns, type AskedPage, type ComputedValue, type DrillDownPage } from './store/values';

/** One indicator value: an indicator, a scope, an academic year. */
export interface ValueKey {
  code: IndicatorCode;
  scope: ValueScope;
  academicYear: string;
}

export interface DrillDownKey extends AskedPage {
  code: IndicatorCode;
  side: 'numerator' | 'denominator';
}

const valueKey = (key: ValueKey) => `${key.code}|${scopeKey(key.scope)}|${key.academicYear}`;

/** Runs `work` once per group of keys (one SQL statement each, in parallel) and puts the answers back in key order. */
async function byGroup<K, V>(keys: readonly K[], groupOf: (key: K) => string, work: (group: K[]) => Promise<V[]>): Promise<V[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const group = groupOf(key);
    groups.set(group, [...(groups.get(group) ?? []), i]);
  });
  const results = new Array<V>(keys.length);
  await Promise.all([...groups.values()].map(async (indexes) => {
    const answers = await work(indexes.map((i) => keys[i]));
    indexes.forEach((i, j) => { results[i] = answers[j]; });
  }));
  return results;
}

/**
 * The indicators subgraph's per-request loaders. Values are batched by indicator: every scope and year asked in one
 * tick (a table, its breakdown, a trend) costs one statement per indicator, whatever the number of scopes.
 */
export function createLoaders(base: BaseContext) {
  const { db } = base;
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  return {
    values: new DataLoader<ValueKey, ComputedValue, string>(
      (keys) => byGroup(keys, (key) => key.code, (group) => computeValues(db, group[0].code, group)),
      { cacheKeyFn: valueKey }),
    drillDown: new DataLoader<DrillDownKey, DrillDownPage, string>(
      (keys) => byGroup(keys, (key) => `${key.code}|${key.side}`, (group) => drillDown(db, group[0].code, group[0].side, group)),
      { cacheKeyFn: (key) => `${valueKey(key)}|${key.side}|${key.afterId}|${key.beforeId ?? ''}|${key.backward ? 'back' : ''}|${key.limit}` }),
    /** Indicator 11's course runs of the service behind each value (issue 24). */
    serviceRuns: new DataLoader<ValueKey, string[], string>((keys) => serviceRuns(db, keys), { cacheKeyFn: valueKey }),
    /** The child scopes: the region's municipalities, a municipality's organizations; none for an organization. */
    children: new DataLoader<ValueScope, ValueScope[], string>(async (scopes) => {
      const municipalities = scopes.some((scope) => scope.kind === 'region') ? await municipalityScopes(db) : [];
      const organizations = await organizationScopes(db, scopes.flatMap((scope) => (scope.kind === 'municipality' ? [scope.id] : [])));
      return scopes.map((scope) => (scope.kind === 'region' ? municipalities
        : scope.kind === 'municipality' ? organizations.filter((o) => o.kind === 'organization' && o.municipalityId === scope.id) : []));
    }, { cacheKeyFn: scopeKey }),
    /** The targets that may apply to a year and municipality (the region's and the municipality's own). */
    targets: new DataLoader<{ academicYear: string; municipalityId: string | null }, TargetRow[], string>(async (keys) => {
      const rows = await targetsFor(db, [...new Set(keys.map((k) => k.academicYear))], [...new Set(keys.flatMap((k) => (k.municipalityId ? [k.municipalityId] : [])))]);
      return keys.map((key) => rows.filter((row) => row.academicYear === key.academicYear && (row.municipalityId === null || row.municipalityId === key.municipalityId)));
    }, { cacheKeyFn: (key) => `${key.academicYear}|${key.municipalityId}` }),
    organizationScope: rowLoader((keys) => organizationScopesByIds(db, ids(keys)), (row) => row.id),
    report: rowLoader((keys) => reportsByIds(db, ids(keys)), (row) => row.id),
    reportValues: groupLoader((keys) => reportValuesByReports(db, keys), (row) => row.reportId),
  };
}

export type Context = BaseContext & { loaders: ReturnType<typeof createLoaders> };

export function createContext(base: BaseContext): Context {
  return { ...base, loaders: createLoaders(base) };
}
