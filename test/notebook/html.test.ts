import { describe, expect, it } from "vitest";
import {
  escapeHtml,
  figureHtml,
  figurePlainText,
  frameToHtml,
  frameToText,
  plotlyLoaderHtml,
  preHtml,
  scriptJson,
  slug,
} from "../../src/notebook/html.js";
import { figureBundle, toRows } from "../../src/notebook/display.js";
import type { Figure } from "../../src/figures/figure.js";

const evil = `</script><img src=x onerror=alert(1)>&"'`;

describe("frameToHtml", () => {
  const frame = { columns: ["design", `<b>${evil}`], index: [0, 1], values: [["vswap", 1.23456789], [evil, 2]] };

  it("frameToHtml(df) escapes every header and cell: no tag from the data survives", () => {
    const html = frameToHtml(frame);
    expect(html).toContain('<table border="1" class="dataframe">');
    expect(html).not.toContain("<img");
    expect(html).not.toContain("</script>");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;");
    expect(html).toContain("1.23457");
    expect(html).toContain("2 rows × 2 columns");
  });

  it("caps long frames at maxRows with a … row (head and tail kept)", () => {
    const big = { columns: ["n"], index: Array.from({ length: 100 }, (_, i) => i), values: Array.from({ length: 100 }, (_, i) => [i]) };
    const html = frameToHtml(big, { maxRows: 10 });
    expect(html.match(/<tr>/g)?.length).toBe(11);
    expect(html).toContain("<th>…</th>");
    expect(html).toContain("<th>99</th>");
    expect(html).not.toContain("<th>50</th>");
    const text = frameToText(big, { maxRows: 4 });
    expect(text.split("\n")).toEqual(["     n", "0    0", "1    1", "…    …", "98  98", "99  99", "[100 rows × 1 columns]"]);
  });

  it("reads a danfojs-node DataFrame through columns/index/values", async () => {
    const dfd = (await import("danfojs-node")).default;
    const df = new dfd.DataFrame([{ a: 1, b: "<x>" }, { a: 2, b: "y" }]);
    expect(frameToHtml(df)).toContain("<td>&lt;x&gt;</td>");
    expect(toRows(df)).toEqual([{ a: 1, b: "<x>" }, { a: 2, b: "y" }]);
  });
});

describe("figure outputs", () => {
  const fig: Figure = { data: [{ type: "bar", x: ["a"], y: [1], name: evil }], layout: { title: { text: "T" } } };

  it("scriptJson cannot close the script element or open a comment", () => {
    const s = scriptJson({ t: "</script><!--" });
    expect(s).not.toMatch(/<|>/);
    expect(JSON.parse(s)).toEqual({ t: "</script><!--" });
  });

  it("figureHtml embeds the figure safely and the static PNG as a data URI", () => {
    const html = figureHtml(fig, { id: "swapcost-x", staticPng: "iVBORw0KGgo=", alt: evil });
    expect(html.match(/<\/script>/g)?.length).toBe(1);
    expect(html).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="&lt;/script&gt;');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("figureBundle has plotly JSON, html and plain text, and an id that depends only on notebook and name", () => {
    const a = figureBundle(fig, "overhead", { notebook: "01-static-vs-dynamic" });
    const b = figureBundle(fig, "overhead", { notebook: "01-static-vs-dynamic" });
    expect(Object.keys(a.data)).toEqual(["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
    expect(a).toEqual(b);
    expect(a.data["text/html"]).toContain('id="swapcost-01-static-vs-dynamic-overhead"');
    expect(a.metadata).toEqual({ swapcost: { figure: "overhead" } });
    expect(figurePlainText(fig, "overhead")).toBe(`[figure overhead] T\ntraces: ${evil}`);
  });

  it("the plotly loader never uses a CDN: /files/ of the project, or the bundle inlined", () => {
    const server = plotlyLoaderHtml("server");
    expect(server).toContain('"files/node_modules/plotly.js-dist-min/plotly.min.js"');
    expect(server).not.toMatch(/https?:\/\//);
    const inline = plotlyLoaderHtml("inline", "var Plotly = {}; // </script> inside");
    expect(inline).toContain("<\\/script> inside");
    expect(() => plotlyLoaderHtml("inline")).toThrow(/bundle/);
  });

  it("escapeHtml, preHtml and slug", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(preHtml("a < b\n")).toBe('<pre style="font-family:monospace;white-space:pre;line-height:1.25">a &lt; b\n</pre>');
    expect(slug("01 Static vs Dynamic!")).toBe("01-static-vs-dynamic");
  });
});
