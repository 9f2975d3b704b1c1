import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { assertAmbulanceInScope } from '../auth/ambulance.scope.js';
import { DISPATCHERS } from '../auth/root-field.roles.js';
import { badInput } from '../errors/graphql.errors.js';
import { Ambulance } from './ambulance.type.js';
import { UnitStatus } from './dispatch.enums.js';
import type { GraphQLContext } from './graphql.context.js';
import { validAmbulanceId } from './page.query.js';

const MAX_NOTE_LENGTH = 500;

export function validNote(note: string | null | undefined): string | null {
  const trimmed = note?.trim() ?? '';
  if (trimmed.length > MAX_NOTE_LENGTH) throw badInput('note', `must be at most ${MAX_NOTE_LENGTH} characters`);
  return trimmed === '' ? null : trimmed;
}

@Resolver()
export class UnitStatusResolver {
  @Authorized(...DISPATCHERS)
  @Mutation(() => Ambulance, {
    description:
      'Sets a unit status by hand (a STATUS_CHANGED event by your token subject). It stays until changed again, by ' +
      'hand or by the next matching trigger of the transition table (docs/dispatch.md).',
  })
  async setUnitStatus(
    @Arg('ambulanceId', () => ID) ambulanceId: string,
    @Arg('status', () => UnitStatus) status: UnitStatus,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<Ambulance> {
    assertAmbulanceInScope(context.principal, validAmbulanceId(ambulanceId), 'ambulanceId');
    const doc = await context.services.dispatch.statuses.setByHand(
      ambulanceId,
      status,
      context.principal.subject,
      validNote(note),
    );
    context.loaders.clearAll();
    return Ambulance.fromDoc(doc);
  }
}
