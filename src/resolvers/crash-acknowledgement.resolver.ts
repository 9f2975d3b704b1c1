import { Types } from 'mongoose';
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { mayAccessAmbulance } from '../auth/principal.js';
import { DISPATCHERS } from '../auth/root-field.roles.js';
import { badInput, notFoundError } from '../errors/graphql.errors.js';
import { ambulanceIdToString } from '../models/ambulance-id.filter.js';
import { Crash } from './crash.type.js';
import type { GraphQLContext } from './graphql.context.js';
import { validNote } from './unit-status.resolver.js';

@Resolver()
export class CrashAcknowledgementResolver {
  @Authorized(...DISPATCHERS)
  @Mutation(() => Crash, {
    description:
      'Takes a crash alert for every dispatcher: the first acknowledgement is kept (acknowledgedAt, acknowledgedBy) ' +
      'and announced once as CRASH_ACKNOWLEDGED; later ones return the crash unchanged.',
  })
  async acknowledgeCrash(
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<Crash> {
    if (!/^[0-9a-f]{24}$/i.test(id)) throw badInput('id', 'is not the id of a crash');
    const crashId = new Types.ObjectId(id);
    const stored = await context.services.models.collections.crashes.findOne(
      { _id: crashId },
      { projection: { ambulance_id: 1 } },
    );
    // A crash of an ambulance outside the token's scope answers as one that does not exist: a FORBIDDEN naming
    // its ambulance would tell a scoped caller whose crash it is, and that it exists.
    if (!stored || !mayAccessAmbulance(context.principal, ambulanceIdToString(stored.ambulance_id))) {
      throw notFoundError('id', `no crash has id "${id}"`);
    }
    const doc = await context.services.dispatch.crashes.acknowledge(
      crashId,
      context.principal.subject,
      validNote(note),
    );
    if (!doc) throw notFoundError('id', `no crash has id "${id}"`);
    return Crash.fromDocument(doc);
  }
}
