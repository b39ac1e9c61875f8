// The free-text filter's search index: one string scanned in order instead of one string per row.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSearchIndex, positionsMatching } from '../../renderer/src/model/searchIndex.js';

const index = (texts: string[]) => buildSearchIndex(texts, (t) => t);
const matching = (texts: string[], words: string[]) => [...positionsMatching(index(texts), words)];

describe('renderer search index', () => {
  it('marks the rows whose text holds every word, at the start, the end or inside', () => {
    const texts = ['abbey fields\u0000bay 1', 'canal wharf\u0000bay 2', 'abbey road\u0000bay 12', ''];
    assert.deepEqual(matching(texts, ['abbey']), [1, 0, 1, 0]);
    assert.deepEqual(matching(texts, ['bay', '1']), [1, 0, 1, 0]);
    assert.deepEqual(matching(texts, ['2']), [0, 1, 1, 0]);
    assert.deepEqual(matching(texts, ['wharf', 'abbey']), [0, 0, 0, 0]);
    assert.deepEqual(matching(texts, ['12']), [0, 0, 1, 0]);
    assert.deepEqual(matching(texts, ['a']), [1, 1, 1, 0]);
  });

  it('never matches across two rows, and a word found twice in a row counts once', () => {
    // "1canal" would be found in the joined text if rows were not separated.
    assert.deepEqual(matching(['bay 1', 'canal'], ['1canal']), [0, 0]);
    assert.deepEqual(matching(['aaaa', 'a'], ['a', 'a']), [1, 1]);
  });

  it('holds no rows', () => {
    assert.deepEqual(matching([], ['x']), []);
  });
});
