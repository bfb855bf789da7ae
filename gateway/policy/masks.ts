import { createHmac } from 'node:crypto';
import type { MaskStyle } from './policy.js';

/**
 * A3 masks. Resident ID: first 6 and last 4 (`320583********123X`); a name keeps its first character
 * (`赵*`); a phone keeps 3 + 4 (`139****5678`); an address keeps its first 6 characters.
 */
export function mask(style: MaskStyle, value: string): string {
  const chars = [...value];
  switch (style) {
    case 'idNumber':
      return chars.length > 10 ? keep(chars, 6, 4) : keep(chars, 0, Math.min(2, chars.length - 1));
    case 'name':
      return chars.length <= 1 ? '*' : `${chars[0]}*`;
    case 'phone':
      return chars.length > 7 ? keep(chars, 3, 4) : '*'.repeat(chars.length);
    case 'address':
      return chars.length > 6 ? `${chars.slice(0, 6).join('')}***` : '***';
  }
}

function keep(chars: string[], head: number, tail: number): string {
  const hidden = Math.max(chars.length - head - tail, 0);
  return chars.slice(0, head).join('') + '*'.repeat(hidden) + (tail > 0 ? chars.slice(-tail).join('') : '');
}

/** A keyed hash: the same value gives the same token for one key, so records stay linkable but unreadable. */
export function keyedHash(key: string, value: string): string {
  return `h:${createHmac('sha256', key).update(value).digest('base64url').slice(0, 22)}`;
}
