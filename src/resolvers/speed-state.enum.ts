import { registerEnumType } from 'type-graphql';

export enum SpeedState {
  GREEN = 'GREEN',
  ORANGE = 'ORANGE',
  RED = 'RED',
}

registerEnumType(SpeedState, {
  name: 'SpeedState',
  description: 'GREEN up to 80 km/h, ORANGE above 80 up to 120 km/h, RED above 120 km/h.',
});
