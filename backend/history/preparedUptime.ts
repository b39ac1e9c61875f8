// The network's uptime reads per period, kept between questions: read once (about a second and a half at 50,000
// points), then only the ports whose history changed are read again, so a question after an outage started or ended
// costs the arithmetic, not the reads. The figures are rollupUptime's to the bit (tests/unit/uptime-prepared.test.ts).
import type { Period } from '../../common/uptime.js';
import type { Store } from '../store/index.js';
import { dayStartsIn, prepareRollup, rereadPort, wholeDaysOf, type PreparedRollup, type Span } from './rollupUptime.js';

/** How many periods are kept (the view's 7 and 30 days, a month, the export's). */
const PERIODS_KEPT = 4;

interface Kept {
  prepared: PreparedRollup;
  /** The history's figuresVersion the reads are true at. */
  version: number;
  /** When read in full (clock time); the number of points and the sites' last change then. */
  at: number;
  points: number;
  sites: number;
  /** Each zone's whole days at the reads' end: the reads stay true while these do not move. */
  wholes: Map<string, Span>;
}

export class PreparedPeriods {
  private readonly kept = new Map<string, Kept>();
  /** Periods read in full, and ports read again, since made (for tests and the bench). */
  readonly counts = { full: 0, ports: 0 };

  /**
   * maxAgeMs: how long reads are kept without reading them in full again. On PostgreSQL other backends write history
   * this one hears nothing of, so their reads must not outlive the reply cache's bound; on SQLite this backend is the
   * only writer.
   */
  constructor(
    private readonly store: Store,
    private readonly maxAgeMs: number,
  ) {}

  has(period: Period): boolean {
    return this.kept.has(keyOf(period));
  }

  /** The network's reads for the period, true at `now`: kept, brought up to date, or read in full. */
  get(period: Period, now: number): PreparedRollup {
    const key = keyOf(period);
    const kept = this.kept.get(key);
    if (kept && this.refresh(kept, now)) {
      this.kept.delete(key);
      this.kept.set(key, kept);
      return kept.prepared;
    }
    const fresh = this.read(period, now);
    this.kept.delete(key);
    this.kept.set(key, fresh);
    if (this.kept.size > PERIODS_KEPT) this.kept.delete(this.kept.keys().next().value!);
    return fresh.prepared;
  }

  private read(period: Period, now: number): Kept {
    const history = this.store.history;
    const version = history.figuresVersion;
    const prepared = prepareRollup(this.store, history.ports(), period, now);
    this.counts.full++;
    const zones = prepared.entries.map((e) => prepared.zoneOf((e.kind === 'fast' ? e.port : e.input.point).siteId));
    return {
      prepared,
      version,
      at: now,
      points: this.store.points.count(),
      sites: this.store.stations.sitesSeq(),
      wholes: wholeDaysOf(period.from, prepared.until, zones),
    };
  }

  /** Brings kept reads up to date at `now`; false where they must be read in full instead. */
  private refresh(kept: Kept, now: number): boolean {
    const { prepared } = kept;
    const { from, to } = prepared.period;
    if (now < kept.at || now - kept.at >= this.maxAgeMs) return false;
    const until = Math.min(to, now);
    // The period began since: nothing was read.
    if (prepared.until <= from && until > from) return false;
    // A midnight passed in some zone: whole days moved.
    for (const [zone, whole] of wholeDaysOf(from, until, kept.wholes.keys())) {
      const was = kept.wholes.get(zone)!;
      if (was.start !== whole.start || was.end !== whole.end) return false;
    }
    // A point added, a site added or moved to another zone: the ports and zones are read again.
    if (this.store.points.count() !== kept.points || this.store.stations.sitesSeq() !== kept.sites) return false;
    const history = this.store.history;
    const version = history.figuresVersion;
    if (version === kept.version) return true;
    const changed = history.changedSince(kept.version);
    if (changed === null) return false;
    const startsOfZone = new Map<string, number[]>();
    for (const n of changed) {
      const entry = prepared.byN.get(n);
      // A point recorded for the first time: the ports are read again.
      if (!entry) return false;
      let starts: number[] = [];
      if (entry.kind === 'fast') {
        const zone = prepared.zoneOf(entry.port.siteId);
        const known = startsOfZone.get(zone);
        if (known) starts = known;
        else startsOfZone.set(zone, (starts = dayStartsIn(from, prepared.until, zone)));
      }
      rereadPort(this.store, prepared, entry, starts);
      this.counts.ports++;
    }
    kept.version = version;
    return true;
  }
}

const keyOf = (period: Period) => `${period.from}/${period.to}`;
