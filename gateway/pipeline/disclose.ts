import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { isMarketPartner, type Caller } from '../../lib/contracts/caller.js';
import { ErrorCode } from '../../lib/platform/errors.js';
import { QueryLogTimeout, type QueryLog } from '../audit/queryLog.js';
import { describeError, logOf } from '../../lib/platform/observe/log.js';
import { policyOutcomes, queryLogAppendFailures, queryLogAppendSeconds } from '../../lib/platform/observe/metrics.js';
import type { QueryRecord } from '../audit/record.js';
import type { Classification } from '../policy/classification.js';
import { fragmentsOf } from '../policy/collectFields.js';
import { applyPolicy, type PolicyOutcome } from '../policy/applyPolicy.js';
import { POLICY } from '../policy/policy.js';
import { neverKeepAnswer, type GatewayContext } from './context.js';

const log = logOf('gateway');

export interface DiscloseOptions {
  classification: Classification;
  hashKey: string;
  /** During a mask key rotation: the previous key, which only links hashes (`extensions.hashLinks`). */
  hashKeyPrevious?: string;
  queryLog: QueryLog;
  /** How long the query-log append may take before the data it would record is withheld. */
  logTimeoutMs: number;
}

/**
 * Step 6: disclose, in order. First the executed response is cut to what the policy allows this caller (forbidden
 * fields null, hidden rows out, values masked); then what it reveals in full, and every query by a market partner (a
 * bank, agency, association, media), is recorded in the query log, one record per subject naming the fields revealed
 * of that subject (A2, A4, A5). If the record cannot be written in time, what it would have recorded is taken back
 * out: no log, no data. If anything here fails, no data leaves: never unmasked data because something broke. During a
 * mask key rotation the hashes shown are linked to the previous key's (A3).
 */
export function discloseStep(options: DiscloseOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, document, operation, schema, queryHash, contextValue }) {
          const { caller, refusedPurpose, variables } = contextValue;
          if (contextValue.answerCache?.hit) return; // disclosed when it was kept, and it recorded nothing (answerFromCache.ts)
          if (response.body.kind !== 'single') {
            response.body = {
              kind: 'single',
              singleResult: { errors: [{ message: 'incremental delivery is not supported', extensions: { code: ErrorCode.BAD_USER_INPUT } }] },
            };
            return;
          }
          const result = response.body.singleResult;
          if (!result.data || !document || !operation) return;
          let outcome: PolicyOutcome;
          try {
            outcome = applyPolicy(result.data, {
              op: { schema, fragments: fragmentsOf(document), variables, operation },
              classification: options.classification,
              caller,
              hashKey: options.hashKey,
              ...(options.hashKeyPrevious ? { hashKeyPrevious: options.hashKeyPrevious } : {}),
            });
          } catch (error) {
            log.error({ error: describeError(error) }, 'policy enforcement failed; response withheld');
            result.data = null;
            result.errors = [{ message: 'internal error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }];
            return;
          }
          result.data = outcome.data;
          countOutcomes(outcome, caller);
          const errors: GraphQLFormattedError[] = [...(result.errors ?? []), ...outcome.errors];
          if (refusedPurpose) {
            errors.push({
              message: `purpose ${JSON.stringify(refusedPurpose)} is not allowed by this token; personal data is masked`,
              extensions: { code: ErrorCode.PURPOSE_NOT_ALLOWED },
            });
          }

          const records = recordsOf(outcome, caller, queryHash ?? '');
          if (records.length > 0) {
            neverKeepAnswer(contextValue, 'it is recorded in the query log');
            const started = process.hrtime.bigint();
            try {
              await options.queryLog.appendAll(records, { timeoutMs: options.logTimeoutMs });
              queryLogAppendSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
            } catch (error) {
              queryLogAppendFailures.inc({ reason: error instanceof QueryLogTimeout ? 'timeout' : 'error' });
              log.error({ error: describeError(error) }, 'the query log could not be written; personal data withheld');
              for (const revealed of outcome.revealed) outcome.masked.push({ path: revealed.path, kind: revealed.kind, as: revealed.withdraw() });
              if (isMarketPartner(caller)) result.data = null; // A4, A5: a market partner's query is answered only when logged
              errors.push({ message: 'the query log is unavailable: personal data is not returned', extensions: { code: ErrorCode.QUERY_LOG_UNAVAILABLE } });
            }
          }
          if (errors.length > 0) result.errors = errors;
          const hashLinks = hashLinksShown(result.data, outcome);
          result.extensions = { ...result.extensions, policy: { version: POLICY.version, masked: outcome.masked }, ...(hashLinks ? { hashLinks } : {}) };
        },
      };
    },
  };
}

/** What the policy did, for the operators' metrics: counts by outcome and caller kind, nothing of the values. */
function countOutcomes(outcome: PolicyOutcome, caller: Caller): void {
  const caller_kind = caller.kind;
  for (const { as } of outcome.masked) policyOutcomes.inc({ outcome: as, caller_kind });
  const forbidden = outcome.errors.filter((e) => e.extensions?.code === ErrorCode.FORBIDDEN_FIELD).length;
  if (forbidden > 0) policyOutcomes.inc({ outcome: 'forbidden', caller_kind }, forbidden);
  if (outcome.rowsHidden > 0) policyOutcomes.inc({ outcome: 'row_hidden', caller_kind }, outcome.rowsHidden);
}

/**
 * A3, during a mask key rotation: each hash the response shows, to the hash the previous key gives the same value, so
 * a partner holding records under the old key can re-key them. Only hashes still in the data, never one of a value
 * taken back after all (a parent nulled, a partner's answer withheld when the log failed); null when there are none.
 */
export function hashLinksShown(data: Record<string, unknown> | null | undefined, outcome: PolicyOutcome): Record<string, string> | null {
  if (outcome.hashLinks.size === 0) return null;
  const links = new Map<string, string>();
  for (const { path, as } of outcome.masked) {
    if (as !== 'hashed') continue;
    const shown = valueAt(data, path);
    if (typeof shown !== 'string') continue;
    const previous = outcome.hashLinks.get(shown);
    if (previous !== undefined) links.set(shown, previous);
  }
  return links.size > 0 ? Object.fromEntries(links) : null;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let value = data;
  for (const step of path) value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[step] : undefined;
  return value;
}

/**
 * The query-log records of one response (A2): one per subject, naming exactly the fields revealed of that subject;
 * for a market partner (A4, A5) one per subject the answer concerns even when nothing was revealed, and one in any case.
 */
export function recordsOf(outcome: PolicyOutcome, caller: Caller, operationHash: string): QueryRecord[] {
  const bySubject = new Map<string | null, Set<string>>();
  const of = (subject: string | null) => bySubject.get(subject) ?? bySubject.set(subject, new Set()).get(subject)!;
  for (const revealed of outcome.revealed) of(revealed.subject).add(revealed.coordinate);
  if (isMarketPartner(caller)) {
    for (const subject of outcome.subjects) of(subject);
    if (bySubject.size === 0) of(null);
  }
  const at = new Date();
  return [...bySubject]
    .sort(([a], [b]) => (a ?? '').localeCompare(b ?? ''))
    .map(([subject, fields]) => ({
      at,
      tokenId: caller.tokenId,
      clientId: caller.clientId,
      callerKind: caller.kind,
      department: caller.department,
      purpose: caller.purpose,
      operationHash,
      subjects: subject === null ? [] : [subject],
      fields: [...fields].sort(),
      policyVersion: POLICY.version,
    }));
}
