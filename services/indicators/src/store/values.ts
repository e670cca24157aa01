import type { Knex } from 'knex';
import { academicYearPeriod, logger } from '@mms/platform';
import { indicatorOf, type IndicatorCode } from '../catalog';
import type { ValueScope } from '../scope';
import { drillDownStatement, regionId, serviceRunsStatement, valuesStatement } from './indicator-sql';

export type ValueReason = 'empty_scope' | 'no_denominator' | 'source_unavailable';

/** One computed value: what the statement returns for one asked scope and year. */
export interface ComputedValue {
  population: number | null;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  reason: ValueReason | null;
}

/** A scope and academic year to compute an indicator for. */
export interface AskedValue {
  scope: ValueScope;
  academicYear: string;
}

/** A page of a drill-down list to read. */
export interface AskedPage extends AskedValue {
  afterId: string | null;
  limit: number;
  /** Paging backward (last/before): the rows before `beforeId` (the last ones when null). */
  beforeId?: string | null;
  backward?: boolean;
}

export interface DrillDownPage {
  educatorIds: string[];
  total: number;
}

function askedRows(asked: readonly (AskedValue & Partial<Pick<AskedPage, 'afterId' | 'limit' | 'beforeId' | 'backward'>>)[]): string {
  return JSON.stringify(asked.map((a, i) => {
    const period = academicYearPeriod(a.academicYear);
    return {
      k: String(i), kind: a.scope.kind, id: a.scope.kind === 'region' ? regionId : a.scope.id,
      y: a.academicYear, f: period.from, t: period.to, after_id: a.afterId ?? null, lim: a.limit ?? null,
      before_id: a.beforeId ?? null, backward: a.backward ?? false,
    };
  }));
}

/**
 * A published view of another subgraph that this deployment lacks (its schema or view does not exist, or is not
 * granted): the indicator says so instead of failing the whole table.
 */
function isSourceUnavailable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '3F000' || code === '42P01' || code === '42501' || code === '42883';
}

/** One indicator for many scopes and years: one SQL statement. */
export async function computeValues(db: Knex, code: IndicatorCode, asked: readonly AskedValue[]): Promise<ComputedValue[]> {
  if (!asked.length) return [];
  let rows: { k: string; population: number; numerator: number; denominator: number; value: number | null; reason: ValueReason | null }[];
  try {
    // Inside a transaction (freezing a report) under a savepoint: a missing source must not abort the transaction.
    const statement = valuesStatement(code, indicatorOf(code).kind);
    const run = (q: Knex) => q.raw(statement, [askedRows(asked)]);
    rows = (await (db.isTransaction ? db.transaction(run) : run(db))).rows;
  } catch (error) {
    if (!isSourceUnavailable(error)) throw error;
    // knex puts the whole statement in the message; the database's own words come after the last " - ".
    logger.warn({ indicator: code, err: String((error as Error).message).split(' - ').at(-1) }, 'indicator source unavailable');
    return asked.map(() => ({ population: null, numerator: null, denominator: null, value: null, reason: 'source_unavailable' }));
  }
  const byKey = new Map(rows.map((row) => [row.k, row]));
  return asked.map((_, i) => {
    const row = byKey.get(String(i))!;
    return { population: row.population, numerator: row.numerator, denominator: row.denominator, value: row.value, reason: row.reason };
  });
}

/** Pages of the educators behind the numerator or denominator, for many scopes and years: one SQL statement. */
export async function drillDown(db: Knex, code: IndicatorCode, side: 'numerator' | 'denominator', asked: readonly AskedPage[]): Promise<DrillDownPage[]> {
  if (!asked.length) return [];
  let rows: { k: string; educator_id: string | null; total: number | null }[];
  try {
    rows = (await db.raw(`${drillDownStatement(code, side === 'numerator' ? 'num' : 'den')} order by 1, 2`, [askedRows(asked)])).rows;
  } catch (error) {
    if (!isSourceUnavailable(error)) throw error;
    return asked.map(() => ({ educatorIds: [], total: 0 }));
  }
  const pages = asked.map((): DrillDownPage => ({ educatorIds: [], total: 0 }));
  for (const row of rows) {
    const page = pages[Number(row.k)];
    if (row.educator_id === null) page.total = row.total!;
    else page.educatorIds.push(row.educator_id);
  }
  return pages;
}

/** The service's course runs behind indicator 11, for many scopes and years: one SQL statement. */
export async function serviceRuns(db: Knex, asked: readonly AskedValue[]): Promise<string[][]> {
  if (!asked.length) return [];
  let rows: { k: string; run_id: string }[];
  try {
    rows = (await db.raw(serviceRunsStatement(), [askedRows(asked)])).rows;
  } catch (error) {
    if (!isSourceUnavailable(error)) throw error;
    return asked.map(() => []);
  }
  const lists = asked.map((): string[] => []);
  for (const row of rows) lists[Number(row.k)].push(row.run_id);
  return lists;
}
