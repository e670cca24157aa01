import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { subgraphs } from '@mms/gateway';
import { isEmpty, seedDemo } from '../src/seed';

/** The demo data `npm start` loads: the region's targets, the demo municipality's own, and one frozen report. */
let graph: TestGraph;
beforeAll(async () => {
  graph = await createTestGraph();
});
afterAll(() => graph.close());

test('the demo targets and report are seeded after the other subgraphs\' demo data and answer through the graph', async () => {
  // Every subgraph before this one, in order, as scripts/seed.ts does.
  for (const { name, demoSeed } of subgraphs) {
    if (name === 'indicators' || !demoSeed) continue;
    await graph.db[name].transaction((trx) => demoSeed.seed(trx));
  }
  expect(await isEmpty(graph.db.indicators)).toBe(true);
  expect(await graph.db.indicators.transaction((trx) => seedDemo(trx))).toEqual({ targets: 33, reports: 1 });
  expect(await isEmpty(graph.db.indicators)).toBe(false);

  const admin = graph.as(regionAdmin);
  const { municipalities } = await admin.data(`{ municipalities { id name } }`);
  const data = await admin.data(`query ($m: ID!) {
    indicatorReports { title frozenByRole scope { municipality { name } } changedCount values { indicator { number } value target } }
    indicatorTargets(academicYear: "2024/2025") { value municipality { id } }
    municipality(id: $m) { indicators(academicYear: "2024/2025") { indicator { code } numerator denominator value target isTargetMet
      denominatorEducators(first: 3) { totalCount nodes { fullName } } } }
  }`, { m: municipalities[0].id });
  expect(data.indicatorReports).toHaveLength(1);
  expect(data.indicatorReports[0]).toMatchObject({ frozenByRole: 'system', changedCount: 0, scope: { municipality: { name: municipalities[0].name } } });
  expect(data.indicatorTargets).toHaveLength(18);
  const share = data.municipality.indicators.find((v: { indicator: { code: string } }) => v.indicator.code === 'REGIONAL_METHODISTS_SHARE');
  // The demo's two regional methodists, of the sixty educators less those not employed during 2024/2025.
  expect(share.numerator).toBe(2);
  expect(share.denominator).toBeGreaterThan(50);
  expect(share.denominatorEducators.totalCount).toBe(share.denominator);
  expect(share.denominatorEducators.nodes[0].fullName).toEqual(expect.any(String));
  expect(share).toMatchObject({ value: Math.round(1000 * 2 / share.denominator) / 10, target: 3, isTargetMet: true });
});
