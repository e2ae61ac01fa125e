"""Flesch-Kincaid grade of every reviewed letter snapshot, measured with Python's textstat.

Run: python3 -m venv /tmp/ts && /tmp/ts/bin/pip install "textstat==0.7.3" &&
     /tmp/ts/bin/python benches/readability.py
textstat 0.7.3 counts syllables with pyphen (hyphenation patterns) and needs no download; newer
releases fetch NLTK's CMU dictionary at run time. List lines count as sentence ends (a full stop is
added to a list item that has none); colons do not. Not run by CI: the same standard measure runs
in `cargo test` (tests/cli/readability.rs) with the `hyphenation` crate.
"""
import sys, glob, re, textstat
rows=[]
for f in sorted(glob.glob('' + __import__('os').path.dirname(__import__('os').path.abspath(__file__)) + '/../tests/cli/snapshots/cli__snapshots__*.snap')):
    t=open(f).read().split('---',2)[-1]
    name=f.split('cli__snapshots__')[1][:-5]
    if 'Dear ' in t:
        s=t.index('Dear '); e=t.index('incerely,')
        body='\n'.join(t[s:e].splitlines()[1:])
    else:
        body='\n'.join(t.strip().splitlines()[1:])
    # list lines count as sentence ends: add a period to list items lacking one
    lines=[]
    for l in body.splitlines():
        ls=l.strip()
        if re.match(r'^(- |\d+\. )', ls) and not ls.endswith(('.','!','?')): l=l+'.'
        lines.append(l)
    body='\n'.join(lines)
    rows.append((name, textstat.flesch_kincaid_grade(body)))
for n,g in rows: print(f"{n:45} {g:5.1f}")
print("max", max(g for _,g in rows))
