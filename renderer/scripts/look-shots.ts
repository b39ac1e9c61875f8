// Screenshots of the main grid, the editor, the drawer and a bulk dialog on a fake network at a fixed time, so two
// builds can be compared pixel by pixel (a refactoring must not move anything). Usage:
//   npx tsx renderer/scripts/look-shots.ts <built renderer dir> <outDir> [compareWithDir]
// Prints JSON: the shots taken and, with a third argument, how many pixels differ from the same shot there.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectProblems, launchChromium, outDirOf, waitForRows } from './browser.js';
import type { Page } from './browser.js';

const [rendererDir, outArg, compareDir] = process.argv.slice(2);
if (!rendererDir || !outArg) throw new Error('usage: look-shots.ts RENDERER_DIR OUT_DIR [COMPARE_DIR]');
const outDir = outDirOf(outArg, outArg);
/** STYLE_DETAIL=1 keeps every property (large files) so a difference names the properties, not only the element. */
const STYLE_DETAIL = process.env.STYLE_DETAIL === '1';
const FIXED_TIME = new Date('2026-12-04T12:00:00.000Z');

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const file = path.join(rendererDir, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
  if (!file.startsWith(path.resolve(rendererDir)) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res
    .writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
    .end(readFileSync(file));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

/** The elements whose computed style (or that of its ::before or ::after) differs between two dumps (at most 10). */
function compareStyles(fileA: string, fileB: string): string[] {
  const a: string[] = JSON.parse(readFileSync(fileA, 'utf8'));
  const b: string[] = JSON.parse(readFileSync(fileB, 'utf8'));
  if (a.length !== b.length) return [`${a.length} elements, was ${b.length}`];
  const out: string[] = [];
  for (let i = 0; i < a.length && out.length < 10; i++) {
    if (a[i] === b[i]) continue;
    const [name, ...now] = a[i].split('|');
    const was = b[i].split('|').slice(1);
    const changed = now.flatMap((part, k) => {
      const before = new Set(was[k]?.split(';'));
      return part.length < 20
        ? []
        : part
            .split(';')
            .filter((prop) => !before.has(prop))
            .map((prop) => `${['', '::before', '::after'][k]}${prop}`);
    });
    out.push(`#${i} ${name} ${changed.join('; ').slice(0, 400)}`);
  }
  return out;
}

const fakeApiSource = readFileSync(fileURLToPath(new URL('./fake-api.js', import.meta.url)), 'utf8');
const browser = await launchChromium();
const shots: string[] = [];
const problems: string[] = [];
try {
  const open = async (theme: 'dark' | 'light'): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    collectProblems(page, problems);
    await page.clock.setFixedTime(FIXED_TIME);
    await page.addInitScript(`window.__name = (f) => f;`);
    await page.addInitScript(`window.__mockOpts = ${JSON.stringify({ n: 46, state: 'offline' })};`);
    await page.addInitScript(fakeApiSource);
    await page.goto(base);
    await waitForRows(page);
    if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme)
      await page.getByTestId('theme-toggle').click();
    await page.mouse.move(0, 0);
    return page;
  };
  const shoot = async (page: Page, name: string) => {
    await page.evaluate(() => document.fonts.ready);
    // Toasts come and go on their own time: not part of what is compared.
    await page.evaluate(() =>
      document.querySelector<HTMLElement>('.toasts')?.style.setProperty('visibility', 'hidden'),
    );
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: path.join(outDir, `${name}.png`), animations: 'disabled', caret: 'hide' });
    // Every element's computed style (and its ::before and ::after), to find what moved even where no pixel shows it.
    const styles = await page.evaluate((detail) => {
      const hash = (text: string) => {
        let h = 0x811c9dc5;
        for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
        return (h >>> 0).toString(16);
      };
      const styleOf = (el: Element, pseudo?: string) => {
        const cs = getComputedStyle(el, pseudo);
        const props: string[] = [];
        for (let i = 0; i < cs.length; i++) props.push(`${cs[i]}:${cs.getPropertyValue(cs[i])}`);
        return detail ? props.sort().join(';') : hash(props.sort().join(';'));
      };
      return [...document.querySelectorAll('*')]
        .filter((el) => !el.closest('.toasts'))
        .map(
          (el) =>
            `${el.tagName}.${el.getAttribute('class') ?? ''}|${styleOf(el)}|${styleOf(el, '::before')}|${styleOf(el, '::after')}`,
        );
    }, STYLE_DETAIL);
    writeFileSync(path.join(outDir, `${name}.styles.json`), JSON.stringify(styles));
    shots.push(name);
  };
  for (const theme of ['dark', 'light'] as const) {
    const page = await open(theme);
    await shoot(page, `grid-${theme}`);
    await page.getByTestId('grid').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('editor').waitFor();
    await page.keyboard.press('m');
    await page.getByTestId('editor-reason').fill('Firmware update');
    await shoot(page, `editor-${theme}`);
    await page.keyboard.press('Escape');
    await page.getByTestId('editor').waitFor({ state: 'detached' });
    await page.getByTestId('grid').focus();
    await page.keyboard.press('i');
    await page.getByTestId('drawer').waitFor();
    await page.waitForFunction(
      () => !document.querySelector('[data-testid="drawer"]')?.textContent?.includes('(loading'),
    );
    await shoot(page, `drawer-${theme}`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.getByTestId('grid').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('bulk-dialog').waitFor();
    await page.keyboard.press('o');
    await shoot(page, `bulk-${theme}`);
    await page.keyboard.press('Escape');
    await page.getByTestId('bulk-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('open-outbox').click();
    await page.getByTestId('outbox-panel').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.outbox-item').length > 0);
    await shoot(page, `outbox-${theme}`);
    await page.getByTestId('open-conflicts').click();
    await page.getByTestId('conflicts-panel').waitFor();
    await shoot(page, `conflicts-${theme}`);
    await page.setViewportSize({ width: 1000, height: 800 });
    await shoot(page, `narrow-${theme}`);
    await page.context().close();
  }
  const differences: Record<string, number | string> = {};
  const styleDifferences: Record<string, string[]> = {};
  if (compareDir) {
    const page = await browser.newPage();
    await page.addInitScript(`window.__name = (f) => f;`); // tsx adds __name() to functions passed to evaluate
    await page.goto('about:blank');
    for (const name of shots) {
      const other = path.join(compareDir, `${name}.png`);
      if (!existsSync(other)) {
        differences[name] = 'missing';
        continue;
      }
      const otherStyles = path.join(compareDir, `${name}.styles.json`);
      if (existsSync(otherStyles))
        styleDifferences[name] = compareStyles(path.join(outDir, `${name}.styles.json`), otherStyles);
      const a = readFileSync(path.join(outDir, `${name}.png`)).toString('base64');
      const b = readFileSync(other).toString('base64');
      differences[name] = await page.evaluate(
        async ([a, b]) => {
          const pixels = async (data: string) => {
            const img = new Image();
            img.src = `data:image/png;base64,${data}`;
            await img.decode();
            const canvas = new OffscreenCanvas(img.width, img.height);
            const ctx = canvas.getContext('2d')!;
            ctx.drawImage(img, 0, 0);
            return ctx.getImageData(0, 0, img.width, img.height).data;
          };
          const [pa, pb] = [await pixels(a), await pixels(b)];
          if (pa.length !== pb.length) return -1;
          let n = 0;
          for (let i = 0; i < pa.length; i += 4) {
            if (pa[i] !== pb[i] || pa[i + 1] !== pb[i + 1] || pa[i + 2] !== pb[i + 2] || pa[i + 3] !== pb[i + 3]) n++;
          }
          return n;
        },
        [a, b] as const,
      );
    }
  }
  console.log(JSON.stringify({ shots, differences, styleDifferences, problems }, null, 2));
} finally {
  await browser.close();
  server.close();
}
