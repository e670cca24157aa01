import { runSubgraph } from '@mms/platform';
import { indicatorsSubgraph } from './index';

void runSubgraph(indicatorsSubgraph);
