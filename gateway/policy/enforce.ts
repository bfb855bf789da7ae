import {
  getNamedType,
  isNonNullType,
  isObjectType,
  type GraphQLFormattedError,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Caller } from '../../lib/auth/caller.js';
import { ErrorCode } from '../../lib/errors.js';
import type { Classification } from './classification.js';
import { collectFields, type Operation } from './collectFields.js';
import { canAccess, dataKind, disclosureFor } from './decide.js';
import { keyedHash, mask } from './masks.js';
import { POLICY, type Disclosure, type Row, type RowRule } from './policy.js';
import { RESERVED_PREFIX } from './rewrite.js';

type Path = (string | number)[];

/** A sensitive value shown in full: what the query log records, and how to take it back if it cannot. */
export interface Revealed {
  coordinate: string;
  kind: string;
  subject: string | null;
  path: Path;
  /** Replaces the value with what the caller would get without full rights (A2: no log, no data). */
  withdraw(): void;
}

export interface Enforcement {
  data: Record<string, unknown> | null;
  errors: GraphQLFormattedError[];
  /** Values changed by the policy (masked, hashed, withheld), so a masked or null value is never ambiguous. */
  masked: { path: Path; kind: string; as: Exclude<Disclosure, 'full'> }[];
  revealed: Revealed[];
  /** Codes of every subject whose file the response shows. */
  subjects: Set<string>;
}

export interface EnforceOptions {
  op: Operation & { operation: OperationDefinitionNode };
  classification: Classification;
  caller: Caller;
  hashKey: string;
}

const rules = POLICY.rows as Record<string, RowRule>;

/**
 * Applies the policy to an executed response, in place: forbidden fields become null with FORBIDDEN_FIELD
 * (nulls propagate as GraphQL requires), rows the caller may not see leave their lists, sensitive values
 * are masked, hashed, withheld or — when the caller is entitled — revealed and reported for the log.
 */
export function enforce(data: Record<string, unknown> | null, options: EnforceOptions): Enforcement {
  const { op, classification, caller, hashKey } = options;
  const out: Enforcement = { data, errors: [], masked: [], revealed: [], subjects: new Set() };
  const rootType = op.schema.getRootType(op.operation.operation);
  if (!data || !rootType) return out;

  const forbid = (path: Path, message: string) =>
    out.errors.push({ message, path, extensions: { code: ErrorCode.FORBIDDEN_FIELD } });

  /** Sets a field to null; true when that breaks a non-null type, so the parent must become null too. */
  const nullify = (obj: Row, key: string, type: GraphQLOutputType): boolean => {
    obj[key] = null;
    return isNonNullType(type);
  };

  const rowOf = (obj: Row): Row => {
    const row: Row = {};
    for (const key of Object.keys(obj)) if (key.startsWith(RESERVED_PREFIX)) row[key.slice(RESERVED_PREFIX.length)] = obj[key];
    return row;
  };

  const ownerOf = (typeName: string, row: Row, above: string | null): string | null => {
    const path = POLICY.owners[typeName];
    if (!path) return above;
    let value: unknown = row;
    for (const step of path) value = value && typeof value === 'object' ? (value as Row)[step] : undefined;
    return typeof value === 'string' ? value : above;
  };

  const visible = (type: GraphQLObjectType, obj: Row, above: string | null): boolean => {
    const rule = rules[type.name];
    if (!rule) return true;
    const row = rowOf(obj);
    return rule.visible(row, caller, ownerOf(type.name, row, above));
  };

  const walk = (type: GraphQLObjectType, obj: Row, sets: readonly SelectionSetNode[], path: Path, above: string | null): boolean => {
    const row = rowOf(obj);
    for (const key of Object.keys(row)) delete obj[`${RESERVED_PREFIX}${key}`];
    const owner = ownerOf(type.name, row, above);
    if (type.name === 'Subject' && typeof row.code === 'string') out.subjects.add(row.code);
    const own = caller.kind === 'subject' && owner !== null && owner === caller.principal;
    const inFull = rules[type.name]?.inFull?.(row, caller) ?? false;

    for (const [key, nodes] of collectFields(op, type, sets)) {
      const name = nodes[0]!.name.value;
      const field = type.getFields()[name];
      if (!field || !(key in obj)) continue; // __typename and introspection
      const fieldPath = [...path, key];
      const rule = classification.rule(type.name, name);
      if (!canAccess(rule.access, caller)) {
        forbid(fieldPath, `${type.name}.${name} is not available to this caller`);
        if (nullify(obj, key, field.type)) return true;
        continue;
      }
      const value = obj[key];
      if (value === null || value === undefined) continue;

      const sensitive = rule.sensitive;
      // a condition that cannot be read counts as met: deny by default
      if (sensitive && (!sensitive.when || row[sensitive.when.field] === undefined || row[sensitive.when.field] === sensitive.when.equals)) {
        const disclosure = disclosureFor(sensitive.kind, caller, { own, inFull });
        const coordinate = `${type.name}.${name}`;
        if (disclosure === 'full') {
          const otherwise = dataKind(sensitive.kind)?.otherwise ?? 'withheld';
          out.revealed.push({
            coordinate, kind: sensitive.kind, subject: owner, path: fieldPath,
            withdraw: () => void (obj[key] = shown(otherwise, sensitive.kind, value)),
          });
          continue;
        }
        out.masked.push({ path: fieldPath, kind: sensitive.kind, as: disclosure });
        const replaced = shown(disclosure, sensitive.kind, value);
        if (replaced === null) {
          forbid(fieldPath, `${coordinate} is withheld from this caller (${sensitive.kind})`);
          if (nullify(obj, key, field.type)) return true;
        } else {
          obj[key] = replaced;
        }
        continue;
      }

      const named = getNamedType(field.type);
      if (!isObjectType(named)) continue;
      const sub = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      if (Array.isArray(value)) {
        const kept: unknown[] = [];
        let broken = false;
        for (const item of value) {
          if (item === null || typeof item !== 'object') {
            kept.push(item);
            continue;
          }
          if (!visible(named, item as Row, owner)) continue; // A1: rows the caller may not see are left out
          if (walk(named, item as Row, sub, [...fieldPath, kept.length], owner)) {
            broken ||= isNonNullType(listItemType(field.type));
            kept.push(null);
          } else {
            kept.push(item);
          }
        }
        obj[key] = kept;
        if (broken && nullify(obj, key, field.type)) return true;
      } else if (typeof value === 'object') {
        if (!visible(named, value as Row, owner)) {
          forbid(fieldPath, `this ${named.name} is not available to this caller`);
          if (nullify(obj, key, field.type)) return true;
        } else if (walk(named, value as Row, sub, fieldPath, owner) && nullify(obj, key, field.type)) {
          return true;
        }
      }
    }
    return false;
  };

  if (walk(rootType, data, [op.operation.selectionSet], [], null)) out.data = null;
  return out;

  function shown(disclosure: Disclosure, kind: string, value: unknown): unknown {
    if (disclosure === 'full') return value;
    if (disclosure === 'withheld' || typeof value !== 'string') return null;
    if (disclosure === 'hashed') return keyedHash(hashKey, value);
    const style = dataKind(kind)?.mask;
    return style ? mask(style, value) : null;
  }
}

function listItemType(type: GraphQLOutputType): GraphQLOutputType {
  const list = isNonNullType(type) ? type.ofType : type;
  return 'ofType' in list ? (list.ofType as GraphQLOutputType) : list;
}
