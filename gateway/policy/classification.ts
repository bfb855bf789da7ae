import { Kind, parse, valueFromASTUntyped, type ConstDirectiveNode, type FieldDefinitionNode } from 'graphql';

/** Who may read: anyone, or callers holding all the scopes of at least one of the lists. */
export type Access = { public: true } | { public: false; anyOf: readonly (readonly string[])[] };

/** A field's sensitive-data kind, possibly only for rows where a sibling field has a given value. */
export interface Sensitivity {
  kind: string;
  when: { field: string; equals: string } | null;
}

export interface FieldRule {
  /** null: no @access on the field or its type — nobody may read it (deny by default). */
  access: Access | null;
  sensitive: Sensitivity | null;
}

/**
 * The data owners' classification (@access, @sensitive in each subgraph's SDL), read from the composed
 * supergraph: those directives do not reach the gateway's API schema, so they are read from the SDL itself.
 */
export class Classification {
  /** Every field's rule, worked out once: the response walk asks for every field of every row. */
  private readonly rules = new Map<string, Map<string, FieldRule>>();

  private constructor(
    private readonly typeAccess: ReadonlyMap<string, Access>,
    private readonly fields: ReadonlyMap<string, { access: Access | null; sensitive: Sensitivity | null }>,
  ) {
    for (const [coordinate, field] of fields) {
      const [typeName, fieldName] = coordinate.split('.') as [string, string];
      if (!this.rules.has(typeName)) this.rules.set(typeName, new Map());
      this.rules.get(typeName)!.set(fieldName, this.ruleOf(typeName, field));
    }
  }

  static fromSupergraph(sdl: string): Classification {
    const typeAccess = new Map<string, Access>();
    const fields = new Map<string, { access: Access | null; sensitive: Sensitivity | null }>();
    for (const def of parse(sdl).definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      const typeName = def.name.value;
      const own = readAccess(def.directives, typeName);
      if (own) typeAccess.set(typeName, merge(typeAccess.get(typeName), own));
      for (const field of def.fields ?? []) fields.set(`${typeName}.${field.name.value}`, readField(field, typeName));
    }
    return new Classification(typeAccess, fields);
  }

  rule(typeName: string, fieldName: string): FieldRule {
    return this.rules.get(typeName)?.get(fieldName) ?? this.ruleOf(typeName, undefined);
  }

  private ruleOf(typeName: string, field: FieldRule | undefined): FieldRule {
    return Object.freeze({ access: field?.access ?? this.typeAccess.get(typeName) ?? null, sensitive: field?.sensitive ?? null });
  }

  /** Sibling fields the gateway must fetch to decide `when` conditions on this type's fields. */
  conditionFields(typeName: string): string[] {
    const needed = new Set<string>();
    for (const [coordinate, rule] of this.fields) {
      if (coordinate.startsWith(`${typeName}.`) && rule.sensitive?.when) needed.add(rule.sensitive.when.field);
    }
    return [...needed];
  }
}

/** Two subgraphs may both put @access on a type; the more permissive one does not silently win: all lists count. */
function merge(a: Access | undefined, b: Access): Access {
  if (!a) return b;
  if (a.public || b.public) return { public: true };
  return { public: false, anyOf: [...a.anyOf, ...b.anyOf] };
}

function directive(nodes: readonly ConstDirectiveNode[] | undefined, name: string): Record<string, unknown> | null {
  const node = nodes?.find((d) => d.name.value === name);
  if (!node) return null;
  return Object.fromEntries((node.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
}

function readAccess(nodes: readonly ConstDirectiveNode[] | undefined, where: string): Access | null {
  const args = directive(nodes, 'access');
  if (!args) return null;
  if (args.public === true) return { public: true };
  const scopes = args.scopes;
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((s) => Array.isArray(s) && s.length > 0)) {
    throw new Error(`@access on ${where} needs public: true or a non-empty scopes list of non-empty lists`);
  }
  return { public: false, anyOf: scopes as string[][] };
}

const WHEN = /^\s*(\w+)\s*==\s*(\w+)\s*$/;

function readField(field: FieldDefinitionNode, typeName: string) {
  const where = `${typeName}.${field.name.value}`;
  const args = directive(field.directives, 'sensitive');
  let sensitive: Sensitivity | null = null;
  if (args) {
    if (typeof args.kind !== 'string') throw new Error(`@sensitive on ${where} needs a kind`);
    let when: Sensitivity['when'] = null;
    if (args.when !== undefined && args.when !== null) {
      const m = WHEN.exec(String(args.when));
      if (!m) throw new Error(`@sensitive(when:) on ${where} must read "field == VALUE", got ${JSON.stringify(args.when)}`);
      when = { field: m[1]!, equals: m[2]! };
    }
    sensitive = { kind: args.kind, when };
  }
  return { access: readAccess(field.directives, where), sensitive };
}
