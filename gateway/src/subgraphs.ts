import type { SubgraphDefinition } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { eventsSubgraph } from '@mms/events';

/** Every subgraph of the supergraph, in composition order. A new subgraph is added here and in config.subgraphNames. */
export const subgraphs: SubgraphDefinition<any>[] = [staffSubgraph, eventsSubgraph];
