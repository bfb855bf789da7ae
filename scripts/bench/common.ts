/**
 * What every benchmark script shares: reading its settings, aborting on a wrong answer, printing aligned tables, and
 * running its main with a clear line on failure. Tables go to stdout; progress and anything the services print to
 * stderr, so a benchmark's stdout is its figures alone.
 */

/** A wrong answer or a setting out of range: the benchmark stops before printing any figure. */
export class BenchAbort extends Error {}

export const abort = (message: string): never => {
  throw new BenchAbort(message);
};

/** A whole-number setting from the environment, at least `min`; the default when unset. */
export function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) return abort(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

/** Rows of cells, the first a header: the first column left-aligned, the others right-aligned, a rule under the header. */
export function printTable(rows: string[][], write: (line: string) => void): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  rows.forEach((r, i) => {
    write(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    if (i === 0) write(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

/** Runs a benchmark's main; on failure says why on stderr (an abort in its own words) and exits 1. */
export async function runBenchmark(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
    process.stderr.write(`[${name}] done\n`);
  } catch (error) {
    const why = error instanceof BenchAbort ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`\n${name} aborted: ${why}\n`);
    process.exitCode = 1;
  }
}

/** The credit file every benchmark asks for: a subject with its entries, tasks, objections and repairs. */
export const FILE_FIELDS = /* GraphQL */ `
  code kind name region
  legalRepresentative { name idNumber }
  entries { id kind status field facts authority determinedOn validUntil exit { way on reason } }
  tasks { id department measure status entry { id kind } }
  objections { id status grounds entry { id kind } }
  repairs { id status appliedOn entry { id kind } }`;
