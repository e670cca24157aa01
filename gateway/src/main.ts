import { defaultPorts, logger, prepareTokenVerification, subgraphNames } from '@mms/platform';
import { subgraphUrl, supergraphFile } from './compose';
import { httpDataSources, startGatewayServer } from './gateway';
import { watchedSupergraph } from './supergraph-watch';

async function main() {
  await prepareTokenVerification();
  const server = await startGatewayServer({
    // SUPERGRAPH_FILE: a supergraph kept elsewhere (a mounted ConfigMap); reloaded whenever it changes.
    supergraphSdl: watchedSupergraph(process.env.SUPERGRAPH_FILE || supergraphFile),
    buildService: httpDataSources(subgraphUrl),
    readinessUrls: subgraphNames.map((name) => subgraphUrl(name).replace(/\/graphql$/, '/ready')),
    port: Number(process.env.PORT ?? defaultPorts.gateway),
    filesUrl: subgraphUrl('profdev').replace(/\/graphql$/, '/files'),
  });
  const stop = async () => { await server.stop(); process.exit(0); };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error) => { logger.fatal({ err: error }, 'gateway did not start'); process.exit(1); });
