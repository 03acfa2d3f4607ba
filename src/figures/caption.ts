/**
 * Figure captions: every exported figure states its inputs and the kit version, so a PNG pasted
 * into a proposal or a mail can be traced back to the parameters that produced it. Pure.
 */
import { KIT_NAME, KIT_VERSION } from "../version.js";
import type { Figure } from "./figure.js";

export type CaptionValue = string | number | boolean | readonly (string | number)[];

/** Labelled inputs, in display order (insertion order of the object). */
export type CaptionInputs = Readonly<Record<string, CaptionValue>>;

/** The kit version printed in captions (src/version.ts; a core test keeps it equal to package.json's). */
export function kitVersion(): string {
  return KIT_VERSION;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}

/** `0, 5, …, 100` style: evenly spaced numeric lists of 5+ values are shortened to first–last step s. */
export function formatCaptionValue(v: CaptionValue): string {
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "string") return v;
  if (v.length >= 5 && v.every((x) => typeof x === "number")) {
    const xs = v as readonly number[];
    const step = xs[1] - xs[0];
    const even = step !== 0 && xs.every((x, i) => Math.abs(x - (xs[0] + i * step)) < 1e-9 * Math.max(1, Math.abs(x)));
    if (even) return `${formatNumber(xs[0])}–${formatNumber(xs[xs.length - 1])} step ${formatNumber(step)}`;
  }
  return v.map((x) => (typeof x === "number" ? formatNumber(x) : x)).join(", ");
}

/**
 * One caption line: `Inputs: label = value; … · swapcost 0.1.0`.
 * `version` defaults to kitVersion(); tests pass a fixed one.
 */
export function captionText(inputs: CaptionInputs, opts: { version?: string; note?: string } = {}): string {
  const parts = Object.entries(inputs).map(([k, v]) => `${k} = ${formatCaptionValue(v)}`);
  const version = opts.version ?? kitVersion();
  const note = opts.note ? ` ${opts.note.trim()}` : "";
  return `Inputs: ${parts.join("; ")}.${note} · ${KIT_NAME} ${version}`;
}

/** Greedy word wrap at `width` characters (plotly annotations need explicit <br> breaks). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function escapePlotlyText(s: string): string {
  // plotly text is a small HTML subset: escape what it would interpret.
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const CAPTION_LINE_PX = 15;

/**
 * Returns a copy of `fig` with `caption` under its title (plotly's title.subtitle, small and grey),
 * the top margin grown to fit, and the plain caption in `layout.meta.caption`. The caption is part
 * of every export (SVG, PNG, PDF, HTML). It sits at the top because the bottom margin belongs to
 * plotly's automargin (long or rotated tick labels would run into a caption placed there).
 */
export function withCaption(fig: Figure, caption: string, opts: { wrapAt?: number } = {}): Figure {
  const lines = wrapWords(caption, opts.wrapAt ?? 130);
  const margin = fig.layout.margin ?? {};
  const top = (margin.t ?? 60) + lines.length * CAPTION_LINE_PX + 10;
  const t = fig.layout.title;
  const title = typeof t === "object" && t !== null ? t : { text: typeof t === "string" ? t : "" };
  const meta = (typeof fig.layout.meta === "object" && fig.layout.meta !== null && !Array.isArray(fig.layout.meta)
    ? fig.layout.meta
    : {}) as Record<string, unknown>;
  return {
    ...fig,
    layout: {
      ...fig.layout,
      title: {
        ...title,
        x: 0.5,
        xanchor: "center",
        y: 0.985,
        yanchor: "top",
        yref: "container",
        subtitle: { text: lines.map(escapePlotlyText).join("<br>"), font: { size: 11, color: "#555" } },
      },
      margin: { ...margin, t: top },
      meta: { ...meta, caption },
    },
  };
}

/** The caption stored by withCaption, if any. */
export function figureCaption(fig: Figure): string | undefined {
  const meta = fig.layout.meta as Record<string, unknown> | undefined;
  return meta && typeof meta === "object" && typeof meta.caption === "string" ? meta.caption : undefined;
}
