/** The scope rules live in the platform, over staff's own published views, so every subgraph applies the same ones. */
export { organizationInScope, whereEducatorInScope } from '@mms/platform';
