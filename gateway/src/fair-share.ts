/**
 * The gateway's part of "no caller can starve the others" (issue 14; the limiter is the platform's fair-share.ts):
 * the file routes that cost the most (the educator exports, the indicator export) take a slot of the limiter for
 * their caller before they start, and answer 429 with Retry-After past it. GraphQL operations are limited by the
 * platform's plugin (createApolloServer); a calendar build by calendar.ts. A route's own GraphQL operation, run
 * through the gateway, is not counted a second time (`markAdmitted`).
 */
import type { RequestHandler, Response } from 'express';
import { authenticate, callerKey, RateLimitedError, type FairShare } from '@mms/platform';

/** A RATE_LIMITED refusal over HTTP: 429, Retry-After, GraphQL-style JSON. */
export function sendRateLimited(res: Response, error: RateLimitedError): void {
  res.setHeader('Retry-After', String(error.retryAfter));
  res.status(429).json({ errors: [{ message: error.message, extensions: { code: 'RATE_LIMITED', retryAfter: error.retryAfter } }] });
}

/** Middleware in front of an expensive file route: one slot of `fairShare` for the signed-in caller, held until the response ends. */
export function fairShareRoute(fairShare: FairShare): RequestHandler {
  return async (req, res, next) => {
    if (!fairShare.options.enabled) {
      next();
      return;
    }
    let key: string;
    try {
      const viewer = await authenticate(req.header('authorization'));
      // Without a token the route itself answers 401; nothing expensive happens.
      if (viewer.role === 'anonymous') {
        next();
        return;
      }
      key = callerKey(viewer);
    } catch {
      next();
      return;
    }
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    try {
      const release = await fairShare.acquire(key, gone.signal);
      if (gone.signal.aborted) {
        release();
        return;
      }
      res.once('close', release);
      next();
    } catch (error) {
      if (error instanceof RateLimitedError) sendRateLimited(res, error);
      else if (!gone.signal.aborted) next(error);
    }
  };
}
