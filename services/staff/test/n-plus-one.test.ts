import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { snilsFor } from '../src/validate';
import { createMunicipality, createOrganization, employmentInput } from './fixtures';

/**
 * The number of SQL statements of a nested query does not depend on the number of rows (docs/architecture.md, rule 4).
 * 50 educators over 5 organizations in 2 municipalities, each with a main job and half with a part-time one.
 */
let graph: TestGraph;
beforeAll(async () => {
  graph = await createTestGraph();
  const admin = graph.as(regionAdmin);
  const municipalities = [await createMunicipality(admin), await createMunicipality(admin)];
  const organizations = [];
  for (let i = 0; i < 5; i += 1) organizations.push(await createOrganization(admin, municipalities[i % 2].id));
  for (let i = 0; i < 50; i += 1) {
    const { createEducator } = await admin.data(`mutation ($input: CreateEducatorInput!) { createEducator(input: $input) { id } }`, { input: {
      lastName: `Учитель${String(i).padStart(2, '0')}`, firstName: 'Тест', birthDate: '1985-01-01', snils: snilsFor(300000000 + i),
      employment: employmentInput(organizations[i % 5].id),
    } });
    await admin.data(`mutation ($input: RecordCategoryAwardInput!) { recordCategoryAward(input: $input) { id } }`, { input: {
      educatorId: createEducator.id, category: i % 3 === 0 ? 'HIGHEST' : 'FIRST', position: 'учитель',
      awardedOn: '2022-03-15', orderNumber: `${100 + i}-к`, orderDate: '2022-03-20' } });
    if (i % 4 === 0) {
      const { fileAttestation } = await admin.data(`mutation ($input: FileAttestationInput!) { fileAttestation(input: $input) { id } }`,
        { input: { educatorId: createEducator.id, requestedCategory: 'HIGHEST', position: 'учитель', filedOn: '2025-10-01' } });
      await admin.data(`mutation ($id: ID!) { startAttestationReview(id: $id, startedOn: "2025-10-05") { id } }`, { id: fileAttestation.id });
    }
    if (i % 5 === 0) {
      await admin.data(`mutation ($input: GrantEducatorStatusInput!) { grantEducatorStatus(input: $input) { id } }`, { input: {
        educatorId: createEducator.id, kind: 'COUNCIL_MEMBER', municipalityId: municipalities[i % 2].id,
        validFrom: '2024-09-01', document: { number: `${i}-од`, date: '2024-08-20' } } });
    }
    if (i % 2 === 0) {
      await admin.data(`mutation ($input: StartEmploymentInput!) { startEmployment(input: $input) { id } }`,
        { input: { educatorId: createEducator.id, ...employmentInput(organizations[(i + 1) % 5].id, { isMainJob: false, rate: 0.5 }) } });
    }
  }
});
afterAll(() => graph.close());

const nested = `query ($first: Int!) {
  educators(first: $first) { totalCount edges { cursor node { fullName
    employments { position rate organization { name municipality { name organizations { name } } } } } } } }`;

async function sqlFor(first: number): Promise<number> {
  const admin = graph.as(regionAdmin);
  await admin.data(nested, { first: 1 }); // token minted, caches warm: measure the query alone
  let count = 0;
  count = await graph.countSql(async () => {
    const { educators } = await admin.data(nested, { first });
    expect(educators.edges).toHaveLength(first);
  });
  return count;
}

test('educators with employments, organizations and municipalities cost the same SQL for 10 and for 50', async () => {
  const ten = await sqlFor(10);
  const fifty = await sqlFor(50);
  // page, count, employments, organizations, municipalities, organizations of municipalities
  expect(ten).toBe(6);
  expect(fifty).toBe(ten);
});

const history = `query ($first: Int!) { educators(first: $first) { nodes { fullName
  employments { position startedOn endedOn organization { shortName municipality { name } } }
  category(on: "2025-11-01") { category validUntil }
  categoryHistory { category awardedOn validUntil orderNumber attestation { stage } }
  attestations { requestedCategory stage filedOn categoryAward { category } }
  statuses { kind validFrom validTo document { number } municipality { name } }
  assignedEducators { educator { fullName } }
  regionalMethodists { methodist { fullName } }
} } }`;

test('an educator\'s whole history (employments, categories, attestations, statuses) costs the same SQL for 10 and for 50', async () => {
  const admin = graph.as(regionAdmin);
  await admin.data(history, { first: 1 });
  const counts: number[] = [];
  for (const first of [10, 50]) {
    counts.push(await graph.countSql(async () => {
      const { educators } = await admin.data(history, { first });
      expect(educators.nodes).toHaveLength(first);
      expect(educators.nodes.filter((e: { attestations: unknown[] }) => e.attestations.length).length).toBeGreaterThan(0);
    }));
  }
  // page, count-free: educators, employments, organizations, municipalities, awards, attestations, statuses,
  // assignments both ways (9 measured)
  expect(counts[1]).toBe(counts[0]);
  expect(counts[0]).toBeLessThanOrEqual(10);
});

test('entity references from other subgraphs are resolved in one batch', async () => {
  const { educators } = await graph.as(regionAdmin).data(`{ educators(first: 50) { nodes { id } } }`);
  const representations = educators.nodes.map((e: { id: string }) => ({ __typename: 'Educator', id: e.id }));
  // The query a gateway sends to resolve Educator references for another subgraph.
  const count = await graph.countSql(async () => {
    const { _entities } = await graph.subgraph('staff', regionAdmin).data(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Educator { fullName employments { organization { name } } } } }`, { r: representations });
    expect(_entities).toHaveLength(50);
  });
  expect(count).toBe(3);
});

test('Relay: nodes(ids) of 10 and of 50 educators with their employments cost the same SQL', async () => {
  const admin = graph.as(regionAdmin);
  const { educators } = await admin.data(`{ educators(first: 50) { nodes { id } } }`);
  const ids: string[] = educators.nodes.map((e: { id: string }) => e.id);
  const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Educator { fullName employments { organization { name municipality { name } } } } } }`;
  const counts: number[] = [];
  for (const n of [10, 50]) {
    counts.push(await graph.countSql(async () => {
      const { nodes } = await admin.data(query, { ids: ids.slice(0, n) });
      expect(nodes.map((node: { id: string }) => node.id)).toEqual(ids.slice(0, n));
    }));
  }
  // the ids' types, educators, employments, organizations, municipalities
  expect(counts[1]).toBe(counts[0]);
  expect(counts[0]).toBeLessThanOrEqual(5);
});
