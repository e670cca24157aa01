/**
 * `/files` (issue 19): files of practices and materials, kept by the profdev subgraph in PostgreSQL and served by its
 * own `/files` route. The gateway proxies both ways as streams (the body of an upload and of a download pass through
 * without being held here), forwarding the caller's Authorization header and the request id: the subgraph verifies
 * the token and decides who may upload or read, as it does for GraphQL. `POST /files?practiceId=…&name=…` (or
 * `materialId`) uploads; `GET /files/<id>` downloads (no token needed for public files). See
 * services/profdev/src/materials/files.ts for the rules (size limit, content checked against the declared type).
 */
import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { logger, requestIdHeader } from '@mms/platform';

/** The headers of the subgraph's answer that reach the caller. */
const passed = ['content-type', 'content-length', 'content-disposition', 'etag', 'cache-control', 'x-content-type-options', 'www-authenticate', 'connection'];

export function filesRouter(filesUrl: string | undefined): Router {
  const router = express.Router();
  const forward = async (req: Request, res: Response, target: string) => {
    if (!filesUrl) {
      res.status(503).json({ errors: [{ message: 'files are not configured on this gateway', extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'profdev' } }] });
      return;
    }
    const incoming = req.header(requestIdHeader);
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader(requestIdHeader, requestId);
    const headers: Record<string, string> = { [requestIdHeader]: requestId };
    for (const name of ['authorization', 'content-type', 'content-length', 'if-none-match']) {
      const value = req.header(name);
      if (value) headers[name] = value;
    }
    const abort = new AbortController();
    res.on('close', () => { if (!res.writableFinished) abort.abort(); });
    try {
      const upload = req.method === 'POST';
      const answer = await fetch(`${filesUrl}${target}`, {
        method: req.method, headers, signal: abort.signal,
        ...(upload ? { body: Readable.toWeb(req) as unknown as BodyInit, duplex: 'half' } : {}),
      } as RequestInit);
      res.status(answer.status);
      for (const name of passed) {
        const value = answer.headers.get(name);
        if (value) res.setHeader(name, value);
      }
      if (!answer.body) {
        res.end();
        return;
      }
      Readable.fromWeb(answer.body as never).on('error', () => res.destroy()).pipe(res);
    } catch (error) {
      if (abort.signal.aborted) return;
      logger.warn({ err: error, service: 'gateway', requestId }, 'files: the profdev subgraph could not be reached');
      if (!res.headersSent) res.status(502).json({ errors: [{ message: 'the profdev subgraph could not be reached', extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'profdev' } }] });
      else res.destroy();
    }
  };
  router.post('/', (req, res) => forward(req, res, `?${new URLSearchParams(req.query as Record<string, string>).toString()}`));
  router.get('/:id', (req, res) => forward(req, res, `/${encodeURIComponent(String(req.params.id))}`));
  return router;
}
