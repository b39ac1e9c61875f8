// The change highlight's steps (renderer/src/model/flash.ts): one clock for the page, strong then lighter, then gone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FLASH_MS, FLASH_STEP_MS, flashLevel, nextFlashStepAt } from '../../renderer/src/model/flash.js';

describe('change highlight steps', () => {
  const step = FLASH_STEP_MS;

  it('is strong for the rest of its step and the whole next one, then two lighter steps, then gone', () => {
    const at = 10 * step + 100;
    assert.equal(flashLevel(at, at), 1);
    assert.equal(flashLevel(at, 12 * step - 1), 1);
    assert.equal(flashLevel(at, 12 * step), 2);
    assert.equal(flashLevel(at, 13 * step), 3);
    assert.equal(flashLevel(at, 14 * step - 1), 3);
    assert.equal(flashLevel(at, 14 * step), 0);
  });

  it('steps every highlight on the same clock: changes made apart step together', () => {
    const early = 10 * step + 1;
    const late = 10 * step + step - 1;
    for (let now = 10 * step; now < 16 * step; now += 37)
      assert.equal(flashLevel(early, now), flashLevel(late, now), `at ${now}`);
  });

  it('lasts between three steps and FLASH_MS, and the next step is always ahead', () => {
    for (let at = 0; at < 3 * step; at += 7) {
      let end = at;
      while (flashLevel(at, end)) end++;
      assert.ok(end - at > 3 * step - 1 && end - at <= FLASH_MS, `a change at ${at} is highlighted for ${end - at} ms`);
      const next = nextFlashStepAt(at);
      assert.ok(next > at && next - at <= step);
    }
  });
});
