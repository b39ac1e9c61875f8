// The history recorder skips writes whose only changes are delivery steps that keep a change on its way (or not):
// deliveryStepKeepsShown must never call a step neutral when it changes what the history records of a point.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deliveryStepKeepsShown } from '../../common/consoleApi.js';
import type { Point } from '../../common/model.js';
import { DELIVERY_STATES, OPERATOR_STATUSES, REPORTED_STATUSES } from '../../common/status.js';
import { intervalFacts } from '../../backend/history/recorder.js';

function point(operator: string, reported: string, connected: boolean, delivery: string): Point {
  return {
    stationConnected: connected,
    operator: { status: operator, reason: operator === 'Available' ? null : 'works' },
    reported: { status: reported, errorCode: reported === 'Faulted' ? 'GroundFailure' : null, info: null },
    delivery: { state: delivery, detail: null },
  } as unknown as Point;
}

test('a delivery step called neutral changes no interval fact of any point; every other step changes one somewhere', () => {
  for (const from of DELIVERY_STATES) {
    for (const to of DELIVERY_STATES) {
      let changesSome = false;
      for (const op of OPERATOR_STATUSES)
        for (const rep of REPORTED_STATUSES)
          for (const connected of [true, false]) {
            const same =
              JSON.stringify(intervalFacts(point(op, rep, connected, from), null)) ===
              JSON.stringify(intervalFacts(point(op, rep, connected, to), null));
            if (!same) changesSome = true;
            if (deliveryStepKeepsShown(from, to))
              assert.ok(same, `${from} → ${to} is called neutral but changes ${op}/${rep}/${connected}`);
          }
      assert.equal(deliveryStepKeepsShown(from, to), !changesSome, `${from} → ${to}`);
    }
  }
});
