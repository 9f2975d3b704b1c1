import { once } from 'node:events';
import net from 'node:net';
import { ENDPOINTS, TINY_PNG } from './http.client.js';

export type MultipartPart = { name: string; value: string } | { name: string; data: Uint8Array; filename?: string };

/** A PNG signature followed by `size - 8` bytes of filler: an image by its content. */
export const fakePng = (size: number, fill = 7) =>
  Buffer.concat([TINY_PNG.subarray(0, 8), Buffer.alloc(size - 8, fill)]);

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
    headers: Record<string, string> = {},
  ): Promise<RawUpload> {
    const { hostname, port } = new URL(baseUrl);
    const socket = net.connect(Number(port), hostname);
    await once(socket, 'connect');
    const upload = new RawUpload(socket);
    socket.write(
      `POST ${ENDPOINTS.snapshot} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: ${contentType}\r\n` +
        `Content-Length: ${contentLength}\r\n${Object.entries(headers)
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('')}\r\n`,
    );
    if (first.length > 0) socket.write(first);
    return upload;
  }

  /** Whether the server has sent anything yet. */
  get answered(): boolean {
    return this.received.length > 0;
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

/**
 * Starts a snapshot upload of `fileBytes`-byte image files (after `fields`) and sends only its first `sent` file
 * bytes: the server holds exactly those in flight until the upload goes on, fails or is cut.
 */
export async function partialUpload(
  baseUrl: string,
  options: {
    readonly sent: number;
    readonly fileBytes: number;
    readonly files?: number;
    readonly fields?: Record<string, string>;
    readonly headers?: Record<string, string>;
  },
): Promise<RawUpload> {
  const { sent, fileBytes, files = Math.ceil(options.sent / options.fileBytes) || 1 } = options;
  const fieldParts = Object.entries(options.fields ?? { ambulance_id: '332' }).map(([name, value]) => ({
    name,
    value,
  }));
  const fileParts = Array.from({ length: files }, (_, index) => ({
    name: `image${index}`,
    data: fakePng(fileBytes),
    filename: `${index}.png`,
  }));
  const { body, contentType } = multipartBody([...fieldParts, ...fileParts]);
  // Offset in the body of the first `sent` file bytes: whole files first, then part of the next.
  const signature = TINY_PNG.subarray(0, 8);
  let end = 0;
  let left = sent;
  for (let from = 0; left > 0; from = end) {
    const start = body.indexOf(signature, from);
    const take = Math.min(left, fileBytes);
    end = start + take;
    left -= take;
  }
  return RawUpload.open(baseUrl, contentType, body.length, body.subarray(0, end), options.headers);
}
