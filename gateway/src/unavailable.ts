/**
 * A subgraph that cannot be reached (its process is down or restarting, its port refuses, the connection breaks, a
 * proxy in front of it answers 502/503/504). The rest of the query still answers: the fields that subgraph owns are
 * null, and each carries an error naming its path and the service,
 *   { message: 'the profdev subgraph is unavailable; try again shortly', path: ['educators', 'nodes', 0, 'diagnostics'],
 *     extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: 'profdev' } }
 * never the subgraph's URL, host or port.
 */
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError, Kind, parse, type DocumentNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';

export class SubgraphUnavailableError extends GraphQLError {
  constructor(readonly service: string, readonly reason: string) {
    super(`the ${service} subgraph is unavailable; try again shortly`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', service } });
  }
}

/** Error codes of a connection that could not be made or broke before the answer was read. */
const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether a data source's error is a connection failure (undici's "fetch failed" with a socket-level cause). */
export function isConnectionFailure(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && typeof cause === 'object' && depth < 5; cause = (cause as { cause?: unknown }).cause, depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && connectionCodes.has(code)) return true;
    if ((cause as Error).name === 'TypeError' && (cause as Error).message === 'fetch failed') return true;
  }
  return false;
}

/** Reasons that prove the request never reached the subgraph. */
const neverSent = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT|HTTP 50[234])$/;

/** HTTP statuses of a proxy or load balancer that has no subgraph behind it right now. */
export const unavailableStatuses = new Set([502, 503, 504]);

/** The response keys of a selection set (fields of inline fragments included), without `__typename`. */
function responseKeys(selectionSet: SelectionSetNode | undefined): string[] {
  const keys: string[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD && selection.name.value !== '__typename') keys.push(selection.alias?.value ?? selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) keys.push(...responseKeys(selection.selectionSet));
  }
  return [...new Set(keys)];
}

/**
 * The answer a data source gives instead of throwing: one error per field the subgraph was asked for, with the
 * path of that field in the subgraph's operation. The gateway places it in the client's answer (a root field's path
 * as it is; an entity fetch's `_entities.0.<field>` becomes the path of the first entity's field, as it does for
 * errors a subgraph reports itself).
 */
export function unavailableAnswer(error: SubgraphUnavailableError, options: Pick<GraphQLDataSourceProcessOptions, 'request'> & { document?: DocumentNode }): { errors: GraphQLFormattedError[] } {
  let document = options.document;
  try {
    document ??= options.request.query ? parse(options.request.query) : undefined;
  } catch {
    document = undefined;
  }
  const operation = document?.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const extensions = { code: 'SUBGRAPH_UNAVAILABLE', service: error.service };
  // A mutation whose connection broke after it was sent may have been carried out: the client must not be told to
  // simply send it again. A refused connection (or a proxy's 502/503/504) means it never reached the subgraph.
  if (operation?.kind === Kind.OPERATION_DEFINITION && operation.operation === 'mutation' && !neverSent.test(error.reason)) {
    error = Object.assign(new SubgraphUnavailableError(error.service, error.reason), {
      message: `the ${error.service} subgraph's connection broke before it answered: the change may or may not have been made; read it back before sending it again`,
    });
  }
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return { errors: [{ message: error.message, extensions }] };
  const roots = operation.selectionSet.selections;
  const entities = roots.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
  const representations = (options.request.variables?.representations as unknown[] | undefined)?.length ?? 0;
  const paths = entities && entities.kind === Kind.FIELD
    ? (representations > 0 ? responseKeys(entities.selectionSet).map((key) => ['_entities', 0, key]) : [])
    : responseKeys(operation.selectionSet).map((key) => [key]);
  if (paths.length === 0) return { errors: [{ message: error.message, extensions }] };
  return { errors: paths.map((path) => ({ message: error.message, path, extensions })) };
}
