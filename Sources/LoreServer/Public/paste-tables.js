// A table pasted from a spreadsheet, a wiki or a web page into a Markdown field
// becomes a Markdown table, as GitHub's comment box does (github/paste-markdown,
// MIT): the clipboard's HTML is read for its cells' text only, never inserted as
// markup. Without this script (or with Ctrl+Shift+V, which pastes plain text) the
// browser's own paste is kept: cells separated by tabs.
"use strict";

(function () {
  function cellText(cell) {
    // Line breaks inside a cell would end the row; pipes would end the cell.
    const text = (cell.textContent || "").replace(/\s+/g, " ").trim();
    return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|");
  }

  function row(cells) {
    return "| " + cells.join(" | ") + " |";
  }

  function tableMarkdown(table) {
    const rows = Array.from(table.rows).map(function (tr) {
      return Array.from(tr.cells).map(cellText);
    }).filter(function (cells) {
      return cells.some(function (text) { return text !== ""; });
    });
    if (rows.length === 0) return "";
    const width = Math.max.apply(null, rows.map(function (cells) { return cells.length; }));
    const padded = rows.map(function (cells) {
      while (cells.length < width) cells.push("");
      return cells;
    });
    const header = padded[0];
    const lines = [row(header), row(header.map(function () { return "---"; }))];
    padded.slice(1).forEach(function (cells) { lines.push(row(cells)); });
    return lines.join("\n");
  }

  // The clipboard's HTML as Markdown: each table as a table, the text around
  // it as text. Undefined when there is no table (the browser pastes as usual).
  function markdownOf(html) {
    if (!/<table/i.test(html)) return undefined;
    // Styles go before parsing: only text is read, and the page's
    // Content-Security-Policy reports every inline style the parser meets.
    const unstyled = html.replace(/<style[\s\S]*?<\/style\s*>/gi, "")
      .replace(/\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, "");
    const doc = new DOMParser().parseFromString(unstyled, "text/html");
    const tables = Array.from(doc.querySelectorAll("table")).filter(function (table) {
      return !table.parentElement || !table.parentElement.closest("table");
    });
    if (tables.length === 0) return undefined;
    doc.querySelectorAll("script, template, meta, title").forEach(function (node) { node.remove(); });
    const parts = [];
    let text = "";
    function flush() {
      const lines = text.split("\n").map(function (line) { return line.trim(); });
      const paragraph = lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
      if (paragraph) parts.push(paragraph);
      text = "";
    }
    function walk(node) {
      if (node.nodeType === Node.TEXT_NODE) {
        text += node.nodeValue.replace(/\s+/g, " ");
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) return;
      if (tables.indexOf(node) >= 0) {
        flush();
        const markdown = tableMarkdown(node);
        if (markdown) parts.push(markdown);
        return;
      }
      if (node.tagName === "BR") text += "\n";
      node.childNodes.forEach(walk);
      if (/^(P|DIV|LI|H[1-6]|TR)$/.test(node.tagName)) text += "\n";
    }
    walk(doc.body);
    flush();
    return parts.join("\n\n");
  }

  function insert(field, text) {
    const start = field.selectionStart;
    const end = field.selectionEnd;
    const before = field.value.slice(0, start);
    const after = field.value.slice(end);
    // A table needs a blank line before and after it to be read as one.
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const tail = after === "" || after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
    const inserted = lead + text + tail;
    field.focus();
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    let done = false;
    try { done = document.execCommand("insertText", false, inserted); } catch (e) { done = false; }
    if (!done || field.value.slice(0, start + inserted.length) !== before + inserted) {
      field.value = before + after;
      field.setRangeText(inserted, start, start, "end");
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  document.addEventListener("paste", function (event) {
    const field = event.target;
    if (!(field instanceof HTMLTextAreaElement) || !field.hasAttribute("data-markdown") || field.readOnly) return;
    const clipboard = event.clipboardData;
    if (!clipboard || Array.from(clipboard.types).indexOf("Files") >= 0) return;
    const markdown = markdownOf(clipboard.getData("text/html") || "");
    if (!markdown) return;
    event.preventDefault();
    insert(field, markdown);
  });
})();
