/**
 * The GraphQL of the bench's front-end journeys (bench/run.ts), in a module of its own so that a test can hold the
 * query limits to them (gateway/test/cost.test.ts: every journey stays within the cost limit).
 */
export const queries = {
  baseline: '{ municipalities { id } }',
  staffPage: `query StaffPage($organizationId: ID!, $day: Date!) {
    educators(first: 50, filter: { organizationId: $organizationId, employedOn: $day }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id fullName
        employments(activeOn: $day) { id position rate isMainJob startedOn endedOn
          organization { id shortName municipality { id name } } } } }
    }
  }`,
  regionPage: `query RegionPage($after: String) {
    educators(first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { id fullName } }
    }
  }`,
  search: `query Search($text: String!) {
    educators(first: 50, filter: { nameContains: $text }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id fullName } }
    }
  }`,
  // ---- the front-end journeys (issue 10, "What npm run bench measures", 1) ----
  /** (a) An organization's staff page: staff (employments, current category) and profdev (last upskilling, overdue, active route). */
  orgStaffPage: `query OrganizationStaffPage($organizationId: ID!, $day: Date!, $first: Int!) {
    educators(first: $first, filter: { organizationId: $organizationId, employedOn: $day }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id fullName
        employments(activeOn: $day) { id position rate isMainJob startedOn organization { id shortName } }
        category(on: $day) { category validUntil }
        lastUpskilling { completedOn program { title hours } }
        isUpskillingOverdue(on: $day)
        activeRoute(on: $day) { id title periodTo progress { total done open share } } } }
    }
  }`,
  /** (b) One educator's full profile across the four subgraphs. */
  profile: `query EducatorProfile($id: ID!) {
    educator(id: $id) { ...Profile }
  }`,
  /** (b) over a page of educators: the same fields, for SQL per request at 10 and 100 educators. */
  profilePage: `query EducatorProfiles($organizationId: ID!, $first: Int!) {
    educators(first: $first, filter: { organizationId: $organizationId }) { totalCount nodes { ...Profile } }
  }`,
  /** (b), the part the staff subgraph answers alone: through the gateway and straight to the subgraph. */
  profileStaff: `query EducatorProfileStaff($id: ID!) {
    educator(id: $id) { id fullName birthDate snils email phone pedagogicalWorkStartedOn educationLevel experienceYears
      employments { id position rate isMainJob startedOn endedOn organization { id shortName municipality { id name } } }
      category { category validUntil } categoryHistory { id category position awardedOn validUntil orderNumber }
      attestations { id requestedCategory filedOn stage outcome decidedOn } }
  }`,
  /** (b), diagnostics with every score and how it moved since the previous diagnostic (profdev alone): checked and explained once. */
  profileScores: `query EducatorDiagnosticScores($id: ID!) {
    educator(id: $id) { id diagnostics { id takenOn scores { competency { code } score threshold isDeficit previousScore change } } }
  }`,
  /** (c) A competition's results page: final results with the educators and their organizations. */
  results: `query CompetitionResults($id: ID!) {
    competition(id: $id) { id title year level municipality { id name } nominations { id title } stages { id ordinal title isClosed }
      finalResults { place score outcome isAdvanced jurorsCounted nomination { id title }
        educator { id fullName } organization { id shortName municipality { name } } } }
  }`,
  /** (c), the part the events subgraph answers alone. */
  resultsEvents: `query CompetitionResultsEvents($id: ID!) {
    competition(id: $id) { id title year level nominations { id title } stages { id ordinal title isClosed }
      finalResults { place score outcome isAdvanced jurorsCounted nomination { id title } educator { id } organization { id } } }
  }`,
};
export const profileFragment = `fragment Profile on Educator {
  id fullName birthDate snils email phone pedagogicalWorkStartedOn educationLevel experienceYears
  employments { id position rate isMainJob startedOn endedOn organization { id shortName municipality { id name } } }
  category { category validUntil } categoryHistory { id category position awardedOn validUntil orderNumber }
  attestations { id requestedCategory filedOn stage outcome decidedOn }
  diagnostics { id takenOn instrument deficits { competency { code title } score threshold } }
  deficits { competency { code title } score threshold }
  routes { id title periodFrom periodTo status progress { total done dropped open share }
    items { id position activityKind title plannedFrom plannedTo doneOn isDropped competency { code } program { id title } } }
  completions { id startedOn completedOn program { id title kind hours } }
  isUpskillingOverdue
  mentorships { id form startedOn endedOn mentor { id fullName } mentee { id fullName } }
  supportReceived { id givenOn form topic methodist { id fullName } }
  participations { id role isAttended event { id title kind startsOn status } }
  competitionApplications { id status filedOn competition { id title year } }
  competitionResults { place score outcome stage { id title competition { id title year } } nomination { title } }
}`;
queries.profile += `\n${profileFragment}`;
queries.profilePage += `\n${profileFragment}`;
