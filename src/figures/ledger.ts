/**
 * Figures of the claims ledger: verdicts per section, and how far the model lands from each claim
 * it does not reproduce. Values come from running the models (src/ledger).
 */
import type { LedgerEntry, LedgerStatus } from "../ledger/ledger.js";
import { barChart, commonLayout } from "./charts.js";
import type { Data, Figure, Layout } from "./figure.js";

export const STATUS_ORDER: readonly LedgerStatus[] = ["reproduced", "within", "differs", "not-modelled"];
export const STATUS_COLORS: Readonly<Record<LedgerStatus, string>> = { reproduced: "#009E73", within: "#E69F00", differs: "#D55E00", "not-modelled": "#7F7F7F" };

/** Count of claims per section and verdict, as flat rows (section in file order). */
export function verdictRows(entries: readonly LedgerEntry[], titles: ReadonlyMap<string, string>): Array<{ section: string; verdict: LedgerStatus; claims: number }> {
  const sections = [...new Set(entries.map((e) => e.section))];
  return sections.flatMap((s) =>
    STATUS_ORDER.map((v) => ({ section: `${s}. ${titles.get(s) ?? ""}`.trim(), verdict: v, claims: entries.filter((e) => e.section === s && e.status === v).length })),
  );
}

export function verdictFigure(rows: ReturnType<typeof verdictRows>): Figure {
  return barChart({
    rows,
    title: "Claims of the thread by section and verdict",
    x: "section",
    y: "claims",
    series: "verdict",
    stacked: true,
    horizontal: true,
    colors: STATUS_COLORS,
    xAxis: { title: "" },
    yAxis: { title: "claims" },
    hoverFormat: "d",
  });
}

/** Every claim with a numeric delta that the model does not reproduce: (model - claimed) / |claimed|. */
export function deltaFigure(entries: readonly LedgerEntry[]): Figure {
  const rows = entries.filter((e) => e.status !== "reproduced" && e.deltaPct !== null);
  const data: Data[] = STATUS_ORDER.filter((s) => rows.some((e) => e.status === s)).map((s) => {
    const rs = rows.filter((e) => e.status === s);
    return {
      type: "bar",
      orientation: "h",
      name: s,
      x: rs.map((e) => e.deltaPct as number),
      y: rs.map((e) => e.id),
      marker: { color: STATUS_COLORS[s] },
      customdata: rs.map((e) => [e.speaker, e.date, e.asWritten, e.reason]),
      hovertemplate: "%{y}: %{customdata[0]}, %{customdata[1]}<br>claimed %{customdata[2]}<br>model - claimed: %{x:+.2f}%<extra>%{fullData.name}</extra>",
    } as Data;
  });
  const layout: Partial<Layout> = {
    ...commonLayout("Claims the models do not reproduce: how far off, and which way"),
    xaxis: { automargin: true, title: { text: "(model - claimed) / |claimed|, %" }, ticksuffix: "%" },
    yaxis: { automargin: true, type: "category", categoryorder: "array", categoryarray: rows.map((e) => e.id).reverse() },
    barmode: "overlay",
  };
  return { data, layout };
}
