import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FigureRenderer, canonicalSvg, normalizePdf, plotlySource } from "../../src/render/chromium.js";
import { standaloneHtml } from "../../src/render/html.js";
import { barChart, lineChart } from "../../src/figures/charts.js";
import { captionText, withCaption } from "../../src/figures/caption.js";

const skip = process.env.SWAPCOST_SKIP_CHROMIUM;

const rows = [0, 50, 100].flatMap((u) => [
  { design: "vswap-v6", usedPercent: u, mib: 24 + u },
  { design: "swap-table-p4", usedPercent: u, mib: 3 + 2 * u },
]);
const fig = withCaption(
  lineChart({ rows, title: "Overhead vs used", x: "usedPercent", y: "mib", series: "design", xAxis: { title: "used (%)" }, yAxis: { title: "MiB" } }),
  captionText({ "swap size": "32 GiB", note: "Grüße ✓" }, { version: "0.0.0-test" }),
);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** All content streams of a PDF, inflated. */
function pdfStreams(pdf: Buffer): string[] {
  const text = pdf.toString("latin1");
  const out: string[] = [];
  const re = /<<([^]*?)>>\s*stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const len = Number(/\/Length (\d+)/.exec(m[1])?.[1]);
    const raw = pdf.subarray(start, start + len);
    out.push(/FlateDecode/.test(m[1]) ? inflateSync(raw).toString("latin1") : raw.toString("latin1"));
  }
  return out;
}

describe.skipIf(!!skip)("FigureRenderer (Debian Chromium via playwright-core)", () => {
  let r: FigureRenderer;
  beforeAll(async () => {
    r = await FigureRenderer.launch();
  }, 60_000);
  afterAll(async () => {
    await r?.close();
  });

  it("loads plotly.js 4.1.1 once", async () => {
    expect(await r.plotlyVersion()).toBe("4.1.1");
  });

  it("svg(fig) is an SVG document containing every trace name and the caption", async () => {
    const svg = await r.svg(fig, { width: 800, height: 500 });
    expect(svg).toMatch(/^<svg [^>]*width="800"[^>]*>/);
    expect(svg).toContain(">vswap-v6<");
    expect(svg).toContain(">swap-table-p4<");
    expect(svg).toContain("Grüße ✓");
    expect(svg).toContain("swapcost 0.0.0-test");
  });

  it.each([
    [{ width: 640, height: 400 }, { width: 640, height: 400 }],
    [{ width: 640, height: 400, scale: 2 }, { width: 1280, height: 800 }],
    [{ width: 333, height: 222, scale: 1.5 }, { width: 499, height: 333 }], // fractional: rounded down
  ])("png(fig, %j) has %j pixels", async (size, want) => {
    expect(pngSize(await r.png(fig, size))).toEqual(want);
  });

  it("pdf(fig) is one vector page of the figure's size: text in embedded fonts, paths, no raster image", async () => {
    const pdf = await r.pdf(fig, { width: 800, height: 500 });
    const text = pdf.toString("latin1");
    expect(text.startsWith("%PDF-")).toBe(true);
    expect(text.match(/\/Type \/Page\b/g)?.length).toBe(1);
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(text);
    // 800×500 px at 72/96 pt per px; Chromium rounds the paper size to 1/100 inch
    expect(Math.abs(Number(box?.[1]) - 600)).toBeLessThan(0.5);
    expect(Math.abs(Number(box?.[2]) - 375)).toBeLessThan(0.5);
    expect(text).not.toMatch(/\/Subtype\s*\/Image/);
    expect(text).toMatch(/\/FontFile2/);
    const content = pdfStreams(pdf).join("\n");
    expect(content).toMatch(/\bTJ?\b/); // text-showing operators
    expect(content).toMatch(/ [lc]\n/); // path construction (lines / curves)
  });

  it("the same figure exports byte-identically (seeded plotly ids, fixed PDF dates), whatever was drawn before", async () => {
    const a = { svg: await r.svg(fig, { width: 700, height: 400 }), png: await r.png(fig, { width: 700, height: 400 }), pdf: await r.pdf(fig, { width: 700, height: 400 }) };
    await r.svg(barChart({ rows, title: "other", x: "design", y: "mib", series: "usedPercent", stacked: true }), { width: 500, height: 300 });
    const b = { svg: await r.svg(fig, { width: 700, height: 400 }), png: await r.png(fig, { width: 700, height: 400 }), pdf: await r.pdf(fig, { width: 700, height: 400 }) };
    expect(b.svg).toBe(a.svg);
    expect(b.png.equals(a.png)).toBe(true);
    expect(b.pdf.equals(a.pdf)).toBe(true);
    expect(a.pdf.toString("latin1")).toContain("/CreationDate (D:20000101000000+00'00')");
  });

  it.each([
    [{ width: 5, height: 400 }, /width must be an integer from 10 to 10000/],
    [{ width: 400, height: 400.5 }, /height must be an integer/],
    [{ width: 400, height: 400, scale: 0 }, /scale must be in/],
  ])("rejects size %j", async (size, want) => {
    await expect(r.png(fig, size)).rejects.toThrow(want);
  });
});

describe("pure export helpers", () => {
  it("canonicalSvg sorts attributes of every start tag", () => {
    expect(canonicalSvg('<g y="1" x="2"><rect b="1" a="2"/></g>')).toBe('<g x="2" y="1"><rect a="2" b="1"/></g>');
  });

  it("normalizePdf fixes Chromium's dates without moving bytes", () => {
    const pdf = Buffer.from("<</CreationDate (D:20261126022409+01'00')\n/ModDate (D:20261126022409+01'00')>>", "latin1");
    const out = normalizePdf(pdf);
    expect(out.length).toBe(pdf.length);
    expect(out.toString("latin1")).toBe("<</CreationDate (D:20000101000000+00'00')\n/ModDate (D:20000101000000+00'00')>>");
  });

  it("standaloneHtml inlines plotly.js (no CDN, no external script) and the figure", () => {
    const html = standaloneHtml(fig, { title: "t <1>", width: 800, height: 500, plotlySource: plotlySource(), generator: "swapcost 0.0.0-test" });
    expect(html.length).toBeGreaterThan(4_000_000);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain("<title>t &lt;1&gt;</title>");
    expect(html).toContain('"name":"vswap-v6"');
    expect(html).toContain("Plotly.newPlot(");
  });
});

describe.skipIf(!!skip)("FigureRenderer with two lanes (two pages of one browser)", () => {
  it("exports concurrently and gives the same bytes as one lane", async () => {
    const two = await FigureRenderer.launch({ lanes: 2 });
    try {
      expect(two.lanes).toBe(2);
      const figs = [0, 1, 2, 3].map((k) => lineChart({ rows: rows.map((r) => ({ ...r, mib: r.mib + k })), title: `f${k}`, x: "usedPercent", y: "mib", series: "design" }));
      const svgs = await Promise.all(figs.map((f) => two.withLane((lane) => lane.svg(f, { width: 500, height: 300 }))));
      const one = await FigureRenderer.launch();
      try {
        for (const [i, f] of figs.entries()) expect(await one.svg(f, { width: 500, height: 300 })).toBe(svgs[i]);
      } finally {
        await one.close();
      }
    } finally {
      await two.close();
    }
  }, 60_000);
});
