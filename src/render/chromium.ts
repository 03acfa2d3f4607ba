/**
 * Static figure export through Debian's Chromium, driven by playwright-core (never a downloaded
 * browser). One FigureRenderer = one browser and one page with plotly.js loaded once; every figure
 * of a run goes through it (cold start ≈ 2–2.5 s, then ≈ 40–120 ms per figure).
 *
 * Output is deterministic: plotly's random ids (clip paths, defs) come from Math.random, which the
 * page reseeds before every figure, and the PDF creation/modification dates are fixed.
 *
 * Page-side code is a plain JavaScript string, so this file needs no DOM types (tsconfig keeps
 * lib ES2022 to match tslab).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import type { Figure } from "../figures/figure.js";

/** Chromium flags for headless export in containers and offline machines. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--font-render-hinting=none",
];

export const CHROMIUM_INSTALL_HINT = "apt-get install -y --no-install-recommends chromium fonts-liberation";

/** The Chromium executable: $CHROMIUM_PATH, else Debian's chromium on PATH. Playwright needs a real path. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const p = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
      if (p) return p;
    } catch {
      // not on PATH: try the next name
    }
  }
  throw new Error(`Chromium is not installed: figure export needs Debian's chromium (${CHROMIUM_INSTALL_HINT})`);
}

/** The plotly.js bundle source (from the project's node_modules). */
export function plotlySource(): string {
  return readFileSync(plotlyBundleFile(), "utf8");
}

export function plotlyBundleFile(): string {
  return createRequire(path.resolve("package.json")).resolve("plotly.js-dist-min/plotly.min.js");
}

export interface ImageSize {
  /** CSS pixels. */
  width: number;
  height: number;
  /** PNG only: device pixels per CSS pixel (the PNG is ⌊width·scale⌋ × ⌊height·scale⌋). Default 1. */
  scale?: number;
}

const ORIGIN = "https://swapcost.invalid";

const WARM_UP: Figure = {
  data: [
    { type: "scatter", x: [0, 1], y: [0, 1], name: "a" },
    { type: "bar", x: [0, 1], y: [1, 0], name: "b" },
  ],
  layout: { title: { text: "warm-up" }, annotations: [{ text: "c", x: 0, y: 0, showarrow: false }] },
};

const PAGE_SCRIPT = `
window.__swapcostRender = async function (fig, o) {
  // plotly names clip paths and defs with Lib.randstr (Math.random): reseed so every run is identical.
  var s = 0x2545f491;
  Math.random = function () { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 4294967296; };
  var layout = Object.assign({}, fig.layout, { width: o.width, height: o.height });
  var config = Object.assign({}, fig.config, { staticPlot: true, responsive: false });
  return await window.Plotly.toImage({ data: fig.data, layout: layout, config: config },
    { format: o.format, width: o.width, height: o.height, scale: o.scale || 1 });
};
`;

function checkSize(size: ImageSize): void {
  for (const k of ["width", "height"] as const) {
    const v = size[k];
    if (!Number.isInteger(v) || v < 10 || v > 10000) throw new RangeError(`figure ${k} must be an integer from 10 to 10000 px, got ${v}`);
  }
  if (size.scale !== undefined && !(size.scale > 0 && size.scale <= 8)) throw new RangeError(`figure scale must be in (0, 8], got ${size.scale}`);
}

/** Fixes the creation/modification dates Chromium (Skia) writes, keeping byte offsets (same length). */
export function normalizePdf(pdf: Buffer): Buffer {
  const text = pdf.toString("latin1");
  const fixed = text.replace(/\/(CreationDate|ModDate) \(D:(\d{14})([^)]*)\)/g, (_m, key: string, digits: string, tz: string) =>
    `/${key} (D:${"20000101000000".slice(0, digits.length)}${tz.replace(/\d/g, "0")})`);
  return Buffer.from(fixed, "latin1");
}

/**
 * Sorts the attributes of every start tag. Plotly sets some attributes in a different order the
 * first time a component (e.g. the legend) is drawn on a page, so the same figure would otherwise
 * serialise differently depending on what was rendered before it.
 */
export function canonicalSvg(svg: string): string {
  return svg.replace(/<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")+)\s*(\/?)>/g, (_m, tag: string, attrs: string, slash: string) => {
    const list = attrs.match(/[\w:.-]+="[^"]*"/g) ?? [];
    list.sort((a, b) => {
      const ka = a.slice(0, a.indexOf("=")), kb = b.slice(0, b.indexOf("="));
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    return `<${tag} ${list.join(" ")}${slash}>`;
  });
}

function escapeText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function dataUrlPayload(url: string): string {
  const comma = url.indexOf(",");
  if (comma < 0) throw new Error("plotly returned no image data");
  return url.slice(comma + 1);
}

/**
 * One page of the shared browser with plotly.js loaded (plus a page for PDFs). A lane renders one
 * figure at a time; a FigureRenderer can hold several lanes to use several cores.
 */
export class RenderLane {
  private queue: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly page: Page,
    private readonly pdfPage: Page,
  ) {}

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f, f);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The plotly.js version loaded in the page. */
  async plotlyVersion(): Promise<string> {
    return (await this.page.evaluate("window.Plotly.version")) as string;
  }

  private image(fig: Figure, format: "svg" | "png", size: ImageSize): Promise<string> {
    checkSize(size);
    return this.serial(async () => {
      const url = (await this.page.evaluate(
        ([f, o]) => (globalThis as unknown as { __swapcostRender(f: unknown, o: unknown): Promise<string> }).__swapcostRender(f, o),
        [JSON.parse(JSON.stringify(fig)), { format, width: size.width, height: size.height, scale: size.scale ?? 1 }] as const,
      )) as string;
      return dataUrlPayload(url);
    });
  }

  /** The figure as a standalone SVG document. */
  async svg(fig: Figure, size: ImageSize): Promise<string> {
    return canonicalSvg(decodeURIComponent(await this.image(fig, "svg", { ...size, scale: 1 })));
  }

  /** The figure as PNG bytes, ⌊width·scale⌋ × ⌊height·scale⌋ pixels. */
  async png(fig: Figure, size: ImageSize): Promise<Buffer> {
    return Buffer.from(await this.image(fig, "png", size), "base64");
  }

  /** A one-page vector PDF the size of the figure (from the SVG; fonts embedded by Chromium). */
  async pdf(fig: Figure, size: ImageSize, svg?: string): Promise<Buffer> {
    const doc = svg ?? (await this.svg(fig, size));
    return this.serial(async () => {
      const { width, height } = size;
      const t = fig.layout.title;
      const title = escapeText(String((typeof t === "object" && t !== null ? t.text : t) ?? "figure").replace(/<[^>]*>/g, " "));
      await this.pdfPage.setContent(
        `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title><style>@page{size:${width}px ${height}px;margin:0}html,body{margin:0;padding:0}svg{display:block}</style></head><body>${doc.replace(/^<\?xml[^>]*>/, "")}</body></html>`,
        { waitUntil: "load" },
      );
      const pdf = await this.pdfPage.pdf({ width: `${width}px`, height: `${height}px`, printBackground: true, pageRanges: "1" });
      return normalizePdf(pdf);
    });
  }
}

export class FigureRenderer {
  private readonly free: RenderLane[];
  private readonly waiting: Array<(lane: RenderLane) => void> = [];
  private constructor(
    private readonly browser: Browser,
    private readonly all: readonly RenderLane[],
  ) {
    this.free = [...all];
  }

  /**
   * Launches Chromium once and opens `lanes` pages with plotly.js loaded (default 1; the notebook
   * job uses 2 on a 2-core machine). Every lane draws a warm-up figure first, so first-draw
   * effects never reach a real figure.
   */
  static async launch(o: { executablePath?: string; lanes?: number } = {}): Promise<FigureRenderer> {
    const { chromium } = await import("playwright-core");
    const executablePath = o.executablePath ?? findChromium();
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
    try {
      const context = await browser.newContext({ deviceScaleFactor: 1, locale: "en-US", timezoneId: "UTC" });
      // Serve the page and the plotly bundle from memory; refuse every other request (offline).
      const bundle = readFileSync(plotlyBundleFile());
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (url === `${ORIGIN}/plotly.min.js`) return route.fulfill({ status: 200, contentType: "text/javascript", body: bundle });
        if (url === `${ORIGIN}/index.html`) {
          return route.fulfill({
            status: 200,
            contentType: "text/html",
            body: `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="${ORIGIN}/plotly.min.js"></script><script>${PAGE_SCRIPT}</script></head><body></body></html>`,
          });
        }
        return route.abort();
      });
      const lanes = await Promise.all(
        Array.from({ length: Math.max(1, o.lanes ?? 1) }, async () => {
          const page = await context.newPage();
          await page.goto(`${ORIGIN}/index.html`, { waitUntil: "load" });
          const ok = await page.evaluate("typeof window.Plotly === 'object' && typeof window.__swapcostRender === 'function'");
          if (!ok) throw new Error("plotly.js did not load in Chromium");
          const lane = new RenderLane(page, await context.newPage());
          await lane.svg(WARM_UP, { width: 300, height: 200 });
          return lane;
        }),
      );
      return new FigureRenderer(browser, lanes);
    } catch (e) {
      await browser.close().catch(() => undefined);
      throw e;
    }
  }

  /** Number of pages rendering in parallel. */
  get lanes(): number {
    return this.all.length;
  }

  /** Runs `f` on a free lane (waiting for one), so callers can export several figures at once. */
  async withLane<T>(f: (lane: RenderLane) => Promise<T>): Promise<T> {
    const lane = this.free.pop() ?? (await new Promise<RenderLane>((resolve) => this.waiting.push(resolve)));
    try {
      return await f(lane);
    } finally {
      const next = this.waiting.shift();
      if (next) next(lane);
      else this.free.push(lane);
    }
  }

  /** The plotly.js version loaded in the pages. */
  plotlyVersion(): Promise<string> {
    return this.all[0].plotlyVersion();
  }

  /** The figure as a standalone SVG document. */
  svg(fig: Figure, size: ImageSize): Promise<string> {
    return this.withLane((l) => l.svg(fig, size));
  }

  /** The figure as PNG bytes, ⌊width·scale⌋ × ⌊height·scale⌋ pixels. */
  png(fig: Figure, size: ImageSize): Promise<Buffer> {
    return this.withLane((l) => l.png(fig, size));
  }

  /** A one-page vector PDF the size of the figure (from the SVG; fonts embedded by Chromium). */
  pdf(fig: Figure, size: ImageSize, svg?: string): Promise<Buffer> {
    return this.withLane((l) => l.pdf(fig, size, svg));
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
