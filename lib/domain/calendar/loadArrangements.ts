import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseYearArrangement, type YearArrangement } from './yearArrangement.js';

/** Where the project keeps the State Council's arrangements, one `YYYY.json` a year. */
export const CHINA_ARRANGEMENTS = new URL('./data/', import.meta.url);

/**
 * Reads and checks every `YYYY.json` in `dir` (other names there, except README.md, are an error, so a misnamed
 * year cannot be silently ignored). Synchronous: it runs once, when the calendar is first imported, and a bad
 * file stops the service at start rather than at the first deadline.
 */
export function loadArrangements(dir: URL = CHINA_ARRANGEMENTS): YearArrangement[] {
  const where = fileURLToPath(dir);
  const years: YearArrangement[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'README.md') continue;
    const m = /^(\d{4})\.json$/.exec(name);
    if (!m) throw new Error(`${where}${name}: unexpected file: a year's arrangement is named YYYY.json`);
    const source = `${where}${name}`;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
    } catch (e) {
      throw new Error(`${source}: not valid JSON: ${(e as Error).message}`);
    }
    const arrangement = parseYearArrangement(json, source);
    if (arrangement.year !== Number(m[1])) throw new Error(`${source}: says year ${arrangement.year}, but the file is named for ${m[1]}`);
    years.push(arrangement);
  }
  return years;
}
