// The `ocpi` commands on a real store: party, site, invite (token A printed once, never stored in the clear), a peer
// eMSP registering with that token against a backend started on the store, list; bad input refused with a clear error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedStore, smallNetwork, startTestBackend } from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';
import { onPostgres, storeArgsFor } from '../support/testStore.js';
import { OcpiPeer } from '../support/ocpiPeer.js';

const ROOT = new URL('../..', import.meta.url).pathname;

describe('backend: ocpi commands', () => {
  const data = tempDir('ocpi-cli');
  const ocpi = (...args: string[]) => {
    const r = spawnSync('npx', ['tsx', 'backend/cli.ts', 'ocpi', ...args, ...storeArgsFor(data.path)], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout + r.stderr };
  };

  before(async () => seedStore(data.path, smallNetwork()));
  after(() => data.remove());

  it('sets up the party, publishes a site, invites a partner that then registers, and lists it', async () => {
    assert.match(ocpi('invite', 'Early').out, /set our OCPI party first/);
    const party = ocpi('party', '--country-code', 'GB', '--party-id', 'VBD', '--name', 'Voltboard Test');
    assert.equal(party.code, 0, party.out);
    const site = ocpi('site', 'S1', '--country', 'GBR', '--lat', '51.50142', '--lon=-0.14189');
    assert.equal(site.code, 0, site.out);
    const invite = ocpi('invite', 'Peer eMSP');
    assert.equal(invite.code, 0, invite.out);
    const tokenA = /token A:\s+(\S+)/.exec(invite.out)?.[1];
    assert.ok(tokenA, invite.out);
    if (!onPostgres) {
      const file = readFileSync(join(data.path, 'voltboard-backend.sqlite')).toString('latin1');
      assert.ok(!file.includes(tokenA), 'token A is not stored in the clear');
    }

    const backend = await startTestBackend({
      dataDir: data.path,
      network: null,
      ocpi: { allowPrivatePartnerUrls: true },
    });
    const peer = new OcpiPeer();
    await peer.start();
    try {
      await peer.registerWith(`${backend.url}/ocpi/versions`, tokenA);
      await waitFor('the location PUT', () => peer.locations.get('S1'));
      const id = backend.ocpi.repo.partners()[0].id;
      await waitFor(
        'nothing left to send',
        () => backend.ocpi.repo.pendingCount(id) === 0 && backend.ocpi.repo.counts(id).accepted === 1,
      );
      assert.deepEqual(peer.violations, []);
      assert.ok(
        !backend.logs.some((l) => l.includes(tokenA) || l.includes(peer.incomingToken!)),
        'tokens are never logged',
      );
    } finally {
      await backend.stop();
      await peer.stop();
    }
    const list = ocpi('list');
    assert.match(list.out, /Peer eMSP {2}registered {2}pending 0 {2}accepted 1 {2}refused 0/);
  });

  it('refuses bad input with a clear error and exit code 2, changing nothing', () => {
    const bad = ocpi('site', 'S1', '--country', 'GB', '--lat', '51.5', '--lon', 'west');
    assert.equal(bad.code, 2);
    assert.match(bad.out, /country: three capital letters/);
    assert.match(bad.out, /latitude/);
    const party = ocpi('party', '--country-code', 'gbr', '--party-id', 'V', '--name', 'x');
    assert.equal(party.code, 2, party.out);
    assert.match(party.out, /--countryCode/);
    assert.equal(ocpi('site', 'NOPE', '--country', 'GBR', '--lat', '51.50142', '--lon=-0.14189').code, 1);
    assert.equal(ocpi('suspend', 'no-such-partner').code, 1);
  });
});
