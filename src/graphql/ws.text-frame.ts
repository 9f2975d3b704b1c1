/** FIN and the text opcode: a whole text message in one frame (RFC 6455, 5.2). */
const FINAL_TEXT = 0x81;

/**
 * One unmasked WebSocket text frame, as a server writes it, holding `parts` one after the other (their bytes are
 * copied once into the frame). A subscriber's message is its own prefix, the payload shared by every subscriber and
 * a closing brace: building the frame from the payload's bytes saves encoding the payload again for each of them.
 */
export function textFrame(parts: readonly Uint8Array[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = FINAL_TEXT;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  let offset = header;
  for (const part of parts) {
    frame.set(part, offset);
    offset += part.length;
  }
  return frame;
}
