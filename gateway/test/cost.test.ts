import { Supergraph } from '@apollo/federation-internals';
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { composeSupergraph, subgraphs } from '@mms/gateway';
import { limits, queryCost, subgraphSchema } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { queries } from '../../bench/queries';
import { indicatorQueries } from '../../bench/indicators';

/**
 * The cost model (packages/platform/src/query-limits.ts) against the queries people send and the ones that took a
 * subgraph down (issue 14): the README's examples and every bench journey at its largest page stay within
 * LIMIT_MAX_COST; the cycles and the 15-trend query are far over it. The figures are the ones the README quotes.
 */
const api: GraphQLSchema = Supergraph.build(composeSupergraph(subgraphs)).apiSchema().toGraphQLJSSchema();

function cost(query: string, variables: Record<string, unknown> = {}, schema = api): number {
  const document = parse(query);
  return queryCost(schema, document, getOperationAST(document)!, variables);
}

const readmeExamples = {
  staff: `{
    educators(first: 10, filter: { employedOn: "2025-01-15", position: "учитель" }) {
      totalCount
      nodes { fullName employments(activeOn: "2025-01-15") { rate organization { shortName municipality { name } } } }
    }
    attestationsDue(before: "2027-03-01") { dueOn educator { fullName } expiringAward { category validUntil } }
    educatorStatuses(kind: REGIONAL_METHODIST, academicYear: "2025/2026") {
      educator { fullName assignedEducators { educator { fullName isEarlyCareer } } }
    }
  }`,
  profile: `{
    educators(first: 1, filter: { earlyCareer: true }) {
      nodes {
        fullName
        employments { position organization { shortName } }
        diagnostics { takenOn scores { competency { title } score isDeficit } }
        deficits { competency { title } }
        activeRoute { status items { activityKind doneOn } }
        completions { program { title hours } completedOn certificateNumber }
        participations { role event { title startsAt } }
      }
    }
    competitions { title finalResults { place outcome educator { fullName } organization { shortName } } }
  }`,
  indicators: `{
    indicatorValues(scope: { region: true }, academicYear: "2025/2026") {
      indicator { number title unit }
      numerator denominator value target isTargetMet reason
      breakdown { scope { municipality { name } } value }
    }
  }`,
};

const years = Array.from({ length: 10 }, (_, i) => `${2016 + i}/${2017 + i}`);
const hostile = {
  cycle: '{ municipalities { organizations { municipality { organizations { municipality { organizations { municipality { organizations { id } } } } } } } } }',
  fifteenTrends: `query ($years: [AcademicYear!]!) { ${Array.from({ length: 15 }, (_, i) => `t${i}: indicatorTrend(code: DIAGNOSTICS_SHARE,
    scope: { region: true }, academicYears: $years) { value breakdown { value breakdown { value } } }`).join(' ')} }`,
  eventsCycle: '{ events { participations { educator { participations { event { participations { id } } } } } } }',
};

describe('what people ask stays within the cost limit', () => {
  test.each(Object.entries(readmeExamples))('the README example %s', (_name, query) => {
    if (process.env.PRINT_COSTS) console.log(_name, cost(query));
    expect(cost(query)).toBeLessThanOrEqual(limits.maxCost);
  });

  const journeys: [string, string, Record<string, unknown>][] = [
    ['staffPage', queries.staffPage, {}],
    ['regionPage', queries.regionPage, {}],
    ['search', queries.search, {}],
    ['orgStaffPage at the largest page', queries.orgStaffPage, { first: 200 }],
    ['profile', queries.profile, {}],
    ['profilePage at 100 educators (the bench\'s largest)', queries.profilePage, { first: 100 }],
    ['profileStaff', queries.profileStaff, {}],
    ['profileScores', queries.profileScores, {}],
    ['results', queries.results, {}],
    ['resultsEvents', queries.resultsEvents, {}],
    ['indicators table', indicatorQueries.table, {}],
    ['indicators with breakdown', indicatorQueries.withBreakdown, {}],
    ['indicators of a municipality with breakdown', indicatorQueries.scoped('{ municipalityId: "00000000-0000-0000-0000-000000000000" }'), {}],
  ];
  test.each(journeys)('the bench journey %s', (_name, query, variables) => {
    if (process.env.PRINT_COSTS) console.log(_name, cost(query, variables));
    expect(cost(query, variables)).toBeLessThanOrEqual(limits.maxCost);
  });
});

describe('what took a subgraph down is far over it', () => {
  test('the municipality ↔ organizations cycle: 30 × 50⁴ ids', () => {
    expect(cost(hostile.cycle)).toBeGreaterThan(100 * limits.maxCost);
  });
  test('15 aliased trends over 10 years with two levels of breakdown', () => {
    expect(cost(hostile.fifteenTrends, { years })).toBeGreaterThan(3 * limits.maxCost);
  });
  test('events ↔ participations', () => {
    expect(cost(hostile.eventsCycle)).toBeGreaterThan(5 * limits.maxCost);
  });
});

describe('how list sizes are counted', () => {
  test('first given as a literal or a variable counts as given; a variable left out counts the default', () => {
    const page = 'query ($n: Int) { educators(first: $n) { nodes { id } } }';
    expect(cost('{ educators(first: 200) { nodes { id } } }')).toBe(1 + 200 * 2);
    expect(cost(page, { n: 200 })).toBe(1 + 200 * 2);
    // educators' default page is 50.
    expect(cost(page, {})).toBe(1 + 50 * 2);
  });

  test('a capped list left to its default counts its estimate; first counts as given', () => {
    // Municipality.organizations(first: Int = 500): the estimate is 50 a municipality, 30 municipalities.
    expect(cost('{ municipalities { organizations { id } } }')).toBe(30 * (1 + 50 * 2));
    expect(cost('{ municipalities { organizations(first: 2) { id } } }')).toBe(30 * (1 + 2 * 2));
    expect(cost('query ($n: Int) { municipalities { organizations(first: $n) { id } } }', { n: 1000 })).toBe(30 * (1 + 1000 * 2));
  });

  test('a list without pagination or estimate counts 20; an indicator trend counts its years; an indicator value weighs 6', () => {
    expect(cost('{ competitions { id } }')).toBe(20 * 2);
    expect(cost('query ($y: [AcademicYear!]!) { indicatorTrend(code: DIAGNOSTICS_SHARE, scope: { region: true }, academicYears: $y) { value } }',
      { y: years.slice(0, 3) })).toBe(3 * (6 + 1));
  });

  test('a breakdown counts the child scopes of its level: the region\'s 30 municipalities, their 50 organizations, then none', () => {
    const breakdown = (scope: string) => cost(`{ indicatorValues(scope: ${scope}, academicYear: "2025/2026") {
      value breakdown { value breakdown { value breakdown { value } } } } }`);
    expect(breakdown('{ region: true }')).toBe(15 * (6 + 1 + 30 * (6 + 1 + 50 * (6 + 1))));
    expect(breakdown('{ municipalityId: "m" }')).toBe(15 * (6 + 1 + 50 * (6 + 1)));
    expect(breakdown('{ organizationId: "o" }')).toBe(15 * (6 + 1));
  });

  test('the largest query of the tests, every indicator of the region down to its organizations, is within the limit', () => {
    expect(cost(`query ($year: AcademicYear!) { indicatorValues(scope: { region: true }, academicYear: $year) {
      indicator { code } value
      breakdown { scope { kind municipality { id name } } numerator denominator value reason
        breakdown { scope { kind organization { id name } municipality { id } } numerator denominator value reason breakdown { value } } } } }`,
    { year: '2025/2026' })).toBeLessThanOrEqual(limits.maxCost);
  });

  test('in a subgraph, _entities counts its representations', () => {
    const staff = subgraphSchema(staffSubgraph);
    const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { id shortName } } }';
    const representations = (n: number) => ({ r: Array.from({ length: n }, () => ({ __typename: 'Organization', id: 'x' })) });
    expect(cost(query, representations(10), staff)).toBe(10 * 3);
    expect(cost(query, representations(1000), staff)).toBe(1000 * 3);
  });

  test('a fragment spread many times at every level is estimated at once, however large its product', () => {
    const fragments = Array.from({ length: 6 }, (_, level) => `fragment F${level} on ${level % 2 ? 'Organization' : 'Municipality'} {
      ${level % 2 ? 'municipality' : 'organizations'} { ${level === 5 ? 'id' : Array.from({ length: 10 }, () => `...F${level + 1}`).join(' ')} } }`).join('\n');
    const started = Date.now();
    const found = cost(`{ municipalities { ...F0 } }\n${fragments}`);
    // Not a timing test: an estimator that multiplied the spreads out would take minutes, not seconds.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(found).toBeGreaterThan(limits.maxCost);
  });
});

describe('statistics (issue 22): an answer counts its groups, the product of its dimensions\' cardinalities', () => {
  const statistics = (groupBy: string, period = 'on: "2026-01-15"') =>
    `{ statistics(subject: EDUCATORS, measures: [COUNT], groupBy: ${groupBy}, ${period}) { rows { values count } total { count } } }`;

  test('municipality × category: 30 × 6 groups of 3 values, the answer weighing 6, the total 2', () => {
    expect(cost(statistics('[MUNICIPALITY, CATEGORY]'))).toBe(6 + 30 * 6 * (1 + 2) + 2);
    expect(cost(statistics('[]'))).toBe(6 + 1 * (1 + 2) + 2);
    // Months and academic years scale with the years asked.
    expect(cost(statistics('[ACADEMIC_YEAR, MONTH]', 'academicYears: ["2023/2024", "2024/2025", "2025/2026"]'))).toBe(6 + 3 * 36 * 3 + 2);
  });

  test('the same in the indicators subgraph (internal enum values), and organization × position × month over 10 years is over the limit', () => {
    const indicators = subgraphs.find((subgraph) => subgraph.name === 'indicators')!;
    expect(cost(statistics('[MUNICIPALITY, CATEGORY]'), {}, subgraphSchema(indicators))).toBe(6 + 30 * 6 * (1 + 2) + 2);
    expect(cost(statistics('[ORGANIZATION, POSITION, MONTH]', `academicYears: ${JSON.stringify(years)}`))).toBeGreaterThan(limits.maxCost);
  });
});

describe('Relay: nodes(ids) and paging backward', () => {
  test('nodes(ids) counts its ids; a connection\'s last sizes its page as first does', () => {
    const nodes = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Educator { fullName } } }';
    expect(cost(nodes, { ids: Array.from({ length: 30 }, (_, i) => `id${i}`) })).toBe(30 * 3);
    expect(cost(nodes, { ids: Array.from({ length: 100 }, (_, i) => `id${i}`) })).toBe(100 * 3);
    expect(cost('{ educators(last: 10) { nodes { id } } }')).toBe(1 + 10 * 2);
    expect(cost('query ($n: Int) { educators(last: $n, before: "c") { edges { cursor } } }', { n: 200 })).toBe(1 + 200 * 2);
  });
});
