import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { authenticate, type Viewer } from './auth';
import { logger, type Logger } from './logger';

/** What every resolver of every subgraph gets; a subgraph adds its loaders on top. */
export interface BaseContext {
  viewer: Viewer;
  requestId: string;
  log: Logger;
  db: Knex;
}

export const requestIdHeader = 'x-request-id';

/** Headers as the HTTP server and the in-process test data source both see them. */
export type HeaderGetter = (name: string) => string | undefined | null;

/** Verifies the token and names the request: the same path for HTTP and for the in-process test graph. */
export async function baseContext(header: HeaderGetter, db: Knex, service: string): Promise<BaseContext> {
  const requestId = validRequestId(header(requestIdHeader)) ?? randomUUID();
  const log = logger.child({ requestId, service });
  const viewer = await authenticate(header('authorization'));
  return { viewer, requestId, log, db };
}

function validRequestId(value: string | undefined | null): string | undefined {
  return value && /^[\w.-]{1,100}$/.test(value) ? value : undefined;
}
