import type { TypedDocumentString } from '../gql/graphql';
import { type AuthProblem, authProblemOfErrors, authProblemOfStatus, bearer } from '../logic/auth.token';

export const GRAPHQL_PATH = '/graphql';

interface GraphQLErrorBody {
  readonly message: string;
  readonly extensions?: { readonly code?: unknown } | null;
}

/** A GraphQL request that failed: the server's coded errors, or why no answer came. */
export class GraphQLRequestError extends Error {
  override readonly name = 'GraphQLRequestError';
  constructor(
    message: string,
    readonly codes: readonly string[],
    readonly authProblem: AuthProblem | null,
  ) {
    super(message);
  }
}

/** One query over HTTP POST, typed by its generated document; the token goes in the Authorization header. */
export async function executeQuery<Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
  token: string | null,
): Promise<Result> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: bearer(token) } : {}),
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch (error) {
    throw new GraphQLRequestError(`server unreachable (${(error as Error).message})`, [], null);
  }
  let body: { data?: Result | null; errors?: GraphQLErrorBody[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new GraphQLRequestError(
      `the server answered ${response.status} without a GraphQL body`,
      [],
      authProblemOfStatus(response.status),
    );
  }
  const errors = body.errors ?? [];
  const problem = authProblemOfErrors(errors) ?? authProblemOfStatus(response.status);
  if (errors.length > 0 || !body.data) {
    const codes = errors.map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
    const message = errors.map((error) => error.message).join('; ') || `HTTP ${response.status}`;
    throw new GraphQLRequestError(message, codes, problem);
  }
  return body.data;
}
