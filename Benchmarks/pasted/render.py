#!/usr/bin/env python3
# Render each postmortem's Markdown as a web page would show it and take the
# page's text as a person copying it would get it (innerText), front matter
# shown as a title line and a date line. Usage (pip install markdown-it-py
# playwright; Debian's chromium):
#   python3 Benchmarks/pasted/render.py Tests/Fixtures/postmortems /tmp/pasted
#   LORE_POSTMORTEMS=/tmp/pasted swift test --filter publishedPostmortemsImportAsCountedByHand
import json, re, sys, os
from markdown_it import MarkdownIt
from playwright.sync_api import sync_playwright
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
md = MarkdownIt('commonmark').enable('table').enable('strikethrough')
manifest = json.load(open(os.path.join(src, 'manifest.json')))
pages = []
for m in manifest:
    text = open(os.path.join(src, m['file']), encoding='utf-8', errors='replace').read()
    head = ''
    fm = re.match(r'^(---|\+\+\+)\n(.*?)\n(---|\+\+\+|\.\.\.)\n', text, re.S)
    if fm:
        body = text[fm.end():]
        title = re.search(r'^title\s*[:=]\s*["\']?(.*?)["\']?\s*$', fm.group(2), re.M | re.I)
        date = re.search(r'^(?:date|pubdate|publishdate|published|publishedat|published_at)\s*[:=]\s*["\']?(.*?)["\']?\s*$', fm.group(2), re.M | re.I)
        if title: head += '<h1>%s</h1>' % title.group(1)
        if date:
            d = re.match(r'(\d{4})-(\d{2})-(\d{2})', date.group(1))
            months = ['January','February','March','April','May','June','July','August','September','October','November','December']
            shown = '%s %d, %s' % (months[int(d.group(2))-1], int(d.group(3)), d.group(1)) if d else date.group(1)
            head += '<p><time>%s</time></p>' % shown
        text = body
    pages.append((m, '<html><body><article>' + head + md.render(text) + '</article></body></html>'))
with sync_playwright() as p:
    b = p.chromium.launch(executable_path='/usr/bin/chromium', args=['--no-sandbox'])
    page = b.new_page()
    kept = []
    for m, html in pages:
        page.set_content(html)
        t = page.inner_text('article')
        name = os.path.splitext(m['file'])[0] + '.txt'
        open(os.path.join(out, name), 'w').write(t)
        m = dict(m); m['file'] = name; kept.append(m)
    b.close()
json.dump(kept, open(os.path.join(out, 'manifest.json'), 'w'), indent=1, ensure_ascii=False)
print(len(kept))
