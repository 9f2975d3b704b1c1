import { ArgsType, Field, Int } from 'type-graphql';

@ArgsType()
export class PaginationArgs {
  @Field(() => Int, {
    nullable: true,
    description: 'Page size; defaults to the server default, capped by its maximum.',
  })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The `endCursor` of the previous page.' })
  after?: string;
}

@ArgsType()
export class TimeRangePaginationArgs extends PaginationArgs {
  @Field(() => Date, { nullable: true, description: 'Inclusive lower bound.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Inclusive upper bound.' })
  to?: Date;
}
