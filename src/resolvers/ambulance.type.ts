import { Field, ID, ObjectType } from 'type-graphql';
import type { AmbulanceDoc } from '../models/ambulance.model.js';
import { ambulanceIdToString } from '../models/ambulance-id.filter.js';
import { UnitStatus } from './dispatch.enums.js';
import { TrackingPoint } from './tracking-point.type.js';

@ObjectType({ description: 'An ambulance, identified by the id its devices send ("332").' })
export class Ambulance {
  @Field(() => ID)
  id!: string;

  @Field(() => UnitStatus, { description: 'What the unit is doing (AVAILABLE until set or inferred).' })
  status: UnitStatus = 'AVAILABLE';

  @Field(() => Date, { nullable: true, description: 'When the status was last set; null while never set.' })
  statusSince: Date | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'Who set the status: a token subject, or `system:<rule>` when inferred from a place.',
  })
  statusBy: string | null = null;

  /** Its fleet document is a legacy one, keyed by an ObjectId (which sorts after every string id). */
  storedAsObjectId = false;

  /** The newest position copied onto the fleet document; undefined for legacy documents without one. */
  embeddedLastPosition?: TrackingPoint;

  static fromDoc(doc: AmbulanceDoc): Ambulance {
    const ambulance = Object.assign(new Ambulance(), {
      id: ambulanceIdToString(doc._id),
      storedAsObjectId: typeof doc._id !== 'string',
      status: doc.status ?? 'AVAILABLE',
      statusSince: doc.status_since ?? null,
      statusBy: doc.status_by ?? null,
    });
    const last = doc.last_position;
    if (last?.tracking_id && last.location && last.count_datetime) {
      ambulance.embeddedLastPosition = TrackingPoint.fromDocument({
        _id: last.tracking_id,
        ambulance_id: doc._id,
        location: last.location,
        speed: last.speed,
        heading: last.heading,
        state: last.state,
        count_datetime: last.count_datetime,
        speeding_episode_id: last.speeding_episode_id ?? undefined,
        conflict: last.conflict,
      });
    }
    return ambulance;
  }
}
