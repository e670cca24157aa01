import type { EmploymentRow } from './store/employments';

/**
 * Why a new employment cannot stand beside the educator's overlapping ones, or null when it can.
 * - one main job at a time (Labour Code, art. 60.1: other jobs are part-time, совместительство);
 * - the same position in the same organization is not held twice over the same days (raise the rate instead).
 * `overlapping` are the educator's employments whose periods overlap the candidate's.
 */
export function employmentConflict(
  overlapping: readonly EmploymentRow[],
  candidate: { organizationId: string; position: string; isMainJob: boolean },
): string | null {
  const samePosition = overlapping.find((e) => e.organizationId === candidate.organizationId
    && e.position.trim().toLowerCase() === candidate.position.trim().toLowerCase());
  if (samePosition) return `the educator already holds this position here from ${samePosition.startedOn}${samePosition.endedOn ? ` to ${samePosition.endedOn}` : ''}`;
  const mainJob = candidate.isMainJob && overlapping.find((e) => e.isMainJob);
  if (mainJob) return `the educator already has a main job over these days (from ${mainJob.startedOn}); record this one as part-time`;
  return null;
}

/** Whether an employment is in force on a day (both ends included). */
export function isEmploymentActive(employment: Pick<EmploymentRow, 'startedOn' | 'endedOn'>, day: string): boolean {
  return employment.startedOn <= day && (employment.endedOn === null || employment.endedOn >= day);
}
