import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  type ParseOptions,
  parse,
  specifiedRules,
  type ValidationContext,
  type ValidationRule,
  validate,
} from 'graphql';
import type { AppConfig } from '../config/env.config.js';

/** Bounds on one GraphQL document, the same over HTTP and WebSocket. */
export interface GraphQLLimits {
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
}

export const graphqlLimitsOf = (config: AppConfig): GraphQLLimits => ({
  maxDepth: config.GRAPHQL_MAX_DEPTH,
  maxCost: config.GRAPHQL_MAX_COST,
  maxAliases: config.GRAPHQL_MAX_ALIASES,
  maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
  maxTokens: config.GRAPHQL_MAX_TOKENS,
});

export const LimitErrorCode = {
  ValidationFailed: 'GRAPHQL_VALIDATION_FAILED',
  ParseFailed: 'GRAPHQL_PARSE_FAILED',
} as const;

/**
 * graphql-armor's rules report a plain "Syntax Error: ..." message; this reports it with a stable code and
 * `extensions.limit` naming the rule instead, and lets the rule go on (no throw) so validation ends normally.
 */
function rejectWith(limit: string) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        context?.reportError(
          new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
            extensions: { code: LimitErrorCode.ValidationFailed, limit },
          }),
        );
      },
    ],
  };
}

/** The extra validation rules (graphql-armor) that bound a document's depth, cost, aliases and directives. */
export function limitRules(limits: GraphQLLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ...rejectWith('MAX_DEPTH') }),
    costLimitRule({ maxCost: limits.maxCost, ...rejectWith('MAX_COST') }),
    maxAliasesRule({ n: limits.maxAliases, ...rejectWith('MAX_ALIASES') }),
    maxDirectivesRule({ n: limits.maxDirectives, ...rejectWith('MAX_DIRECTIVES') }),
  ] as ValidationRule[];
}

/** graphql-js stops parsing past this many tokens, before any document is built. */
export const parseOptionsFor = (limits: GraphQLLimits): ParseOptions => ({ maxTokens: limits.maxTokens });

export interface OperationPayload {
  readonly query?: unknown;
  readonly variables?: unknown;
  readonly operationName?: unknown;
}

/**
 * Parses and validates a document as Apollo does over HTTP (standard rules plus the limit rules), for the
 * WebSocket path, which graphql-ws runs without Apollo's pipeline. Returns coded errors when refused.
 */
export function prepareDocument(
  schema: GraphQLSchema,
  payload: OperationPayload,
  limits: GraphQLLimits,
  rules: readonly ValidationRule[],
): DocumentNode | GraphQLError[] {
  if (typeof payload.query !== 'string') {
    return [new GraphQLError('query must be a string', { extensions: { code: 'BAD_REQUEST' } })];
  }
  let document: DocumentNode;
  try {
    document = parse(payload.query, parseOptionsFor(limits));
  } catch (error) {
    const message = error instanceof GraphQLError ? error.message : 'query could not be parsed';
    return [new GraphQLError(message, { extensions: { code: LimitErrorCode.ParseFailed } })];
  }
  const errors = validate(schema, document, [...specifiedRules, ...rules]);
  if (errors.length > 0) {
    return errors.map(
      (error) =>
        new GraphQLError(error.message, {
          nodes: error.nodes,
          extensions: { ...error.extensions, code: LimitErrorCode.ValidationFailed },
        }),
    );
  }
  return document;
}
