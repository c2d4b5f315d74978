/**
 * The two-tabs demo on the built site: two tabs add to one cart at the same instant. With the
 * default stores (compare-and-set) both items stay; with the last-write-wins store one vanishes.
 */
import { expect, test } from './lab-fixtures.ts';

test.describe('two tabs adding to one cart at the same instant', () => {
  test('keep both items on the Memory store, and the timeline shows the merge', async ({ lab }) => {
    await lab.open('?store=memory');
    await lab.signIn('ada');
    await lab.app.getByRole('button', { name: 'Add from two tabs at once' }).click();
    await expect(lab.result).toContainText('Both tabs added an item');
    await expect(lab.app.getByRole('list', { name: 'Cart' }).getByRole('listitem')).toHaveText(['Oat biscuit', 'Shortbread']);
    await expect(lab.timeline.getByText(/merged/i).first()).toBeVisible();
    // As the Signing out page tells it: one group for both tabs, whose two reads come before either write.
    const group = lab.requestGroup('POST /api/cart-two-tabs');
    await expect(group).toHaveAttribute('data-status', '200');
    await expect(lab.timeline.locator('.lab-group > .lab-ev', { hasText: /POST \/api\/cart\b(?!-)/ })).toHaveCount(0);
    const steps = await group.locator('.lab-group-list .lab-ev-title').allTextContents();
    const firstWrite = steps.findIndex((step) => /^store\.(compareAndSet|update)\(/.test(step));
    expect(steps.slice(0, firstWrite).filter((step) => step.startsWith('store.get('))).toHaveLength(2);
    expect(steps).toContain('Concurrent change merged');
  });

  test('lose one item on a last-write-wins store', async ({ lab }) => {
    await lab.open('?store=memory-lww');
    await lab.signIn('ada');
    await lab.app.getByRole('button', { name: 'Add from two tabs at once' }).click();
    await expect(lab.result).toContainText('only 1 stayed in your cart');
    await expect(lab.app.getByRole('list', { name: 'Cart' }).getByRole('listitem')).toHaveCount(1);
  });

  test('a refusal is explained from the two-tabs request itself', async ({ lab }) => {
    await lab.open('?store=memory');
    await lab.signIn('ada');
    // The default session lasts 30 minutes without a request.
    await lab.jump('1 hour');
    await lab.app.getByRole('button', { name: 'Add from two tabs at once' }).click();
    await expect(lab.result).toContainText('You are signed out.');
    await expect(lab.result).toContainText('(401 Unauthorized for /api/cart-two-tabs)');
    await expect(lab.result).toContainText(/expired/);
  });
});
