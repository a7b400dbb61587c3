// Downloads made in the page: CSV text, a chart as SVG (styles inlined, so it looks the same outside the
// UI) or as PNG (that SVG drawn on a canvas). Everything is built as data; nothing is parsed as HTML.
import { h } from "./dom.js";

/** A CSV field: quoted when needed; text that a spreadsheet would run as a formula gets a leading '. */
export function csvField(value) {
  if (value === undefined || value === null) return "";
  let text = typeof value === "number" ? String(value) : String(value);
  if (typeof value !== "number" && /^[=+\-@\t\r]/.test(text) && !/^[-+]?\d/.test(text)) text = "'" + text;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows (arrays of values) as CSV text with CRLF line ends (RFC 4180). */
export function toCsv(rows) {
  return rows.map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** A file name from free text: letters, digits, . _ - kept, the rest as _. */
export function fileNameOf(text, ext) {
  const base = String(text || "chart").replace(/[^\w.-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 80);
  return `${base || "chart"}.${ext}`;
}

/** Saves `blob` as `name` through a temporary link (the browser's download). */
export function downloadBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const STYLE_PROPS = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-dasharray",
  "opacity",
  "font-size",
  "font-family",
  "font-style",
  "font-weight",
];

/**
 * A standalone copy of an SVG on the page: each element gets its computed presentation styles as
 * attributes (the stylesheet does not travel with the file).
 */
export function standaloneSvg(svg) {
  const copy = svg.cloneNode(true);
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  if (svg.isConnected) {
    const from = [svg, ...svg.querySelectorAll("*")];
    const to = [copy, ...copy.querySelectorAll("*")];
    from.forEach((el, i) => {
      const style = getComputedStyle(el);
      for (const prop of STYLE_PROPS) {
        const value = style.getPropertyValue(prop);
        if (value && !to[i].hasAttribute(prop)) to[i].setAttribute(prop, value);
      }
    });
  }
  const box = svg.viewBox?.baseVal;
  if (box?.width) {
    copy.setAttribute("width", String(box.width));
    copy.setAttribute("height", String(box.height));
  }
  return copy;
}

/** The SVG's markup (XMLSerializer escapes every text and attribute). */
export function svgText(svg) {
  return new XMLSerializer().serializeToString(svg);
}

/** Renders an SVG element to a PNG blob at 2× its size. */
export async function svgToPng(svg) {
  const text = svgText(svg);
  const width = Number(svg.getAttribute("width")) || 800;
  const height = Number(svg.getAttribute("height")) || 400;
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = h("canvas", { width: width * 2, height: height * 2 });
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error("Cannot encode the PNG"))),
        "image/png",
      )
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Export actions for a chart element (anything with toSvg() and csvRows()): PNG, SVG, CSV buttons.
 * `name()` gives the file name stem.
 */
export function exportButtons(getChart, name) {
  const svgOf = () => {
    const chart = getChart();
    const svg = chart?.toSvg?.();
    if (!svg) throw new Error("Nothing to export yet");
    return svg.isConnected ? standaloneSvg(svg) : svg;
  };
  const button = (label, testid, run) =>
    h("button", {
      class: "small",
      testid,
      title: `Download as ${label}`,
      onclick: () => Promise.resolve().then(run).catch((error) => alert(error.message)),
    }, label);
  return [
    button("PNG", "export-png", async () => downloadBlob(await svgToPng(svgOf()), fileNameOf(name(), "png"))),
    button(
      "SVG",
      "export-svg",
      () => downloadBlob(new Blob([svgText(svgOf())], { type: "image/svg+xml" }), fileNameOf(name(), "svg")),
    ),
    button("CSV", "export-csv", () =>
      downloadBlob(
        new Blob([toCsv(getChart()?.csvRows?.() ?? [])], { type: "text/csv" }),
        fileNameOf(name(), "csv"),
      )),
  ];
}
