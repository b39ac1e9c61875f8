// Many real OCPP-J stations in their own process (so their work stays off the measured backend's event loop): each
// answers ChangeAvailability Accepted and then reports the status it was asked for, as a well-behaved station does.
// Each boots (BootNotification) once connected. Forked by the windows benchmark, which sends the station ids and
// password as the first IPC message; prints "ready N"; answers "count" with the ChangeAvailability requests answered.
import { RPCClient } from 'ocpp-rpc';

interface FleetConfig {
  ocppUrl: string;
  password: string;
  stations: { id: string; protocol: 'ocpp1.6' | 'ocpp2.0.1' }[];
}

const config = await new Promise<FleetConfig>((resolve) => process.once('message', (m) => resolve(m as FleetConfig)));
const clients: InstanceType<typeof RPCClient>[] = [];
let changes = 0;

for (let i = 0; i < config.stations.length; i += 200) {
  await Promise.all(
    config.stations.slice(i, i + 200).map(async ({ id, protocol }) => {
      const client = new RPCClient({
        endpoint: config.ocppUrl,
        identity: id,
        password: config.password,
        protocols: [protocol],
        reconnect: false,
        pingIntervalMs: 0,
      } as never);
      client.handle('ChangeAvailability', async ({ params }: { params?: Record<string, any> }) => {
        changes++;
        const p = params ?? {};
        const inoperative = (p.type ?? p.operationalStatus) === 'Inoperative';
        const status = inoperative ? 'Unavailable' : 'Available';
        setImmediate(() => {
          const report =
            protocol === 'ocpp1.6'
              ? { connectorId: p.connectorId, status, errorCode: 'NoError', timestamp: new Date().toISOString() }
              : { timestamp: new Date().toISOString(), connectorStatus: status, evseId: p.evse?.id, connectorId: 1 };
          client.call('StatusNotification', report).catch(() => undefined);
        });
        return { status: 'Accepted' };
      });
      await client.connect();
      // As a real station does: the backend then re-sends what it should have (its reassert) now, not in the middle
      // of the minute being measured.
      await client.call(
        'BootNotification',
        protocol === 'ocpp1.6'
          ? { chargePointVendor: 'Voltboard', chargePointModel: 'Bench' }
          : { reason: 'PowerUp', chargingStation: { vendorName: 'Voltboard', model: 'Bench' } },
      );
      clients.push(client);
    }),
  );
}
process.stdout.write(`ready ${clients.length}\n`);
process.on('message', (m: unknown) => {
  if (m === 'count') process.send?.({ changes });
});
process.on('SIGTERM', () => {
  void Promise.all(clients.map((c) => c.close({ force: true }).catch(() => undefined))).finally(() => process.exit(0));
});
