/**
 * npm run token -- --role municipality_methodist --municipality <id>
 * Mints a token with the embedded run's dev key. Options: --role, --municipality, --organization, --educator,
 * --subject, --expires (e.g. 2h). A role that needs a scope claim (municipality_methodist and integration:
 * --municipality; organization_admin: --organization; educator: --educator) is refused without it: the gateway
 * would refuse the token.
 */
import { parseArgs } from 'node:util';
import { isClaimId, mintDevToken, requiredClaim, roles, type Role } from '@mms/platform';

const optionOf = { municipality_id: 'municipality', organization_id: 'organization', educator_id: 'educator' } as const;

async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'region_admin' },
      municipality: { type: 'string' }, organization: { type: 'string' }, educator: { type: 'string' },
      subject: { type: 'string' }, expires: { type: 'string', default: '12h' },
    },
  });
  if (!roles.includes(values.role as Role)) throw new Error(`--role must be one of ${roles.join(', ')}`);
  const role = values.role as Role;
  const claim = requiredClaim[role];
  if (claim && !values[optionOf[claim]]) {
    throw new Error(`--role ${role} needs --${optionOf[claim]} <id> (the gateway refuses its token without the claim ${claim})`);
  }
  for (const option of Object.values(optionOf)) {
    const value = values[option];
    if (value !== undefined && !isClaimId(value)) throw new Error(`--${option} must be an id (8-4-4-4-12 hex), not ${JSON.stringify(value)}`);
  }
  console.log(await mintDevToken({
    role, municipalityId: values.municipality, organizationId: values.organization,
    educatorId: values.educator, subject: values.subject, expiresIn: values.expires,
  }));
}

main().catch((error) => { console.error(error.message); process.exit(1); });
