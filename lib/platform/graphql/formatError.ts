import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../errors.js';
import { describeError, log } from '../observe/log.js';

const PASSED_THROUGH = new Set<string>([
  ...Object.values(ErrorCode),
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

/** A plain Error whose `code` is one of the registry's (not a GraphQLError, not a driver's or the system's code). */
function carriesCode(error: unknown): error is Error & { code: ErrorCode } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && !(error instanceof GraphQLError) && typeof code === 'string' && Object.hasOwn(ErrorCode, code);
}

/**
 * Errors a caller can act on keep their registered code; anything unexpected is logged here and reaches
 * the caller as a bare INTERNAL_SERVER_ERROR, so no internals (SQL, stack, data) leak.
 */
export const safeFormatError =
  (service: string) =>
  (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const original = unwrapResolverError(error);
    if (carriesCode(original)) {
      // an error of the domain that names its registered code (the calendar behind the State Council's notice, ...):
      // its message is for the caller, and the operator is told too
      log.error({ service, code: original.code }, original.message);
      return { message: original.message, path: formatted.path, extensions: { code: original.code } };
    }
    if (typeof code === 'string' && PASSED_THROUGH.has(code) && (original instanceof GraphQLError || code !== ErrorCode.INTERNAL_SERVER_ERROR)) {
      return formatted;
    }
    log.error({ service, error: describeError(original) }, 'unexpected error');
    return { message: 'internal error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
