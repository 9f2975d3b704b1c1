import { ArgsType, Field, Int } from 'type-graphql';

// biome-ignore lint/suspicious/noExplicitAny: the TypeScript mixin pattern requires any[] constructor arguments
type ArgsClass = abstract new (...args: any[]) => object;

export interface PageArgsShape {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

export interface TimeRangeArgsShape {
  from?: Date;
  to?: Date;
}

/** Adds `first`/`after` after the arguments of Base, so the SDL lists them in the documented order. */
export function PageArgs<Base extends ArgsClass>(
  BaseArgs: Base,
  afterDescription = 'The `endCursor` of the previous page.',
) {
  @ArgsType()
  abstract class Paged extends BaseArgs implements PageArgsShape {
    @Field(() => Int, {
      nullable: true,
      description: 'Page size; defaults to the server default, capped by its maximum.',
    })
    first?: number;

    @Field(() => String, { nullable: true, description: afterDescription })
    after?: string;
  }
  return Paged;
}

/**
 * Adds Relay's `last`/`before` after the arguments of Base (which has `first`/`after`): the newest nodes of a
 * list without paging through all of it.
 */
export function BackwardPageArgs<Base extends ArgsClass>(BaseArgs: Base) {
  @ArgsType()
  abstract class BackwardPaged extends BaseArgs implements PageArgsShape {
    @Field(() => Int, {
      nullable: true,
      description:
        'The newest `last` nodes (of those between `after` and `before` when given), still returned oldest ' +
        'first; capped by the maximum page size. Not together with `first`.',
    })
    last?: number;

    @Field(() => String, {
      nullable: true,
      description: 'The `startCursor` of the following page: only nodes older than it.',
    })
    before?: string;
  }
  return BackwardPaged;
}

/** Adds an inclusive `from`/`to` time range after the arguments of Base. */
export function TimeRangeArgs<Base extends ArgsClass>(BaseArgs: Base) {
  @ArgsType()
  abstract class Ranged extends BaseArgs implements TimeRangeArgsShape {
    @Field(() => Date, { nullable: true, description: 'Inclusive lower bound.' })
    from?: Date;

    @Field(() => Date, { nullable: true, description: 'Inclusive upper bound.' })
    to?: Date;
  }
  return Ranged;
}
