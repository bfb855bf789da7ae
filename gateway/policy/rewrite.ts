import {
  Kind,
  TypeInfo,
  parse,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import type { Classification } from './classification.js';
import { POLICY, type RowRule } from './policy.js';

/** Aliases the gateway adds to fetch what policy decisions read; callers may not use them. */
export const RESERVED_PREFIX = '_cg_';

/** What the policy reads of each type's rows: row rules, owners, and `when` conditions. */
export function policySelections(schema: GraphQLSchema, classification: Classification): Map<string, readonly SelectionNode[]> {
  const rules = POLICY.rows as Record<string, RowRule>;
  const result = new Map<string, readonly SelectionNode[]>();
  for (const typeName of Object.keys(schema.getTypeMap())) {
    if (typeName.startsWith('__')) continue;
    const owner = POLICY.owners[typeName];
    const parts = [
      rules[typeName]?.needs ?? '',
      owner ? owner.reduceRight((inner, field) => (inner ? `${field} { ${inner} }` : field), '') : '',
      ...classification.conditionFields(typeName),
    ].filter(Boolean);
    if (parts.length === 0) continue;
    const selections = (parse(`{ ${parts.join(' ')} }`).definitions[0] as OperationDefinitionNode).selectionSet.selections;
    result.set(typeName, selections.map((s) => aliased(s as FieldNode)));
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
