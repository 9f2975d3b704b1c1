import type { ApolloServerPlugin } from '@apollo/server';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  type ArgumentNode,
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type ParseOptions,
  parse,
  specifiedRules,
  TypeInfo,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { AppConfig } from '../config/env.config.js';
import { DocumentLimit, GraphQLErrorCode } from '../errors/error.codes.js';
import { growingStorage } from '../infra/lru-cache.options.js';

/** Bounds on one GraphQL document, the same over HTTP and WebSocket. */
export interface GraphQLLimits {
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  /** The page size a list field that takes `first` returns when given neither `first` nor `last`. */
  readonly defaultListSize: number;
}

export const graphqlLimitsOf = (config: AppConfig): GraphQLLimits => ({
  maxDepth: config.GRAPHQL_MAX_DEPTH,
  maxCost: config.GRAPHQL_MAX_COST,
  maxAliases: config.GRAPHQL_MAX_ALIASES,
  maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
  maxTokens: config.GRAPHQL_MAX_TOKENS,
  defaultListSize: config.HISTORY_DEFAULT_PAGE_SIZE,
});

/**
 * graphql-armor's rules report a plain "Syntax Error: ..." message; this reports it with a stable code and
 * `extensions.limit` naming the rule instead, and lets the rule go on (no throw) so validation ends normally.
 */
function rejectWith(limit: DocumentLimit) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        context?.reportError(
          new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
            extensions: { code: GraphQLErrorCode.ValidationFailed, limit },
          }),
        );
      },
    ],
  };
}

/**
 * The extra validation rules (graphql-armor) that bound a document's depth, aliases and directives. Cost
 * depends on variables (`first: $n`), so it is checked once they are known: see costErrors.
 */
export function limitRules(limits: GraphQLLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ...rejectWith(DocumentLimit.MaxDepth) }),
    maxAliasesRule({ n: limits.maxAliases, ...rejectWith(DocumentLimit.MaxAliases) }),
    maxDirectivesRule({ n: limits.maxDirectives, ...rejectWith(DocumentLimit.MaxDirectives) }),
  ] as ValidationRule[];
}

const LIST_SIZE_ARGUMENTS = new Set(['first', 'last']);

const intValue = (value: number | string): ValueNode => ({ kind: Kind.INT, value: String(value) });

/**
 * The document as graphql-armor's cost rule, which multiplies by literal list sizes only, should see it:
 * `first: $n` / `last: $n` replaced by the value of `$n` (or its default), and a list field that takes `first`
 * but is given neither size (or only variables without a value) given `first: defaultListSize`, the page it
 * returns.
 */
export function withListSizesInlined(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>>,
  defaultListSize: number,
): DocumentNode {
  const defaults = new Map<string, unknown>();
  visit(document, {
    VariableDefinition(node) {
      if (node.defaultValue?.kind === Kind.INT) defaults.set(node.variable.name.value, node.defaultValue.value);
    },
  });
  /** The size an argument asks for; null when it leaves the server's default. */
  const sizeOf = (argument: ArgumentNode): ValueNode | null => {
    if (argument.value.kind !== Kind.VARIABLE) return argument.value.kind === Kind.NULL ? null : argument.value;
    const name = argument.value.name.value;
    const value = Object.hasOwn(variables, name) ? variables[name] : defaults.get(name);
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return intValue(value);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return argument.value;
    return intValue(value);
  };
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const takesFirst = typeInfo.getFieldDef()?.args.some((argument) => argument.name === 'first') ?? false;
        const sized: ArgumentNode[] = [];
        const others: ArgumentNode[] = [];
        for (const argument of node.arguments ?? []) {
          if (!LIST_SIZE_ARGUMENTS.has(argument.name.value)) {
            others.push(argument);
            continue;
          }
          const size = sizeOf(argument);
          if (size) sized.push({ ...argument, value: size });
        }
        if (sized.length === 0 && takesFirst) {
          sized.push({
            kind: Kind.ARGUMENT,
            name: { kind: Kind.NAME, value: 'first' },
            value: intValue(defaultListSize),
          });
        }
        if (sized.length === 0 && others.length === (node.arguments?.length ?? 0)) return undefined;
        return { ...node, arguments: [...sized, ...others] };
      },
    }),
  );
}

/** The cost limit (graphql-armor's rule) with the operation's variables: GRAPHQL_VALIDATION_FAILED / MAX_COST. */
export function costErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: unknown,
  limits: GraphQLLimits,
): readonly GraphQLError[] {
  const values = typeof variables === 'object' && variables !== null ? (variables as Record<string, unknown>) : {};
  return validate(schema, withListSizesInlined(schema, document, values, limits.defaultListSize), [
    costLimitRule({ maxCost: limits.maxCost, ...rejectWith(DocumentLimit.MaxCost) }) as ValidationRule,
  ]);
}

/** Apollo's side of the cost limit: refused with 400 once the operation and its variables are known. */
export function costLimitPlugin(limits: GraphQLLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          const [error] = costErrors(schema, document, request.variables, limits);
          if (error) {
            throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
          }
        },
      };
    },
  };
}

/** graphql-js stops parsing past this many tokens, before any document is built. */
export const parseOptionsFor = (limits: GraphQLLimits): ParseOptions => ({ maxTokens: limits.maxTokens });

export interface OperationPayload {
  readonly query?: unknown;
  readonly variables?: unknown;
  readonly operationName?: unknown;
}

/** Distinct documents whose parse and validation are remembered (dashboards send the same few). */
const PREPARED_DOCUMENTS_MAX = 1000;

/**
 * Parses and validates documents as Apollo does over HTTP (standard rules plus the limit rules), for the
 * WebSocket path, which graphql-ws runs without Apollo's pipeline. Returns coded errors when refused.
 * A document that passed is remembered by its text, so thousands of dashboards subscribing with the same
 * operation share one parsed document and validate it once; its cost, which depends on the variables, is
 * checked every time.
 */
export class DocumentPreparer {
  private readonly validated = new LRUCache<string, DocumentNode>(growingStorage(PREPARED_DOCUMENTS_MAX));

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: GraphQLLimits,
    private readonly rules: readonly ValidationRule[],
  ) {}

  prepare(payload: OperationPayload): DocumentNode | GraphQLError[] {
    if (typeof payload.query !== 'string') {
      return [new GraphQLError('query must be a string', { extensions: { code: GraphQLErrorCode.BadRequest } })];
    }
    let document = this.validated.get(payload.query);
    if (!document) {
      const parsed = this.parseAndValidate(payload.query);
      if (Array.isArray(parsed)) return parsed;
      document = parsed;
      this.validated.set(payload.query, document);
    }
    const errors = costErrors(this.schema, document, payload.variables, this.limits);
    return errors.length > 0 ? errors.map(validationFailure) : document;
  }

  private parseAndValidate(query: string): DocumentNode | GraphQLError[] {
    let document: DocumentNode;
    try {
      document = parse(query, parseOptionsFor(this.limits));
    } catch (error) {
      const message = error instanceof GraphQLError ? error.message : 'query could not be parsed';
      return [new GraphQLError(message, { extensions: { code: GraphQLErrorCode.ParseFailed } })];
    }
    const errors = validate(this.schema, document, [...specifiedRules, ...this.rules]);
    return errors.length > 0 ? errors.map(validationFailure) : document;
  }
}

function validationFailure(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    extensions: { ...error.extensions, code: GraphQLErrorCode.ValidationFailed },
  });
}
