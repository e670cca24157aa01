import { runSubgraph } from '@mms/platform';
import { profdevSubgraph } from './index';

void runSubgraph(profdevSubgraph);
