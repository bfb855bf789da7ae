import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  Kind,
  Lexer,
  Source,
  TokenKind,
  TypeInfo,
  ValidationContext,
  valueFromASTUntyped,
  visit,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { CallerKind } from '../../lib/contracts/caller.js';
import { ErrorCode, refusal } from '../../lib/platform/errors.js';
import type { Refusal } from '../../lib/platform/http/serve.js';
import type { CallerLimits } from '../../lib/platform/limits.js';
import { collectFields, fragmentsOf } from '../policy/collectFields.js';
import type { CostModel } from '../policy/cost.js';
import type { GatewayContext } from './context.js';

/**
 * Step 4: the operation's shape against this caller kind's limits, before anything is planned or fetched: depth,
 * aliases and directives (GraphQL Armor's rules, counted through fragments), root fields, the items of any list
 * argument, and the estimated cost (@cost, @listSize) against the kind's budget — refused, in `enforce` mode, with
 * the estimate; in `measure` mode it runs and the cost is only reported. (The token count is checked earlier, on the
 * raw document, before it is even parsed: `tokensWithin`.)
 */
export function limitOperationStep(
  limits: Record<CallerKind, CallerLimits>,
  costs: CostModel,
  mode: 'enforce' | 'measure',
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, contextValue }) {
          if (!operation) return;
          const mine = limits[contextValue.caller.kind];
          shapeWithin(schema, document, mine);
          const op = { schema, fragments: fragmentsOf(document), variables: contextValue.variables, operation };
          const root = schema.getRootType(operation.operation)!;
          const rootFields = collectFields(op, root, [operation.selectionSet]).size;
          if (rootFields > mine.rootFields) {
            throw refusal(ErrorCode.MAX_ROOT_FIELDS_LIMIT, `at most ${mine.rootFields} root fields per operation, found ${rootFields}`, {
              limit: mine.rootFields,
            });
          }
          listsWithin(document, contextValue.variables, mine.listSize);
          const estimated = costs.estimate(op);
          contextValue.cost = { estimated, budget: mine.cost, mode };
          if (mode === 'enforce' && estimated > mine.cost) {
            throw refusal(ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE, `the operation's estimated cost ${estimated} is over the budget of ${mine.cost}`, {
              cost: { estimated, budget: mine.cost },
            });
          }
        },
      };
    },
  };
}

type ArmorRule = (options: { n: number; propagateOnRejection: false; onReject: ((c: unknown, e: GraphQLError) => void)[] }) => ValidationRule;
const SHAPE: [ErrorCode, keyof CallerLimits, ArmorRule][] = [
  [ErrorCode.MAX_DEPTH_LIMIT, 'depth', maxDepthRule as unknown as ArmorRule],
  [ErrorCode.MAX_ALIASES_LIMIT, 'aliases', maxAliasesRule as unknown as ArmorRule],
  [ErrorCode.MAX_DIRECTIVES_LIMIT, 'directives', maxDirectivesRule as unknown as ArmorRule],
];

/**
 * Depth, aliases and directives, with Armor's counting; the first limit passed refuses. Armor's rules count from each
 * operation's root by themselves (following fragments), so they are run on the operations alone rather than in a
 * full validation pass over the document (which would walk it once more for nothing).
 */
function shapeWithin(schema: GraphQLSchema, document: DocumentNode, mine: CallerLimits): void {
  const context = new ValidationContext(schema, document, new TypeInfo(schema), () => undefined);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  for (const [code, name, rule] of SHAPE) {
    let refused: GraphQLError | null = null;
    const onReject = [(_: unknown, error: GraphQLError) => (refused ??= refusal(code, error.message.replace(/^Syntax Error: /, ''), { limit: mine[name] }))];
    const visitor = rule({ n: mine[name], propagateOnRejection: false, onReject })(context) as {
      OperationDefinition: { enter(this: unknown, node: OperationDefinitionNode): void };
    };
    for (const operation of operations) visitor.OperationDefinition.enter.call(visitor, operation);
    if (refused) throw refused;
  }
}

/** No list anywhere in the arguments (a literal, a variable, inside an input object) holds more than `max` items. */
function listsWithin(document: DocumentNode, variables: Record<string, unknown>, max: number): void {
  const check = (value: unknown, argument: string): void => {
    if (Array.isArray(value)) {
      if (value.length > max)
        throw refusal(ErrorCode.MAX_LIST_SIZE_LIMIT, `${argument} holds ${value.length} items, at most ${max} are accepted`, { argument, limit: max });
      for (const item of value) check(item, argument);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) check(item, `${argument}.${key}`);
    }
  };
  visit(document, {
    Argument(node) {
      check(valueFromASTUntyped(node.value, variables), node.name.value);
      return false;
    },
  });
}

/** Before parsing: the raw document's tokens, counted with GraphQL's own lexer, stopping one past the limit. */
export function tokensWithin(body: unknown, limit: number): Refusal | null {
  const query = body !== null && typeof body === 'object' ? (body as { query?: unknown }).query : undefined;
  if (typeof query !== 'string') return null;
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++count > limit) return { code: ErrorCode.MAX_TOKENS_LIMIT, message: `the document has more than ${limit} tokens`, detail: { limit } };
    }
  } catch {
    return null; // not GraphQL: the parser will say why
  }
  return null;
}
