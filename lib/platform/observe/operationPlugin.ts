import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { noteOperation } from './observeRequest.js';

/** Tells the request's observation the operation's name once Apollo has resolved it (the document may name several). */
export const observeOperation: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operationName }) {
        noteOperation(operationName);
      },
    };
  },
};
