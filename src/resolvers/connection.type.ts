import { type ClassType, Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Relay-style page information.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to read the next page.' })
  endCursor!: string | null;

  @Field(() => Boolean, {
    description:
      'True when older nodes precede this page. Known when reading the newest nodes (`last`); false when reading forwards.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `before` to read the page before this one (on lists that take `last`/`before`).',
  })
  startCursor!: string | null;
}

export interface Edge<Node> {
  cursor: string;
  node: Node;
}

export interface ConnectionShape<Node> {
  edges: Array<Edge<Node>>;
  pageInfo: PageInfo;
}

/** Builds `<Node>Connection` and `<Node>Edge` object types for a node type. */
export function Connection<Node extends object>(NodeType: ClassType<Node>, typeName: string) {
  @ObjectType(`${typeName}Edge`)
  class EdgeType implements Edge<Node> {
    @Field(() => String, { description: 'Opaque, stable position of this node in the list.' })
    cursor!: string;

    @Field(() => NodeType)
    node!: Node;
  }

  @ObjectType()
  abstract class ConnectionType implements ConnectionShape<Node> {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }

  return ConnectionType;
}
