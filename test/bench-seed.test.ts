import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { isValidSnils } from '../services/staff/src/validate';
import { isEmpty as staffIsEmpty } from '../services/staff/src/seed';
import { isEmpty as profdevIsEmpty } from '../services/profdev/src/seed';
import { isEmpty as eventsIsEmpty } from '../services/events/src/seed';
import { isEmpty as indicatorsIsEmpty } from '../services/indicators/src/seed';
import { seedRegion, subgraphsWithData, truncateSubgraph, type SubgraphKnexes } from '../bench/seed-region';

/**
 * `npm run bench:seed` at a small size (bench/seed-region.ts): the generator against a test database, each part as
 * its subgraph's role, then the invariants a region must hold and one page read through the gateway.
 */
let graph: TestGraph;
let dbs: SubgraphKnexes;
beforeAll(async () => {
  graph = await createTestGraph();
  dbs = graph.db as SubgraphKnexes;
});
afterAll(() => graph.close());

test('a 500-educator region: counts, valid SNILS, employments, references across subgraphs; npm start would keep it', async () => {
  expect(await subgraphsWithData(dbs)).toEqual([]);
  const result = await seedRegion(dbs, { educators: 500, seed: 7 });
  expect(result.size).toEqual({ municipalities: 1, organizations: 13, educators: 500 });
  expect(result.rows.staff).toMatchObject({ municipality: 1, organization: 13, educator: 500 });
  expect(result.rows.staff.employment).toBeGreaterThanOrEqual(500);
  expect(result.rows.staff.category_award).toBeGreaterThan(100);
  for (const table of ['diagnostic', 'diagnostic_score', 'program_completion', 'development_route', 'route_item', 'support', 'mentorship', 'course_run', 'course_application']) {
    expect([table, result.rows.profdev[table]]).toEqual([table, expect.any(Number)]);
    expect([table, result.rows.profdev[table] > 0]).toEqual([table, true]);
  }
  for (const table of ['event', 'participation', 'competition', 'application', 'score', 'stage_result']) {
    expect([table, result.rows.events[table] > 0]).toEqual([table, true]);
  }

  const snils: string[] = await dbs.staff('educator').pluck('snils');
  expect(snils.filter((s) => !isValidSnils(s))).toEqual([]);
  expect(new Set(snils).size).toBe(500);
  // Every educator has an employment, 1 or 2 in force at most; every category rests on a granted attestation.
  const { rows: [staff] } = await dbs.staff.raw(`select
      (select count(*) from educator e where not exists (select from employment m where m.educator_id = e.id))::int as "withoutEmployment",
      (select max(n) from (select count(*) as n from employment where ended_on is null group by educator_id) x)::int as "mostOpen",
      (select count(*) from category_award c left join attestation a on a.id = c.attestation_id where a.outcome is distinct from 'granted')::int as "awardsWithoutGrant"`);
  expect(staff).toEqual({ withoutEmployment: 0, mostOpen: 2, awardsWithoutGrant: 0 });

  // profdev and events refer only to registry educators (through staff_api, as their roles see it).
  const orphans = async (db: typeof dbs.staff, pairs: [string, string][]) => {
    const found: Record<string, number> = {};
    for (const [table, column] of pairs) {
      const [{ n }] = await db(`${table} as t`).whereNotExists((q) => q.select(db.raw('1')).from('staff_api.educator as e').whereRaw(`e.id = t.${column}`)).count({ n: '*' });
      found[`${table}.${column}`] = Number(n);
    }
    return found;
  };
  const profdevPairs: [string, string][] = [['diagnostic', 'educator_id'], ['program_completion', 'educator_id'], ['development_route', 'educator_id'],
    ['mentorship', 'mentor_id'], ['mentorship', 'mentee_id'], ['support', 'educator_id'], ['support', 'methodist_id'], ['association_member', 'educator_id']];
  expect(Object.values(await orphans(dbs.profdev, profdevPairs)).every((n) => n === 0)).toBe(true);
  const eventsPairs: [string, string][] = [['participation', 'educator_id'], ['application', 'educator_id'], ['stage_result', 'educator_id']];
  expect(Object.values(await orphans(dbs.events, eventsPairs)).every((n) => n === 0)).toBe(true);

  // npm start's demo seed sees every subgraph filled, and leaves them as they are.
  expect([await staffIsEmpty(dbs.staff), await profdevIsEmpty(dbs.profdev), await eventsIsEmpty(dbs.events), await indicatorsIsEmpty(dbs.indicators)])
    .toEqual([false, false, false, false]);
  expect(await subgraphsWithData(dbs)).toEqual(['staff', 'profdev', 'events', 'indicators']);

  // The region answers through the gateway: a school's staff with profdev fields, a competition's final results.
  const { rows: [school] } = await dbs.staff.raw(`select organization_id as id, count(*)::int as n from employment where ended_on is null group by 1 order by 2 desc, 1 limit 1`);
  const { rows: [competition] } = await dbs.events.raw(`select s.competition_id as id, count(*)::int as n from stage_result r join stage s on s.id = r.stage_id group by 1 order by 2 desc, 1 limit 1`);
  const data = await graph.as(regionAdmin).data(`query ($org: ID!, $c: ID!) {
    educators(first: 10, filter: { organizationId: $org }) { totalCount nodes { id snils lastUpskilling { completedOn } isUpskillingOverdue activeRoute { progress { total } } } }
    competition(id: $c) { finalResults { place educator { fullName } organization { shortName } } }
  }`, { org: school.id, c: competition.id });
  expect(data.educators.nodes).toHaveLength(Math.min(10, data.educators.totalCount));
  expect(data.competition.finalResults).toHaveLength(competition.n);
  expect(data.competition.finalResults.every((r: { educator: { fullName: string }; organization: { shortName: string } }) => r.educator.fullName && r.organization.shortName)).toBe(true);

  // --replace empties every subgraph (its audit log too).
  for (const [name, db] of Object.entries(dbs)) await truncateSubgraph(db, name);
  expect(await subgraphsWithData(dbs)).toEqual([]);
});
