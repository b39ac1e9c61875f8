// The consoles' availability requests: a point's timeline, uptime and outages for a scope and period, and a
// supervisor's exclusion (the role is checked by the service).
import type { Ack, SessionInfo } from '../../common/protocol.js';
import type {
  ExcludeOutageReply,
  ExcludeOutageRequest,
  TimelineReply,
  TimelineRequest,
  UptimeReply,
} from '../../common/uptime.js';
import type { uptimeRequestSchema } from '../../common/uptime.js';
import type { z } from 'zod';
import { answer } from '../console/answer.js';
import { isUptimeRefusal, type UptimeService } from './uptimeService.js';

export interface UptimeRequests {
  timeline(req: TimelineRequest): Ack<TimelineReply>;
  uptime(req: z.output<typeof uptimeRequestSchema>): Ack<UptimeReply>;
  exclude(req: ExcludeOutageRequest, session: SessionInfo): Ack<ExcludeOutageReply>;
}

export function uptimeRequests(service: UptimeService, log: (line: string) => void): UptimeRequests {
  return {
    timeline: (req) => answer(() => service.timeline(req), isUptimeRefusal),
    uptime: (req) =>
      answer(
        () =>
          service.uptime({
            scope: req.scope,
            id: req.id,
            from: Date.parse(req.from),
            to: Date.parse(req.to),
            outages: req.outages,
            maxOutages: req.maxOutages,
            daily: req.daily,
            worstPorts: req.worstPorts,
            stations: req.stations,
          }),
        isUptimeRefusal,
      ),
    exclude: (req, session) =>
      answer(() => {
        const reply = service.exclude(req, session);
        const e = reply.exclusion;
        log(`history: exclusion ${e.id} by ${e.by}: point ${e.pointId} ${e.from}–${e.to} (${e.reason})`);
        return reply;
      }, isUptimeRefusal),
  };
}
