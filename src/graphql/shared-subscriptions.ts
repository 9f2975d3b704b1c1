import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  GraphQLError,
  getOperationAST,
  subscribe as graphqlSubscribe,
  Kind,
  print,
} from 'graphql';
import { GraphQLErrorCode } from '../errors/error.codes.js';
import { BoundedQueue, SubscriptionOverflowError } from '../events/event.stream.js';
import { rootFields } from './subscription.authorization.js';
import { type DirectDelivery, directDeliveryOf } from './ws.transport.js';

export interface SharedSubscriptionKeySource {
  /**
   * Everything that can change what a subscriber may see (its role and ambulance scope). Subscribers share an
   * execution only when this is equal: the root field's authorisation ran for the first of them only, so each
   * later one must have been authorised before (see authorizeSubscriber) and must see exactly what it sees.
   */
  readonly subscriptionScope?: string;
}

/** One subscriber of a shared operation: the stream graphql-ws reads, and its socket when it can be written directly. */
class Subscriber {
  /** Set once a result went through graphql-ws (errors are masked per subscriber there); later ones follow it. */
  private throughGraphqlWs = false;

  constructor(
    readonly stream: BoundedQueue<ExecutionResult>,
    private readonly direct: DirectDelivery | undefined,
    private readonly backlogLimit: number,
  ) {}

  deliver(result: ExecutionResult): void {
    if (this.stream.ended) return;
    if (this.direct && !this.throughGraphqlWs && !result.errors) {
      if (!this.direct.send(result, this.backlogLimit))
        this.stream.endWith(errorResult(new SubscriptionOverflowError()));
      return;
    }
    this.throughGraphqlWs = true;
    this.stream.push(result);
  }
}

interface SharedOperation {
  /** Its key in `operations`: kept once here, not with each subscriber. */
  readonly key: string;
  /** The subscription's root field (`trackingUpdated`, …), for metrics. */
  readonly field: string;
  readonly consumers: Set<Subscriber>;
  source: AsyncIterator<ExecutionResult> | null;
}

/** Subscribers of one operation share its parsed document (DocumentPreparer), so each is printed once. */
const printedDocuments = new WeakMap<DocumentNode, string>();

function textOf(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) {
    text = print(document);
    printedDocuments.set(document, text);
  }
  return text;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** The subscription's root field (graphql-js allows exactly one), through fragments. */
function rootFieldNodeOf(args: ExecutionArgs): FieldNode | undefined {
  const operation = getOperationAST(args.document, args.operationName ?? undefined);
  return operation ? rootFields(args.document, operation.selectionSet)[0] : undefined;
}

function rootFieldOf(args: ExecutionArgs): string {
  return rootFieldNodeOf(args)?.name.value ?? 'unknown';
}

/**
 * True when the root field is given a non-null `after` (a subscription resuming after a cursor). Such a
 * subscription replays stored items as fast as its subscriber takes them, so it runs alone (its variables
 * differ from everyone else's anyway) and is pulled by its socket instead of pushed into a bounded queue.
 */
function resumesAfterCursor(args: ExecutionArgs): boolean {
  const after = rootFieldNodeOf(args)?.arguments?.find((arg) => arg.name.value === 'after');
  if (!after || after.value.kind === Kind.NULL) return false;
  if (after.value.kind !== Kind.VARIABLE) return true;
  const value = (args.variableValues as Record<string, unknown> | null | undefined)?.[after.value.name.value];
  return value !== undefined && value !== null;
}

/** A subscription run for one subscriber: its errors end it with a coded error result, as shared ones do. */
function alone(source: AsyncIterator<ExecutionResult>, onEnd: () => void): AsyncIterableIterator<ExecutionResult> {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  return {
    async next() {
      if (ended) return { value: undefined, done: true };
      try {
        const step = await source.next();
        if (step.done) end();
        return step;
      } catch (error) {
        end();
        void source.return?.();
        return { value: errorResult(error), done: false };
      }
    },
    async return() {
      end();
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function graphqlErrorOf(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof SubscriptionOverflowError) {
    return new GraphQLError(error.message, { extensions: { code: GraphQLErrorCode.SubscriptionOverflow } });
  }
  return new GraphQLError('The subscription ended unexpectedly. Subscribe again.', {
    extensions: { code: GraphQLErrorCode.InternalServerError },
  });
}

function errorResult(error: unknown): ExecutionResult {
  return { errors: [graphqlErrorOf(error)] };
}

/**
 * Runs each distinct subscription (same document, variables and scope) once per server instance and
 * fans its results out to every subscriber of it. Without this, graphql-ws executes the selection set
 * for every subscriber on every event. Results are written straight to a WebSocket subscriber's socket (see
 * DirectDelivery), or queued for graphql-ws in a bounded queue per subscriber. Either way a slow socket ends
 * its own subscription with SUBSCRIPTION_OVERFLOW (past SUBSCRIPTION_QUEUE_LIMIT results behind) and never holds
 * the others back.
 */
export class SharedSubscriptions {
  private readonly operations = new Map<string, SharedOperation>();
  /** Resuming subscriptions, run one per subscriber (root field of each). */
  private readonly resuming = new Map<object, string>();

  constructor(private readonly queueLimit: number) {}

  get activeOperations(): number {
    return this.operations.size;
  }

  get activeSubscribers(): number {
    let count = this.resuming.size;
    for (const operation of this.operations.values()) count += operation.consumers.size;
    return count;
  }

  /** Live subscribers per root field, e.g. `{ trackingUpdated: 12, crashReported: 3 }`. */
  subscribersByField(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const field of this.resuming.values()) counts.set(field, (counts.get(field) ?? 0) + 1);
    for (const operation of this.operations.values()) {
      counts.set(operation.field, (counts.get(operation.field) ?? 0) + operation.consumers.size);
    }
    return counts;
  }

  readonly subscribe = async (
    args: ExecutionArgs,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    if (resumesAfterCursor(args)) {
      const result = await graphqlSubscribe(args);
      if (!isAsyncIterable(result)) return result;
      const token = {};
      this.resuming.set(token, rootFieldOf(args));
      return alone(result[Symbol.asyncIterator](), () => this.resuming.delete(token));
    }
    const scope = (args.contextValue as SharedSubscriptionKeySource | undefined)?.subscriptionScope ?? '';
    const key = JSON.stringify([textOf(args.document), args.operationName ?? null, args.variableValues ?? {}, scope]);
    let operation = this.operations.get(key);
    while (!operation) {
      const result = await graphqlSubscribe(args);
      if (!isAsyncIterable(result)) return result;
      // Another subscriber may have started the same operation while this one was subscribing.
      if (this.operations.has(key)) {
        await result[Symbol.asyncIterator]().return?.();
        // That operation may have ended meanwhile (its last subscriber gone): then this one starts it again.
        operation = this.operations.get(key);
        continue;
      }
      operation = { key, field: rootFieldOf(args), consumers: new Set(), source: result[Symbol.asyncIterator]() };
      this.operations.set(key, operation);
      void this.pump(operation);
    }
    const stream = new BoundedQueue<ExecutionResult>(this.queueLimit, errorResult);
    const consumer = new Subscriber(stream, directDeliveryOf(args.contextValue), this.queueLimit);
    const shared = operation;
    shared.consumers.add(consumer);
    stream.whenFinished(() => this.removeConsumer(shared, consumer));
    return stream;
  };

  async close(): Promise<void> {
    for (const [key, operation] of this.operations) {
      for (const consumer of operation.consumers) consumer.stream.end();
      this.operations.delete(key);
      await operation.source?.return?.();
    }
  }

  private removeConsumer(operation: SharedOperation, consumer: Subscriber): void {
    operation.consumers.delete(consumer);
    if (operation.consumers.size === 0 && this.operations.get(operation.key) === operation) {
      this.operations.delete(operation.key);
      const source = operation.source;
      operation.source = null;
      void source?.return?.();
    }
  }

  private async pump(operation: SharedOperation): Promise<void> {
    try {
      for (;;) {
        const source = operation.source;
        if (!source) return;
        const step = await source.next();
        if (step.done) break;
        for (const consumer of operation.consumers) consumer.deliver(step.value);
      }
    } catch (error) {
      for (const consumer of operation.consumers) consumer.deliver(errorResult(error));
    }
    if (this.operations.get(operation.key) === operation) this.operations.delete(operation.key);
    for (const consumer of [...operation.consumers]) consumer.stream.end();
  }
}
