import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Footnotes, MAIL_WIDTH, configBlock, finish, footnoteLines, mailGrid, mailSource, mailTable, mailUrl, type MailTableSpec } from "../../src/report/mail.js";
import { fixed } from "../../src/report/format.js";
import { mail, k } from "../../src/kernel/sources.js";

/** The mail contract: printable ASCII, no tabs, no trailing blanks, at most 72 columns, ends with one newline. */
function expectMailSafe(text: string): void {
  expect(text.endsWith("\n")).toBe(true);
  for (const line of text.slice(0, -1).split("\n")) {
    expect(line.length, line).toBeLessThanOrEqual(MAIL_WIDTH);
    expect(/^[\x20-\x7e]*$/.test(line), JSON.stringify(line)).toBe(true);
    expect(line).toBe(line.trimEnd());
  }
}

const BASE: MailTableSpec = {
  title: "Total swap metadata, 32 GiB swapfile",
  config: [
    ["kernel", "6.19 (swap table phase I+II)"],
    ["device", "SSD, 32 GiB = 8,388,608 slots of 4096 B"],
  ],
  rowLabels: ["static (MiB)", "50% used (MiB)"],
  columns: [
    { name: "linux-6.19", values: [25.56, 351.42] },
    { name: "vswap-v3", values: [0, 384.44] },
  ],
  decimals: 2,
  better: "lower",
  unit: "MiB",
  deltas: true,
};

describe("mailTable(): mmtests compare semantics", () => {
  it("prints the baseline first and `value (+d.dd%)` where + means better (lower is better: a smaller value is positive)", () => {
    const t = mailTable(BASE);
    expect(t).toContain("MiB, lower is better; (+x.xx%) = better than linux-6.19");
    expect(t).toMatch(/static \(MiB\)\s+25\.56\s+0\.00 \(\+100\.00%\)/);
    expect(t).toMatch(/50% used \(MiB\)\s+351\.42\s+384\.44 \(  -9\.40%\)/); // padded inside the parentheses, as mmtests does
  });

  it("with higher is better, a larger value is positive", () => {
    const t = mailTable({ ...BASE, better: "higher", unit: "KB/s", rowLabels: ["tput (KB/s)"], columns: [{ name: "base", values: [100] }, { name: "new", values: [110] }] });
    expect(t).toContain("KB/s, higher is better");
    expect(t).toMatch(/tput \(KB\/s\)\s+100\.00\s+110\.00 \(\+10\.00%\)/);
  });

  it("a zero baseline gives (n/a), a missing value gives -", () => {
    const t = mailTable({ ...BASE, rowLabels: ["x"], columns: [{ name: "base", values: [0] }, { name: "a", values: [5] }, { name: "b", values: [null] }] });
    expect(t).toMatch(/x\s+0\.00\s+5\.00 \(n\/a\)\s+-/);
  });

  it("rows with their own direction are marked [-]/[+] and the header explains the marks", () => {
    const t = mailTable({
      ...BASE,
      unit: "",
      rowLabels: [{ label: "real (s)", better: "lower" }, { label: "tput (KB/s)", better: "higher", decimals: 0 }, { label: "  stddev", deltas: false }],
      columns: [
        { name: "base", values: [10, 1000, 0.5] },
        { name: "new", values: [11, 1100, 0.7] },
      ],
    });
    expect(t).toContain("[-] lower is better, [+] higher is better; (+x.xx%) = better than base");
    expect(t).toMatch(/real \(s\) \[-\]\s+10\.00\s+11\.00 \(-10\.00%\)/);
    expect(t).toMatch(/tput \(KB\/s\) \[\+\]\s+1000\s+1100 \(\+10\.00%\)/);
    expect(t).toMatch(/ {2}stddev\s+0\.50\s+0\.70\n/);
  });

  it("columns that do not fit in 72 columns are stacked into blocks that repeat the labels and the baseline", () => {
    const columns = [{ name: "base", values: [1, 2] }, ...Array.from({ length: 7 }, (_, i) => ({ name: `design-${i}`, values: [1 + i, 2 + i] }))];
    const t = mailTable({ ...BASE, columns });
    expectMailSafe(t);
    const headers = t.split("\n").filter((l) => /^\s+base\s/.test(l));
    expect(headers.length).toBeGreaterThan(1);
    for (let i = 0; i < 7; i++) expect(t).toContain(`design-${i}`);
  });
});

describe("mailGrid(): layouts that always fit", () => {
  it("a label longer than the label column goes on its own line above its values", () => {
    const lines = mailGrid({ labels: ["short", "a label that is much longer than thirty-two columns of text"], columns: [{ header: "MiB", cells: ["1.00", "2.00"] }] });
    expect(lines).toEqual(["        MiB", "short  1.00", "a label that is much longer than thirty-two columns of text", "       2.00"]);
  });

  it("a column name longer than its column wraps over several header lines, bottom-aligned", () => {
    const lines = mailGrid({ labels: ["x"], columns: [{ header: "an extremely long design name that goes on", cells: ["1.00"] }] });
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(MAIL_WIDTH);
    expect(lines[lines.length - 1]).toMatch(/^x\s+1\.00$/);
    expect(lines.slice(0, -1).join(" ").replace(/\s+/g, " ").trim()).toBe("an extremely long design name that goes on");
  });

  it("when one column cannot sit beside the baseline, the table is printed one cell per line", () => {
    const wide = "9".repeat(40);
    const lines = mailGrid({ labels: ["row"], columns: [{ header: "base", cells: [wide] }, { header: "new", cells: [wide] }], pinned: 1 });
    expect(lines).toEqual(["row", `  base  ${wide}`, `  new  ${wide}`]);
  });
});

describe("configBlock(), footnotes and sources", () => {
  it("aligns values under each other and wraps long values with a hanging indent", () => {
    const lines = configBlock([
      ["a", "x"],
      ["longer key", "word ".repeat(30).trim()],
    ]);
    expect(lines[0]).toBe("a           x");
    expect(lines[1].startsWith("longer key  word")).toBe(true);
    expect(lines.slice(2).every((l) => l.startsWith("            word"))).toBe(true);
  });

  it("a key longer than 18 columns gets its own line", () => {
    expect(configBlock([["a key that is really quite long", "v"]])).toEqual(["a key that is really quite long", "  v"]);
  });

  it("lore URLs print as their Message-ID, other URLs unchanged", () => {
    expect(mailUrl("https://lore.kernel.org/all/20260208215839.87595-1-nphamcs@gmail.com/")).toBe("<20260208215839.87595-1-nphamcs@gmail.com>");
    expect(mailUrl("https://lore.kernel.org/linux-mm/20251202170222.GD430226@cmpxchg.org/")).toBe("<20251202170222.GD430226@cmpxchg.org>");
    expect(mailUrl("https://lkml.iu.edu/hypermail/linux/kernel/2602.1/02140.html")).toBe("https://lkml.iu.edu/hypermail/linux/kernel/2602.1/02140.html");
    expect(mailSource(mail("https://lore.kernel.org/all/x@y/", "Nhat Pham", "2026-02-08"))).toBe("Nhat Pham, 2026-02-08: <x@y>");
    expect(mailSource(k("6.19", "mm/swapfile.c", "3502", "vzalloc(maxpages)"))).toBe("6.19 mm/swapfile.c:3502 vzalloc(maxpages)");
  });

  it("Footnotes numbers texts in order of first use and reuses numbers", () => {
    const f = new Footnotes();
    expect(f.tag(["a", "b"])).toBe("[1,2]");
    expect(f.tag(["b", "c", "b"])).toBe("[2,3]");
    expect(f.tag([])).toBe("");
    expect(footnoteLines(f.notes)).toEqual(["[1] a", "[2] b", "[3] c"]);
  });

  it("finish() refuses a line over 72 columns and cleans tabs, trailing blanks and non-ASCII", () => {
    expect(() => finish(["x".repeat(73)])).toThrow(/over 72 columns/);
    expect(finish(["a\tb  ", "\u2013 \u00d7 \u2192"])).toBe("a?b\n- x ->\n");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random inputs

const anyText = (max: number) => fc.oneof(fc.string({ maxLength: max }), fc.string({ unit: "binary", maxLength: max }), fc.string({ unit: "grapheme-ascii", maxLength: max }));
/** Design names as users write them, long ones included (custom designs have free-form ids). */
const designName = fc.oneof(
  fc.constantFrom("linux-6.19", "vswap-ste-v2", "redirect:granularity=entry", "swap-table-p4-rfc"),
  fc.stringMatching(/^[a-z0-9][a-z0-9:=,.-]{0,120}$/),
  anyText(140),
);
const value = fc.oneof(
  fc.constant(null),
  fc.constant(0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer({ min: 0, max: 2 ** 53 }),
);

const specArb = fc
  .record({
    title: anyText(200),
    config: fc.array(fc.tuple(anyText(40), anyText(300)), { maxLength: 6 }),
    nRows: fc.integer({ min: 1, max: 6 }),
    nCols: fc.integer({ min: 1, max: 9 }),
    decimals: fc.integer({ min: 0, max: 6 }),
    better: fc.constantFrom("lower" as const, "higher" as const),
    unit: anyText(20),
    deltas: fc.boolean(),
    footnotes: fc.array(anyText(300), { maxLength: 4 }),
    arithmetic: fc.array(anyText(300), { maxLength: 3 }),
  })
  .chain((s) =>
    fc.record({
      base: fc.constant(s),
      rows: fc.array(
        fc.oneof(anyText(80), fc.record({ label: anyText(80), better: fc.constantFrom("lower" as const, "higher" as const), decimals: fc.integer({ min: 0, max: 6 }), deltas: fc.boolean() })),
        { minLength: s.nRows, maxLength: s.nRows },
      ),
      columns: fc.array(fc.record({ name: designName, values: fc.array(value, { minLength: s.nRows, maxLength: s.nRows }) }), { minLength: s.nCols, maxLength: s.nCols }),
    }),
  )
  .map(({ base, rows, columns }): MailTableSpec => ({ ...base, rowLabels: rows, columns }));

describe("every mail line is ASCII and at most 72 columns, whatever the input (fast-check, 1000 runs each)", () => {
  it("mailTable() over random titles, configs, labels, long design names, values and decimals", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const text = mailTable(spec);
        expectMailSafe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it("mailTable() never truncates a number: every value appears as printed with its row's decimals", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const text = mailTable(spec);
        spec.rowLabels.forEach((r, i) => {
          const d = Math.max(0, Math.min(6, typeof r === "string" ? spec.decimals : (r.decimals ?? spec.decimals)));
          for (const c of spec.columns) {
            const v = c.values[i];
            if (v !== null) expect(text).toContain(fixed(v, d));
          }
        });
      }),
      { numRuns: 1000 },
    );
  });

  it("mailGrid() over random labels, headers and cells up to 60 characters", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((n) =>
          fc.record({
            labels: fc.array(anyText(120), { minLength: n, maxLength: n }),
            columns: fc.array(fc.record({ header: designName, cells: fc.array(fc.string({ unit: "grapheme-ascii", maxLength: 60 }), { minLength: n, maxLength: n }), align: fc.constantFrom("l" as const, "r" as const) }), { maxLength: 8 }),
            pinned: fc.integer({ min: 0, max: 2 }),
          }),
        ),
        (g) => {
          expectMailSafe(finish(mailGrid(g)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("configBlock() and footnoteLines() over random keys, values and footnotes", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyText(100), anyText(400)), { maxLength: 8 }), fc.array(anyText(400), { maxLength: 12 }), (config, notes) => {
        expectMailSafe(finish([...configBlock(config), ...footnoteLines(notes)]));
      }),
      { numRuns: 1000 },
    );
  });
});
