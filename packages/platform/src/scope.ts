import type { Viewer } from './auth';
import { unauthenticated } from './errors';

/**
 * The part of the region a caller acts on, from their token. Every store turns it into a SQL condition:
 * rows are filtered in the database, not after they are read (docs/architecture.md, rule 7).
 */
export type Scope =
  | { kind: 'region' }
  | { kind: 'municipality'; municipalityId: string }
  | { kind: 'organization'; organizationId: string }
  | { kind: 'educator'; educatorId: string };

/** What a signed-in viewer may read. Anonymous callers get UNAUTHENTICATED (only the public calendar is open). */
export function readScope(viewer: Viewer): Scope {
  switch (viewer.role) {
    case 'anonymous':
      throw unauthenticated('sign in: this part of the graph needs a token');
    case 'region_admin':
    case 'analyst':
      return { kind: 'region' };
    case 'municipality_methodist':
    case 'integration':
      return { kind: 'municipality', municipalityId: viewer.municipalityId! };
    case 'organization_admin':
      return { kind: 'organization', organizationId: viewer.organizationId! };
    case 'educator':
      return { kind: 'educator', educatorId: viewer.educatorId! };
  }
}
