// Sends the queued pushes (backend/store/ocpi.ts) to each registered partner's Locations receiver: a PATCH of an
// EVSE's status and last_updated, or a PUT of a whole location, built from the current state when sent (so a push
// queued an hour ago carries the newest status). A partner that cannot be reached is retried with backoff on the
// injectable clock; its other pushes wait with it. A restarted backend sends what is queued.
import type { LookupFunction } from 'node:net';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { OcpiRepo, PartnerRow, PushRow } from '../store/ocpi.js';
import { OCPI_REQUEST_TIMEOUT_MS, ocpiRequest, OcpiUnreachable, type OcpiAnswer } from './client.js';
import { CoalescedRun } from './coalescedRun.js';
import { locationObjectOf } from './locations.js';
import { locationsReceiver } from './registration.js';
import {
  credentialsRoleSchema,
  endpointSchema,
  evseStatusPatchSchema,
  locationObjectSchema,
  OCPI_STATUS,
  type PartySettings,
} from './schemas.js';
import { readParty } from './settings.js';
import { utc } from './statusMapping.js';

/** Pushes in flight to one partner at once. */
const CONCURRENT = 8;

/** Wait before the next attempt after n failures in a row: 1 s, 2 s, 4 s … at most 5 minutes. */
export const ocpiBackoffMs = (failures: number): number =>
  Math.min(300_000, 1000 * 2 ** Math.max(0, Math.min(failures - 1, 20)));

type Outcome = 'accepted' | 'refused' | 'dropped' | 'unreachable';

export class OcpiPusher {
  private readonly passes = new CoalescedRun(
    () => this.pass(),
    (error) => this.log(`ocpi: pushing failed: ${error.message}`),
    () => this.arm(),
  );
  private timer: TimerHandle | null = null;

  constructor(
    private readonly repo: OcpiRepo,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
    /** How long a partner may take to answer one push (default 10 s). */
    private readonly requestTimeoutMs = OCPI_REQUEST_TIMEOUT_MS,
    /** Resolves partners' hosts for each connection (the address guard's `connectLookup`). */
    private readonly lookup?: LookupFunction,
  ) {}

  stop(): void {
    this.passes.stop();
    this.timer?.cancel();
  }

  private get stopped(): boolean {
    return this.passes.isStopped;
  }

  /** Something was queued or a partner changed: send what is due. */
  kick(): void {
    this.passes.kick();
  }

  /** Resolves once nothing is being sent (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.passes.isRunning) await new Promise((r) => setImmediate(r));
  }

  private async pass(): Promise<void> {
    const party = readParty(this.repo);
    if (!party) return;
    const now = this.clock.now();
    const due = this.repo
      .partners()
      .filter((p) => p.state === 'registered' && (p.next_attempt_at === null || Date.parse(p.next_attempt_at) <= now));
    await Promise.all(due.map((p) => this.drain(p, party)));
  }

  /** Wakes up when the first waiting partner's backoff ends. */
  private arm(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.stopped) return;
    const waits = this.repo
      .partners()
      .filter((p) => p.state === 'registered' && p.next_attempt_at !== null)
      .map((p) => Date.parse(p.next_attempt_at!));
    if (waits.length === 0) return;
    this.timer = this.clock.after(Math.max(0, Math.min(...waits) - this.clock.now()), () => this.kick());
  }

  private async drain(partner: PartnerRow, party: PartySettings): Promise<void> {
    let reached = partner.attempts === 0;
    while (!this.stopped) {
      const batch = this.repo.pending(partner.id, CONCURRENT);
      if (batch.length === 0) return;
      const outcomes = await Promise.all(batch.map((item) => this.send(partner, party, item)));
      if (this.stopped) return;
      const failure = outcomes.find((o): o is { unreachable: string } => typeof o === 'object');
      if (failure) {
        const at = this.clock.now();
        const next = new Date(at + ocpiBackoffMs(partner.attempts + 1)).toISOString();
        this.repo.partnerFailed(partner.id, next, new Date(at).toISOString(), failure.unreachable);
        return;
      }
      if (!reached) {
        this.repo.partnerReached(partner.id);
        reached = true;
      }
    }
  }

  private async send(
    partner: PartnerRow,
    party: PartySettings,
    item: PushRow,
  ): Promise<Outcome | { unreachable: string }> {
    const endpoints = endpointSchema.array().safeParse(JSON.parse(partner.endpoints));
    const base = endpoints.success ? locationsReceiver(endpoints.data) : null;
    if (!base || !partner.outgoing_token) return { unreachable: 'the partner has no Locations receiver endpoint' };
    const request = this.requestFor(party, item, base.replace(/\/+$/, ''));
    if (!request) {
      this.repo.drop(item);
      return 'dropped';
    }
    // What we send is checked like what we receive: an object of ours that OCPI would refuse is not sent.
    const checked = (request.method === 'PATCH' ? evseStatusPatchSchema : locationObjectSchema).safeParse(request.body);
    if (!checked.success) {
      const problem = checked.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .slice(0, 3)
        .join('; ');
      this.repo.answered(
        item,
        'refused',
        null,
        `not sent, invalid: ${problem}`,
        new Date(this.clock.now()).toISOString(),
      );
      this.log(`ocpi: ${item.kind} ${item.object_id} not sent to ${partner.name}: invalid OCPI object (${problem})`);
      return 'refused';
    }
    const to = credentialsRoleSchema.array().safeParse(JSON.parse(partner.roles));
    const role = to.success ? (to.data.find((r) => r.role === 'EMSP') ?? to.data[0]) : undefined;
    const nowIso = () => new Date(this.clock.now()).toISOString();
    this.repo.markSent(item, nowIso());
    let answer: OcpiAnswer;
    try {
      answer = await ocpiRequest({
        ...request,
        token: partner.outgoing_token,
        timeoutMs: this.requestTimeoutMs,
        lookup: this.lookup,
        routing: role && {
          fromCountryCode: party.countryCode,
          fromPartyId: party.partyId,
          toCountryCode: role.country_code,
          toPartyId: role.party_id,
        },
      });
    } catch (error) {
      if (error instanceof OcpiUnreachable) return { unreachable: error.message };
      throw error;
    }
    if (this.stopped) return 'dropped';
    const e = answer.envelope;
    const said = e?.status_message?.slice(0, 200) ?? null;
    if (answer.httpStatus >= 200 && answer.httpStatus < 300 && e && e.status_code < 2000) {
      this.repo.answered(item, 'accepted', e.status_code, said, nowIso());
      return 'accepted';
    }
    if (e && e.status_code >= OCPI_STATUS.clientError && e.status_code < OCPI_STATUS.serverError) {
      // The partner read it and refused it: the same push would be refused again, so it waits for the next change.
      this.repo.answered(item, 'refused', e.status_code, said, nowIso());
      if (item.kind === 'evse') {
        // A PATCH that failed: the partner may not know the location yet (transport chapter: then PUT it).
        const row = this.repo.evse(item.object_id);
        if (row) this.repo.enqueue(partner.id, 'location', row.site_id, nowIso());
      }
      this.log(`ocpi: partner ${partner.name} refused ${item.kind} ${item.object_id}: status_code ${e.status_code}`);
      return 'refused';
    }
    return { unreachable: `HTTP ${answer.httpStatus}${e ? `, status_code ${e.status_code}` : ', no OCPI answer'}` };
  }

  private requestFor(party: PartySettings, item: PushRow, locationsUrl: string) {
    const owner = `${locationsUrl}/${encodeURIComponent(party.countryCode)}/${encodeURIComponent(party.partyId)}`;
    if (item.kind === 'evse') {
      const evse = this.repo.evse(item.object_id);
      const location = evse && this.repo.location(evse.site_id);
      if (!evse || !location) return null;
      return {
        method: 'PATCH' as const,
        url: `${owner}/${encodeURIComponent(location.location_id)}/${encodeURIComponent(evse.uid)}`,
        body: { status: evse.status, last_updated: utc(evse.last_updated) },
      };
    }
    const location = this.repo.location(item.object_id);
    if (!location) return null;
    return {
      method: 'PUT' as const,
      url: `${owner}/${encodeURIComponent(location.location_id)}`,
      body: locationObjectOf(this.repo, location, party, this.clock.now()),
    };
  }
}
