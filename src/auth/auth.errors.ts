import { GraphQLError } from 'graphql';

export const AuthErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
} as const;

/** No usable token: missing, malformed, badly signed, expired, or with claims this server does not accept. */
export class AuthenticationFailure extends Error {
  override readonly name = 'AuthenticationFailure';
}

export const forbiddenError = (message: string, argumentName?: string) =>
  new GraphQLError(message, {
    extensions: { code: AuthErrorCode.Forbidden, ...(argumentName ? { argumentName } : {}) },
  });
