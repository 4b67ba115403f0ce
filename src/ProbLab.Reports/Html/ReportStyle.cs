// ReportStyle: the inline stylesheet of every report page: system fonts, a centred column of readable
// width, figures flowing side by side when small, numeric table columns with tabular digits, coloured notes.
namespace ProbLab.Reports;

internal static class ReportStyle
{
    public const string Css = """

:root { --fg: #1f2328; --muted: #5b6570; --border: #d9dee3; --accent: #2f6fb0; --soft: #f6f8fa; }
* { box-sizing: border-box; }
html { background: #eef1f4; }
body { margin: 0; color: var(--fg); font: 15px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 32px 40px 48px; background: #fff; min-height: 100vh; box-shadow: 0 0 0 1px #e3e7eb, 0 4px 24px rgba(0,0,0,0.04); }
h1 { font-size: 30px; line-height: 1.2; margin: 0 0 6px; letter-spacing: -0.015em; }
h2 { font-size: 22px; margin: 44px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--border); letter-spacing: -0.01em; }
h3 { font-size: 18px; margin: 30px 0 10px; }
h4, h5 { font-size: 16px; margin: 24px 0 8px; }
.secnum { color: var(--muted); font-weight: 500; margin-right: 4px; }
p { margin: 10px 0; max-width: 78ch; }
ul, ol { max-width: 78ch; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, dd { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; }
code { font-size: 0.88em; background: #f0f2f4; padding: 1px 5px; border-radius: 4px; }
.subtitle { color: var(--muted); font-size: 17px; margin: 0 0 14px; }
.meta-block { margin: 12px 0; }
dl.meta, dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; margin: 0; font-size: 13.5px; }
dl.meta dt, dl.kv dt { color: var(--muted); }
dl.meta dd, dl.kv dd { margin: 0; font-size: 12.5px; overflow-wrap: anywhere; }
.kv-block { background: var(--soft); border: 1px solid var(--border); border-radius: 8px; padding: 10px 18px; margin: 14px 0; width: fit-content; min-width: 280px; max-width: 100%; }
.kv-title { font-weight: 600; font-size: 13.5px; margin-bottom: 6px; }
details.config { margin: 8px 0 4px; font-size: 13.5px; }
details.config summary { cursor: pointer; color: var(--accent); }
details.config .kv-block { margin-top: 8px; }
nav.toc { background: var(--soft); border: 1px solid var(--border); border-radius: 8px; padding: 12px 22px 12px 18px; margin: 22px 0 8px; font-size: 14px; display: inline-block; min-width: 320px; }
.toc-title { font-weight: 600; text-transform: uppercase; font-size: 12px; letter-spacing: 0.06em; color: var(--muted); margin-bottom: 4px; }
nav.toc ol { list-style: none; margin: 0; padding-left: 0; }
nav.toc ol ol { padding-left: 22px; }
nav.toc li { margin: 2px 0; }
nav.toc .num { color: var(--muted); display: inline-block; min-width: 2.2em; }
.figrow { display: flex; flex-wrap: wrap; gap: 20px 24px; align-items: flex-start; margin: 18px 0; }
figure { margin: 0; display: table; max-width: 100%; }
figure > svg, figure > img { display: block; max-width: 100%; height: auto; border: 1px solid #e6e9ec; border-radius: 6px; background: #fff; }
figcaption { display: table-caption; caption-side: bottom; font-size: 13px; color: var(--muted); margin-top: 7px; line-height: 1.45; }
.label { font-weight: 600; color: var(--fg); }
img.pixelated { image-rendering: pixelated; image-rendering: crisp-edges; }
.table-wrap { overflow-x: auto; margin: 18px 0; }
table.data { border-collapse: collapse; font-size: 13.5px; font-variant-numeric: tabular-nums; }
table.data caption { caption-side: top; text-align: left; font-size: 13px; color: var(--muted); padding-bottom: 6px; }
table.data th { text-align: left; font-weight: 600; padding: 7px 14px; border-bottom: 2px solid #c8d0d8; background: var(--soft); white-space: nowrap; }
table.data td { padding: 5px 14px; border-bottom: 1px solid #edf0f2; }
table.data tbody tr:nth-child(even) td { background: #fbfcfd; }
table.data tbody tr:hover td { background: #f1f6fb; }
table.data .num { text-align: right; }
table.data .center { text-align: center; }
.note { border-left: 4px solid; border-radius: 6px; padding: 9px 16px; margin: 14px 0; max-width: 900px; font-size: 14.5px; }
.note p { margin: 4px 0; }
.note-label { font-weight: 700; font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.06em; display: block; margin-bottom: 2px; }
.note.info { border-color: #3b82c4; background: #eef5fc; } .note.info .note-label { color: #2a6aa6; }
.note.warning { border-color: #e0a526; background: #fff8e6; } .note.warning .note-label { color: #a06c00; }
.note.error { border-color: #d64545; background: #fdeeee; } .note.error .note-label { color: #b02a2a; }
.pre { margin: 16px 0; }
.pre-caption { font-size: 13px; color: var(--muted); margin-bottom: 4px; }
pre { background: var(--soft); border: 1px solid var(--border); border-radius: 6px; padding: 12px 14px; overflow-x: auto; font-size: 12.5px; line-height: 1.5; margin: 0; white-space: pre-wrap; }
footer { margin-top: 56px; padding-top: 10px; border-top: 1px solid var(--border); color: var(--muted); font-size: 12px; }
@media print { html { background: #fff; } main { box-shadow: none; max-width: none; } }

""";
}
