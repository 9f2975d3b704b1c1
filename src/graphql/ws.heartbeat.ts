import type { WebSocket } from 'ws';

/** How many turns a heartbeat round is spread over (one slice of the sockets per turn). */
const SLICES_PER_ROUND = 40;

export interface Heartbeat {
  /** The socket answered a ping (or is gone): it is not terminated for that ping. */
  answered(socket: WebSocket): void;
  stop(): void;
}

/**
 * Pings every open socket once per `intervalMs` and terminates one that has not answered its previous ping by
 * its next turn. The sockets are pinged a slice at a time over the round, so that no turn of the event loop
 * writes to every socket at once (at 1,000 sockets that turn took ~35 ms, delaying every delivery behind it).
 */
export function startHeartbeat(clients: ReadonlySet<WebSocket>, intervalMs: number): Heartbeat {
  const awaitingPong = new WeakSet<WebSocket>();
  let round: WebSocket[] = [];
  let turn = SLICES_PER_ROUND;
  let next = 0;
  const timer = setInterval(
    () => {
      if (turn === SLICES_PER_ROUND) {
        round = [...clients];
        turn = 0;
        next = 0;
      }
      turn += 1;
      const end = Math.ceil((round.length * turn) / SLICES_PER_ROUND);
      for (; next < end; next += 1) {
        const socket = round[next] as WebSocket;
        if (awaitingPong.has(socket)) {
          socket.terminate();
          continue;
        }
        if (socket.readyState !== socket.OPEN) continue;
        awaitingPong.add(socket);
        socket.ping();
      }
    },
    Math.max(1, Math.floor(intervalMs / SLICES_PER_ROUND)),
  );
  timer.unref();
  return {
    answered: (socket) => awaitingPong.delete(socket),
    stop: () => clearInterval(timer),
  };
}
