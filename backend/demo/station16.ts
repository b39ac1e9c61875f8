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
        const statusReport =
          connectorId === undefined
            ? () => this.reportAll()
            : connectorId === 0
              ? () => this.sendStationStatus()
              : this.points.has(connectorId)
                ? () => this.report(this.point(connectorId), true)
                : null;
        return this.triggered(requestedMessage, statusReport, this.bootParams());
      },
      RemoteStartTransaction: async ({ params }: { params?: OcppPayload }) => {
        const { connectorId, idTag } = params as { connectorId?: number; idTag: string };
        return this.remoteStart(connectorId, idTag);
      },
      RemoteStopTransaction: async ({ params }: { params?: OcppPayload }) =>
        this.remoteStop((params as { transactionId: number }).transactionId),
    };
  }
}

export function serialOf(stationId: string): string {
  let h = 2166136261;
  for (let i = 0; i < stationId.length; i++) h = Math.imul(h ^ stationId.charCodeAt(i), 16777619);
  return `SN${(h >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}
