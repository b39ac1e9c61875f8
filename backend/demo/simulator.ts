// The simulated network: every demo station in-process, each over real OCPP-J to the backend at `url`.
//
// Every timer and timestamp runs on the injected clock (systemClock unless a test passes a ManualClock).
// Each station boots (BootNotification, then StatusNotification for 1.6 connector 0 and every point), heartbeats
// at the interval the backend gave (not scaled), answers ChangeAvailability / TriggerMessage / remote start-stop
// like a real station, and leaves every other call to ocpp-rpc's NotImplemented. A station the backend drops
// reconnects by itself (1–15 s backoff). Sessions, faults and dropouts happen on their own only when their
// behaviour flag is on (rates in behaviour.ts, scaled by timeScale); the control methods below drive them directly.
// OCPP 2.0.1 faults carry their error code in a NotifyEvent (techCode), as StatusNotification has none there.
import { systemClock, type Clock } from '../../common/clock.js';
import { ID_TAGS } from './names.js';
import type { DemoStation } from './network.js';
import { createRng } from './prng.js';
import { Behaviour } from './behaviour.js';
import type { SimStation, StationEnv } from './station.js';
import { Station16 } from './station16.js';
import { Station201 } from './station201.js';

export interface SimulatorOptions {
  /** e.g. ws://127.0.0.1:PORT/ocpp ; station i connects to `${url}/${station.id}`. */
  url: string;
  stations: DemoStation[];
  seed?: number;
  /** 1 = realistic; larger = faster. */
  timeScale?: number;
  /** Default systemClock. */
  clock?: Clock;
  behaviour?: { sessions?: boolean; faults?: boolean; dropouts?: boolean };
  log?: (line: string) => void;
  /** Each station's password (HTTP Basic, OCPP security profile 1); none: it connects without. */
  passwordOf?: (stationId: string) => string | undefined;
}

export interface SimulatedNetwork {
  stop(): Promise<void>;
  startSession(pointId: string): Promise<void>;
  endSession(pointId: string): Promise<void>;
  disconnect(stationId: string): Promise<void>;
  reconnect(stationId: string): Promise<void>;
  fault(pointId: string, errorCode?: string): Promise<void>;
  recover(pointId: string): Promise<void>;
  stationIds(): string[];
  /** Whether any station has a call waiting for its answer, or a connect or close under way. */
  busy(): boolean;
}

/** How many stations open their connection at the same time when the network starts. */
const CONNECT_CONCURRENCY = 32;
/** How long start-up waits for one station's first connection (a backend may hold a boot as Pending). */
const FIRST_CONNECT_WAIT_MS = 10_000;

/**
 * Starts every station and resolves once each has made its first connection attempt (booted and reported,
 * or failed: a station that could not connect keeps retrying in the background and says so through `log`).
 */
export async function startSimulatedNetwork(opts: SimulatorOptions): Promise<SimulatedNetwork> {
  const timeScale = opts.timeScale && opts.timeScale > 0 ? opts.timeScale : 1;
  const log = opts.log ?? (() => undefined);
  const rng = createRng(opts.seed ?? 1);
  const clock = opts.clock ?? systemClock;
  const env: StationEnv = {
    url: opts.url.replace(/\/+$/, ''),
    clock,
    timeScale,
    rng,
    log,
    passwordOf: opts.passwordOf,
  };
  const stations = new Map<string, SimStation>();
  for (const s of opts.stations) {
    if (stations.has(s.id)) throw new Error(`duplicate station id ${s.id}`);
    stations.set(s.id, s.protocol === 'ocpp2.0.1' ? new Station201(s, env) : new Station16(s, env));
  }

  const all = [...stations.values()];
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const station = all[next++];
      await firstConnect(station, clock, log);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, all.length) }, worker));

  const behaviour = new Behaviour(all, opts.behaviour ?? {}, rng, timeScale, clock, log);
  behaviour.start();

  const station = (stationId: string): SimStation => {
    const s = stations.get(stationId);
    if (!s) throw new Error(`unknown station ${stationId}`);
    return s;
  };
  const point = (pointId: string): { s: SimStation; evseId: number } => {
    const dash = pointId.lastIndexOf('-');
    const evseId = Number(pointId.slice(dash + 1));
    const s = dash > 0 ? stations.get(pointId.slice(0, dash)) : undefined;
    if (!s || !Number.isInteger(evseId) || !s.points.has(evseId)) throw new Error(`unknown point ${pointId}`);
    return { s, evseId };
  };
  let stopping: Promise<void> | null = null;

  return {
    stop() {
      stopping ??= (async () => {
        behaviour.stop();
        await Promise.all(all.map((s) => s.stop()));
      })();
      return stopping;
    },
    async startSession(pointId) {
      const { s, evseId } = point(pointId);
      await s.startSession(evseId, rng.pick(ID_TAGS));
    },
    async endSession(pointId) {
      const { s, evseId } = point(pointId);
      await s.endSession(evseId);
    },
    async disconnect(stationId) {
      const s = station(stationId);
      s.manualDown = true;
      await s.disconnect();
    },
    async reconnect(stationId) {
      const s = station(stationId);
      s.manualDown = false;
      await s.connect();
    },
    async fault(pointId, errorCode = 'OtherError') {
      const { s, evseId } = point(pointId);
      await s.fault(evseId, errorCode);
    },
    async recover(pointId) {
      const { s, evseId } = point(pointId);
      await s.recover(evseId);
    },
    stationIds: () => [...stations.keys()],
    busy: () => all.some((s) => s.busy),
  };
}

/** The station's first connection attempt, waited for at most FIRST_CONNECT_WAIT_MS; it goes on in the background. */
function firstConnect(station: SimStation, clock: Clock, log: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = clock.after(FIRST_CONNECT_WAIT_MS, () => {
      log(`${station.id}: still connecting, carrying on`);
      resolve();
    });
    station
      .connect()
      .catch((err: Error) => log(err.message))
      .finally(() => {
        timer.cancel();
        resolve();
      });
  });
}
