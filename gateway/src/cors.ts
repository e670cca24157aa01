/**
 * CORS for browser front-ends on other origins (issue 17): `/graphql`, the exports (`/export/...`) and the calendar
 * (`/calendar.ics`) answer the origins listed in `CORS_ORIGINS` (comma-separated, exact origins such as
 * `https://app.example.org`; none by default, so a browser on another origin is refused by the browser).
 *
 * - Allowed request headers: Authorization, Content-Type, the request id (x-request-id) and Apollo's two
 *   preflight headers (clients such as Apollo Client send them).
 * - Exposed response headers: Retry-After (the 429s of the fair-share limiter), x-request-id (to quote in a report),
 *   and Content-Disposition and ETag (the exports' file name, the calendar's revision).
 * - Preflights are cached by the browser for `Access-Control-Max-Age` (7200 s: Chromium's ceiling).
 * - No credentials (`Access-Control-Allow-Credentials` is never sent): the graph authenticates by the Authorization
 *   header, which a page sets itself, never by cookies the browser would add.
 *
 * Only the browser enforces CORS; the server answers every request as before (the token is the wall).
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import { requestIdHeader } from '@mms/platform';

export const corsMaxAgeSeconds = 7200;

/** The origins of `CORS_ORIGINS` (or `value`), each checked to be an origin: scheme, host and port, no path. */
export function corsOrigins(value: string | undefined = process.env.CORS_ORIGINS): string[] {
  const origins = (value ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try { parsed = new URL(origin); } catch { /* reported below */ }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new Error(`CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin (write it as scheme://host[:port], e.g. https://app.example.org, without a path or a trailing slash)`);
    }
  }
  return origins;
}

/** The CORS middleware for the listed origins; with none it does nothing (same-origin use only). */
export function corsMiddleware(origins: readonly string[]): RequestHandler {
  if (origins.length === 0) return (_req, _res, next) => next();
  return cors({
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', requestIdHeader, 'Apollo-Require-Preflight', 'X-Apollo-Operation-Name'],
    exposedHeaders: ['Retry-After', requestIdHeader, 'Content-Disposition', 'ETag'],
    credentials: false,
    maxAge: corsMaxAgeSeconds,
    optionsSuccessStatus: 204,
  });
}
