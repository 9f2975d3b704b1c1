import type { AuthChecker } from 'type-graphql';
import type { Role } from '../auth/principal.js';
import { forbiddenError } from '../errors/graphql.errors.js';
import type { GraphQLContext } from '../resolvers/graphql.context.js';

/**
 * type-graphql's check behind `@Authorized(roles)`: the caller's role must be listed. Refuses with
 * FORBIDDEN (the caller is known; an unknown caller never reaches a resolver).
 */
export const roleAuthChecker: AuthChecker<GraphQLContext, Role> = ({ context, info }, roles) => {
  const { role } = context.principal;
  if (roles.includes(role)) return true;
  throw roleForbiddenError(role, `${info.parentType.name}.${info.fieldName}`);
};

/** FORBIDDEN for a role not listed on a field (`Type.field`). */
export const roleForbiddenError = (role: Role, field: string) =>
  forbiddenError(`the ${role} role may not use ${field}`);
