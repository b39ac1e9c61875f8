// An OCPP 1.6J station: connectors are the points; connector 0 is the station itself.
import type { OcppPayload } from '../ocpp/payload.js';
import { SimStation } from './station.js';
import type { SimPoint, Transaction } from './station.js';

/** OCPP 1.6 StatusNotification errorCode values. */
export const OCPP16_ERROR_CODES = [
  'ConnectorLockFailure',
  'EVCommunicationError',
  'GroundFailure',
  'HighTemperature',
  'InternalError',
  'LocalListConflict',
  'NoError',
  'OtherError',
  'OverCurrentFailure',
  'PowerMeterFailure',
  'PowerSwitchFailure',
  'ReaderFailure',
  'ResetFailure',
  'UnderVoltage',
  'OverVoltage',
  'WeakSignal',
] as const;

export class Station16 extends SimStation {
  protected readonly subprotocol = 'ocpp1.6' as const;

  protected bootParams(): Record<string, unknown> {
    return {
      chargePointVendor: this.station.vendor,
      chargePointModel: this.station.model,
      chargePointSerialNumber: serialOf(this.id),
      firmwareVersion: '4.2.1',
    };
  }

  protected statusOf(p: SimPoint): string {
    if (p.fault) return 'Faulted';
    if (p.phase === 'preparing') return 'Preparing';
    if (p.phase === 'charging') return 'Charging';
    if (p.phase === 'finishing') return 'Finishing';
    return p.inoperative ? 'Unavailable' : 'Available';
  }

  protected async sendPointStatus(p: SimPoint, status: string): Promise<void> {
    const known = p.fault && (OCPP16_ERROR_CODES as readonly string[]).includes(p.fault.errorCode);
    await this.send('StatusNotification', {
      connectorId: p.evseId,
      status,
      errorCode: !p.fault ? 'NoError' : known ? p.fault.errorCode : 'OtherError',
      ...(p.fault && !known ? { vendorErrorCode: p.fault.errorCode.slice(0, 50) } : {}),
      ...(p.fault?.info ? { info: p.fault.info.slice(0, 50) } : {}),
      timestamp: this.isoNow(),
    });
  }

  protected async sendStationStatus(): Promise<void> {
    if (!this.isOnline) return;
    const status = this.stationInoperative ? 'Unavailable' : 'Available';
    this.lastSent.set(0, status);
    await this.send('StatusNotification', {
      connectorId: 0,
      status,
      errorCode: 'NoError',
      timestamp: this.isoNow(),
    });
  }

  protected async txStart(p: SimPoint, idTag: string): Promise<Transaction> {
    const tx = { id: 0, idTag: idTag.slice(0, 20), meterStart: p.meterWh, startedAt: this.env.clock.now(), seqNo: 0 };
    const reply = (await this.call('StartTransaction', {
      connectorId: p.evseId,
      idTag: tx.idTag,
      meterStart: tx.meterStart,
      timestamp: this.isoNow(tx.startedAt),
    })) as { transactionId: number; idTagInfo: { status: string } };
    if (reply.idTagInfo.status !== 'Accepted')
      this.env.log(`${this.id}: id tag ${idTag} answered ${reply.idTagInfo.status}; charging anyway (demo)`);
    tx.id = reply.transactionId;
    return tx;
  }

  protected async txEnd(p: SimPoint, tx: Transaction, reason: 'Local' | 'EmergencyStop' | 'Remote'): Promise<void> {
    await this.call('StopTransaction', {
      transactionId: tx.id,
      idTag: tx.idTag,
      meterStop: p.meterWh,
      timestamp: this.isoNow(),
      reason,
    });
  }

  protected handlers() {
    return {
      ChangeAvailability: async ({ params }: { params?: OcppPayload }) => {
        const { connectorId, type } = params as { connectorId: number; type: 'Inoperative' | 'Operative' };
        return { status: this.changeAvailability(connectorId === 0 ? null : connectorId, type) };
      },
      TriggerMessage: async ({ params }: { params?: OcppPayload }) => {
        const { requestedMessage, connectorId } = params as { requestedMessage: string; connectorId?: number };
        if (requestedMessage === 'StatusNotification') {
          if (connectorId === undefined) this.reportSoon(() => this.reportAll(), true);
          else if (connectorId === 0) this.reportSoon(() => this.sendStationStatus(), true);
          else if (this.points.has(connectorId))
            this.reportSoon(() => this.report(this.point(connectorId), true), true);
          else return { status: 'Rejected' };
          return { status: 'Accepted' };
        }
        if (requestedMessage === 'Heartbeat') {
          this.reportSoon(() => this.send('Heartbeat', {}), true);
          return { status: 'Accepted' };
        }
        if (requestedMessage === 'BootNotification') {
          this.reportSoon(() => this.send('BootNotification', this.bootParams()), true);
          return { status: 'Accepted' };
        }
        return { status: 'NotImplemented' };
      },
      RemoteStartTransaction: async ({ params }: { params?: OcppPayload }) => {
        const { connectorId, idTag } = params as { connectorId?: number; idTag: string };
        const p =
          connectorId !== undefined
            ? this.points.get(connectorId)
            : [...this.points.values()].find((q) => this.canStart(q));
        if (!p || !this.canStart(p)) return { status: 'Rejected' };
        this.reportSoon(
          () => this.startSession(p.evseId, idTag).catch((err: Error) => this.env.log(err.message)),
          true,
        );
        return { status: 'Accepted' };
      },
      RemoteStopTransaction: async ({ params }: { params?: OcppPayload }) => {
        const { transactionId } = params as { transactionId: number };
        const p = [...this.points.values()].find((q) => q.tx?.id === transactionId && !q.busy);
        if (!p) return { status: 'Rejected' };
        this.reportSoon(
          () => this.endSession(p.evseId, 'Remote').catch((err: Error) => this.env.log(err.message)),
          true,
        );
        return { status: 'Accepted' };
      },
    };
  }
}

export function serialOf(stationId: string): string {
  let h = 2166136261;
  for (let i = 0; i < stationId.length; i++) h = Math.imul(h ^ stationId.charCodeAt(i), 16777619);
  return `SN${(h >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}
