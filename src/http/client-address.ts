import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** The client's address: the socket's, or X-Forwarded-For's as far back as the proxies are trusted. */
export function clientAddressResolver(trustProxy: readonly string[]): (request: IncomingMessage) => string {
  const trust = proxyaddr.compile([...trustProxy]);
  return (request) => proxyaddr(request, trust);
}
