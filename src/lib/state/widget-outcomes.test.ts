import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import { setSetting } from '../storage';
import { readWidgetOutcomes, saveWidgetOutcome } from './widget-outcomes';

describe('widget outcomes', () => {
  it('keeps each widget latest outcome beside the others', async () => {
    const db = await openTestDb();
    expect(await readWidgetOutcomes(db)).toEqual({});
    await saveWidgetOutcome(db, 'cache-sim', { hitRate: 0.4 }, () => 1);
    await saveWidgetOutcome(db, 'skew-sim', { fixed: true, feature: 'age' }, () => 2);
    await saveWidgetOutcome(db, 'cache-sim', { hitRate: 0.8 }, () => 3);
    expect(await readWidgetOutcomes(db)).toEqual({
      'cache-sim': { savedAt: 3, values: { hitRate: 0.8 } },
      'skew-sim': { savedAt: 2, values: { fixed: true, feature: 'age' } },
    });
  });

  it('drops entries of the wrong shape instead of failing', async () => {
    const db = await openTestDb();
    await setSetting(db, 'widgetOutcomes', {
      good: { savedAt: 5, values: { n: 1 } },
      noTime: { values: { n: 1 } },
      nested: { savedAt: 5, values: { n: { deep: 1 } } },
    });
    expect(await readWidgetOutcomes(db)).toEqual({ good: { savedAt: 5, values: { n: 1 } } });
    await setSetting(db, 'widgetOutcomes', ['not', 'a', 'map']);
    expect(await readWidgetOutcomes(db)).toEqual({});
  });
});
