import { defaultPorts, logger, prepareTokenVerification } from '@mms/platform';
import { readSupergraph, subgraphUrl } from './compose';
import { httpDataSources, startGatewayServer } from './gateway';

async function main() {
  await prepareTokenVerification();
  const server = await startGatewayServer({
    supergraphSdl: readSupergraph(),
    buildService: httpDataSources(subgraphUrl),
    port: Number(process.env.PORT ?? defaultPorts.gateway),
  });
  const stop = async () => { await server.stop(); process.exit(0); };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error) => { logger.fatal({ err: error }, 'gateway did not start'); process.exit(1); });
