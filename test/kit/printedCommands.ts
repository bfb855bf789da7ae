import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A command as printed for a person to paste: one curl, with the token command it uses, and the prose before it. */
export interface PrintedCommand {
  /** `TOKEN=$(npm run -s token -- ...)` when the curl uses $TOKEN. */
  token: string | null;
  curl: string;
  /** What the text says just before the command: the errors it names are the ones the command is meant to show. */
  context: string;
}

/**
 * The shell commands a text (the README, `npm start`'s banner) prints: each `curl`, continuation lines joined, with
 * the `TOKEN=$(...)` line before it that it depends on.
 */
export function printedCommands(text: string): PrintedCommand[] {
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n');
  const found: PrintedCommand[] = [];
  let token: string | null = null;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('TOKEN=$(npm run -s token')) token = line;
    if (!line.startsWith('curl ')) return;
    found.push({ token: line.includes('$TOKEN') ? token : null, curl: line, context: lines.slice(Math.max(0, i - 8), i).join('\n') });
  });
  return found;
}

/** Runs a printed command in bash from the project folder, as a person would; returns what curl printed, parsed. */
export async function runPrinted(
  command: PrintedCommand,
  replace: [string, string][] = [],
): Promise<{ data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] }> {
  let script = [command.token, command.curl].filter(Boolean).join('\n');
  for (const [from, to] of replace) script = script.replaceAll(from, to);
  const { stdout } = await run('bash', ['-c', `set -euo pipefail\n${script}`], {
    cwd: process.cwd(),
    timeout: 60_000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(stdout);
}

/**
 * What a printed command promises: an answer whose root fields are all there, unless the text before it names the
 * error it is meant to show (and then only errors it names).
 */
export function unkeptPromises(command: PrintedCommand, answer: Awaited<ReturnType<typeof runPrinted>>): string[] {
  const problems: string[] = [];
  for (const error of answer.errors ?? []) {
    const code = error.extensions?.code ?? '(no code)';
    if (!command.context.includes(code)) problems.push(`unexpected ${code}: ${JSON.stringify(error)}`);
  }
  if (!answer.errors?.length) {
    for (const [field, value] of Object.entries(answer.data ?? {})) if (value === null) problems.push(`${field} is null`);
    if (!answer.data) problems.push('no data');
  }
  return problems;
}
