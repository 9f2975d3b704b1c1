import { getMetadataStorage } from 'type-graphql';
import { Role } from './principal.js';

/** `@Authorized(...READERS)`: history queries and subscriptions. */
export const READERS = [Role.Dispatcher, Role.Partner] as const;
/** `@Authorized(...DISPATCHERS)`: dispatch mutations (places, unit status, crash acknowledgement). */
export const DISPATCHERS = [Role.Dispatcher] as const;
/** `@Authorized(...UPLOADERS)`: the snapshot upload. */
export const UPLOADERS = [Role.Dispatcher, Role.Device] as const;

export type RootKind = 'Query' | 'Mutation' | 'Subscription';

/**
 * The roles `@Authorized(roles)` allows on each root field, as `Kind.field` (`Subscription.trackingUpdated`).
 * A root field without `@Authorized` is missing, so checks against this map refuse it.
 */
export function rolesOfRootFields(): ReadonlyMap<string, readonly Role[]> {
  const storage = getMetadataStorage();
  const rolesOf = (target: unknown, name: string) =>
    storage.authorizedFields.find((field) => field.target === target && field.fieldName === name)?.roles as
      | Role[]
      | undefined;
  const roles = new Map<string, readonly Role[]>();
  const kinds: Array<[RootKind, typeof storage.queries]> = [
    ['Query', storage.queries],
    ['Mutation', storage.mutations],
    ['Subscription', storage.subscriptions],
  ];
  for (const [kind, fields] of kinds) {
    for (const field of fields) {
      const allowed = rolesOf(field.target, field.methodName);
      if (allowed && allowed.length > 0) roles.set(`${kind}.${field.schemaName}`, allowed);
    }
  }
  return roles;
}
