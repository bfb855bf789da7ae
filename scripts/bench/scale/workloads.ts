import { abort } from '../common.js';
import { mintToken } from '../../../gateway/auth/mintToken.js';
import { Random } from '../../../lib/demo/random.js';
import type { Database } from '../../../lib/platform/db/index.js';
import type { SubgraphName } from '../../../schema/files.js';
import type { RunningSystem } from '../../system.js';
import { entriesOf, subjectCode, subjectsFor, unlistedCode } from './generate.js';

/** A credit file: the subject, its entries, and what the other subgraphs hold of it (as `npm run bench` reads it). */
const FILE = /* GraphQL */ `
  query ScaleFile($code: ID!) {
    subject(code: $code) {
      code
      kind
      name
      region
      legalRepresentative {
        name
        idNumber
      }
      entries {
        id
        kind
        status
        field
        facts
        authority
        determinedOn
        validUntil
        exit {
          way
          on
          reason
        }
      }
      tasks {
        id
        department
        measure
        status
        entry {
          id
          kind
        }
      }
      objections {
        id
        status
        grounds
        entry {
          id
          kind
        }
      }
      repairs {
        id
        status
        appliedOn
        entry {
          id
          kind
        }
      }
    }
  }
`;

/** A credit check of 1,000 codes, with why (the entries in force, from listings). */
const CHECK = /* GraphQL */ `
  query ScaleCheck($codes: [ID!]!) {
    creditChecks(codes: $codes, scenario: BIDDING) {
      code
      verdict
      measures {
        code
      }
      entries {
        id
        kind
        status
      }
    }
  }
`;

export const CHECK_CODES = 1000;

interface Answer {
  data?: {
    subject?: { code: string; entries: { id: string }[] } | null;
    creditChecks?: { code: string; verdict: string; entries: { id: string; status: string }[] }[];
  } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface Sample {
  ms: number;
  /** When it was sent and answered (performance.now()). */
  began: number;
  ended: number;
  /** Statements each subgraph ran for the request. */
  statements: Record<SubgraphName, number>;
}

/** A statement a subgraph ran for a request, as it sent it. */
export interface Statement {
  subgraph: SubgraphName;
  sql: string;
  params: readonly unknown[];
}

const SUBGRAPHS = ['listings', 'enforcement', 'repair'] as const;

/** A statement a service ran by itself (not for a request) that took a while: the time it ran, and what it was. */
export interface SlowBackground {
  system: string;
  subgraph: SubgraphName;
  sql: string;
  began: number;
  ended: number;
}

/**
 * The statements the services run by themselves (relays, the listings subgraph's time-driven transitions), watched on
 * every system: those that take `slowMs` or more are kept, so that the requests they ran alongside can be told apart.
 */
export class BackgroundWatch {
  readonly slow: SlowBackground[] = [];

  constructor(private readonly slowMs = 50) {}

  watch(system: RunningSystem, label: string): void {
    for (const name of SUBGRAPHS) {
      const quiet: Database = system.databases[name].background;
      const query = quiet.query.bind(quiet);
      quiet.query = async <Row>(sql: string, params?: readonly unknown[]) => {
        const began = performance.now();
        try {
          return await query<Row>(sql, params);
        } finally {
          const ended = performance.now();
          if (ended - began >= this.slowMs) this.slow.push({ system: label, subgraph: name, sql, began, ended });
        }
      };
    }
  }

  /** Whether `sample` ran while a slow background statement ran (on any system: they share the machine). */
  overlaps(sample: Sample): boolean {
    return this.slow.some((b) => b.began < sample.ended && sample.began < b.ended);
  }
}

/** Department callers: one reading credit files (every scope, for a stated purpose), one running checks. */
export async function callers(): Promise<{ file: Record<string, string>; check: Record<string, string> }> {
  const reader = await mintToken({
    caller: 'department',
    department: 'MOHURD',
    scopes: ['credit:read', 'credit:read:personal', 'credit:read:secret'],
    purposes: ['ADMINISTRATIVE_APPROVAL'],
  });
  const checker = await mintToken({ caller: 'department', department: 'MOF', scopes: ['check:run'] });
  return {
    file: { authorization: `Bearer ${reader}`, 'x-credit-purpose': 'ADMINISTRATIVE_APPROVAL' },
    check: { authorization: `Bearer ${checker}` },
  };
}

/**
 * Sends requests to the system's gateway over HTTP, one at a time, and checks every answer against the generator. The
 * statements the subgraphs run are counted per request (their databases count what requests send, not background work);
 * `capture` records them as well, with their parameters.
 */
export class Client {
  private readonly random: Random;
  private capturing: Statement[] | null = null;

  constructor(
    private readonly system: RunningSystem,
    private readonly headers: { file: Record<string, string>; check: Record<string, string> },
    seed: number,
  ) {
    this.random = new Random(seed);
    for (const name of SUBGRAPHS) {
      const db: Database = system.databases[name];
      const query = db.query.bind(db);
      // the stores call `db.query` on this very object: wrapped, the request's statements pass through here
      db.query = <Row>(sql: string, params?: readonly unknown[]) => {
        this.capturing?.push({ subgraph: name, sql, params: params ?? [] });
        return query<Row>(sql, params);
      };
    }
  }

  /** The credit file of a random generated subject (`generated`: entries loaded). */
  async file(generated: number): Promise<Sample> {
    const s = this.random.int(1, subjectsFor(generated));
    const code = subjectCode(s);
    const { ms, began, ended, body, statements } = await this.post(FILE, { code }, this.headers.file);
    const file = body.data?.subject;
    if (!file || file.code !== code) abort(`credit file of subject ${s} (${code}): ${file ? `answered ${file.code}` : 'not found'}`);
    const expected = entriesOf(s, generated);
    if (file!.entries.length !== expected) abort(`credit file of subject ${s} (${code}): ${file!.entries.length} entries, the generator made ${expected}`);
    return { ms, began, ended, statements };
  }

  /** A check of 1,000 codes: half random generated subjects, half valid codes never registered, shuffled. */
  async check(generated: number): Promise<Sample & { restricted: number }> {
    const subjects = subjectsFor(generated);
    const listed = new Set<string>();
    while (listed.size < Math.min(CHECK_CODES / 2, subjects)) listed.add(subjectCode(this.random.int(1, subjects)));
    const unlisted = new Set<string>();
    while (listed.size + unlisted.size < CHECK_CODES) unlisted.add(unlistedCode(this.random.int(0, 99_999_999)));
    const codes = [...listed, ...unlisted];
    for (let i = codes.length - 1; i > 0; i--) {
      const j = this.random.int(0, i);
      [codes[i], codes[j]] = [codes[j]!, codes[i]!];
    }
    const { ms, began, ended, body, statements } = await this.post(CHECK, { codes }, this.headers.check);
    const checks = body.data?.creditChecks;
    if (!checks || checks.length !== codes.length) abort(`credit check: ${checks?.length ?? 'no'} answers for ${codes.length} codes`);
    let restricted = 0;
    checks!.forEach((c, i) => {
      if (c.code !== codes[i]) abort(`credit check: answer ${i} is for ${c.code}, asked ${codes[i]}`);
      if (unlisted.has(c.code) && (c.verdict !== 'CLEAR' || c.entries.length > 0)) abort(`credit check: unregistered ${c.code} is ${c.verdict}`);
      if (c.entries.some((e) => e.status !== 'EFFECTIVE')) abort(`credit check: ${c.code} rests on an entry not in force`);
      if (c.verdict === 'RESTRICTED') restricted++;
    });
    if (restricted === 0) abort('credit check: 1,000 codes, none restricted — the generated entries in force were not read');
    return { ms, began, ended, statements, restricted };
  }

  /** Runs `request` recording the statements each subgraph sends for it. */
  async capture(request: () => Promise<unknown>): Promise<Statement[]> {
    const seen: Statement[] = [];
    this.capturing = seen;
    try {
      await request();
    } finally {
      this.capturing = null;
    }
    return seen;
  }

  private async post(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
    const before = SUBGRAPHS.map((name) => this.system.databases[name].statementCount);
    const began = performance.now();
    const response = await fetch(this.system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Answer;
    const ended = performance.now();
    const ms = ended - began;
    if (body.errors?.length) abort(`HTTP ${response.status}: ${body.errors.map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`).join('; ')}`);
    const statements = Object.fromEntries(SUBGRAPHS.map((name, i) => [name, this.system.databases[name].statementCount - before[i]!])) as Record<
      SubgraphName,
      number
    >;
    return { ms, began, ended, body, statements };
  }
}
