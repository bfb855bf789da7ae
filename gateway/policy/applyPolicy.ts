import {
  getNamedType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLAbstractType,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { isOwnFile } from '../../lib/contracts/access.js';
import type { Caller } from '../../lib/contracts/caller.js';
import { ErrorCode } from '../../lib/platform/errors.js';
import type { Classification, Sensitivity } from './classification.js';
import { FieldsOfOperation, type Operation } from './collectFields.js';
import { canAccess, dataKind, disclosureFor } from './decide.js';
import { keyedHash, mask } from './masks.js';
import { POLICY, type Disclosure, type Row, type RowRule } from './policy.js';
import { RESERVED_PREFIX, TYPENAME_ALIAS } from './rewrite.js';

type Path = (string | number)[];
type Withheld = Exclude<Disclosure, 'full'>;

/** A sensitive value shown in full: what the query log records, and how to take it back if it cannot. */
export interface Revealed {
  coordinate: string;
  kind: string;
  subject: string | null;
  path: Path;
  /** Replaces the value with what the caller would get without full rights (A2: no log, no data); says how. */
  withdraw(): Withheld;
}

export interface PolicyOutcome {
  data: Record<string, unknown> | null;
  errors: GraphQLFormattedError[];
  /** Values changed by the policy (masked, hashed, withheld), so a masked or null value is never ambiguous. */
  masked: { path: Path; kind: string; as: Withheld }[];
  revealed: Revealed[];
  /** Codes of every subject whose file the response shows (their rows, at any depth). */
  subjects: Set<string>;
  /** During a mask key rotation: each hash made, to the hash the previous key gives the same value (A3); else empty. */
  hashLinks: Map<string, string>;
  /** Rows left out of lists (A1): counted for the operators' metrics, never told to the caller. */
  rowsHidden: number;
}

export interface PolicyOptions {
  op: Operation & { operation: OperationDefinitionNode };
  classification: Classification;
  caller: Caller;
  hashKey: string;
  /** During a rotation: the key values were hashed with before; never hashed with, only linked to. */
  hashKeyPrevious?: string;
}

const rules = POLICY.rows as Record<string, RowRule>;

/**
 * Applies the policy to an executed response, in place. Deny by default at every step:
 * - a field the caller may not read becomes null with FORBIDDEN_FIELD (nulls propagate as GraphQL requires);
 * - a row the caller may not see leaves its list — a row rule says no (A1), or the row's type is closed to the caller;
 * - an object reached through an interface or union is judged as its concrete type, and one whose type cannot be
 *   told is withheld;
 * - a sensitive value is masked, hashed, withheld or, when the caller is entitled, revealed and reported for the log.
 */
export function applyPolicy(data: Record<string, unknown> | null, options: PolicyOptions): PolicyOutcome {
  const out: PolicyOutcome = { data, errors: [], masked: [], revealed: [], subjects: new Set(), hashLinks: new Map(), rowsHidden: 0 };
  const rootType = options.op.schema.getRootType(options.op.operation.operation);
  if (!data || !rootType) return out;
  const walker = new Walker(options, out);
  if (walker.object(rootType, data, [options.op.operation.selectionSet], [], null)) out.data = null;
  return out;
}

class Walker {
  /** Per type: whether the caller may read any field of it at all. */
  private readonly opens = new Map<string, boolean>();
  /** The fields of each selection set per type, collected once per response, not once per row (variables are fixed). */
  private readonly fields: FieldsOfOperation;

  constructor(
    private readonly options: PolicyOptions,
    private readonly out: PolicyOutcome,
  ) {
    this.fields = new FieldsOfOperation(options.op);
  }

  private get caller() {
    return this.options.caller;
  }

  /** Walks one object's selected fields; true when a non-null field of it had to become null (the object must too). */
  object(type: GraphQLObjectType, obj: Row, sets: readonly SelectionSetNode[], path: Path, above: string | null): boolean {
    const row = takeRow(obj);
    const owner = ownerOf(type.name, row, above);
    if (POLICY.owners[type.name] && owner !== null) this.out.subjects.add(owner);
    const ownership = { own: isOwnFile(this.caller, owner), inFull: rules[type.name]?.inFull?.(row, this.caller) ?? false };

    const fields = type.getFields();
    for (const [key, nodes] of this.fields.of(type, sets)) {
      const name = nodes[0]!.name.value;
      const field = fields[name];
      if (!field || !(key in obj)) continue; // __typename and introspection
      const rule = this.options.classification.rule(type.name, name);
      if (!canAccess(rule.access, this.caller)) {
        this.forbid([...path, key], `${type.name}.${name} is not available to this caller`);
        if (nullify(obj, key, field.type)) return true;
        continue;
      }
      const value = obj[key];
      if (value === null || value === undefined) continue;
      if (rule.sensitive && applies(rule.sensitive, row)) {
        if (this.sensitive(obj, key, field, `${type.name}.${name}`, rule.sensitive.kind, [...path, key], owner, ownership)) return true;
        continue;
      }
      const sub = this.fields.under(nodes);
      if (sub.length === 0) continue;
      if (this.value(field.type, obj, key, sub, [...path, key], owner)) return true;
    }
    return false;
  }

  /** A composite field's value: a list of rows, or one row. True when the field had to become null and is non-null. */
  private value(type: GraphQLOutputType, obj: Row, key: string, sets: readonly SelectionSetNode[], path: Path, owner: string | null): boolean {
    const value = obj[key];
    const unwrapped = isNonNullType(type) ? type.ofType : type;
    if (isListType(unwrapped) && Array.isArray(value)) {
      const itemType = unwrapped.ofType as GraphQLOutputType;
      const kept: unknown[] = [];
      let broken = false;
      for (const item of value) {
        if (item === null || typeof item !== 'object') {
          kept.push(item);
        } else if (Array.isArray(item)) {
          const holder: Row = { item };
          if (this.value(itemType, holder, 'item', sets, [...path, kept.length], owner)) broken = true;
          kept.push(holder.item);
        } else {
          const concrete = this.concreteType(itemType, item as Row);
          if (!concrete || !this.visible(concrete, item as Row, owner)) {
            this.out.rowsHidden++; // A1: rows the caller may not see are left out
            continue;
          }
          const nulled = this.object(concrete, item as Row, sets, [...path, kept.length], owner);
          if (nulled) broken ||= isNonNullType(itemType);
          kept.push(nulled ? null : item);
        }
      }
      obj[key] = kept;
      return broken && nullify(obj, key, type);
    }
    if (typeof value !== 'object' || value === null) return false;
    const concrete = this.concreteType(type, value as Row);
    if (!concrete || !this.visible(concrete, value as Row, owner)) {
      this.forbid(path, `this ${concrete?.name ?? getNamedType(type).name} is not available to this caller`);
      return nullify(obj, key, type);
    }
    return this.object(concrete, value as Row, sets, path, owner) && nullify(obj, key, type);
  }

  /** The object type a value is: its field's own type, or for an interface or union the one it names; null when untold. */
  private concreteType(type: GraphQLOutputType, value: Row): GraphQLObjectType | null {
    const named = getNamedType(type);
    if (isObjectType(named)) return named;
    if (!isAbstractType(named)) return null;
    const name = value[TYPENAME_ALIAS];
    const concrete = typeof name === 'string' ? this.options.op.schema.getType(name) : undefined;
    return concrete && isObjectType(concrete) && this.options.op.schema.isSubType(named as GraphQLAbstractType, concrete) ? concrete : null;
  }

  /** A row rule says yes (A1), and the row's type is not closed to the caller as a whole. */
  private visible(type: GraphQLObjectType, obj: Row, above: string | null): boolean {
    if (!this.opensAny(type)) return false;
    const rule = rules[type.name];
    if (!rule) return true;
    const row = peekRow(obj);
    return rule.visible(row, this.caller, ownerOf(type.name, row, above));
  }

  /** Closed to the caller: not one of the type's fields may be read (its @access, or none at all: deny by default). */
  private opensAny(type: GraphQLObjectType): boolean {
    let open = this.opens.get(type.name);
    if (open === undefined) {
      open = Object.keys(type.getFields()).some((name) => canAccess(this.options.classification.rule(type.name, name).access, this.caller));
      this.opens.set(type.name, open);
    }
    return open;
  }

  /** A sensitive value: revealed (and reported), or shown as the policy says. True when a non-null field became null. */
  private sensitive(
    obj: Row,
    key: string,
    field: GraphQLField<unknown, unknown>,
    coordinate: string,
    kind: string,
    path: Path,
    owner: string | null,
    ownership: { own: boolean; inFull: boolean },
  ): boolean {
    const value = obj[key];
    const disclosure = disclosureFor(kind, this.caller, ownership);
    if (disclosure === 'full') {
      const otherwise = dataKind(kind)?.otherwise ?? 'withheld';
      this.out.revealed.push({
        coordinate,
        kind,
        subject: owner,
        path,
        withdraw: () => {
          obj[key] = this.shown(otherwise, kind, value);
          return otherwise;
        },
      });
      return false;
    }
    this.out.masked.push({ path, kind, as: disclosure });
    const replaced = this.shown(disclosure, kind, value);
    if (replaced !== null) {
      obj[key] = replaced;
      return false;
    }
    this.forbid(path, `${coordinate} is withheld from this caller (${kind})`);
    return nullify(obj, key, field.type);
  }

  private shown(disclosure: Disclosure, kind: string, value: unknown): unknown {
    if (disclosure === 'full') return value;
    if (disclosure === 'withheld' || typeof value !== 'string') return null;
    if (disclosure === 'hashed') return this.hashed(value);
    const style = dataKind(kind)?.mask;
    return style ? mask(style, value) : null;
  }

  /**
   * A3: hashed with the current key. During a rotation the previous key's hash of the same value is kept beside it, so
   * a partner can re-key the records it holds; computed only then, as it costs a second HMAC per value.
   */
  private hashed(value: string): string {
    const hash = keyedHash(this.options.hashKey, value);
    if (this.options.hashKeyPrevious) this.out.hashLinks.set(hash, keyedHash(this.options.hashKeyPrevious, value));
    return hash;
  }

  private forbid(path: Path, message: string): void {
    this.out.errors.push({ message, path, extensions: { code: ErrorCode.FORBIDDEN_FIELD } });
  }
}

/** A condition that cannot be read counts as met: deny by default. */
function applies(sensitive: Sensitivity, row: Row): boolean {
  if (!sensitive.when) return true;
  const value = row[sensitive.when.field];
  return value === undefined || value === sensitive.when.equals;
}

/** Sets a field to null; true when that breaks a non-null type, so the parent must become null too. */
function nullify(obj: Row, key: string, type: GraphQLOutputType): boolean {
  obj[key] = null;
  return isNonNullType(type);
}

/** What the gateway fetched for the policy under reserved aliases, without touching the object. */
function peekRow(obj: Row): Row {
  const row: Row = {};
  for (const key of Object.keys(obj)) if (key.startsWith(RESERVED_PREFIX)) row[key.slice(RESERVED_PREFIX.length)] = obj[key];
  return row;
}

/** The same, taken out of the object: the caller never sees the policy's fields. */
function takeRow(obj: Row): Row {
  const row = peekRow(obj);
  for (const key of Object.keys(row)) delete obj[`${RESERVED_PREFIX}${key}`];
  return row;
}

function ownerOf(typeName: string, row: Row, above: string | null): string | null {
  const path = POLICY.owners[typeName];
  if (!path) return above;
  let value: unknown = row;
  for (const step of path) value = value && typeof value === 'object' ? (value as Row)[step] : undefined;
  return typeof value === 'string' ? value : above;
}
