// Liveness to the consoles: a state change (Online / Silent / Offline) goes out within stateFlushMs; last-heard
// times of stations that merely keep talking go out together every heardFlushMs. Each message lists a station once,
// as [id, state, seconds since heard, seconds in this state]: at 5,000 stations heartbeating every 30 s that is one
// small message per heardFlushMs per console (measured by `npm run bench -- liveness`).
import type { Server } from 'socket.io';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Liveness } from '../../common/protocol.js';
import { CONSOLE_EVENTS } from '../../common/protocol.js';
import type { LivenessMonitor } from '../ocpp/liveness.js';
import { CONSOLES_ROOM } from './broadcaster.js';

export interface LivenessFanoutOptions {
  /** How soon a state change reaches the consoles. Default 250. */
  stateFlushMs: number;
  /** How often newer last-heard times are sent. Default 5 000. */
  heardFlushMs: number;
}

export const DEFAULT_LIVENESS_FANOUT: LivenessFanoutOptions = { stateFlushMs: 250, heardFlushMs: 5000 };

export class LivenessFanout {
  private soon: TimerHandle | null = null;
  private readonly regular: TimerHandle;
  private stopped = false;

  constructor(
    private readonly io: Server,
    private readonly networkId: string,
    private readonly monitor: LivenessMonitor,
    private readonly clock: Clock,
    private readonly opts: LivenessFanoutOptions = DEFAULT_LIVENESS_FANOUT,
  ) {
    this.regular = clock.every(opts.heardFlushMs, () => this.flush());
  }

  /** Every station's liveness (the answer to a console's `liveness` request). */
  all(): Liveness {
    return { networkId: this.networkId, full: true, stations: this.monitor.all() };
  }

  /** A state changed: send soon rather than at the next regular flush. */
  stateChanged(): void {
    if (this.soon || this.stopped) return;
    this.soon = this.clock.after(this.opts.stateFlushMs, () => {
      this.soon = null;
      this.flush();
    });
  }

  flush(): void {
    if (this.stopped) return;
    const stations = this.monitor.takeChanged();
    if (stations.length === 0) return;
    const message: Liveness = { networkId: this.networkId, full: false, stations };
    this.io.to(CONSOLES_ROOM).emit(CONSOLE_EVENTS.liveness, message);
  }

  stop(): void {
    this.stopped = true;
    this.regular.cancel();
    this.soon?.cancel();
  }
}
