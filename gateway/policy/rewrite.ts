import {
  Kind,
  TypeInfo,
  parse,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  isAbstractType,
  isObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import type { Classification } from './classification.js';
import { POLICY, type RowRule } from './policy.js';

/** Aliases the gateway adds to fetch what policy decisions read; callers may not use them. */
export const RESERVED_PREFIX = '_cg_';
/** Under an interface or union, the concrete type of each object: the policy judges it as that type. */
export const TYPENAME_ALIAS = `${RESERVED_PREFIX}__typename`;

/**
 * What the policy reads of each type's rows: row rules, owners, and `when` conditions. Under an interface or
 * union: the concrete type's name, and what each possible type's rules read, so the walk can judge every object
 * as what it is (deny by default: an object whose type cannot be told is withheld).
 */
export function policySelections(schema: GraphQLSchema, classification: Classification): Map<string, readonly SelectionNode[]> {
  const rules = POLICY.rows as Record<string, RowRule>;
  const result = new Map<string, readonly SelectionNode[]>();
  const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));
  for (const type of types) {
    if (!isObjectType(type)) continue;
    const owner = POLICY.owners[type.name];
    const parts = [
      rules[type.name]?.needs ?? '',
      owner ? owner.reduceRight((inner, field) => (inner ? `${field} { ${inner} }` : field), '') : '',
      ...classification.conditionFields(type.name),
    ].filter(Boolean);
    if (parts.length === 0) continue;
    const selections = (parse(`{ ${parts.join(' ')} }`).definitions[0] as OperationDefinitionNode).selectionSet.selections;
    result.set(
      type.name,
      selections.map((s) => aliased(s as FieldNode)),
    );
  }
  for (const type of types) {
    if (!isAbstractType(type)) continue;
    const typename: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' }, alias: { kind: Kind.NAME, value: TYPENAME_ALIAS } };
    const perType = schema.getPossibleTypes(type).flatMap((possible): InlineFragmentNode[] => {
      const selections = result.get(possible.name);
      if (!selections) return [];
      return [
        {
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: possible.name } },
          selectionSet: { kind: Kind.SELECTION_SET, selections },
        },
      ];
    });
    result.set(type.name, [typename, ...perType]);
  }
  return result;
}

function aliased(field: FieldNode): FieldNode {
  return { ...field, alias: { kind: Kind.NAME, value: `${RESERVED_PREFIX}${field.name.value}` } };
}

/**
 * Adds the policy's selections to every selection set of the caller's operation (fragments included), so
 * row rules and conditional classifications can be decided on what comes back. The added fields are
 * not themselves extended, and are stripped before the response leaves the gateway.
 */
export function addPolicyFields(document: DocumentNode, schema: GraphQLSchema, selections: Map<string, readonly SelectionNode[]>): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (node.alias?.value.startsWith(RESERVED_PREFIX)) return false;
        return undefined;
      },
      SelectionSet(node) {
        const type = typeInfo.getParentType();
        const extra = type && selections.get(type.name);
        if (!extra) return undefined;
        return { ...node, selections: [...node.selections, ...extra] };
      },
    }),
  );
}
