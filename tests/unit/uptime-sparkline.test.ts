// The Availability view's sparkline (plain SVG): each day's uptime placed in its 120×24 box, 100 % at the top and
// 90 % or less at the bottom, days without a figure left out, bad figures kept inside the box.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sparklinePoints } from '../../renderer/src/components/availability/availabilityModel.js';

const days = (...uptimes: (number | null)[]) => uptimes;

test('days run left to right across the box; 100 % at the top, 90 % at the bottom, 95 % halfway', () => {
  assert.equal(sparklinePoints(days(100, 90, 95)), '2.0,2.0 60.0,22.0 118.0,12.0');
});

test('a day without a figure is left out and the line joins its neighbours; below 90 % sits on the bottom edge', () => {
  assert.equal(sparklinePoints(days(100, null, 42, 100)), '2.0,2.0 79.3,22.0 118.0,2.0');
});

test('nothing to draw: no days, or none with a figure; one day is one point', () => {
  assert.equal(sparklinePoints([]), '');
  assert.equal(sparklinePoints(days(null, null)), '');
  assert.equal(sparklinePoints(days(99)), '2.0,4.0');
});

test('figures out of range stay inside the box', () => {
  for (const p of sparklinePoints(days(140, -5, 100.0001)).split(' ')) {
    const [x, y] = p.split(',').map(Number);
    assert.ok(x >= 0 && x <= 120 && y >= 0 && y <= 24, p);
  }
});
