/**
 * `npm run -s token -- --caller ...`: prints a development access token, alone, on stdout, so that
 * `TOKEN=$(npm run -s token -- --caller portal)` works. Signed with the published development key (devKey.ts):
 * only a development gateway trusts it.
 */
import { parseArgs } from 'node:util';
import { readConfig } from '../lib/platform/config.js';
import { MintOptionsError, mintToken } from '../gateway/auth/mintToken.js';
import { TOKEN_CALLER_KINDS, type TokenCallerKind } from '../gateway/auth/verifyToken.js';

// A5: every kind a token can carry, market partners included, so a new kind is printed here without a second list
const USAGE = `usage: npm run -s token -- --caller ${TOKEN_CALLER_KINDS.join('|')} [--department CODE] [--region CODE]
                    [--subject CODE] [--client ID] [--scopes "SCOPE SCOPE ..."] [--purposes "P P ..."] [--ttl SECONDS]
  --client   the token's client id (default dev-<caller>): for an agency, the registered name its credit reports
             are filed under (R6), e.g. --caller agency --client CCX --scopes "report:submit"`;

function usageError(message: string): never {
  process.stderr.write(`token: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const words = (s: string | undefined) => s?.split(/\s+/).filter(Boolean);

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        caller: { type: 'string' },
        department: { type: 'string' },
        region: { type: 'string' },
        subject: { type: 'string' },
        client: { type: 'string' },
        scopes: { type: 'string' },
        purposes: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    usageError((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.caller) usageError('--caller is required');
  if (values.ttl !== undefined && !/^\d+$/.test(values.ttl)) usageError(`--ttl must be a whole number of seconds, got ${JSON.stringify(values.ttl)}`);

  // The issuer and audience the local gateway expects, so a token minted here is one it accepts.
  const config = readConfig();
  try {
    const token = await mintToken({
      caller: values.caller as TokenCallerKind,
      department: values.department,
      region: values.region,
      subject: values.subject,
      clientId: values.client,
      scopes: words(values.scopes),
      purposes: words(values.purposes),
      ttlSeconds: values.ttl === undefined ? undefined : Number(values.ttl),
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      legacyCreditCodes: config.legacyCreditCodes,
    });
    process.stdout.write(`${token}\n`);
  } catch (err) {
    if (err instanceof MintOptionsError) usageError(err.message);
    throw err;
  }
}

await main();
