import { once } from 'node:events';
import net from 'node:net';
import { ENDPOINTS } from './http.client.js';

export type MultipartPart = { name: string; value: string } | { name: string; data: Uint8Array; filename?: string };

/** A multipart/form-data body built by hand, so its exact length is known (and can be sent in pieces). */
export function multipartBody(
  parts: readonly MultipartPart[],
  boundary = 'aoc-test-boundary-7d1f',
): {
  body: Buffer;
  contentType: string;
} {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      'value' in part
        ? `form-data; name="${part.name}"`
        : `form-data; name="${part.name}"; filename="${part.filename ?? 'image.bin'}"`;
    const type = 'value' in part ? '' : 'Content-Type: application/octet-stream\r\n';
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    pieces.push('value' in part ? Buffer.from(part.value) : Buffer.from(part.data));
    pieces.push(Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(pieces), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * A snapshot upload over a raw socket: sends the request head declaring `contentLength` and then only `first`,
 * and lets the test decide what to send next. `response` collects whatever the server answers.
 */
export class RawUpload {
  private received = '';
  readonly closed: Promise<void>;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    this.closed = once(socket, 'close').then(() => {});
  }

  static async open(
    baseUrl: string,
    contentType: string,
    contentLength: number,
    first: Uint8Array,
  ): Promise<RawUpload> {
    const { hostname, port } = new URL(baseUrl);
    const socket = net.connect(Number(port), hostname);
    await once(socket, 'connect');
    const upload = new RawUpload(socket);
    socket.write(
      `POST ${ENDPOINTS.snapshot} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: ${contentType}\r\n` +
        `Content-Length: ${contentLength}\r\n\r\n`,
    );
    if (first.length > 0) socket.write(first);
    return upload;
  }

  /** The status and body of the server's answer, once it has sent one (hang-guarded by the test's timeout). */
  async response(): Promise<{ status: number; body: Record<string, unknown>; head: string }> {
    for (;;) {
      const headEnd = this.received.indexOf('\r\n\r\n');
      if (headEnd !== -1) {
        const head = this.received.slice(0, headEnd);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        const body = this.received.slice(headEnd + 4);
        if (body.length >= length) {
          return { status: Number(head.split(' ')[1]), body: JSON.parse(body.slice(0, length)), head };
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Sends more of the body; false once the server has closed the connection. */
  write(bytes: Uint8Array): boolean {
    if (this.socket.destroyed) return false;
    return this.socket.write(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Resolves once `read()` is `expected` (hang-guarded by the test's timeout). */
export async function until<T>(read: () => T, expected: T): Promise<void> {
  while (read() !== expected) await new Promise((resolve) => setTimeout(resolve, 5));
}
