import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it: the raw body, the headers and what it answered. */
export interface ReceivedWebhook {
  readonly path: string;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly answered: number;
}

/**
 * A real HTTP webhook receiver on a free port. `answer` decides the status of each request (by its number,
 * from 0; 0 holds the request unanswered until `stop()`); `stop()` takes it down (connections refused) and
 * `start()` brings it back on the same port.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  answer: (index: number, path: string) => number = () => 200;
  private server: http.Server | null = null;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const status = this.answer(this.received.length, request.url ?? '/');
        this.received.push({
          path: request.url ?? '/',
          body: Buffer.concat(chunks).toString('utf8'),
          headers: request.headers,
          answered: status,
        });
        if (status === 0) return;
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
      });
    });
    // Replies close their connections, so a stop() is never held up by a kept-alive socket.
    server.keepAliveTimeout = 1;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  on(path: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.path === path);
  }
}
