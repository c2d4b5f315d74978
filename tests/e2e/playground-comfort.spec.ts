/**
 * Living with the playground on the built site: the code survives a reload, travels in a share link,
 * can be reset to the starter and brought back with Ctrl+Z; keyboard shortcuts run and save; on a
 * phone, editor, output, checks and Lab are tabs.
 */
import { expect, jsStore, test } from './playground-fixtures.ts';

// Monaco's TypeScript worker starts in seconds on two idle cores, and much later on busy ones.
test.describe.configure({ timeout: 120_000 });

test('the code survives a reload, in each language', async ({ page, playground }) => {
  await playground.open();
  const typescript = `${await playground.code()}\n// kept across reloads\n`;
  await playground.setCode(typescript);
  await playground.language('JavaScript');
  const javascript = jsStore();
  await playground.setCode(javascript);
  await expect(playground.root.locator('[data-pg="saved"]')).toHaveText(/^Saved /);

  await page.reload();
  await playground.waitServing();
  await expect(playground.root).toHaveAttribute('data-language', 'javascript');
  expect(await playground.code()).toBe(javascript);
  await playground.language('TypeScript');
  expect(await playground.code()).toBe(typescript);
});

test('a share link carries the code and its language, opens it undoably, and runs it only on Run', async ({ page, playground }) => {
  // Two page loads, each with a first compile.
  test.setTimeout(180_000);
  await playground.open();
  await playground.language('JavaScript');
  const shared = jsStore((code) => code.replace('BrokenStore', 'SharedStore'));
  await playground.setCode(shared);
  await playground.root.getByRole('button', { name: 'Share' }).click();
  const field = playground.root.getByRole('textbox', { name: 'Link to this code' });
  const link = await field.inputValue();
  expect(link).toMatch(/\/playground\/#code=[A-Za-z0-9_-]+$/);

  // Other code in the editor, then the link.
  const other = jsStore();
  await playground.setCode(other);
  await expect(playground.root.locator('[data-pg="saved"]')).toHaveText(/^Saved /);
  await playground.language('TypeScript');
  await page.goto('about:blank');
  await page.goto(link);
  // The link's code opens, and waits for the reader to read it and press Run.
  await expect(playground.root.locator('[data-pg="shared-notice"]')).toBeVisible({ timeout: 60_000 });
  await expect(playground.root).toHaveAttribute('data-language', 'javascript');
  expect(await playground.code()).toBe(shared);
  // The first compile on this page: Monaco's TypeScript worker starts for it.
  await playground.run(/^SharedStore \(run 1\) runs in the Lab/, 90_000);

  // Opening a link is one edit: Ctrl+Z brings back what was there.
  await playground.editor.click();
  await page.keyboard.press('ControlOrMeta+Z');
  await expect.poll(() => playground.code()).toBe(other);

  // Going back to one's own code takes the link out of the address.
  await playground.root.getByRole('button', { name: 'Back to my code' }).click();
  await expect(playground.root.locator('[data-pg="shared-notice"]')).toBeHidden();
  expect(new URL(page.url()).hash).toBe('');
  expect(await playground.code()).toBe(other);
});

test('reset puts the starter back, and Ctrl+Z undoes the reset', async ({ page, playground }) => {
  await playground.open();
  const starter = await playground.code();
  const mine = starter.replace('export class MyStore', 'export class OurStore');
  await playground.setCode(mine);
  await playground.root.getByRole('button', { name: 'Reset to starter' }).click();
  await expect(playground.status).toHaveText('Back to the starter. Changed your mind? Ctrl+Z in the editor brings your code back.');
  expect(await playground.code()).toBe(starter);
  await page.keyboard.press('ControlOrMeta+Z');
  await expect.poll(() => playground.code()).toBe(mine);
});

test('Ctrl+Enter runs and Ctrl+S saves, in the editor and outside it', async ({ page, playground }) => {
  await playground.open();
  const code = (await playground.code()).replace('export class MyStore', 'export class KeyStore');
  await playground.setCode(code);
  await playground.editor.click();
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(playground.status).toHaveText(/^KeyStore \(run 2\) runs in the Lab/);
  // The page measures Run to serving and says it; how fast that is, is not this test's business (a
  // stopwatch in a test fails on a busy machine without a fault).
  const servingMs = Number(await playground.root.getAttribute('data-serving-ms'));
  expect(servingMs).toBeGreaterThan(0);
  await expect(playground.root.locator('[data-pg="timing"]')).toHaveText(/^Run 2: compiled in \d+ ms, serving \d+ ms after Run\.$/);

  await page.keyboard.press('ControlOrMeta+S');
  await expect(playground.root.locator('[data-pg="saved"]')).toHaveText(/^Saved \S+( \S+)?\.$/);

  await playground.root.getByRole('button', { name: 'Clear' }).focus();
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(playground.status).toHaveText(/^KeyStore \(run 3\) runs in the Lab/);
});

test('after the window narrows to tabs and widens again, the editor stays in its column, beside the Lab', async ({ page, playground }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await playground.open();
  const right = async (locator: typeof playground.editor) => {
    const box = await locator.boundingBox();
    return box ? box.x + box.width : Number.NaN;
  };
  await page.setViewportSize({ width: 900, height: 900 });
  await expect(playground.root).toHaveAttribute('data-layout', 'tabs');
  await page.setViewportSize({ width: 1280, height: 900 });
  await expect(playground.root).toHaveAttribute('data-layout', 'columns');
  // Monaco lays itself out again from its box; give it the frames it takes.
  await expect.poll(async () => (await right(playground.editor)) <= ((await playground.lab.boundingBox())?.x ?? 0)).toBe(true);
  // Nothing of the editor lies over the Lab: the Lab's own tabs take clicks.
  await playground.lab.getByRole('tab', { name: /^Timeline/ }).click();
  await expect(playground.lab.getByRole('tab', { name: /^Timeline/ })).toHaveAttribute('aria-selected', 'true');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('editor, output, checks and Lab are tabs', async ({ playground }) => {
    await playground.open();
    const tabs = playground.root.getByRole('tablist', { name: 'Playground panels' });
    await expect(tabs).toBeVisible();
    await expect(playground.editor).toBeVisible();
    await expect(playground.lab).toBeHidden();

    await tabs.getByRole('tab', { name: 'Lab' }).click();
    await expect(playground.lab).toBeVisible();
    await expect(playground.editor).toBeHidden();

    await tabs.getByRole('tab', { name: /^Checks/ }).click();
    await playground.root.getByRole('button', { name: 'Run checks' }).click();
    await expect(playground.root.locator('[data-pg="checks-summary"]')).toHaveText(/^Required: (\d+) of \1 passed\./, { timeout: 60_000 });
    await expect(tabs.getByRole('tab', { name: /^Checks/ })).toHaveAttribute('aria-selected', 'true');
  });
});
