import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Counts the requests in flight on each socket of a server, so a shutdown can close every socket
 * that is not serving one. `server.closeIdleConnections()` alone misses sockets that were opened but
 * have not sent a request yet (HTTP clients open spare ones), which then hold `server.close()` open
 * until the client's keep-alive timeout. @internal
 */
export class ConnectionTracker {
  private readonly inFlight = new Map<Socket, number>();

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.inFlight.set(socket, 0);
      socket.once('close', () => this.inFlight.delete(socket));
    });
    server.on('request', (req, res) => {
      const socket = req.socket;
      this.inFlight.set(socket, (this.inFlight.get(socket) ?? 0) + 1);
      res.once('close', () => {
        const count = this.inFlight.get(socket);
        if (count !== undefined) this.inFlight.set(socket, Math.max(0, count - 1));
      });
    });
  }

  /** Closes every socket with no request in flight; returns how many remain busy. */
  closeIdle(): number {
    let busy = 0;
    for (const [socket, count] of this.inFlight) {
      if (count === 0) socket.destroy();
      else busy++;
    }
    return busy;
  }
}
