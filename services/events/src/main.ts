import { runSubgraph } from '@mms/platform';
import { eventsSubgraph } from './index';

void runSubgraph(eventsSubgraph);
