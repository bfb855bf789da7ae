import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, HTTP_STATUS } from '../../lib/platform/errors.js';
import type { GatewayContext } from './context.js';

/**
 * Step 8: the HTTP status. A response whose errors decided it — nothing came back but nulls — answers with the
 * status of its errors: 4xx when the caller's request was at fault (bad input, refused, not found), 5xx when we
 * were (a service down, the query log unavailable). A response that carries data besides its errors stays 200.
 */
export function statusStep(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!errors?.length || !nothingCameBack(data)) return;
          const status = statusOf(errors);
          if (status !== null) response.http.status = status;
        },
      };
    },
  };
}

function nothingCameBack(data: Record<string, unknown> | null | undefined): boolean {
  return !data || Object.values(data).every((value) => value === null);
}

/**
 * Ours before the caller's (a request that met both may succeed when retried); null when no error carries a code of
 * the registry (Apollo Server's own parse and validation errors keep the status it gave them).
 */
export function statusOf(errors: readonly GraphQLFormattedError[]): number | null {
  const statuses = errors.flatMap((e) => {
    const code = e.extensions?.code;
    return typeof code === 'string' && Object.hasOwn(HTTP_STATUS, code) ? [HTTP_STATUS[code as ErrorCode]] : [];
  });
  if (statuses.length === 0) return null;
  return statuses.find((s) => s >= 500) ?? statuses.find((s) => s >= 400) ?? 200;
}
