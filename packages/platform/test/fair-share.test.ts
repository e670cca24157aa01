import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { FairShare, isExpensiveOperation, RateLimitedError } from '../src/fair-share';

/** Which operations count as expensive (from the operation alone), and the limiter's queue (issue 14). */
function expensive(query: string, variables: Record<string, unknown> = {}): boolean {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(document.definitions
    .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  return isExpensiveOperation(operation, fragments, variables);
}

test('trends, breakdowns and drill-downs are expensive wherever they are asked; a plain indicator table and mutations are not', () => {
  expect(expensive('{ indicatorValues(scope: { region: true }, academicYear: "2025/2026") { value target } }')).toBe(false);
  expect(expensive('{ municipalities { id } }')).toBe(false);
  expect(expensive('{ indicatorTrend(code: NO_COMPLAINTS, scope: { region: true }, academicYears: ["2025/2026"]) { value } }')).toBe(true);
  expect(expensive('{ indicatorValues(scope: { region: true }, academicYear: "2025/2026") { breakdown { value } } }')).toBe(true);
  expect(expensive('{ municipality(id: "x") { indicators(academicYear: "2025/2026") { numeratorEducators { totalCount } } } }')).toBe(true);
  // Through fragments, named and inline.
  expect(expensive('{ indicatorValues(scope: { region: true }, academicYear: "2025/2026") { ...Row } } fragment Row on IndicatorValue { denominatorEducators { totalCount } }')).toBe(true);
  expect(expensive('{ indicatorValues(scope: { region: true }, academicYear: "2025/2026") { ... on IndicatorValue { breakdown { value } } } }')).toBe(true);
  // @include / @skip decide, with the request's variables.
  const optional = 'query ($b: Boolean!) { indicatorValues(scope: { region: true }, academicYear: "2025/2026") { value breakdown @include(if: $b) { value } } }';
  expect(expensive(optional, { b: false })).toBe(false);
  expect(expensive(optional, { b: true })).toBe(true);
  expect(expensive('{ indicatorValues(scope: { region: true }, academicYear: "2025/2026") { breakdown @skip(if: true) { value } } }')).toBe(false);
  expect(expensive('mutation { freezeIndicatorReport(input: { academicYear: "2025/2026" }) { id } }')).toBe(false);
});

test('the limiter: per caller and in total, a bounded queue, RATE_LIMITED with retryAfter past it; a freed slot goes to a caller under its limit', async () => {
  const limiter = new FairShare({ enabled: true, perCaller: 1, total: 2, queue: 2, queueWaitMs: 200, dbConnections: 1 });
  const a1 = await limiter.acquire('a');
  // The same caller again: waits in the queue; a third from it is refused at once.
  const a2 = limiter.acquire('a');
  await expect(limiter.acquire('a')).rejects.toBeInstanceOf(RateLimitedError);
  // Another caller passes the queued one (which waits for its own caller's slot, not for the total).
  const b1 = await limiter.acquire('b');
  expect(limiter.state()).toEqual({ running: 2, queued: 1 });
  // Total reached: c waits; d fills the queue; e is refused with a retry-after of at least 1 s.
  const c1 = limiter.acquire('c');
  const refused = await limiter.acquire('e').catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(RateLimitedError);
  expect((refused as RateLimitedError).retryAfter).toBeGreaterThanOrEqual(1);
  expect((refused as RateLimitedError).extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  // a's slot freed: the first waiter whose caller is under its limit gets it (a's own second request).
  a1();
  a1(); // idempotent
  const a2release = await a2;
  expect(limiter.state()).toEqual({ running: 2, queued: 1 });
  b1();
  (await c1)();
  a2release();
  expect(limiter.state()).toEqual({ running: 0, queued: 0 });
  // A waiter past its wait is refused, and leaves the queue.
  const x = await limiter.acquire('x');
  const y = await limiter.acquire('y');
  await expect(limiter.acquire('z')).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  expect(limiter.state()).toEqual({ running: 2, queued: 0 });
  x();
  y();
});

test('switched off, the limiter admits everything', async () => {
  const limiter = new FairShare({ enabled: false, perCaller: 1, total: 1, queue: 1, queueWaitMs: 10, dbConnections: 1 });
  const releases = await Promise.all(Array.from({ length: 5 }, () => limiter.acquire('a')));
  expect(releases).toHaveLength(5);
});
