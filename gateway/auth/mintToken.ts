import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import { checkSubjectCode, normaliseCode } from '../../lib/domain/identifiers/index.js';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_PRIVATE_JWK } from './devKey.js';
import { ACCESS_TOKEN_TYPE, TOKEN_CALLER_KINDS, type TokenCallerKind } from './verifyToken.js';

export const DEFAULT_TTL_SECONDS = 3600;
export const MAX_TTL_SECONDS = 24 * 3600;

export interface MintTokenOptions {
  caller: TokenCallerKind;
  /** Required for (and only for) caller 'department'. */
  department?: string;
  region?: string;
  /** The subject's own code; required for (and only for) caller 'subject'. Becomes `sub`. */
  subject?: string;
  scopes?: string[];
  purposes?: string[];
  /** Default 3600; positive integer, at most 24 h. */
  ttlSeconds?: number;
  /** Default `dev-<caller>`; also `sub` for callers other than subject (RFC 9068 client-credentials case). */
  clientId?: string;
  issuer?: string;
  audience?: string;
  /** Private JWK with `alg` (default ES256) and `kid`; default the development key. */
  key?: JWK;
  now?: Date;
  /** Known early-pilot credit codes that fail the checksum (LEGACY_CREDIT_CODES). */
  legacyCreditCodes?: ReadonlySet<string>;
}

/** The options asked for something a token cannot say; the message says what to change. */
export class MintOptionsError extends Error {}

/** Signs an RFC 9068 access token (typ at+jwt) carrying the claims the gateway's verifier requires. */
export async function mintToken(options: MintTokenOptions): Promise<string> {
  const { caller } = options;
  const fail = (message: string): never => {
    throw new MintOptionsError(message);
  };
  if (!TOKEN_CALLER_KINDS.includes(caller)) fail(`caller must be one of ${TOKEN_CALLER_KINDS.join(', ')}`);
  if (caller === 'department' && !options.department) fail('a department caller needs --department');
  if (caller !== 'department' && options.department !== undefined) fail('--department is only for --caller department');
  if (caller !== 'subject' && options.subject !== undefined) fail('--subject is only for --caller subject');

  let subject: string | undefined;
  if (caller === 'subject') {
    if (!options.subject) fail("a subject caller needs --subject (the subject's credit code or resident ID number)");
    subject = normaliseCode(options.subject!);
    const check = checkSubjectCode(subject, options.legacyCreditCodes, options.now);
    if (!check.ok) fail(`--subject: ${check.message}`);
  }

  const ttl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TTL_SECONDS) fail(`ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS} (24 h)`);
  const words = (name: string, values: string[]) => {
    for (const v of values) if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(v)) fail(`${name}: ${JSON.stringify(v)} is not a single word`);
    return values;
  };
  const scopes = words('scopes', options.scopes ?? []);
  // the gateway refuses an empty client_id; an agency's is the name its reports are filed under (R6, A5)
  if (options.clientId !== undefined) words('client id', [options.clientId]);
  const purposes = words('purposes', options.purposes ?? []);

  const key = options.key ?? DEV_PRIVATE_JWK;
  const alg = key.alg ?? 'ES256';
  const clientId = options.clientId ?? `dev-${caller}`;
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);

  return new SignJWT({
    client_id: clientId,
    scope: scopes.join(' '),
    caller,
    ...(options.department !== undefined && { department: options.department }),
    ...(options.region !== undefined && { region: options.region }),
    ...(purposes.length > 0 && { purposes }),
  })
    .setProtectedHeader({ alg, typ: ACCESS_TOKEN_TYPE, ...(key.kid !== undefined && { kid: key.kid }) })
    .setIssuer(options.issuer ?? DEV_ISSUER)
    .setAudience(options.audience ?? DEV_AUDIENCE)
    .setSubject(subject ?? clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .setJti(randomUUID())
    .sign(await importJWK(key, alg));
}
