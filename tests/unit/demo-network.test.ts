// The demo network generator and the benchmark's large network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectorSchema, pointSchema, ROLES, siteSchema } from '../../common/model.js';
import { generateDemoNetwork, pointIdOf, splitPoints } from '../../backend/demo/network.js';
import type { DemoNetwork } from '../../backend/demo/network.js';
import { createRng } from '../../backend/demo/prng.js';
import { generateLargeNetwork } from '../support/largeNetwork.js';

const pointCount = (n: DemoNetwork) => n.stations.reduce((sum, s) => sum + s.evses.length, 0);

test('is deterministic for a seed and differs between seeds', () => {
  assert.deepEqual(generateDemoNetwork({ seed: 5 }), generateDemoNetwork({ seed: 5 }));
  assert.deepEqual(generateDemoNetwork(), generateDemoNetwork());
  assert.notDeepEqual(generateDemoNetwork({ seed: 5 }), generateDemoNetwork({ seed: 6 }));
});

test('default: about 150 points over about 12 sites, mixed protocols, 1–4 EVSEs per station', () => {
  const net = generateDemoNetwork();
  assert.equal(net.sites.length, 12);
  assert.equal(pointCount(net), 150);
  const protocols = new Set(net.stations.map((s) => s.protocol));
  assert.deepEqual([...protocols].sort(), ['ocpp1.6', 'ocpp2.0.1']);
  const share201 = net.stations.filter((s) => s.protocol === 'ocpp2.0.1').length / net.stations.length;
  assert.ok(share201 > 0.2 && share201 < 0.8, `2.0.1 share ${share201}`);
  for (const s of net.stations) {
    assert.ok(s.evses.length >= 1 && s.evses.length <= 4, `${s.id} has ${s.evses.length} EVSEs`);
    assert.deepEqual(
      s.evses.map((e) => e.evseId),
      s.evses.map((_, i) => i + 1),
    );
    if (s.protocol === 'ocpp1.6') assert.ok(s.evses.every((e) => e.connectors.length === 1));
  }
  for (const site of net.sites)
    assert.ok(
      net.stations.some((s) => s.siteId === site.id),
      `${site.id} has stations`,
    );
});

test('names look real and ids are valid for the shared schema', () => {
  const net = generateDemoNetwork({ seed: 11 });
  const siteIds = new Set<string>();
  for (const site of net.sites) {
    assert.deepEqual(siteSchema.parse(site), site);
    assert.match(site.name, /^[A-Z][\w’' &-]+ [A-Z]/);
    assert.match(site.address, /^\d+ .+, [A-Z]{1,2}\d+ \d[A-Z]{2}$/);
    assert.ok(site.city.length > 2);
    siteIds.add(site.id);
  }
  assert.equal(siteIds.size, net.sites.length);
  const stationIds = new Set<string>();
  const pointIds = new Set<string>();
  const idSchema = pointSchema.shape.id;
  for (const s of net.stations) {
    assert.match(s.id, /^VB-[A-Z0-9]{3,}-\d{2}$/);
    assert.ok(siteIds.has(s.siteId));
    assert.ok(
      s.vendor.length > 0 && s.vendor.length <= 20 && s.model.length > 0 && s.model.length <= 20,
      `${s.vendor} ${s.model}`,
    );
    idSchema.parse(s.id);
    stationIds.add(s.id);
    for (const e of s.evses) {
      const pid = pointIdOf(s.id, e.evseId);
      idSchema.parse(pid);
      pointIds.add(pid);
      assert.ok(e.label.length > 0);
      for (const c of e.connectors) {
        connectorSchema.parse(c);
        if (c.type === 'Type2') assert.ok((c.maxKw ?? 0) >= 7 && (c.maxKw ?? 0) <= 43);
        else if (c.type === 'CCS2') assert.ok((c.maxKw ?? 0) >= 50 && (c.maxKw ?? 0) <= 350);
        else assert.equal(c.type, 'CHAdeMO');
      }
    }
  }
  assert.equal(stationIds.size, net.stations.length);
  assert.equal(pointIds.size, pointCount(net));
  const types = new Set(net.stations.flatMap((s) => s.evses.flatMap((e) => e.connectors.map((c) => c.type))));
  assert.deepEqual([...types].sort(), ['CCS2', 'CHAdeMO', 'Type2']);
});

test('one demo user per role, with a password', () => {
  const { users } = generateDemoNetwork({ seed: 9 });
  assert.deepEqual(
    users.map((u) => u.role),
    [...ROLES],
  );
  assert.deepEqual(
    users.map((u) => u.username),
    ['viewer', 'operator', 'supervisor', 'admin'],
  );
  for (const u of users) assert.ok(u.password.length >= 8, u.password);
  assert.equal(new Set(users.map((u) => u.password)).size, users.length);
});

test('sizes follow the options, also with fewer points than sites', () => {
  const small = generateDemoNetwork({ sites: 3, pointsTarget: 10 });
  assert.equal(small.sites.length, 3);
  assert.equal(pointCount(small), 10);
  const sparse = generateDemoNetwork({ sites: 5, pointsTarget: 2 });
  assert.equal(sparse.sites.length, 5);
  assert.equal(pointCount(sparse), 2);
  const split = splitPoints(createRng(1), 150, 12);
  assert.equal(
    split.reduce((a, b) => a + b, 0),
    150,
  );
  assert.ok(split.every((n) => n >= 1));
});

test('large network: 50,000 points across 2,000 sites, quickly, unique ids', () => {
  const t0 = performance.now();
  const net = generateLargeNetwork({ sites: 2000, points: 50_000, seed: 1 });
  const ms = performance.now() - t0;
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  assert.equal(net.sites.length, 2000);
  assert.equal(pointCount(net), 50_000);
  assert.equal(new Set(net.sites.map((s) => s.id)).size, 2000);
  assert.equal(new Set(net.stations.map((s) => s.id)).size, net.stations.length);
  const idSchema = pointSchema.shape.id;
  for (const s of net.sites) siteSchema.parse(s);
  for (const s of net.stations) idSchema.parse(pointIdOf(s.id, s.evses.length));
  assert.deepEqual(generateLargeNetwork({ seed: 1 }).stations.slice(0, 50), net.stations.slice(0, 50));
});

test('prng: deterministic, in range', () => {
  const a = createRng(42);
  const b = createRng(42);
  const xs = Array.from({ length: 1000 }, () => a.next());
  assert.deepEqual(
    xs,
    Array.from({ length: 1000 }, () => b.next()),
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const r = createRng(3);
  for (let i = 0; i < 1000; i++) {
    const n = r.int(1, 4);
    assert.ok(n >= 1 && n <= 4 && Number.isInteger(n));
  }
  assert.ok(Math.abs(Array.from({ length: 5000 }, () => r.exp(10)).reduce((s, x) => s + x, 0) / 5000 - 10) < 1);
});
