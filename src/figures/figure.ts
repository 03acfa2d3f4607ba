/**
 * The figure type every builder in src/figures returns: a plain plotly.js `{data, layout}` spec
 * (JSON-serialisable, never rendered here). Rendering happens in the notebook front end
 * (src/notebook) or in Chromium (src/render).
 *
 * Only types are imported from plotly: plotly.js cannot be loaded in Node ("self is not defined").
 */
import type { Config, Data, Layout } from "plotly.js-dist-min";

export type { Config, Data, Layout };

export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
  config?: Partial<Config>;
}

/** Default export size in CSS pixels (SVG/PDF page size; PNG is this times the scale). */
export const DEFAULT_FIGURE_SIZE = { width: 900, height: 540 } as const;
