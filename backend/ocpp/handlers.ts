// What the backend answers to each station message, per OCPP version. Pure mapping; the gateway does the I/O.
import type { StationProtocol } from '../../common/model.js';
import type { ReportedStatus } from '../../common/status.js';
import type { OcppPayload } from './payload.js';
import { reportedFromOcpp16, reportedFromOcpp201 } from '../../common/status.js';

/** A normalised StatusNotification. evseId 0 = the station as a whole. */
export interface StatusReport {
  evseId: number;
  connectorId?: number;
  status: ReportedStatus;
  rawStatus: string;
  errorCode: string | null;
  info: string | null;
  at: string;
}

export interface BootInfo {
  vendor: string | null;
  model: string | null;
}

type Params = OcppPayload;

/**
 * A station timestamp as ISO-8601 UTC; the backend's clock when it is missing, unreadable, or outside the years
 * 0000–9999 (which ISO-8601 writes with a sign, "+275760-…", and the consoles' schema refuses).
 */
export function normaliseTime(ts: unknown): string {
  if (typeof ts === 'string') {
    const t = Date.parse(ts);
    const iso = Number.isNaN(t) ? '' : new Date(t).toISOString();
    if (/^\d{4}-/.test(iso)) return iso;
  }
  return new Date().toISOString();
}

const clip = (s: unknown, max: number): string | null => (typeof s === 'string' && s !== '' ? s.slice(0, max) : null);

export function parseStatus(protocol: StationProtocol, p: Params): StatusReport {
  if (protocol === 'ocpp1.6') {
    return {
      evseId: p.connectorId,
      status: reportedFromOcpp16(p.status),
      rawStatus: p.status,
      errorCode: clip(p.errorCode, 100),
      info: clip([p.info, p.vendorErrorCode].filter(Boolean).join(' '), 500),
      at: normaliseTime(p.timestamp),
    };
  }
  return {
    evseId: p.evseId,
    connectorId: p.connectorId,
    status: reportedFromOcpp201(p.connectorStatus),
    rawStatus: p.connectorStatus,
    errorCode: null,
    info: null,
    at: normaliseTime(p.timestamp),
  };
}

export function parseBoot(protocol: StationProtocol, p: Params): BootInfo {
  if (protocol === 'ocpp1.6') return { vendor: clip(p.chargePointVendor, 200), model: clip(p.chargePointModel, 200) };
  return { vendor: clip(p.chargingStation?.vendorName, 200), model: clip(p.chargingStation?.model, 200) };
}

export function bootReply(intervalSec: number) {
  return { status: 'Accepted', currentTime: new Date().toISOString(), interval: intervalSec };
}

let transactionCounter = Math.floor(Date.now() / 1000) % 1_000_000;

/** Plain accepts for the other messages a real station sends (sessions, meter values, reports). */
export function simpleReply(protocol: StationProtocol, method: string, p: Params): Record<string, unknown> | null {
  const accepted = { status: 'Accepted' };
  if (protocol === 'ocpp1.6') {
    switch (method) {
      case 'Heartbeat':
        return { currentTime: new Date().toISOString() };
      case 'Authorize':
        return { idTagInfo: accepted };
      case 'StartTransaction':
        return { transactionId: ++transactionCounter, idTagInfo: accepted };
      case 'StopTransaction':
        return p.idTag ? { idTagInfo: accepted } : {};
      case 'MeterValues':
      case 'DiagnosticsStatusNotification':
      case 'FirmwareStatusNotification':
        return {};
      case 'DataTransfer':
        return { status: 'Accepted' };
      default:
        return null;
    }
  }
  switch (method) {
    case 'Heartbeat':
      return { currentTime: new Date().toISOString() };
    case 'Authorize':
      return { idTokenInfo: accepted };
    case 'TransactionEvent':
      return p.idToken ? { idTokenInfo: accepted } : {};
    case 'MeterValues':
    case 'NotifyReport':
    case 'NotifyEvent':
    case 'NotifyMonitoringReport':
    case 'SecurityEventNotification':
    case 'LogStatusNotification':
    case 'FirmwareStatusNotification':
    case 'NotifyChargingLimit':
    case 'ClearedChargingLimit':
    case 'ReportChargingProfiles':
    case 'ReservationStatusUpdate':
    case 'NotifyEVChargingNeeds':
    case 'NotifyEVChargingSchedule':
    case 'NotifyCustomerInformation':
    case 'NotifyDisplayMessages':
      return {};
    case 'DataTransfer':
      return { status: 'Accepted' };
    default:
      return null;
  }
}
