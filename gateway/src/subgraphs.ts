import type { SubgraphDefinition } from '@mms/platform';
import { indicatorsSubgraph } from '@mms/indicators';
import { profdevSubgraph } from '@mms/profdev';
import { staffSubgraph } from '@mms/staff';
import { eventsSubgraph } from '@mms/events';

/** Every subgraph of the supergraph, in composition order. A new subgraph is added here and in config.subgraphNames. */
export const subgraphs: SubgraphDefinition<any>[] = [staffSubgraph, profdevSubgraph, eventsSubgraph, indicatorsSubgraph];
