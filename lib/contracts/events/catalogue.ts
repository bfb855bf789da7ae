import { z } from 'zod';
import { LISTINGS_EVENT_SCHEMAS } from './listings.js';
import { REPAIR_EVENT_SCHEMAS } from './repair.js';

/**
 * The event catalogue: every event one subgraph sends another, by type and version, with the schema of its payload.
 * Publishers check what they write against it, consumers check what they receive before a handler sees it (an event
 * that fails is parked, never half-applied), and docs/events.md is generated from it.
 */
export const EVENT_CATALOGUE = { ...LISTINGS_EVENT_SCHEMAS, ...REPAIR_EVENT_SCHEMAS } as const;

export type EventType = keyof typeof EVENT_CATALOGUE;
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_CATALOGUE)[T]['schema']>;

/** One event of the catalogue, as a discriminated union on its type. */
export type CatalogueEvent = { [T in EventType]: { type: T; version: number; payload: EventPayload<T> } }[EventType];

export type Checked =
  | { ok: true; event: CatalogueEvent }
  /** The type is not in the catalogue: not for this consumer (or from a newer publisher); nothing to do with it. */
  | { ok: false; unknown: true }
  | { ok: false; unknown: false; reason: string };

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_CATALOGUE, type);
}

/** Checks an event's version and payload against the catalogue. */
export function checkEvent(type: string, version: number, payload: unknown): Checked {
  if (!isEventType(type)) return { ok: false, unknown: true };
  const entry = EVENT_CATALOGUE[type];
  if (version !== entry.version)
    return { ok: false, unknown: false, reason: `version ${version} of ${type} is not known (this service reads version ${entry.version})` };
  const parsed = entry.schema.safeParse(payload);
  if (!parsed.success) return { ok: false, unknown: false, reason: z.prettifyError(parsed.error) };
  return { ok: true, event: { type, version, payload: parsed.data } as CatalogueEvent };
}
