// An output relation as a table: its row count, its columns as headers that
// sort the rows when clicked (numbers as numbers; again to reverse), and the
// first rows of the order chosen (a page cannot hold a million table rows);
// and a download of every row as the command line writes the relation.

import type { Table } from "./protocol.js";

/** The most rows drawn at once. */
export const SHOWN_ROWS = 1000;

const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

function compare(a: string, b: string): number {
  if (number.test(a) && number.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function showTable(parent: HTMLElement, t: Table): void {
  let rows = t.rows;
  let sortedBy = -1;
  let descending = false;
  const count = document.createElement("span");
  const download = document.createElement("a");
  download.textContent = `download ${t.name}.csv`;
  download.download = `${t.name}.csv`;
  download.href = URL.createObjectURL(
    new Blob(
      t.rows.map((r) => `${r.join("\t")}\n`),
      { type: "text/tab-separated-values" },
    ),
  );
  const bar = document.createElement("p");
  bar.className = "row-count";
  bar.append(count, " · ", download);
  const table = document.createElement("table");
  table.dataset.relation = t.name;
  const draw = () => {
    const n = rows.length.toLocaleString("en-US");
    count.textContent =
      rows.length > SHOWN_ROWS
        ? `${n} rows; the first ${SHOWN_ROWS.toLocaleString("en-US")} shown`
        : `${n} row${rows.length === 1 ? "" : "s"}`;
    const head = document.createElement("tr");
    t.columns.forEach((c, i) => {
      const th = document.createElement("th");
      th.textContent = `${c}${i === sortedBy ? (descending ? " ▼" : " ▲") : ""}`;
      th.title = "sort by this column";
      th.onclick = () => {
        descending = sortedBy === i ? !descending : false;
        sortedBy = i;
        const sorted = [...t.rows].sort((a, b) => compare(a[i]!, b[i]!) || compare(a.join("\t"), b.join("\t")));
        rows = descending ? sorted.reverse() : sorted;
        draw();
      };
      head.append(th);
    });
    const body = document.createElement("tbody");
    for (const r of rows.slice(0, SHOWN_ROWS)) {
      const tr = document.createElement("tr");
      for (const cell of r) {
        const td = document.createElement("td");
        td.textContent = cell;
        tr.append(td);
      }
      body.append(tr);
    }
    const thead = document.createElement("thead");
    thead.append(head);
    table.replaceChildren(thead, body);
  };
  draw();
  const old = parent.querySelector<HTMLAnchorElement>(".row-count a");
  if (old) URL.revokeObjectURL(old.href);
  parent.replaceChildren(bar, table);
}
