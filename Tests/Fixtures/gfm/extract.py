import json, re, sys
# Extracts every example of the GFM spec marked with an extension (and the two task-list
# examples the spec marks "disabled" because cmark-gfm's test runner lacks the extension).
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
out = []; section = None; i = 0; n = 0
fence = '`' * 32
while i < len(lines):
    l = lines[i]
    m = re.match(r'^#{1,6} (.*)', l)
    if m: section = m.group(1).strip()
    if l.startswith(fence + ' example'):
        tag = l[len(fence) + len(' example'):].strip()
        start = i + 1; md = []; html = []; cur = md; i += 1
        while lines[i] != fence:
            if lines[i] == '.' and cur is md: cur = html
            else: cur.append(lines[i])
            i += 1
        n += 1
        if tag:
            out.append({'markdown': '\n'.join(md).replace('→', '\t') + '\n', 'html': '\n'.join(html).replace('→', '\t') + '\n' if html else '',
                        'example': n, 'start_line': start, 'end_line': i + 1, 'section': section, 'extension': 'tasklist' if tag == 'disabled' else tag})
    i += 1
json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
