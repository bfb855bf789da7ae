/**
 * The abusive clients of `npm run bench:abuse`, as a process of their own: K loops for D seconds, each sending, in
 * turn, the attacks the gateway must shrug off — the entries ↔ subject cycle nested 100 deep, 5,000 aliases, a
 * 3 MB body, a list argument of 10,000 codes, a cost bomb, a token flood — anonymously, each request from another
 * forwarded address (a botnet: the per-address rate does not save the gateway here, its limits must). Prints, as
 * JSON on its last line, how each attack was answered (status and code counts) and how fast (p50, p99 ms).
 */
const [url, seconds, loops] = [process.argv[2]!, Number(process.argv[3] ?? 30), Number(process.argv[4] ?? 6)];
const code = '91320583MA1MDEM00H';
const cycle = (depth: number) => `{ subject(code: "${code}") { ${'entries { subject { '.repeat(depth)}name${' } }'.repeat(depth)} } }`;

const ATTACKS: Record<string, () => string> = {
  'deep (100 levels)': () => JSON.stringify({ query: cycle(100) }),
  'wide (5,000 aliases)': () =>
    JSON.stringify({ query: `{ ${Array.from({ length: 5000 }, (_, i) => `a${i}: subject(code: "${code}") { name }`).join(' ')} }` }),
  'aliases (30, small body)': () =>
    JSON.stringify({ query: `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: subject(code: "${code}") { name entries { kind } }`).join(' ')} }` }),
  'large body (3 MB)': () => JSON.stringify({ query: `{ subject(code: "${code}") { name } }`, padding: 'x'.repeat(3_000_000) }),
  'list of 10,000 codes': () => JSON.stringify({ query: 'query($c: [ID!]!) { subjects(codes: $c) { name } }', variables: { c: Array(10_000).fill(code) } }),
  'cost bomb (within depth)': () =>
    JSON.stringify({ query: `{ subjects(codes: [${Array(20).fill(`"${code}"`).join(',')}]) { entries { subject { entries { kind } } } } }` }),
  'tokens (5,000)': () => JSON.stringify({ query: `{ subject(code: "${code}") { ${'name '.repeat(5000)} } }` }),
};
const bodies = Object.fromEntries(Object.entries(ATTACKS).map(([name, make]) => [name, make()]));
// ABUSE_ONLY: a comma-separated subset of the attacks' names (to see what each costs)
const only = process.env.ABUSE_ONLY?.split(',').map((n) => n.trim());
const names = Object.keys(bodies).filter((name) => !only || only.some((o) => name.startsWith(o)));

const outcomes: Record<string, Record<string, number>> = {};
const times: Record<string, number[]> = {};
let sent = 0;
const deadline = Date.now() + seconds * 1000;

async function loop(n: number): Promise<void> {
  for (let i = n; Date.now() < deadline; i++) {
    const name = names[i % names.length]!;
    const began = performance.now();
    let outcome: string;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(sent >> 16) & 255}.${(sent >> 8) & 255}.${sent & 255}` },
        body: bodies[name]!,
      });
      const text = await response.text();
      let codeOf = '';
      try {
        codeOf = (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code ?? 'answered';
      } catch {
        codeOf = 'not JSON';
      }
      outcome = `${response.status} ${codeOf}`;
    } catch (error) {
      outcome = `failed: ${(error as Error).message}`;
    }
    sent++;
    (outcomes[name] ??= {})[outcome] = (outcomes[name]![outcome] ?? 0) + 1;
    (times[name] ??= []).push(performance.now() - began);
  }
}

await Promise.all(Array.from({ length: loops }, (_, n) => loop(n)));
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? 0;
const summary = Object.fromEntries(
  names.map((name) => [
    name,
    { outcomes: outcomes[name] ?? {}, p50: percentile(times[name] ?? [], 50), p99: percentile(times[name] ?? [], 99), count: times[name]?.length ?? 0 },
  ]),
);
console.log(JSON.stringify({ sent, summary }));
