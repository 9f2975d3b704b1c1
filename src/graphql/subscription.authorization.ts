import {
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  type GraphQLSchema,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { assertAmbulanceInScope } from '../auth/ambulance.scope.js';
import type { Principal, Role } from '../auth/principal.js';
import { GraphQLErrorCode } from '../errors/error.codes.js';
import { validAmbulanceId } from '../resolvers/page.query.js';
import { roleForbiddenError } from './role.auth-checker.js';

export interface SubscriberRequest {
  readonly document: DocumentNode;
  readonly operationName?: string | null | undefined;
  readonly variables?: Record<string, unknown> | null | undefined;
}

/** The root fields of a selection set, through fragments, ignoring @skip/@include (so the check never misses one). */
export function rootFields(
  document: DocumentNode,
  selectionSet: SelectionSetNode,
  seen = new Set<string>(),
): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(document, selection.selectionSet, seen);
    if (seen.has(selection.name.value)) return [];
    seen.add(selection.name.value);
    const fragment = document.definitions.find(
      (definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value,
    );
    return fragment?.kind === Kind.FRAGMENT_DEFINITION ? rootFields(document, fragment.selectionSet, seen) : [];
  });
}

/**
 * The checks `@Authorized(roles)` and the subscribe resolver make, run for every subscriber of a subscription:
 * shared executions run them for the first subscriber only (see SharedSubscriptions). The caller's role must be
 * listed on the root field, and an `ambulanceId` argument must be in its token's scope. Returns the refusal
 * (FORBIDDEN, or BAD_USER_INPUT for unusable variables or ids), or null for queries, mutations and allowed callers.
 */
export function authorizeSubscriber(
  schema: GraphQLSchema,
  request: SubscriberRequest,
  principal: Principal,
  rolesByRootField: ReadonlyMap<string, readonly Role[]>,
): GraphQLError[] | null {
  const operation = getOperationAST(request.document, request.operationName ?? undefined);
  const subscriptionType = schema.getSubscriptionType();
  if (operation?.operation !== 'subscription' || !subscriptionType) return null;
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
  if (variables.errors) {
    return variables.errors.map(
      (error) =>
        new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: GraphQLErrorCode.BadUserInput } }),
    );
  }
  try {
    for (const field of rootFields(request.document, operation.selectionSet)) {
      const name = `Subscription.${field.name.value}`;
      const definition = subscriptionType.getFields()[field.name.value];
      if (!definition) continue; // validation has refused it already
      if (!rolesByRootField.get(name)?.includes(principal.role)) throw roleForbiddenError(principal.role, name);
      const { ambulanceId } = getArgumentValues(definition, field, variables.coerced);
      if (typeof ambulanceId === 'string') {
        assertAmbulanceInScope(principal, validAmbulanceId(ambulanceId), 'ambulanceId');
      }
    }
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return [
      error.extensions.code
        ? error
        : new GraphQLError(error.message, { extensions: { code: GraphQLErrorCode.BadUserInput } }),
    ];
  }
  return null;
}
