/**
 * npm run token -- --role municipality_methodist --municipality <id>
 * Mints a token with the embedded run's dev key. Options: --role, --municipality, --organization, --educator,
 * --subject, --expires (e.g. 2h).
 */
import { parseArgs } from 'node:util';
import { mintDevToken, roles, type Role } from '@mms/platform';

async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'region_admin' },
      municipality: { type: 'string' }, organization: { type: 'string' }, educator: { type: 'string' },
      subject: { type: 'string' }, expires: { type: 'string', default: '12h' },
    },
  });
  if (!roles.includes(values.role as Role)) throw new Error(`--role must be one of ${roles.join(', ')}`);
  console.log(await mintDevToken({
    role: values.role as Role, municipalityId: values.municipality, organizationId: values.organization,
    educatorId: values.educator, subject: values.subject, expiresIn: values.expires,
  }));
}

main().catch((error) => { console.error(error.message); process.exit(1); });
