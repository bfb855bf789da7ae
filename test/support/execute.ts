import type { ApolloServer, BaseContext } from '@apollo/server';

export interface Result<Data> {
  data?: Data | null;
  errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** In-process execution (no HTTP) against a built service, with a fresh per-request context. */
export async function execute<Data = Record<string, unknown>>(
  // any service, whatever its own context type
  service: { apollo: ApolloServer<any>; context: () => Promise<BaseContext> },
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Result<Data>> {
  const response = await service.apollo.executeOperation<Data>({ query, variables }, { contextValue: await service.context() });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as Result<Data>;
}
