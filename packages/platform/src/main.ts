import { prepareTokenVerification } from './auth';
import { prepareCursorKeys } from './connection';
import { defaultPorts, type SubgraphName } from './config';
import { poolSize, statementTimeoutMs, subgraphKnex, subgraphDatabaseUrl } from './db';
import { logger } from './logger';
import { startSubgraphServer, type SubgraphDefinition } from './subgraph';

/** The whole of a subgraph's main.ts: connect as its role, serve, and stop cleanly on a signal. */
export async function runSubgraph(definition: SubgraphDefinition<any>): Promise<void> {
  await prepareTokenVerification();
  prepareCursorKeys();
  const db = subgraphKnex(definition.name, subgraphDatabaseUrl(definition.name), poolSize(definition.name), { statementTimeoutMs: statementTimeoutMs() });
  const port = Number(process.env.PORT ?? defaultPorts[definition.name as SubgraphName] ?? 0);
  const server = await startSubgraphServer(definition, db, port);
  const stop = async (signal: string) => {
    logger.info({ signal }, `${definition.name} stopping`);
    await server.stop();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
