import {
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  isTypeDefinitionNode,
  isTypeExtensionNode,
  parse,
  type DefinitionNode,
  type TypeDefinitionNode,
  type TypeExtensionNode,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLInputType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { collectFields, FieldsOfOperation, type Operation } from './collectFields.js';
import { TYPENAME_ALIAS } from './rewrite.js';

/** A list field nobody declared a size for is assumed to hold this many. */
export const DEFAULT_LIST_SIZE = 10;
/** What a mutation's root field costs before its selection (a write is dearer than a read). */
const MUTATION_BASE = 10;

interface ListSize {
  assumedSize: number | null;
  slicingArguments: string[];
}

/**
 * The cost of an operation, the way the ecosystem counts it (IBM's GraphQL cost directives, as Apollo Federation
 * composes them: `@cost(weight:)` and `@listSize(assumedSize:, slicingArguments:)`, declared by each data owner in its
 * subgraph and read here from the supergraph). A field costs its weight — by default 1 for an object, 0 for a scalar
 * or enum — plus its selection, times its list size: the value of a slicing argument; for a field taking a list of
 * codes (`subjects(codes:)`), that list's length; else the declared assumed size, else DEFAULT_LIST_SIZE. Under an
 * interface or union the dearest possible type counts. `actual` counts the same way over the answer's real lists.
 */
export class CostModel {
  private constructor(
    private readonly fieldWeights: ReadonlyMap<string, number>,
    private readonly typeWeights: ReadonlyMap<string, number>,
    private readonly listSizes: ReadonlyMap<string, ListSize>,
  ) {}

  static fromSupergraph(sdl: string): CostModel {
    const fieldWeights = new Map<string, number>();
    const typeWeights = new Map<string, number>();
    const listSizes = new Map<string, ListSize>();
    for (const def of parse(sdl).definitions) {
      if (!isTypeSystemDefinition(def)) continue;
      const typeName = def.name.value;
      const typeWeight = weightOf(def.directives);
      if (typeWeight !== null) typeWeights.set(typeName, typeWeight);
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
      for (const field of def.fields ?? []) {
        const coordinate = `${typeName}.${field.name.value}`;
        const weight = weightOf(field.directives);
        if (weight !== null) fieldWeights.set(coordinate, weight);
        const size = directiveArgs(field.directives, 'listSize');
        if (size) {
          listSizes.set(coordinate, {
            assumedSize: typeof size.assumedSize === 'number' ? size.assumedSize : null,
            slicingArguments: Array.isArray(size.slicingArguments) ? (size.slicingArguments as string[]) : [],
          });
        }
      }
    }
    return new CostModel(fieldWeights, typeWeights, listSizes);
  }

  /** The estimate, before anything runs. */
  estimate(op: Operation & { operation: OperationDefinitionNode }): number {
    const root = op.schema.getRootType(op.operation.operation);
    if (!root) return 0;
    const mutation = op.operation.operation === 'mutation';
    let total = 0;
    for (const nodes of collectFields(op, root, [op.operation.selectionSet]).values()) {
      const field = root.getFields()[nodes[0]!.name.value];
      if (field) total += (mutation ? MUTATION_BASE : 0) + this.estimateField(op, root, field, nodes);
    }
    return total;
  }

  /** What the answer actually cost, counted the same way over its real lists. */
  actual(op: Operation & { operation: OperationDefinitionNode }, data: Record<string, unknown> | null | undefined): number {
    const root = op.schema.getRootType(op.operation.operation);
    if (!root || !data) return 0;
    const mutation = op.operation.operation === 'mutation';
    const fields = new FieldsOfOperation(op);
    let total = 0;
    for (const [key, nodes] of fields.of(root, [op.operation.selectionSet])) {
      const field = root.getFields()[nodes[0]!.name.value];
      if (field && key in data) total += (mutation ? MUTATION_BASE : 0) + this.actualValue(fields, root.name, field, nodes, data[key]);
    }
    return total;
  }

  /** Each field's weight, worked out once per schema (a reload brings new field objects). */
  private readonly weights = new WeakMap<GraphQLField<unknown, unknown>, number>();

  private weight(parent: string, field: GraphQLField<unknown, unknown>): number {
    let weight = this.weights.get(field);
    if (weight === undefined) {
      const named = getNamedType(field.type);
      weight = this.fieldWeights.get(`${parent}.${field.name}`) ?? this.typeWeights.get(named.name) ?? (isCompositeType(named) ? 1 : 0);
      this.weights.set(field, weight);
    }
    return weight;
  }

  private estimateField(op: Operation, parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, nodes: FieldNode[]): number {
    const named = getNamedType(field.type);
    const sets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    const children = isCompositeType(named) && sets.length > 0 ? this.estimateSelection(op, named, sets) : 0;
    const one = this.weight(parent.name, field) + children;
    return isList(field.type) ? one * this.listSize(op, parent.name, field, nodes[0]!) : one;
  }

  /** Under an interface or union: the dearest of the types it may be. */
  private estimateSelection(op: Operation, type: ReturnType<typeof getNamedType>, sets: SelectionSetNode[]): number {
    const concrete = isObjectType(type) ? [type] : isAbstractType(type) ? op.schema.getPossibleTypes(type) : [];
    let dearest = 0;
    for (const object of concrete) {
      let sum = 0;
      for (const nodes of collectFields(op, object, sets).values()) {
        const field = object.getFields()[nodes[0]!.name.value];
        if (field) sum += this.estimateField(op, object, field, nodes);
      }
      dearest = Math.max(dearest, sum);
    }
    return dearest;
  }

  private listSize(op: Operation, parent: string, field: GraphQLField<unknown, unknown>, node: FieldNode): number {
    const declared = this.listSizes.get(`${parent}.${field.name}`);
    const args = getArgumentValues(field, node, op.variables);
    const sliced = (declared?.slicingArguments ?? []).map((name) => args[name]).filter((v): v is number => typeof v === 'number');
    if (sliced.length > 0) return Math.max(...sliced);
    // a field taking a list of codes answers one item per code, at most what its owner assumes
    const lists = field.args
      .filter((a) => isList(a.type))
      .map((a) => args[a.name])
      .filter(Array.isArray);
    if (lists.length > 0) {
      const longest = Math.max(...lists.map((l) => l.length));
      return declared?.assumedSize != null ? Math.min(longest, declared.assumedSize) : longest;
    }
    return declared?.assumedSize ?? DEFAULT_LIST_SIZE;
  }

  private actualValue(fields: FieldsOfOperation, parent: string, field: GraphQLField<unknown, unknown>, nodes: FieldNode[], value: unknown): number {
    if (value === null || value === undefined) return 0;
    if (Array.isArray(value)) {
      let sum = 0;
      for (const item of value) sum += this.actualValue(fields, parent, field, nodes, item);
      return sum;
    }
    const base = this.weight(parent, field);
    const named = getNamedType(field.type);
    if (!isCompositeType(named) || typeof value !== 'object') return base;
    const row = value as Record<string, unknown>;
    const told = row[TYPENAME_ALIAS] ?? row.__typename;
    const concrete = isObjectType(named) ? named : typeof told === 'string' ? fields.op.schema.getType(told) : null;
    if (!concrete || !isObjectType(concrete)) return base;
    let sum = base;
    const children = concrete.getFields();
    for (const [key, childNodes] of fields.of(concrete, fields.under(nodes))) {
      const child = children[childNodes[0]!.name.value];
      if (child && key in row) sum += this.actualValue(fields, concrete.name, child, childNodes, row[key]);
    }
    return sum;
  }
}

function isList(type: GraphQLOutputType | GraphQLInputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function isTypeSystemDefinition(def: DefinitionNode): def is TypeDefinitionNode | TypeExtensionNode {
  return isTypeDefinitionNode(def) || isTypeExtensionNode(def);
}

function directiveArgs(nodes: readonly ConstDirectiveNode[] | undefined, name: string): Record<string, unknown> | null {
  const node = nodes?.find((d) => d.name.value === name);
  return node ? Object.fromEntries((node.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)])) : null;
}

function weightOf(nodes: readonly ConstDirectiveNode[] | undefined): number | null {
  const args = directiveArgs(nodes, 'cost');
  const weight = args ? Number(args.weight) : Number.NaN;
  return Number.isFinite(weight) ? weight : null;
}
