import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';
import { grantRegionalMethodist } from './helpers';

/**
 * The indicator table with its breakdown costs the same number of SQL statements however many scopes it covers
 * (docs/architecture.md, rule 4): one statement per indicator and level, one per drill-down list and level, and the
 * staff subgraph's batches for the educators' names.
 */
let graph: TestGraph;
let admin: Client;

async function addMunicipalities(count: number, organizations: number) {
  for (let m = 0; m < count; m += 1) {
    const municipality = await createMunicipality(admin);
    for (let o = 0; o < organizations; o += 1) {
      const organization = await createOrganization(admin, municipality.id);
      const first = await createEducator(admin, organization.id);
      await createEducator(admin, organization.id, { birthDate: '2000-01-01', pedagogicalWorkStartedOn: '2023-09-01' });
      if (o === 0) await grantRegionalMethodist(admin, first.id, '2024-09-01');
    }
  }
}

const table = `{ indicatorValues(scope: { region: true }, academicYear: "2024/2025") {
  indicator { code unit } numerator denominator value reason target isTargetMet
  numeratorEducators(first: 5) { totalCount nodes { id fullName } }
  breakdown { scope { municipality { name } } numerator denominator value target
    denominatorEducators(first: 3) { totalCount nodes { id fullName } }
    breakdown { scope { organization { name } } numerator denominator value target isTargetMet } } } }`;

async function statementsFor(expectedMunicipalities: number): Promise<number> {
  await admin.data(table); // token minted, caches warm
  return graph.countSql(async () => {
    const { indicatorValues } = await admin.data(table);
    expect(indicatorValues).toHaveLength(15);
    expect(indicatorValues[0].breakdown).toHaveLength(expectedMunicipalities);
  });
}

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  await admin.data(`mutation { setIndicatorTarget(input: { code: REGIONAL_METHODISTS_SHARE, academicYear: "2024/2025", value: 10 }) { id } }`);
}, 60_000);
afterAll(() => graph.close());

test('the region\'s table with two levels of breakdown costs the same SQL for 2 and for 6 municipalities', async () => {
  await addMunicipalities(2, 2);
  const small = await statementsFor(2);
  await addMunicipalities(4, 3);
  const large = await statementsFor(6);
  expect(large).toBe(small);
  // 15 indicators × (values + 1 drill-down list) × 3 levels, the scopes of two levels, the targets once per level,
  // and the staff subgraph's batches of names (83 measured): far below one statement per scope.
  expect(small).toBeLessThanOrEqual(15 * 2 * 3 + 10);
}, 120_000);
