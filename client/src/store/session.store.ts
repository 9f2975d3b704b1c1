import { executeQuery, GraphQLRequestError } from '../api/graphql.http';
import { storedToken, storeToken } from '../api/token.storage';
import type { TypedDocumentString } from '../gql/graphql';
import { type AuthProblem, normaliseToken, preferredProblem, tokenFromFragment } from '../logic/auth.token';
import { messageOf } from '../logic/error.message';
import type { DashboardStateCell } from './dashboard.state';

/** A read sent with a token that has since been replaced: neither its answer nor its refusal applies any more. */
class SupersededRead extends Error {
  override readonly name = 'SupersededRead';
  constructor() {
    super('the sign-in changed during the read; try again');
  }
}

/**
 * The access token and the sign-in panel; queries go out with the current token, and their refusals ask for
 * another one. `onTokenChange` runs after each sign-in or sign-out.
 */
export class SessionStore {
  constructor(
    private readonly cell: DashboardStateCell,
    private readonly onTokenChange: () => void,
  ) {}

  /** Takes the token from a `#token=` link (removing it from the address bar at once), else from this tab. */
  start(location: Location, history: History): void {
    const { token: fragmentToken, remainingHash } = tokenFromFragment(location.hash);
    if (fragmentToken) {
      storeToken(fragmentToken);
      history.replaceState(null, '', `${location.pathname}${location.search}${remainingHash}`);
    }
    this.cell.update({ token: fragmentToken ?? storedToken() });
  }

  openSignIn(): void {
    this.cell.update({ signInOpen: true });
  }

  closeSignIn(): void {
    this.cell.update({ signInOpen: false });
  }

  signIn(text: string): boolean {
    const token = normaliseToken(text);
    if (!token) return false;
    storeToken(token);
    this.changeToken(token, false);
    return true;
  }

  signOut(): void {
    storeToken(null);
    this.changeToken(null, true);
  }

  /** One query with the current token; refused with SupersededRead when the token changes before it is answered. */
  async read<Result, Variables>(
    document: TypedDocumentString<Result, Variables>,
    variables: Variables,
  ): Promise<Result> {
    const token = this.cell.get().token;
    const outcome = await executeQuery(document, variables, token).then(
      (data) => ({ ok: true as const, data }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (token !== this.cell.get().token) throw new SupersededRead();
    if (!outcome.ok) throw outcome.error;
    return outcome.data;
  }

  /** Shows why `what` failed: a refusal opens the sign-in panel, anything else becomes the notice. */
  failed(what: string, error: unknown): void {
    if (this.handleAuth(error)) return;
    this.cell.update({ notice: `Problem ${what}: ${messageOf(error)}. Retrying when the connection is back.` });
  }

  /** True when the error was a refusal (now shown) or a read the token change made moot. */
  handleAuth(error: unknown): boolean {
    if (error instanceof SupersededRead) return true;
    const problem = error instanceof GraphQLRequestError ? error.authProblem : null;
    if (!problem) return false;
    this.showAuthProblem(problem);
    return true;
  }

  /** Any refusal means the dashboard cannot work with this token: ask for another, saying why. */
  showAuthProblem(problem: AuthProblem): void {
    this.cell.update({ authProblem: preferredProblem(this.cell.get().authProblem, problem), signInOpen: true });
  }

  private changeToken(token: string | null, signInOpen: boolean): void {
    this.cell.update({ token, authProblem: null, signInOpen });
    this.onTokenChange();
  }
}
