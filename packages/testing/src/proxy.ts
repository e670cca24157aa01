import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  /** The proxy's URL with the target's path, e.g. http://127.0.0.1:PORT/graphql. */
  url: string;
  close(): Promise<void>;
}

/**
 * An HTTP proxy on loopback between the gateway and a subgraph, telling each request it passes on to `onRequest`:
 * the HTTP tests count subgraph calls and read the headers the gateway forwards through it.
 */
export async function startRecordingProxy(target: string, onRequest: (request: http.IncomingMessage) => void, path = '/graphql'): Promise<RecordingProxy> {
  const proxy = http.createServer((req, res) => {
    onRequest(req);
    const upstream = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${path}`,
    close: async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
