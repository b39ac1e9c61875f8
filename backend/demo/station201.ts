// An OCPP 2.0.1 station: EVSEs are the points, each with one or more connectors.
import { randomUUID } from 'node:crypto';
import type { OcppPayload } from '../ocpp/payload.js';
import { SimStation } from './station.js';
import type { SimPoint, Transaction } from './station.js';
import { serialOf } from './station16.js';

type Params = { params?: OcppPayload };

export class Station201 extends SimStation {
  protected readonly subprotocol = 'ocpp2.0.1' as const;
  private eventId = 0;

  protected bootParams(): Record<string, unknown> {
    return {
      reason: 'PowerUp',
      chargingStation: {
        model: this.station.model,
        vendorName: this.station.vendor,
        serialNumber: serialOf(this.id),
        firmwareVersion: '1.8.3',
      },
    };
  }

  protected statusOf(p: SimPoint): string {
    if (p.fault) return 'Faulted';
    if (p.phase !== 'idle') return 'Occupied';
    return p.inoperative ? 'Unavailable' : 'Available';
  }

  /** Every connector of the EVSE reports the EVSE's status. */
  protected async sendPointStatus(p: SimPoint, status: string): Promise<void> {
    for (const c of p.connectors) {
      await this.send('StatusNotification', {
        timestamp: this.isoNow(),
        connectorStatus: status,
        evseId: p.evseId,
        connectorId: c.id,
      });
    }
    if (status === 'Faulted' && p.fault) await this.notifyFault(p, p.fault.errorCode);
  }

  /** 2.0.1 StatusNotification has no error code: the station tells what is wrong with a NotifyEvent. */
  private async notifyFault(p: SimPoint, errorCode: string): Promise<void> {
    const now = this.isoNow();
    await this.send('NotifyEvent', {
      generatedAt: now,
      seqNo: 0,
      eventData: [
        {
          eventId: ++this.eventId,
          timestamp: now,
          trigger: 'Delta',
          actualValue: 'Faulted',
          techCode: errorCode.slice(0, 50),
          eventNotificationType: 'HardWiredNotification',
          component: { name: 'Connector', evse: { id: p.evseId, connectorId: p.connectors[0]?.id ?? 1 } },
          variable: { name: 'AvailabilityState' },
        },
      ],
    });
  }

  protected async sendStationStatus(): Promise<void> {
    // OCPP 2.0.1 reports per EVSE/connector only; the station-wide state shows in each EVSE's report.
  }

  protected async txStart(p: SimPoint, idTag: string): Promise<Transaction> {
    const tx: Transaction = {
      id: randomUUID(),
      idTag: idTag.slice(0, 36),
      meterStart: p.meterWh,
      startedAt: this.env.clock.now(),
      seqNo: 0,
    };
    await this.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: this.isoNow(tx.startedAt),
      triggerReason: 'CablePluggedIn',
      seqNo: tx.seqNo++,
      transactionInfo: { transactionId: tx.id, chargingState: 'EVConnected' },
      evse: { id: p.evseId, connectorId: p.connectors[0]?.id ?? 1 },
      meterValue: [meter(tx.meterStart, 'Transaction.Begin', this.isoNow())],
    });
    await this.call('TransactionEvent', {
      eventType: 'Updated',
      timestamp: this.isoNow(),
      triggerReason: 'Authorized',
      seqNo: tx.seqNo++,
      transactionInfo: { transactionId: tx.id, chargingState: 'Charging' },
      idToken: { idToken: tx.idTag, type: 'ISO14443' },
    });
    return tx;
  }

  protected async txEnd(p: SimPoint, tx: Transaction, reason: 'Local' | 'EmergencyStop' | 'Remote'): Promise<void> {
    const trigger =
      reason === 'Remote' ? 'RemoteStop' : reason === 'EmergencyStop' ? 'AbnormalCondition' : 'StopAuthorized';
    await this.call('TransactionEvent', {
      eventType: 'Ended',
      timestamp: this.isoNow(),
      triggerReason: trigger,
      seqNo: tx.seqNo++,
      transactionInfo: {
        transactionId: tx.id,
        chargingState: 'Idle',
        stoppedReason: reason,
        timeSpentCharging: Math.round(((this.env.clock.now() - tx.startedAt) / 1000) * this.env.timeScale),
      },
      meterValue: [meter(p.meterWh, 'Transaction.End', this.isoNow())],
    });
  }

  protected handlers() {
    return {
      ChangeAvailability: async ({ params }: Params) => {
        const { operationalStatus, evse } = params as {
          operationalStatus: 'Inoperative' | 'Operative';
          evse?: { id: number };
        };
        const target = evse === undefined || evse.id === 0 ? null : evse.id;
        return { status: this.changeAvailability(target, operationalStatus) };
      },
      TriggerMessage: async ({ params }: Params) => {
        const { requestedMessage, evse } = params as { requestedMessage: string; evse?: { id: number } };
        const statusReport =
          evse === undefined || evse.id === 0
            ? () => this.reportAll()
            : this.points.has(evse.id)
              ? () => this.report(this.point(evse.id), true)
              : null;
        return this.triggered(requestedMessage, statusReport, { ...this.bootParams(), reason: 'Triggered' });
      },
      RequestStartTransaction: async ({ params }: Params) => {
        const { evseId, idToken } = params as { evseId?: number; idToken: { idToken: string } };
        return this.remoteStart(evseId, idToken.idToken);
      },
      RequestStopTransaction: async ({ params }: Params) =>
        this.remoteStop((params as { transactionId: string }).transactionId),
    };
  }
}

function meter(wh: number, context: 'Transaction.Begin' | 'Transaction.End', timestamp: string) {
  return {
    timestamp,
    sampledValue: [{ value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } }],
  };
}
