// The network in columns (common/networkWire.ts): what the core encodes, the page decodes to the same points; what
// does not fit together (lengths, codes, indexes) is refused with a clear error and the page keeps what it had.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { consoleMethods, type ViewPoint, type WireReply } from '../../common/consoleApi.js';
import { pointSchema } from '../../common/model.js';
import {
  decodeNetworkColumns,
  encodeNetworkColumns,
  POINT_FIELDS_CARRIED,
  type NetworkColumns,
} from '../../common/networkWire.js';
import { sendReply } from '../../electron/host/replies.js';
import { withValidation } from '../../renderer/src/api/validated.js';
import { ConsoleStore } from '../../renderer/src/store/store.js';
import { fakeConsoleHost, nextTurn } from '../support/fakeConsoleHost.js';
import { manualScheduler } from '../support/manualScheduler.js';
import { point, site } from '../support/rendererFixtures.js';

const schema = consoleMethods.getNetworkColumns.result;

/** Points that between them use every field's every shape: nulls and texts, each code, untilAction absent/null/set. */
function variedPoints(): ViewPoint[] {
  return [
    point('a'),
    point('b', {
      siteId: 's2',
      protocol: 'ocpp2.0.1',
      connectors: [],
      stationConnected: false,
      stationLastSeen: null,
      reported: { status: 'Faulted', errorCode: 'GroundFailure', info: 'Tripped "twice"\n', at: null },
      operator: {
        status: 'Maintenance',
        reason: 'Cable ⚡ swap',
        note: 'Back at 18:00',
        until: '2026-12-05T18:00:00.000Z',
        untilAction: 'revert',
        by: 'user:alice',
        at: '2026-12-05T08:00:00.000Z',
        version: 7,
      },
      delivery: { state: 'notConfirmed', detail: 'no fresh report', at: '2026-12-05T08:01:00.000Z' },
      version: 12,
      seq: 9_007_199_254,
    }),
    point('c', {
      operator: {
        status: 'OutOfService',
        reason: 'Cable ⚡ swap',
        note: null,
        until: null,
        untilAction: null,
        by: null,
        at: null,
        version: 1,
      },
      pending: {
        mutationId: 'install1-00000042',
        edit: { status: 'Available', reason: null, note: null, until: null },
        state: 'conflict',
        createdAt: '2026-12-05T08:02:00.000Z',
        error: 'changed by someone else',
        theirs: {
          status: 'Faulted',
          reason: 'Smoke',
          note: null,
          until: null,
          by: 'user:bob',
          at: '2026-12-05T08:01:30.000Z',
          version: 2,
        },
      },
    }),
    point('d', { connectors: [{ id: 1, type: null, maxKw: null }], label: 'Bay a' }),
    point('e', { connectors: [{ id: 1, type: 'CCS2', maxKw: 150 }], pending: null, label: 'Bay a' }),
  ];
}

function encode(points: ViewPoint[], total = points.length): NetworkColumns {
  const pending = new Map(points.flatMap((p) => (p.pending ? [[p.id, p.pending] as const] : [])));
  const head = { sites: [site('s1', 'Harbour'), { ...site('s2', 'Quay'), timeZone: 'Europe/London' }], total };
  return encodeNetworkColumns({ ...head, seq: 41, lastSyncAt: '2026-12-05T08:03:00.000Z' }, points, pending);
}

/** The columns as they come off the wire: JSON text parsed again. */
const overTheWire = (wire: unknown) => JSON.parse(JSON.stringify(wire));

function decodeAll(wire: NetworkColumns): ViewPoint[] {
  const out: ViewPoint[] = [];
  decodeNetworkColumns(wire, (p) => out.push(p));
  return out;
}

/** The message of the schema's refusal of `raw`, which must be refused. */
function refusal(raw: unknown): string {
  const r = schema.safeParse(raw);
  assert.equal(r.success, false, 'refused');
  return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

describe('network wire: columns', () => {
  it('decodes to exactly the points encoded, after a trip through JSON and the schema', () => {
    const points = variedPoints();
    const parsed = schema.parse(overTheWire(encode(points)));
    assert.deepStrictEqual(decodeAll(parsed), points);
    assert.deepStrictEqual(parsed.sites[1].timeZone, 'Europe/London');
    assert.equal(parsed.seq, 41);
    assert.equal(parsed.lastSyncAt, '2026-12-05T08:03:00.000Z');
    // A repeated text is sent once; so is a connector layout.
    assert.equal(parsed.texts.filter((t) => t === 'Cable ⚡ swap').length, 1);
    assert.equal(parsed.texts.filter((t) => t === 'Bay a').length, 1);
    assert.equal(parsed.layouts.length, 3);
  });

  it('keeps an operator without untilAction without the key (not as undefined)', () => {
    const [a] = decodeAll(schema.parse(overTheWire(encode([point('a')]))));
    assert.equal(Object.hasOwn(a.operator, 'untilAction'), false);
  });

  it('carries every field a point has (a field added to pointSchema must be added to the columns)', () => {
    assert.deepEqual(Object.keys(pointSchema.shape).sort(), [...POINT_FIELDS_CARRIED].sort());
  });

  it('a first screen says how many points the whole network has', () => {
    const parsed = schema.parse(overTheWire(encode(variedPoints().slice(0, 2), 5)));
    assert.equal(parsed.ids.length, 2);
    assert.equal(parsed.total, 5);
    assert.match(refusal({ ...overTheWire(encode(variedPoints())), total: 2 }), /total 2 is less than the 5 points/);
  });

  it('is smaller than the objects at scale', () => {
    const points = Array.from({ length: 2000 }, (_, i) => point(`p-${i}`, { stationLastSeen: null }));
    const columns = JSON.stringify(encode(points)).length;
    const objects = JSON.stringify(points).length;
    assert.ok(columns < objects / 3, `columns ${columns} chars, objects ${objects}`);
  });

  describe('bad input is refused with what is wrong', () => {
    const good = () => overTheWire(encode(variedPoints()));
    const cases: [string, (w: any) => void, RegExp][] = [
      ['a column too short', (w) => w.columns.seq.pop(), /column seq has 4 values for 5 points/],
      ['a column too long', (w) => w.columns.label.push(0), /column label has 6 values for 5 points/],
      ['an unknown status code', (w) => (w.columns.reportedStatus[1] = 99), /column reportedStatus, point 1: 99/],
      ['a negative code', (w) => (w.columns.deliveryState[0] = -1), /column deliveryState, point 0: -1/],
      ['a text index past the texts', (w) => (w.columns.label[2] = w.texts.length), /column label, point 2/],
      ['null where a text is required', (w) => (w.columns.stationId[0] = -1), /column stationId, point 0: -1/],
      ['a fraction', (w) => (w.columns.version[3] = 1.5), /column version, point 3: 1.5/],
      ['a string in a column', (w) => (w.columns.seq[0] = '1'), /column seq, point 0: "1"/],
      ['a missing column', (w) => delete w.columns.operatorAt, /operatorAt/],
      ['an extra column', (w) => (w.columns.colour = [0, 0, 0, 0, 0]), /colour/],
      ['a connector layout that does not exist', (w) => (w.columns.connectors[0] = 3), /column connectors, point 0/],
      ['a pending edit past the points', (w) => (w.pending[0][0] = 5), /pending edit for point 5, of 5 points/],
      ['a malformed pending edit', (w) => (w.pending[0][1].state = 'lost'), /pending/],
      ['another form', (w) => (w.form = 'columns-2'), /form/],
      ['ids that are not strings', (w) => (w.ids[0] = 7), /ids/],
      ['an unknown time zone', (w) => (w.sites[1].timeZone = 'Mars/Olympus'), /time zone/],
    ];
    for (const [what, spoil, message] of cases) {
      it(what, () => {
        const wire = good();
        spoil(wire);
        assert.match(refusal(wire), message);
      });
    }
  });
});

describe('network wire: in the page', () => {
  it('a malformed network is refused before the store applies any of it: the points it had stay', async () => {
    const host = fakeConsoleHost([point('a'), point('b')]);
    const store = new ConsoleStore(withValidation(host.api), host.transport, manualScheduler().schedule);
    store.start();
    await nextTurn();
    const before = store.getState();
    assert.equal(before.points.size, 2);
    const a = before.points.get('a');

    const spoiled = overTheWire(encode([point('a', { seq: 5 }), point('x')]));
    spoiled.columns.operatorStatus[1] = 42;
    host.answerNetworkWith(spoiled);
    host.emit('reset', {});
    await nextTurn();
    await nextTurn();
    const after = store.getState();
    assert.match(after.loadError ?? '', /malformed.*column operatorStatus, point 1: 42/);
    assert.equal(after.points.size, 2);
    assert.equal(after.points.get('a'), a, 'the point it had, untouched');
    assert.equal(after.points.has('x'), false);
  });

  it('the web host sends a large network as one message in fragments with the same content', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`);
    try {
      await new Promise<void>(
        (resolve, reject) => (client.once('open', () => resolve()), client.once('error', reject)),
      );
      const server = await serverSide;
      const points = Array.from({ length: 6000 }, (_, i) => point(`p-${i}`, { label: `Bay "${i % 40}"\n` }));
      const reply: WireReply = { kind: 'reply', id: 3, ok: true, data: encode(points) };
      const received = new Promise<string>((resolve) => client.once('message', (data) => resolve(data.toString())));
      sendReply(server, reply);
      const text = await received;
      assert.deepStrictEqual(JSON.parse(text), overTheWire(reply));
      assert.deepStrictEqual(decodeAll(schema.parse(JSON.parse(text).data)), points);
    } finally {
      client.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });
});
