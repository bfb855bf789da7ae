/**
 * The release check of a schema change: the subgraphs' SDL composed now, its API schema against the released one,
 * each change classified, and every registered operation validated against the new API schema.
 */
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { parse } from 'graphql';
import { validateAgainst, type OperationProblem, type RegisteredOperation } from '../../lib/contracts/operations.js';
import { apiSchemaOf } from '../../schema/apiSchema.js';
import { composeSupergraph, type Composition } from '../../schema/compose.js';
import { coordinatesUsed, uses } from './usage.js';

export type Level = 'breaking' | 'dangerous' | 'safe';

export interface ClassifiedChange {
  level: Level;
  type: string;
  path: string | undefined;
  message: string;
  /** For breaking changes: the registered operations (`client Operation`) that use what changed. */
  usedBy: string[];
}

export type SchemaCheck =
  | { composed: false; errors: string[] }
  | {
      composed: true;
      changes: ClassifiedChange[];
      /** Registered operations that do not validate against the new API schema: each fails the check. */
      broken: OperationProblem[];
    };

const LEVELS: Record<CriticalityLevel, Level> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};

/** Composes the SDL of `subgraphsDir` and checks it against the released supergraph and the registered operations. */
export async function checkSchema(options: {
  subgraphsDir: string;
  releasedSupergraphSdl: string;
  operations: ReadonlyMap<string, readonly RegisteredOperation[]>;
}): Promise<SchemaCheck> {
  let composition: Composition;
  try {
    composition = composeSupergraph(options.subgraphsDir);
  } catch (error) {
    // an SDL file that is missing or does not parse never reaches composition
    return { composed: false, errors: [(error as Error).message] };
  }
  if (!composition.ok) return { composed: false, errors: composition.errors };
  const released = apiSchemaOf(options.releasedSupergraphSdl);
  const proposed = apiSchemaOf(composition.supergraphSdl);

  // what each registered operation uses, read against the schema it was written for
  const usage = [...options.operations].flatMap(([client, ops]) =>
    ops.map((op) => ({ who: `${client} ${op.name}`, used: coordinatesUsed(released, parse(op.body)) })),
  );
  const changes = (await diff(released, proposed)).map((change: Change): ClassifiedChange => {
    const level = LEVELS[change.criticality.level];
    const usedBy = level === 'breaking' && change.path ? usage.filter((u) => uses(u.used, change.path!)).map((u) => u.who) : [];
    return { level, type: change.type, path: change.path, message: change.message, usedBy };
  });
  return { composed: true, changes, broken: validateAgainst(proposed, options.operations) };
}
