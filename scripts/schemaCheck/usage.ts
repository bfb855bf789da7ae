/**
 * What an operation uses of a schema, as schema coordinates (`Type`, `Type.field`, `Type.field.argument`,
 * `Input.field`, `Enum.VALUE`), so a reported change (whose path is such a coordinate) can name the operations it
 * reaches. Only for the report: whether an operation breaks is decided by validating it.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

export interface Usage {
  /** Fields, arguments, input fields and enum values the document names. */
  exact: Set<string>;
  /** Input and enum types its variables take whole: any of their fields or values may be sent. */
  whole: Set<string>;
}

export function coordinatesUsed(schema: GraphQLSchema, document: DocumentNode): Usage {
  const exact = new Set<string>();
  const whole = new Set<string>();
  const info = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(info, {
      Field(node) {
        const parent = info.getParentType();
        if (parent) exact.add(`${parent.name}.${node.name.value}`);
      },
      Argument(node) {
        const parent = info.getParentType();
        const field = info.getFieldDef();
        if (parent && field && !info.getDirective()) exact.add(`${parent.name}.${field.name}.${node.name.value}`);
      },
      ObjectField(node) {
        const input = getNamedType(info.getParentInputType() ?? undefined);
        if (input && isInputObjectType(input)) exact.add(`${input.name}.${node.name.value}`);
      },
      EnumValue(node) {
        const type = getNamedType(info.getInputType() ?? undefined);
        if (type && isEnumType(type)) exact.add(`${type.name}.${node.value}`);
      },
      VariableDefinition() {
        addWhole(getNamedType(info.getInputType() ?? undefined), whole);
      },
    }),
  );
  return { exact, whole };
}

/** An input type taken whole, with the input and enum types inside it. */
function addWhole(type: GraphQLNamedType | undefined, whole: Set<string>): void {
  if (!type || whole.has(type.name)) return;
  whole.add(type.name);
  if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) addWhole(getNamedType(field.type), whole);
}

/** Whether a change at `path` reaches what an operation uses: the thing itself, something inside it, or an argument of a used field. */
export function uses({ exact, whole }: Usage, path: string): boolean {
  for (const used of exact) if (used === path || used.startsWith(`${path}.`) || path.startsWith(`${used}.`)) return true;
  for (const type of whole) if (type === path || path.startsWith(`${type}.`)) return true;
  return false;
}
