import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { CalendarCoverageError } from '../calendar/index.js';
import { ErrorCode } from '../errors.js';

const PASSED_THROUGH = new Set<string>([
  ...Object.values(ErrorCode),
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

/**
 * Errors a caller can act on keep their registered code; anything unexpected is logged here and reaches
 * the caller as a bare INTERNAL_SERVER_ERROR, so no internals (SQL, stack, data) leak.
 */
export const safeFormatError = (service: string) => (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
  const code = formatted.extensions?.code;
  const original = unwrapResolverError(error);
  if (original instanceof CalendarCoverageError) {
    // our data is behind the State Council's notice: an operator must add the year, the caller can do nothing
    console.error(`[${service}] ${original.message}`);
    return { message: original.message, path: formatted.path, extensions: { code: ErrorCode.CALENDAR_NOT_COVERED } };
  }
  if (typeof code === 'string' && PASSED_THROUGH.has(code) && (original instanceof GraphQLError || code !== ErrorCode.INTERNAL_SERVER_ERROR)) {
    return formatted;
  }
  console.error(`[${service}] unexpected error:`, original);
  return { message: 'internal error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
};
