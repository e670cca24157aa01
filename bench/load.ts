/**
 * The load generator, in a process of its own so that it does not share an event loop with the gateway and the
 * subgraph it measures. bench/run.ts forks it and sends one scenario at a time over IPC; it answers with figures.
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  id: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The body every response must have, byte for byte (checked once before the run). */
  expectedBody: string;
  connections: number;
  /** Seconds of load measured, after `warmupSeconds` of load that is checked but not measured. */
  seconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  id: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /**
   * Socket errors (timeouts included, and also counted apart), non-2xx answers, and 2xx answers whose body differed
   * from the one checked (a GraphQL error, a partial page).
   */
  failures: { errors: number; timeouts: number; non2xx: number; mismatches: number };
  firstBadBody?: string;
}

async function fire(request: LoadRequest, seconds: number): Promise<LoadResult> {
  let firstBadBody: string | undefined;
  const latencies: number[] = [];
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({
      url: request.url,
      method: 'POST',
      headers: request.headers,
      body: request.body,
      connections: request.connections,
      duration: seconds,
      timeout: 10,
      verifyBody: (body) => {
        if (body === request.expectedBody) return true;
        firstBadBody ??= String(body).slice(0, 500);
        return false;
      },
    }, (error, result) => (error ? reject(error) : resolve(result)));
  });
  // autocannon's own histogram keeps whole milliseconds; these are the exact times, for p50 and p99 below 10 ms.
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await done;
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : Number.NaN);
  return {
    id: request.id,
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    p50: percentile(50),
    p95: percentile(95),
    p99: percentile(99),
    failures: { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, mismatches: result.mismatches },
    firstBadBody,
  };
}

function add(a: LoadResult['failures'], b: LoadResult['failures']): LoadResult['failures'] {
  return { errors: a.errors + b.errors, timeouts: a.timeouts + b.timeouts, non2xx: a.non2xx + b.non2xx, mismatches: a.mismatches + b.mismatches };
}

process.on('message', (message: LoadRequest) => {
  void (async () => {
    try {
      const warmup = message.warmupSeconds > 0 ? await fire(message, message.warmupSeconds) : undefined;
      const measured = await fire(message, message.seconds);
      // A failure while warming up fails the run too: every answer counts for correctness.
      if (warmup) {
        measured.failures = add(measured.failures, warmup.failures);
        measured.firstBadBody ??= warmup.firstBadBody;
      }
      process.send!(measured);
    } catch (error) {
      process.send!({ id: message.id, error: String(error instanceof Error ? error.stack : error) });
    }
  })();
});
// The parent going away (a crash, Ctrl+C) ends this process too.
process.on('disconnect', () => process.exit(0));
