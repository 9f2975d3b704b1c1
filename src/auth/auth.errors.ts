/** No usable token: missing, malformed, badly signed, expired, or with claims this server does not accept. */
export class AuthenticationFailure extends Error {
  override readonly name = 'AuthenticationFailure';
}
