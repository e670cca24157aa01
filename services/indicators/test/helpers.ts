import type { Client } from '@mms/testing';

/** Arranging worlds through the graph's own mutations, and reading one indicator value with its drill-down lists. */

export async function startEmployment(client: Client, educatorId: string, organizationId: string, overrides: Record<string, unknown> = {}) {
  const { startEmployment } = await client.data(`mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id } }`, {
    input: { educatorId, organizationId, position: 'учитель', staffCategory: 'PEDAGOGICAL', rate: 0.5, isMainJob: false, startedOn: '2020-09-01', ...overrides },
  });
  return startEmployment.id as string;
}

let documentNumber = 1;
export async function grantRegionalMethodist(client: Client, educatorId: string, validFrom: string, validTo: string | null = null) {
  const { grantEducatorStatus } = await client.data(`mutation ($input: GrantEducatorStatusInput!) { grantEducatorStatus(input: $input) { id } }`, {
    input: { educatorId, kind: 'REGIONAL_METHODIST', validFrom, validTo, document: { number: `${documentNumber++}-од`, date: validFrom } },
  });
  return grantEducatorStatus.id as string;
}

export async function assignToMethodist(client: Client, methodistId: string, educatorId: string, validFrom: string, validTo: string | null = null) {
  const { assignToRegionalMethodist } = await client.data(`mutation ($input: AssignToRegionalMethodistInput!) { assignToRegionalMethodist(input: $input) { id } }`,
    { input: { methodistId, educatorId, validFrom, validTo } });
  return assignToRegionalMethodist.id as string;
}

export type ScopeArg = { region: true } | { municipalityId: string } | { organizationId: string };

export interface ValueSeen {
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  isYes: boolean | null;
  unit: string | null;
  reason: string | null;
  target: number | null;
  isTargetMet: boolean | null;
  /** The drill-down lists, sorted by id. */
  numeratorIds: string[];
  denominatorIds: string[];
}

const valuesQuery = `query ($scope: IndicatorScopeInput!, $year: AcademicYear!) {
  indicatorValues(scope: $scope, academicYear: $year) {
    indicator { code } numerator denominator value isYes unit reason target isTargetMet
    numeratorEducators(first: 200) { totalCount nodes { id } }
    denominatorEducators(first: 200) { totalCount nodes { id } }
  } }`;

type RawValue = Omit<ValueSeen, 'numeratorIds' | 'denominatorIds'> & {
  indicator: { code: string };
  numeratorEducators: { totalCount: number; nodes: { id: string }[] };
  denominatorEducators: { totalCount: number; nodes: { id: string }[] };
};

/** Every indicator of a scope and year, by code; the drill-down lists are checked against their totalCount. */
export async function valuesOf(client: Client, scope: ScopeArg, year: string): Promise<Record<string, ValueSeen>> {
  const { indicatorValues } = await client.data(valuesQuery, { scope, year });
  return Object.fromEntries((indicatorValues as RawValue[]).map((raw) => {
    const { indicator, numeratorEducators, denominatorEducators, ...rest } = raw;
    expect(numeratorEducators.nodes).toHaveLength(numeratorEducators.totalCount);
    expect(denominatorEducators.nodes).toHaveLength(denominatorEducators.totalCount);
    return [indicator.code, { ...rest, numeratorIds: ids(numeratorEducators.nodes), denominatorIds: ids(denominatorEducators.nodes) }];
  }));
}

export async function valueOf(client: Client, scope: ScopeArg, year: string, code: string): Promise<ValueSeen> {
  return (await valuesOf(client, scope, year))[code];
}

const ids = (nodes: { id: string }[]) => nodes.map((node) => node.id).sort();
export const sorted = (...values: string[]) => [...values].sort();
