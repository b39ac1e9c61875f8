// The console's cache of the last uptime figures (electron/core/uptimeCache.ts) and the export's words
// (renderer/src/components/availability/exportModel.ts): the same question over a later period finds the figures,
// marked with when they were computed; another question does not; a damaged file starts empty; the monthly export
// asks for whole months; progress reads as rows done of the total.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { UptimeExportProgress, UptimeReply } from '../../common/uptime.js';
import { UptimeFiguresCache } from '../../electron/core/uptimeCache.js';
import { ageText } from '../../renderer/src/components/availability/availabilityModel.js';
import {
  exportFraction,
  exportText,
  monthlyExportPeriod,
} from '../../renderer/src/components/availability/exportModel.js';
import { tempDir } from '../support/tempDir.js';

const reply: UptimeReply = {
  scope: 'network',
  id: null,
  from: '2026-11-05T00:00:00.000Z',
  to: '2026-12-05T00:00:00.000Z',
  uptime: 99.5,
  ports: [],
  stations: [],
  sites: [{ id: 'S1', ports: 2, uptime: 99.5, daily: { from: '2026-12-04', uptimes: [99] } }],
  outages: [],
  outagesLeftOff: 0,
};
const asked = { scope: 'network' as const, from: reply.from, to: reply.to, daily: true };

test('the last figures come back for the same question a day later, marked; other questions and damage find none', async () => {
  const dir = tempDir('uptime-cache');
  try {
    const file = path.join(dir.path, 'uptime-figures.json');
    const logs: string[] = [];
    const cache = new UptimeFiguresCache(file, (l) => logs.push(l));
    assert.equal(cache.recall(asked), null);
    cache.remember(asked, reply, new Date('2026-12-05T06:00:00Z'));
    // Written after the reply has gone on, not before.
    assert.equal(existsSync(file), false);
    await cache.written();
    const again = new UptimeFiguresCache(file, (l) => logs.push(l));
    const dayLater = { ...asked, from: '2026-11-06T00:00:00.000Z', to: '2026-12-06T00:00:00.000Z' };
    assert.deepEqual(again.recall(dayLater), { ...reply, cachedAt: '2026-12-05T06:00:00.000Z' });
    assert.equal(again.recall({ ...asked, daily: false }), null, 'without daily figures: another question');
    assert.equal(again.recall({ ...asked, from: '2026-11-28T00:00:00.000Z' }), null, '7 days: another question');
    writeFileSync(file, '{"entries": [{"key": 1}]');
    assert.equal(new UptimeFiguresCache(file, (l) => logs.push(l)).recall(asked), null);
    assert.deepEqual(logs, ['uptime cache unreadable, starting empty']);
  } finally {
    dir.remove();
  }
});

test('an entry an earlier version wrote in another shape (daily figures as objects) is dropped, the others kept', async () => {
  const dir = tempDir('uptime-cache-shape');
  try {
    const file = path.join(dir.path, 'uptime-figures.json');
    const cache = new UptimeFiguresCache(file, () => undefined);
    cache.remember(asked, reply, new Date('2026-12-05T06:00:00Z'));
    await cache.written();
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    const weekFrom = new Date(Date.parse(reply.to) - 7 * 86_400_000).toISOString();
    const old = {
      key: stored.entries[0].key.replace(',30,', ',7,'),
      at: '2026-12-04T06:00:00.000Z',
      reply: { ...reply, from: weekFrom, sites: [{ ...reply.sites[0], daily: [{ day: '2026-12-04', uptime: 99 }] }] },
    };
    writeFileSync(file, JSON.stringify({ entries: [...stored.entries, old] }));
    const logs: string[] = [];
    const again = new UptimeFiguresCache(file, (l) => logs.push(l));
    assert.equal(again.recall({ ...asked, from: weekFrom }), null, 'the old one is gone');
    assert.deepEqual(again.recall(asked), { ...reply, cachedAt: '2026-12-05T06:00:00.000Z' }, 'the other kept');
    assert.deepEqual(logs, ['uptime cache: 1 entry in an earlier shape dropped']);
  } finally {
    dir.remove();
  }
});

test('questions remembered in a row are written once, newest first, and read back whole', async () => {
  const dir = tempDir('uptime-cache-many');
  try {
    const file = path.join(dir.path, 'uptime-figures.json');
    const cache = new UptimeFiguresCache(file, () => undefined);
    for (let days = 1; days <= 25; days++) {
      const from = new Date(Date.parse(reply.to) - days * 86_400_000).toISOString();
      cache.remember({ ...asked, from }, { ...reply, from, uptime: days }, new Date('2026-12-05T06:00:00Z'));
    }
    await cache.written();
    const again = new UptimeFiguresCache(file, () => undefined);
    const week = new Date(Date.parse(reply.to) - 7 * 86_400_000).toISOString();
    assert.equal(again.recall({ ...asked, from: week })?.uptime, 7);
    // The last 20 questions are kept: 6 to 25 days.
    const oldest = new Date(Date.parse(reply.to) - 5 * 86_400_000).toISOString();
    assert.equal(again.recall({ ...asked, from: oldest }), null);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).entries[0].reply.uptime, 25);
  } finally {
    dir.remove();
  }
});

test("the export's period and words", () => {
  assert.deepEqual(monthlyExportPeriod(Date.parse('2026-12-05T06:00:00Z')), {
    from: '2025-12-01T00:00:00.000Z',
    to: '2027-01-01T00:00:00.000Z',
  });
  assert.deepEqual(monthlyExportPeriod(Date.parse('2026-01-31T23:59:00Z')), {
    from: '2025-01-01T00:00:00.000Z',
    to: '2026-02-01T00:00:00.000Z',
  });
  const p: UptimeExportProgress = {
    exportId: 'x',
    kind: 'monthly',
    fileName: 'uptime-monthly.csv',
    state: 'running',
    rowsDone: 1_500,
    rowsTotal: 6_000,
    bytes: 300_000,
    error: null,
  };
  assert.equal(exportFraction(p), 0.25);
  assert.equal(exportText(p), 'Exporting uptime-monthly.csv: 1,500 of 6,000 rows (293 KB)');
  assert.equal(exportFraction({ ...p, rowsTotal: null }), null);
  assert.equal(exportText({ ...p, state: 'cancelled' }), 'Export cancelled: nothing was saved');
  assert.equal(
    exportText({ ...p, state: 'failed', error: 'the backend answered 500' }).startsWith('Export failed'),
    true,
  );
  assert.equal(ageText(30_000), 'just now');
  assert.equal(ageText(12 * 60_000), '12 min ago');
  assert.equal(ageText(3 * 3_600_000), '3 h ago');
  assert.equal(ageText(3 * 86_400_000), '3 days ago');
});
