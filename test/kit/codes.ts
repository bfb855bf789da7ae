import { randomInt } from 'node:crypto';
import { creditCodeCheckChar, residentIdCheckChar } from '../../lib/domain/identifiers/index.js';

/**
 * Fresh, valid subject codes that no other test (in this process or another jest worker) makes: a random organisation
 * part, so tests that share a PostgreSQL server or a seeded system never register the same code twice.
 */
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A credit code (GB 32100-2015) in `region`, an enterprise (91). */
export function freshCreditCode(region = '110105'): string {
  let body = '';
  for (let i = 0; i < 9; i++) body += CHARS[randomInt(CHARS.length)];
  const first17 = `91${region}${body}`;
  return first17 + creditCodeCheckChar(first17);
}

/** A resident ID number (GB 11643-1999) of someone born in 1970–1999 in `region`. */
export function freshResidentId(region = '110105'): string {
  const birth = new Date(Date.UTC(1970, 0, 1) + randomInt(0, 30 * 365) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `${region}${birth}${String(randomInt(1000)).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/**
 * Every resident ID number that shows as `masked` (first 6, eight stars, last 4): the birth dates of people born
 * 1926–2008 whose number passes the check character — what an attacker would try to complete a masked ID.
 */
export function candidatesFor(masked: string): string[] {
  const [head, tail] = [masked.slice(0, 6), masked.slice(14)];
  const out: string[] = [];
  for (let t = Date.UTC(1926, 0, 1); t <= Date.UTC(2008, 11, 31); t += 86_400_000) {
    const first17 = `${head}${new Date(t).toISOString().slice(0, 10).replaceAll('-', '')}${tail.slice(0, 3)}`;
    if (residentIdCheckChar(first17) === tail[3]) out.push(first17 + tail[3]);
  }
  return out;
}
