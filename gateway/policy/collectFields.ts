import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  isAbstractType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

export interface Operation {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** The document's fragments by name: what collectFields follows. */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return fragments;
}

/**
 * The fields a selection set asks of an object of `type`, by response key (alias or name), as GraphQL
 * execution collects them: fragments whose type condition applies, @skip/@include honoured.
 */
export function collectFields(op: Operation, type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (!included(op, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = fields.get(key);
        if (list) list.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(op, selection.typeCondition?.name.value, type)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = op.fragments[name];
        if (!fragment || visited.has(name)) continue;
        visited.add(name);
        if (applies(op, fragment.typeCondition.name.value, type)) visit(fragment.selectionSet);
      }
    }
  };
  for (const set of selectionSets) visit(set);
  return fields;
}

/**
 * collectFields remembered per selection set and type, for one operation with its variables: a walk over a response
 * collects each selection set's fields once per type instead of once per row. Also remembers each field's
 * sub-selections.
 */
export class FieldsOfOperation {
  private readonly collected = new WeakMap<SelectionSetNode, Map<string, Map<string, FieldNode[]>>>();
  private readonly subSelections = new WeakMap<readonly FieldNode[], SelectionSetNode[]>();

  constructor(readonly op: Operation) {}

  of(type: GraphQLObjectType, sets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
    if (sets.length !== 1) return collectFields(this.op, type, sets);
    let byType = this.collected.get(sets[0]!);
    if (!byType) this.collected.set(sets[0]!, (byType = new Map()));
    let fields = byType.get(type.name);
    if (!fields) byType.set(type.name, (fields = collectFields(this.op, type, sets)));
    return fields;
  }

  /** The selection sets under one collected field (none for a leaf). */
  under(nodes: readonly FieldNode[]): SelectionSetNode[] {
    let sets = this.subSelections.get(nodes);
    if (!sets) this.subSelections.set(nodes, (sets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []))));
    return sets;
  }
}

function included(op: Operation, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, op.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, op.variables)?.if !== false;
}

function applies(op: Operation, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (!condition || condition === type.name) return true;
  const conditionType = op.schema.getType(condition);
  return !!conditionType && isAbstractType(conditionType) && op.schema.isSubType(conditionType, type);
}
