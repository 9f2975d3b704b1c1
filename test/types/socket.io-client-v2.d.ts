/** The Socket.IO 2 client (Engine.IO 3), installed as "socket.io-client-v2" for the legacy endpoint's tests. */
declare module 'socket.io-client-v2' {
  interface LegacyClientSocket {
    readonly id: string;
    readonly connected: boolean;
    on(event: string, listener: (...args: never[]) => void): LegacyClientSocket;
    once(event: string, listener: (...args: never[]) => void): LegacyClientSocket;
    off(event: string, listener?: (...args: never[]) => void): LegacyClientSocket;
    emit(event: string, ...args: unknown[]): LegacyClientSocket;
    close(): LegacyClientSocket;
  }
  function io(url: string, options?: Record<string, unknown>): LegacyClientSocket;
  export = io;
}
