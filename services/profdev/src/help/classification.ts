import { aboutPerson, open, personal, personalOf, type Classification } from '@mms/platform';

/**
 * Requests for help and support sessions (issue 20), appended to the profdev table by `extendClassification`.
 *
 * Personal: the name and contact of a requester outside the registry. A request's topic, answer and decline reason are
 * the requester's own matter (they may also concern other people): personal data of the requesting educator, which
 * they read on their own request and which needs 'personal:read' otherwise (an analyst never reaches a request). A
 * support session's topic is a note about people, as Support.topic.
 */
export const helpClassification: Classification = {
  Query: {
    helpRequests: open,
    'helpRequests(filter)': open,
    'helpRequests(first)': open,
    helpRequest: open,
    'helpRequest(id)': open,
    overdueHelpRequests: open,
    'overdueHelpRequests(municipalityId)': open,
    'overdueHelpRequests(on)': open,
    helpQuality: open,
    'helpQuality(from)': open,
    'helpQuality(to)': open,
    'helpQuality(municipalityId)': open,
    supportSessions: open,
    'supportSessions(from)': open,
    'supportSessions(to)': open,
    'supportSessions(municipalityId)': open,
  },
  Mutation: {
    fileHelpRequest: open,
    'fileHelpRequest(input)': open,
    assignHelpRequest: open,
    'assignHelpRequest(id)': open,
    'assignHelpRequest(methodistId)': open,
    'assignHelpRequest(on)': open,
    startHelpRequest: open,
    'startHelpRequest(id)': open,
    answerHelpRequest: open,
    'answerHelpRequest(input)': open,
    closeHelpRequest: open,
    'closeHelpRequest(id)': open,
    'closeHelpRequest(on)': open,
    declineHelpRequest: open,
    'declineHelpRequest(id)': open,
    'declineHelpRequest(reason)': aboutPerson,
    'declineHelpRequest(on)': open,
    rateHelpRequest: open,
    'rateHelpRequest(id)': open,
    'rateHelpRequest(rating)': open,
    recordSupportSession: open,
    'recordSupportSession(input)': open,
  },
  Educator: {
    supportSessions: open,
  },
  HelpRequest: {
    id: open,
    municipalityId: open,
    requesterKind: open,
    requesterEducator: open,
    requesterOrganization: open,
    requesterName: personal,
    requesterContact: personal,
    topic: personalOf('requesterEducatorId'),
    subjectArea: open,
    kind: open,
    status: open,
    filedOn: open,
    dueOn: open,
    isOverdue: open,
    methodist: open,
    methodistId: open,
    assignedOn: open,
    answeredOn: open,
    answer: personalOf('requesterEducatorId'),
    support: open,
    supportSessions: open,
    closedOn: open,
    declinedOn: open,
    declineReason: personalOf('requesterEducatorId'),
    rating: open,
    ratedOn: open,
  },
  HelpRequestFilter: {
    municipalityId: open,
    status: open,
    methodistId: open,
    kind: open,
  },
  OutsiderInput: {
    name: personal,
    contact: personal,
  },
  FileHelpRequestInput: {
    municipalityId: open,
    educatorId: open,
    organizationId: open,
    outsider: open,
    topic: aboutPerson,
    subjectArea: open,
    kind: open,
    filedOn: open,
  },
  AnswerHelpRequestInput: {
    id: open,
    answer: aboutPerson,
    answeredOn: open,
    supportIds: open,
    supportSessionIds: open,
  },
  HelpQuality: {
    municipalityId: open,
    filedCount: open,
    answeredCount: open,
    answeredOnTimeCount: open,
    onTimeShare: open,
    ratedCount: open,
    averageRating: open,
    overdueCount: open,
  },
  SupportSession: {
    id: open,
    municipalityId: open,
    methodist: open,
    methodistId: open,
    heldOn: open,
    form: open,
    topic: aboutPerson,
    organization: open,
    participants: open,
    participantCount: open,
    othersCount: open,
    helpRequest: open,
    routeItemId: open,
    association: open,
  },
  RecordSupportSessionInput: {
    methodistId: open,
    municipalityId: open,
    heldOn: open,
    form: open,
    topic: aboutPerson,
    organizationId: open,
    participantIds: open,
    othersCount: open,
    helpRequestId: open,
    routeItemId: open,
    associationId: open,
  },
};

/** Adds a module's entries to the subgraph's table (one block per feature keeps merges easy). */
export function extendClassification(table: Classification, extra: Classification): void {
  const target = table as Record<string, Record<string, unknown>>;
  for (const [type, fields] of Object.entries(extra)) {
    const existing = target[type];
    const clash = existing && Object.keys(fields).find((field) => field in existing);
    if (clash) throw new Error(`classification of ${type}.${clash} is given twice`);
    target[type] = { ...(existing ?? {}), ...fields };
  }
}
