import http from 'node:http';
import { listen } from '../src/subgraph';

/**
 * Graceful shutdown (a deploy or a scale-in stops a process): requests in flight get their answers, new connections
 * are refused, idle keep-alive connections do not hold the process until the grace period ends.
 */
function slowServer(delayMs: number) {
  return http.createServer((req, res) => {
    const timer = setTimeout(() => { res.setHeader('content-type', 'text/plain'); res.end(`done ${req.url}`); }, delayMs);
    res.on('close', () => clearTimeout(timer));
  });
}

test('a stopping server finishes the requests in flight and refuses new ones', async () => {
  const server = await listen(slowServer(400), 0, async () => {}, 'slow');
  const inFlight = fetch(`${server.url}/first`).then(async (response) => ({ status: response.status, body: await response.text() }));
  await new Promise((resolve) => setTimeout(resolve, 100)); // the request has reached the handler
  const stopping = server.stop();
  expect(server.isDraining()).toBe(true);
  expect(await inFlight).toEqual({ status: 200, body: 'done /first' });
  await stopping;
  await expect(fetch(`${server.url}/second`)).rejects.toThrow();
});

test('idle keep-alive connections do not hold a stopping server for the whole grace period', async () => {
  process.env.SHUTDOWN_GRACE_MS = '30000';
  try {
    const server = await listen(slowServer(0), 0, async () => {}, 'idle');
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      http.get(`${server.url}/warm`, { agent }, (res) => { res.resume(); res.on('end', () => resolve()); }).on('error', reject);
    });
    const started = Date.now();
    await server.stop();
    // Well under the 30 s grace: the idle socket was closed at once rather than waited for.
    expect(Date.now() - started).toBeLessThan(5000);
    agent.destroy();
  } finally {
    delete process.env.SHUTDOWN_GRACE_MS;
  }
});

test('a request still running when the grace period ends is cut, and the server stops anyway', async () => {
  process.env.SHUTDOWN_GRACE_MS = '200';
  try {
    const server = await listen(slowServer(60_000), 0, async () => {}, 'stuck');
    const stuck = fetch(`${server.url}/stuck`).then(() => 'answered', () => 'cut');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await server.stop();
    expect(await stuck).toBe('cut');
  } finally {
    delete process.env.SHUTDOWN_GRACE_MS;
  }
});
