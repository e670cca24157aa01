import { runSubgraph } from '@mms/platform';
import { staffSubgraph } from './index';

void runSubgraph(staffSubgraph);
