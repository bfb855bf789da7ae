import type { ApolloServer, BaseContext } from '@apollo/server';
import { ANONYMOUS, type Caller } from '../../lib/contracts/caller.js';

export interface Result<Data> {
  data?: Data | null;
  errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** In-process execution (no HTTP) against a built service, as if the gateway vouched for `caller`. */
export async function execute<Data = Record<string, unknown>>(
  // any service, whatever its own context type
  service: { apollo: ApolloServer<any>; context: (caller: Caller) => Promise<BaseContext> },
  query: string,
  variables: Record<string, unknown> = {},
  caller: Caller = ANONYMOUS,
): Promise<Result<Data>> {
  const response = await service.apollo.executeOperation<Data>({ query, variables }, { contextValue: await service.context(caller) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as Result<Data>;
}
