import { CALLER_KINDS, type CallerKind } from '../contracts/caller.js';

/**
 * What one caller may ask of the gateway, per caller kind: the limits that keep one caller from slowing or stopping
 * the others. Departments run credit checks inside approval workflows and get the most; the public the least.
 */
export interface CallerLimits {
  /** Requests per `rateWindowSeconds`, per client address (no token) or per token client. */
  rate: number;
  rateWindowSeconds: number;
  /** Requests of this kind in flight at once, gateway-wide; beyond, OVERLOADED (0: no bound). */
  inFlight: number;
  /** Largest request body, bytes. */
  bodyBytes: number;
  /** Tokens of the GraphQL document. */
  tokens: number;
  /** Nesting of fields (fragments counted where they are spread). */
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
  /** Items in any one list argument (codes of a batch). */
  listSize: number;
  /** Budget of the estimated cost (@cost, @listSize). */
  cost: number;
}

export const LIMIT_NAMES = [
  'rate',
  'rateWindowSeconds',
  'inFlight',
  'bodyBytes',
  'tokens',
  'depth',
  'aliases',
  'rootFields',
  'directives',
  'listSize',
  'cost',
] as const;

const PUBLIC: CallerLimits = {
  rate: 120,
  rateWindowSeconds: 60,
  inFlight: 4,
  bodyBytes: 16_384,
  tokens: 1_000,
  depth: 6,
  aliases: 10,
  rootFields: 5,
  directives: 10,
  listSize: 20,
  cost: 1_000,
};

/** A partner bank (A4): one client's screening, batches of codes included, at a modest rate. */
const BANK: CallerLimits = {
  ...PUBLIC,
  rate: 120,
  inFlight: 32,
  bodyBytes: 262_144,
  tokens: 4_000,
  depth: 8,
  aliases: 20,
  rootFields: 10,
  listSize: 1_000,
  cost: 50_000,
};

/**
 * The defaults, per caller kind (README: Limits). The market partners (A5) start from the bank's; each kind has a
 * pool of requests in flight of its own, so one kind's load does not hold up another's.
 */
export const DEFAULT_LIMITS: Record<CallerKind, CallerLimits> = {
  anonymous: PUBLIC,
  subject: { ...PUBLIC },
  portal: { ...PUBLIC, rate: 3_000, inFlight: 64, bodyBytes: 65_536, tokens: 2_000, aliases: 20, rootFields: 10, listSize: 100, cost: 5_000 },
  bank: BANK,
  // credit-service agencies check the subjects of their reports in batches, as banks screen borrowers
  agency: { ...BANK },
  // industry associations screen their member lists in batches
  association: { ...BANK },
  // news media look subjects up a story at a time: no batch screening, the portal's list size and cost
  media: { ...BANK, listSize: 100, cost: 5_000 },
  department: {
    rate: 6_000,
    rateWindowSeconds: 60,
    inFlight: 0,
    bodyBytes: 1_000_000,
    tokens: 20_000,
    depth: 10,
    aliases: 100,
    rootFields: 50,
    directives: 50,
    listSize: 1_000,
    cost: 200_000,
  },
};

/**
 * What a subgraph accepts at most (its second line, behind the gateway): more than any gateway configured within
 * `CALLER_LIMITS` would send, counting what the gateway adds to an operation (the policy's fields, entity fetches).
 */
export const SUBGRAPH_LIMITS = { depth: 40, aliases: 400_000, directives: 500, tokens: 400_000 } as const;
/**
 * What the gateway adds, at most, to a caller's operation before a subgraph sees it: a few levels (entity fetches,
 * the owner's code), the policy's aliased fields in every selection set (at most 3 per token of the document), and
 * their tokens.
 */
const GATEWAY_ADDS = { depth: 8, aliasesPerToken: 3, tokensPerToken: 4 } as const;

/** The largest value of a limit over every caller kind: what the subgraphs accept as a second line. */
export function loosest(limits: Record<CallerKind, CallerLimits>, name: keyof CallerLimits): number {
  return Math.max(...CALLER_KINDS.map((kind) => (limits[kind][name] === 0 ? Number.POSITIVE_INFINITY : limits[kind][name])));
}

/**
 * Overrides from the environment (`CALLER_LIMITS`, JSON: `{"anonymous": {"depth": 5}, "bank": {"rate": 300}}`) on the
 * defaults; every unknown kind, unknown limit or value that is not a whole number ≥ 0 is a problem, reported with the
 * others.
 */
export function readCallerLimits(raw: string | undefined, problems: string[], base = DEFAULT_LIMITS): Record<CallerKind, CallerLimits> {
  const limits = Object.fromEntries(CALLER_KINDS.map((k) => [k, { ...base[k] }])) as Record<CallerKind, CallerLimits>;
  if (!raw) return limits;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push('CALLER_LIMITS must be JSON, e.g. {"anonymous": {"depth": 5}}');
    return limits;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push('CALLER_LIMITS must be a JSON object of caller kinds');
    return limits;
  }
  for (const [kind, values] of Object.entries(parsed)) {
    if (!(CALLER_KINDS as readonly string[]).includes(kind)) {
      problems.push(`CALLER_LIMITS: unknown caller kind ${JSON.stringify(kind)} (${CALLER_KINDS.join(', ')})`);
      continue;
    }
    for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
      if (!(LIMIT_NAMES as readonly string[]).includes(name))
        problems.push(`CALLER_LIMITS.${kind}: unknown limit ${JSON.stringify(name)} (${LIMIT_NAMES.join(', ')})`);
      else if (!Number.isInteger(value) || (value as number) < 0)
        problems.push(`CALLER_LIMITS.${kind}.${name} must be a whole number ≥ 0, got ${JSON.stringify(value)}`);
      else limits[kind as CallerKind][name as keyof CallerLimits] = value as number;
    }
  }
  for (const kind of CALLER_KINDS) {
    for (const name of ['rate', 'rateWindowSeconds', 'bodyBytes', 'tokens', 'depth', 'rootFields', 'listSize', 'cost'] as const) {
      if (limits[kind][name] < 1) problems.push(`CALLER_LIMITS.${kind}.${name} must be at least 1`);
    }
    const l = limits[kind];
    if (l.depth + GATEWAY_ADDS.depth > SUBGRAPH_LIMITS.depth)
      problems.push(`CALLER_LIMITS.${kind}.depth: at most ${SUBGRAPH_LIMITS.depth - GATEWAY_ADDS.depth} (the subgraphs refuse deeper)`);
    if (l.tokens * GATEWAY_ADDS.tokensPerToken > SUBGRAPH_LIMITS.tokens)
      problems.push(`CALLER_LIMITS.${kind}.tokens: at most ${SUBGRAPH_LIMITS.tokens / GATEWAY_ADDS.tokensPerToken}`);
    if (l.aliases + l.tokens * GATEWAY_ADDS.aliasesPerToken > SUBGRAPH_LIMITS.aliases)
      problems.push(`CALLER_LIMITS.${kind}: aliases + ${GATEWAY_ADDS.aliasesPerToken} × tokens must stay within ${SUBGRAPH_LIMITS.aliases}`);
    if (l.directives > SUBGRAPH_LIMITS.directives) problems.push(`CALLER_LIMITS.${kind}.directives: at most ${SUBGRAPH_LIMITS.directives}`);
  }
  return limits;
}
