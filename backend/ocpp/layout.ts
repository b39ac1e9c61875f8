// Which EVSEs and connectors a station may report on. A report outside its layout is refused alone with a
// CALLERROR and never stored: one station cannot create points at will or write ids the consoles cannot show.
import ocpp from 'ocpp-rpc';
import type { Store } from '../store/index.js';
import type { StatusReport } from './handlers.js';

const { createRPCError } = ocpp;

/** A station without a registered layout: EVSE (1.6: connector) ids it may report on, so at most this many points. */
export const MAX_LEARNED_EVSE_ID = 32;
/** Connector ids on one EVSE of such a station (a point holds at most 16 connectors: common/model.ts). */
export const MAX_LEARNED_CONNECTOR_ID = 16;

const refuse = (message: string) => createRPCError('PropertyConstraintViolation', message, {});

/**
 * Throws the CALLERROR for a StatusNotification that does not fit the station's layout. Id 0 is the station as a
 * whole (1.6 connector 0, 2.0.1 EVSE 0). A station with a registered layout reports only on its points (and, in
 * 2.0.1, their connectors); one without learns EVSEs 1…MAX_LEARNED_EVSE_ID and connectors 1…MAX_LEARNED_CONNECTOR_ID.
 */
export function checkReportLayout(store: Store, stationId: string, r: StatusReport): void {
  const what = r.connectorId === undefined ? 'connectorId' : 'evseId';
  if (!Number.isSafeInteger(r.evseId) || r.evseId < 0)
    throw refuse(`${what} ${r.evseId} is not a valid id (0 or more)`);
  if (r.connectorId !== undefined && (!Number.isSafeInteger(r.connectorId) || r.connectorId < 0)) {
    throw refuse(`connectorId ${r.connectorId} is not a valid id`);
  }
  if (r.evseId === 0) return;
  if (r.connectorId !== undefined && r.connectorId < 1)
    throw refuse(`connectorId ${r.connectorId} on EVSE ${r.evseId}: connectors are numbered from 1`);
  const station = store.stations.get(stationId);
  if (!station) throw refuse(`station ${stationId} is not registered`);
  if (station.layout === 'registered') {
    const point = store.points.byStationEvse(stationId, r.evseId);
    if (!point) {
      const ids = store.points.byStation(stationId).map((p) => p.evseId);
      throw refuse(
        `${what} ${r.evseId} is not in this station's registered layout (${ids.length ? ids.join(', ') : 'none'})`,
      );
    }
    if (r.connectorId !== undefined && !point.connectors.some((c) => c.id === r.connectorId)) {
      const ids = point.connectors.map((c) => c.id).join(', ');
      throw refuse(
        `connectorId ${r.connectorId} is not on EVSE ${r.evseId} in this station's registered layout (${ids})`,
      );
    }
    return;
  }
  if (r.evseId > MAX_LEARNED_EVSE_ID) {
    throw refuse(
      `${what} ${r.evseId} is out of range: a station without a registered layout may use 1–${MAX_LEARNED_EVSE_ID}`,
    );
  }
  if (r.connectorId !== undefined && r.connectorId > MAX_LEARNED_CONNECTOR_ID) {
    throw refuse(`connectorId ${r.connectorId} is out of range: at most ${MAX_LEARNED_CONNECTOR_ID} per EVSE`);
  }
}
