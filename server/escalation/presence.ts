// Who has a desk connected to this hub right now. Live state, not stored: a restart starts empty and desks reconnect.
// A user may have several desks (ward PC and a phone), so connections are counted, not flagged.
// With several hubs behind a socket.io adapter each hub knows only its own desks (see docs/escalation.md).
export class Presence {
  private readonly connections = new Map<string, number>();

  connected(userId: string): void {
    this.connections.set(userId, (this.connections.get(userId) ?? 0) + 1);
  }

  disconnected(userId: string): void {
    const count = (this.connections.get(userId) ?? 0) - 1;
    if (count <= 0) this.connections.delete(userId);
    else this.connections.set(userId, count);
  }

  isConnected(userId: string): boolean {
    return this.connections.has(userId);
  }

  connectedUserIds(): string[] {
    return [...this.connections.keys()];
  }
}
