import type { Role, Viewer } from './auth';
import { forbidden, unauthenticated } from './errors';
import { readScope, type Scope } from './scope';

/**
 * Who may do what: the role matrix of docs/architecture.md (rule 7), in one table that every subgraph consults.
 * Rows are scoped: what a role reads is limited by `readScope` (region, its municipality, its organization, itself),
 * and every write is checked against that scope in SQL by the subgraph that owns the data.
 *
 * | role                   | reads                                             | writes                                        |
 * | region_admin           | everything in the region                          | everything                                    |
 * | municipality_methodist | everything of its municipality                    | its municipality's data                       |
 * | organization_admin     | its organization's staff and their records        | its organization's employments, applications  |
 * | educator               | own record, own development, public events        | own registrations and applications            |
 * | analyst                | aggregates, pseudonymous drill-down, no personal  | nothing                                       |
 * | integration            | its municipality, bulk API and change feed        | bulk upserts of its municipality              |
 *
 * Personal data and notes about a person are read field by field, as each subgraph's classification table says
 * (classification.ts): 'personal:read' (an educator: their own record only) and 'person-notes:read'.
 * | anonymous              | the public calendar, open course runs, recommended practices, public materials, published announcements, /feed.xml | nothing |
 */
export const actions = {
  /** Names, birth date and age, SNILS, e-mail, phone (152-FZ). */
  'personal:read': 'read personal data',
  /**
   * Free text written about a person (complaints, support topics and follow-ups, mentorship outcomes, drop and abandon
   * reasons, conflict-of-interest reasons, council decisions) and the link saying whom a complaint concerns. Apart
   * from 'personal:read': integration matches people by name and SNILS but has no business with notes about them.
   */
  'person-notes:read': 'read notes written about a person',
  'audit:read': 'read the audit log',
  'municipality:write': 'register municipalities',
  'organization:write': 'register and change organizations',
  /** An educator's own record (names, SNILS, contacts, education). */
  'educator:write': 'change educators\' records',
  /** Hiring (which may register the person) and ending employments. */
  'employment:write': 'hire educators and end employments',
  'attestation:write': 'record categories and handle attestation requests',
  /** Council and active memberships, internship and base sites: a municipality's own bodies and sites. */
  'municipal-status:write': 'grant and end municipal statuses',
  /** The regional methodist status and the assignments to regional methodists. */
  'regional-status:write': 'grant regional methodist statuses and assignments',
  'bulk:write': 'send bulk imports',
  /** The change feed of a scope, with personal data: what a regional system synchronises from. */
  'changes:read': 'read the change feed',
  /** Merging two records of one person: every reference in every subgraph moves. */
  'educator:merge': 'merge duplicate educators',

  // Professional development (services/profdev).
  'program:write': 'register professional development programs and competencies',
  'completion:write': 'record program completions',
  'diagnostic:write': 'record competency diagnostics',
  /** Drafting and running development routes, assigning route templates to cohorts. */
  'route:write': 'draft and run development routes',
  'mentorship:write': 'record mentorships',
  'support:write': 'record targeted methodological support',
  /** Method associations, their members, yearly plans and publications; the method council and its meetings. */
  'association:write': 'run method associations and the method council',
  'complaint:write': 'record written appeals about the service',
  // Requests for help and surveys of needs (services/profdev, issue 20).
  /** Requests for help in the caller's scope: a municipality's, an organization's, an educator's own. */
  'help-request:read': 'read requests for methodological help',
  /** An educator for themself, an organization admin for their organization, the service for anyone who asked. */
  'help-request:file': 'file requests for methodological help',
  /** Assigning a methodist, answering, closing and declining: the municipality's service. */
  'help-request:handle': 'handle requests for methodological help',
  /** Further limited to the requester of the request itself. */
  'help-request:rate': 'rate the help received',
  'survey:write': 'run surveys of needs',
  'survey:answer': 'answer surveys',
  /** Aggregates only; groups of fewer than 5 answers are suppressed for analysts. */
  'survey-results:read': 'read survey results',
  /** Asking every organization of a scope for a document or figures by a deadline. */
  'data-request:write': 'send data requests to organizations',
  /** Further limited to the organization's own submission. */
  'data-request:submit': 'submit what a data request asks',
  /** Course runs of the municipality's service: planning, opening, enrolling, finishing (issue 24). */
  'course:write': 'run course runs and enrol educators',
  /** Nominating the organization's own staff for course runs. */
  'course:nominate': 'nominate educators for course runs',
  'course:apply-own': 'apply for course runs themself',
  /** Internships at the municipality's internship sites (issue 24). */
  'internship:write': 'record internships at internship sites',
  /** Self-education records of others (methodists, organization admins); an educator's own need 'self-education:own'. */
  'self-education:write': 'record educators\' self-education',
  'self-education:own': 'record their own self-education',
  /** Issue 19: submitting a practice to the bank (an educator: their own, as an author). */
  'practice:submit': 'submit practices to the bank of practices',
  /** Issue 19: studying practices, expert reviews, recommending or declining, recording presentations. */
  'practice:study': 'study, review and recommend practices',
  /** Issue 19: the library of materials and the files attached to materials. */
  'material:write': 'add materials to the library',

  // Events and competitions (services/events).
  'event:write': 'publish and change events',
  /** Registering others and marking attendance; an educator registering themself needs only 'registration:own'. */
  'participation:write': 'register educators for events and mark attendance',
  'registration:own': 'register themself for events',
  /** Competitions, nominations, stages, jury and closing stages. */
  'competition:write': 'run competitions',
  'application:write': 'file competition applications for others',
  'application:own': 'file their own competition applications',
  /** Scoring is further limited to the jurors of the stage, by the events subgraph. */
  'score:write': 'score competition applications',
  'olympiad:write': 'record olympiads and their support tasks',
  'plan:write': 'keep the annual plan',
  /** Issue 19: the service's news (announcements), drafts and publication. */
  'announcement:write': 'write and publish the service\'s announcements',

  // Indicators (services/indicators).
  'indicator:read': 'read effectiveness indicators',
  'target:write': 'set indicator targets',
  'report:write': 'freeze indicator reports',

  // Trusted documents (issue 17, gateway/src/trusted-documents.ts).
  /**
   * Sending documents of one's own, not only those of the trusted-documents manifest, when the gateway runs with
   * PERSISTED_DOCUMENTS: analysts explore, integration's bulk and synchronisation queries come from other systems.
   */
  'documents:ad-hoc': 'send GraphQL documents that are not in the trusted-documents manifest',
} as const;

export type Action = keyof typeof actions;

const everything = Object.keys(actions) as Action[];

export const policy: Record<Role | 'anonymous', readonly Action[]> = {
  region_admin: everything,
  municipality_methodist: ['personal:read', 'person-notes:read', 'organization:write', 'educator:write', 'employment:write', 'attestation:write', 'municipal-status:write',
    'program:write', 'completion:write', 'diagnostic:write', 'route:write', 'mentorship:write', 'support:write', 'association:write', 'complaint:write',
    'course:write', 'internship:write', 'self-education:write',
    'practice:submit', 'practice:study', 'material:write', 'announcement:write',
    'event:write', 'participation:write', 'registration:own', 'competition:write', 'application:write', 'application:own', 'score:write', 'olympiad:write', 'plan:write',
    'indicator:read', 'target:write', 'report:write',
    'help-request:read', 'help-request:file', 'help-request:handle', 'survey:write', 'survey-results:read', 'data-request:write'],
  organization_admin: ['personal:read', 'person-notes:read', 'employment:write', 'completion:write', 'route:write', 'mentorship:write', 'course:nominate', 'self-education:write',
    'event:write', 'participation:write', 'registration:own', 'application:write', 'application:own', 'score:write', 'indicator:read',
    'help-request:read', 'help-request:file', 'help-request:rate', 'data-request:submit'],
  educator: ['personal:read', 'registration:own', 'application:own', 'score:write', 'course:apply-own', 'self-education:own', 'practice:submit',
    'help-request:read', 'help-request:file', 'help-request:rate', 'survey:answer'],
  analyst: ['indicator:read', 'documents:ad-hoc',
    'survey-results:read'],
  integration: ['personal:read', 'bulk:write', 'changes:read', 'documents:ad-hoc'],
  anonymous: [],
};

export function can(viewer: Viewer, action: Action): boolean {
  return policy[viewer.role].includes(action);
}

/**
 * The scope an allowed action acts in. Anonymous callers are UNAUTHENTICATED; signed-in roles without the action are
 * FORBIDDEN with a message that names the role and the action.
 */
export function authorize(viewer: Viewer, action: Action): Scope {
  if (viewer.role === 'anonymous') throw unauthenticated(`sign in: anonymous callers may not ${actions[action]}`);
  if (!can(viewer, action)) throw forbidden(`role ${viewer.role} may not ${actions[action]}`);
  return readScope(viewer);
}

/**
 * How a list of people is ordered for this caller: by name for a caller who may read names; otherwise by id, an order
 * that tells nothing of anyone's name (152-FZ: an alphabetical position is a piece of the name). Lists whose order
 * depends on it name the order in their cursors, so a cursor of one order is refused by the other.
 */
export type PersonOrder = 'name' | 'id';

export function personOrder(viewer: Viewer): PersonOrder {
  return can(viewer, 'personal:read') ? 'name' : 'id';
}
