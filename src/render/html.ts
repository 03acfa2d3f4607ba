/**
 * Standalone interactive HTML for one figure, with plotly.js inlined (works offline, from a mail
 * attachment or a proposal's supplementary files; never a CDN). Pure given the bundle source.
 */
import type { Figure } from "../figures/figure.js";
import { figureCaption } from "../figures/caption.js";
import { escapeHtml, scriptJson } from "../figures/escape.js";

export interface StandaloneOptions {
  /** <title> of the page. */
  title: string;
  /** Plot size in CSS pixels (the plot is responsive in width up to this). */
  width: number;
  height: number;
  /** plotly.min.js source to inline. */
  plotlySource: string;
  /** Generator string, e.g. "swapcost 0.1.0". */
  generator?: string;
}

export function standaloneHtml(fig: Figure, o: StandaloneOptions): string {
  const spec = { data: fig.data, layout: fig.layout, config: { responsive: true, displaylogo: false, ...fig.config } };
  const caption = figureCaption(fig);
  return [
    `<!DOCTYPE html>`,
    `<html lang="en">`,
    `<head>`,
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    ...(o.generator ? [`<meta name="generator" content="${escapeHtml(o.generator)}">`] : []),
    `<title>${escapeHtml(o.title)}</title>`,
    `<style>body{margin:16px;font-family:"Liberation Sans",Arial,sans-serif}#figure{width:100%;max-width:${o.width}px;height:${o.height}px}</style>`,
    `<script type="text/javascript">${o.plotlySource.replace(/<\/script/gi, "<\\/script")}</script>`,
    `</head>`,
    `<body>`,
    `<div id="figure"${caption ? ` aria-describedby="caption"` : ""}></div>`,
    ...(caption ? [`<p id="caption" hidden>${escapeHtml(caption)}</p>`] : []),
    `<script type="text/javascript">`,
    `var fig = ${scriptJson(spec)};`,
    `Plotly.newPlot("figure", fig.data, fig.layout, fig.config);`,
    `</script>`,
    `</body>`,
    `</html>`,
    ``,
  ].join("\n");
}
