// What the simulated network does on its own: sessions come and go, points fault and recover, stations drop out.
// Events arrive as Poisson processes over the whole network (one timer per kind), at rates scaled by timeScale.
import type { Clock, TimerHandle } from '../../common/clock.js';
import { ID_TAGS } from './names.js';
import type { Rng } from './prng.js';
import type { SimPoint, SimStation } from './station.js';

const MINUTE = 60_000;

/** Mean simulated time between events, per point or per station. ~150 points give a few changes a minute. */
export const RATES = {
  sessionGapPerPoint: 90 * MINUTE,
  sessionLength: [8 * MINUTE, 45 * MINUTE] as const,
  faultGapPerPoint: 36 * 60 * MINUTE,
  faultLength: [3 * MINUTE, 20 * MINUTE] as const,
  dropoutGapPerStation: 8 * 60 * MINUTE,
  dropoutLength: [20_000, 3 * MINUTE] as const,
  /** Share of points already charging / faulted when the simulation starts. */
  initialCharging: 0.2,
  initialFaulted: 0.02,
};

const FAULT_CODES = [
  'GroundFailure',
  'HighTemperature',
  'OverCurrentFailure',
  'PowerMeterFailure',
  'ConnectorLockFailure',
  'EVCommunicationError',
  'InternalError',
];

export interface BehaviourFlags {
  sessions?: boolean;
  faults?: boolean;
  dropouts?: boolean;
}

interface PointRef {
  station: SimStation;
  point: SimPoint;
}

export class Behaviour {
  private timers = new Set<TimerHandle>();
  private stopped = false;
  private readonly refs: PointRef[];

  constructor(
    private readonly stations: SimStation[],
    private readonly flags: BehaviourFlags,
    private readonly rng: Rng,
    private readonly timeScale: number,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
  ) {
    this.refs = stations.flatMap((station) => [...station.points.values()].map((point) => ({ station, point })));
  }

  start(): void {
    if (this.refs.length === 0) return;
    if (this.flags.sessions) {
      for (const ref of this.refs)
        if (this.rng.chance(RATES.initialCharging)) this.after(this.rng.range(0, 3000), () => this.startSession(ref));
      this.poisson(RATES.sessionGapPerPoint / this.refs.length, () => this.startSession(this.rng.pick(this.refs)));
    }
    if (this.flags.faults) {
      for (const ref of this.refs)
        if (this.rng.chance(RATES.initialFaulted)) this.after(this.rng.range(0, 3000), () => this.fault(ref));
      this.poisson(RATES.faultGapPerPoint / this.refs.length, () => this.fault(this.rng.pick(this.refs)));
    }
    if (this.flags.dropouts && this.stations.length > 0) {
      this.poisson(RATES.dropoutGapPerStation / this.stations.length, () => this.dropout(this.rng.pick(this.stations)));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private startSession({ station, point }: PointRef): void {
    if (!station.canStart(point)) return;
    station
      .startSession(point.evseId, this.rng.pick(ID_TAGS))
      .then(() => {
        const tx = point.tx;
        this.afterSim(this.rng.range(...RATES.sessionLength), () => this.endSession(station, point, tx));
      })
      .catch((err: Error) => this.log(`session start failed: ${err.message}`));
  }

  /** Ends the session it started, if that is still running; waits while the station is away or busy. */
  private endSession(station: SimStation, point: SimPoint, tx: SimPoint['tx']): void {
    if (!tx || point.tx !== tx) return;
    if (!station.isOnline || point.busy) {
      this.afterSim(MINUTE, () => this.endSession(station, point, tx));
      return;
    }
    station.endSession(point.evseId).catch((err: Error) => this.log(`session end failed: ${err.message}`));
  }

  private fault({ station, point }: PointRef): void {
    if (!station.isOnline || point.fault || point.busy) return;
    station
      .fault(point.evseId, this.rng.pick(FAULT_CODES))
      .then(() => this.afterSim(this.rng.range(...RATES.faultLength), () => void station.recover(point.evseId)))
      .catch((err: Error) => this.log(`fault failed: ${err.message}`));
  }

  private dropout(station: SimStation): void {
    if (!station.isOnline || station.manualDown) return;
    this.log(`${station.id}: dropping out`);
    station
      .disconnect(true)
      .then(() =>
        this.afterSim(this.rng.range(...RATES.dropoutLength), () => {
          if (!station.manualDown) station.connect().catch((err: Error) => this.log(err.message));
        }),
      )
      .catch((err: Error) => this.log(`dropout failed: ${err.message}`));
  }

  /** Runs `fn` again and again, exponentially spaced with the given mean (simulated ms). */
  private poisson(meanSimMs: number, fn: () => void): void {
    const next = () =>
      this.afterSim(this.rng.exp(meanSimMs), () => {
        fn();
        next();
      });
    next();
  }

  private afterSim(simMs: number, fn: () => void): void {
    this.after(simMs / this.timeScale, fn);
  }

  private after(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = this.clock.after(Math.max(1, ms), () => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    });
    this.timers.add(t);
  }
}
