// Opens one page of a running node in Debian's Chromium, several times, and prints for each open the time to first
// contentful paint (the prerendered page on screen) and to interactive (the layout's data-interactive marker: the
// circuit is connected and has rendered). Each open is a new browser context, so nothing is cached in the browser;
// the first open after a node starts is the cold one.
//
// It imports playwright-core, which it finds beside itself (ES modules ignore NODE_PATH):
//   npm install --prefix /tmp/bench-tools playwright-core && cp docs/benchmarks/open-page.mjs /tmp/bench-tools/
//   node /tmp/bench-tools/open-page.mjs http://127.0.0.1:5520/t/1/a-big-thread 6
import { chromium } from "playwright-core";

const [url, times = "5"] = process.argv.slice(2);
if (!url) {
    console.error("usage: open-page.mjs URL [TIMES]");
    process.exit(2);
}

const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-sync",
        "--disable-component-update", "--no-first-run"],
});
const results = [];
for (let i = 0; i < Number(times); i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(url, { waitUntil: "commit" });
    await page.locator("[data-interactive=true]").waitFor({ timeout: 60_000 });
    const interactive = Date.now() - started;
    const paint = await page.evaluate(() =>
        performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
    const navigationStart = await page.evaluate(() => performance.timeOrigin);
    const replies = await page.locator("[data-testid=reply]").count();
    // Both from the moment the browser started the navigation.
    const fcp = paint === null ? null : Math.round(paint);
    const toInteractive = Math.round(interactive - (navigationStart - started > 0 ? navigationStart - started : 0));
    results.push({ open: i + 1, firstContentfulPaintMs: fcp, interactiveMs: toInteractive, repliesShown: replies });
    console.log(`open ${i + 1}: first paint ${fcp} ms, interactive ${toInteractive} ms, ${replies} replies shown`);
    await context.close();
}
await browser.close();
console.log(JSON.stringify(results));
