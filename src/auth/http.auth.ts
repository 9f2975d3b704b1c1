import type { NextFunction, Request, Response } from 'express';
import { GraphQLErrorCode } from '../errors/error.codes.js';
import { AuthenticationFailure } from './auth.errors.js';
import type { Authenticator } from './authenticator.js';
import { type Principal, Role } from './principal.js';

/** Roles that may send GraphQL multipart requests (the uploadSnapshot mutation). */
const UPLOADING_ROLES: ReadonlySet<Role> = new Set([Role.Dispatcher, Role.Device]);

function refuse(response: Response, status: number, code: GraphQLErrorCode, message: string): void {
  if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
  response.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/**
 * Establishes the caller of a GraphQL HTTP request before anything of its body is read, so an
 * unauthenticated client cannot make the server parse documents or buffer uploads. The principal is
 * left in `response.locals.principal` for the GraphQL context.
 */
export function authenticateGraphQLRequest(authenticator: Authenticator) {
  return (request: Request, response: Response, next: NextFunction): void => {
    authenticator.authenticate(request.headers.authorization).then(
      (principal) => {
        if (request.is('multipart/form-data') && !UPLOADING_ROLES.has(principal.role)) {
          refuse(response, 403, GraphQLErrorCode.Forbidden, `the ${principal.role} role may not upload files`);
          return;
        }
        response.locals.principal = principal;
        next();
      },
      (error: unknown) => {
        if (!(error instanceof AuthenticationFailure)) return next(error);
        refuse(response, 401, GraphQLErrorCode.Unauthenticated, error.message);
      },
    );
  };
}

export function principalOf(response: Response): Principal {
  const principal = response.locals.principal as Principal | undefined;
  if (!principal) throw new Error('GraphQL request reached the context without authentication');
  return principal;
}
