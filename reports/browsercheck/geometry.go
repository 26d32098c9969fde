package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// viewWidth is the window width the layout must fit: a laptop screen.
const viewWidth = 1400

// geometryScript measures the laid-out page from inside it: every pair
// of text elements in one figure whose boxes overlap (legend entries
// that collide because the browser chose a wider font than the figure
// was measured with, tick labels on top of each other), and every
// table column whose header cell ends beyond the window, or beyond a
// scrolling box around the table (a reader would have to scroll
// sideways to find it), or is hidden.
// It writes its findings as JSON into an element that --dump-dom
// prints.
const geometryScript = `<script>
(function () {
  var out = {overlaps: [], offscreen: [], texts: 0, columns: 0};
  var W = document.documentElement.clientWidth;
  document.querySelectorAll('figure').forEach(function (fig) {
    var ts = Array.prototype.filter.call(fig.querySelectorAll('svg text'), function (t) { return t.textContent.trim() !== ''; });
    var rs = ts.map(function (t) { return t.getBoundingClientRect(); });
    out.texts += ts.length;
    for (var i = 0; i < ts.length; i++) {
      for (var j = i + 1; j < ts.length; j++) {
        var a = rs[i], b = rs[j];
        var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 0.3 * Math.min(a.height, b.height)) {
          out.overlaps.push((fig.id || 'figure') + ': "' + ts[i].textContent.trim() + '" and "' + ts[j].textContent.trim() + '" overlap by ' + w.toFixed(1) + ' px');
        }
      }
    }
  });
  document.querySelectorAll('table').forEach(function (t) {
    if (!t.rows.length) { return; }
    // A column is seen up to the window's edge and the edge of any
    // ancestor that clips or scrolls it.
    var edge = W, where = 'the window';
    for (var a = t.parentElement; a; a = a.parentElement) {
      var ox = getComputedStyle(a).overflowX;
      if (ox !== 'visible') {
        var ar = a.getBoundingClientRect();
        if (ar.right < edge) { edge = ar.right; where = 'its scrolling box'; }
      }
    }
    Array.prototype.forEach.call(t.rows[0].cells, function (c) {
      var r = c.getBoundingClientRect();
      out.columns++;
      if (r.right > edge + 0.5 || r.width === 0) {
        out.offscreen.push((t.id || (t.closest('[id]') || {}).id || 'a table') + ': column "' + c.textContent.trim() + '" ends at ' + Math.round(r.right) + ' px, past ' + where + ' at ' + Math.round(edge) + ' px');
      }
    });
  });
  var pre = document.createElement('pre');
  pre.id = 'koiisim-geometry';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>`

type geometry struct {
	Overlaps  []string `json:"overlaps"`
	Offscreen []string `json:"offscreen"`
	Texts     int      `json:"texts"`
	Columns   int      `json:"columns"`
}

var geometryOut = regexp.MustCompile(`(?s)<pre id="koiisim-geometry">(.*?)</pre>`)

// measure lays page out in a window viewWidth wide and returns what
// geometryScript found. The script goes into a copy of the page in the
// check's own directory, with a <base> pointing back at the page's, so
// the report itself stays script-free.
func (b *browser) measure(page string) (*geometry, error) {
	src, err := os.ReadFile(page)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(filepath.Dir(page))
	if err != nil {
		return nil, err
	}
	base := []byte(`<base href="file://` + html.EscapeString(abs) + `/">`)
	if i := bytes.Index(src, []byte("<head>")); i >= 0 {
		src = append(src[:i+len("<head>"):i+len("<head>")], append(base, src[i+len("<head>"):]...)...)
	}
	i := bytes.LastIndex(src, []byte("</body>"))
	if i < 0 {
		return nil, fmt.Errorf("%s: no </body>", page)
	}
	src = append(src[:i:i], append([]byte(geometryScript), src[i:]...)...)
	b.n++
	cp := filepath.Join(b.dir, fmt.Sprintf("geometry-%d.html", b.n))
	if err := os.WriteFile(cp, src, 0o644); err != nil {
		return nil, err
	}
	defer os.Remove(cp)
	url, err := fileURL(cp)
	if err != nil {
		return nil, err
	}
	dom, err := b.run(url, fmt.Sprintf("--window-size=%d,1000", viewWidth), "--dump-dom")
	if err != nil {
		return nil, err
	}
	m := geometryOut.FindSubmatch(dom)
	if m == nil {
		return nil, fmt.Errorf("the measuring script left no result in the DOM")
	}
	var g geometry
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &g); err != nil {
		return nil, fmt.Errorf("the measuring script's result: %w", err)
	}
	return &g, nil
}

// geometryProblems turns a page's measurements into problems.
func (b *browser) geometryProblems(page string) []string {
	g, err := b.measure(page)
	if err != nil {
		return []string{"layout: " + err.Error()}
	}
	var out []string
	for _, o := range g.Overlaps {
		out = append(out, "overlapping text in "+o)
	}
	for _, o := range g.Offscreen {
		out = append(out, "off-screen at 1,400 px: "+o)
	}
	fmt.Printf("     layout at %d px: %d texts, %d columns measured\n", viewWidth, g.Texts, g.Columns)
	return out
}

// geometryCanary checks that a figure with colliding legend text and a
// table wider than the window are both caught, so a change in Chromium
// cannot make the layout check pass silently.
func (b *browser) geometryCanary() error {
	page := filepath.Join(b.dir, "geometry-canary.html")
	doc := `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<figure id="fig-canary"><svg width="400" height="60" xmlns="http://www.w3.org/2000/svg">
<text x="10" y="30" style="font-family:serif;font-size:14px">first legend entry</text>
<text x="40" y="30" style="font-family:serif;font-size:14px">second legend entry</text></svg></figure>
<table><tr><th style="min-width:1000px">wide</th><th style="min-width:800px">beyond the window</th></tr></table>
<div style="overflow-x:auto;width:600px"><table><tr><th style="min-width:500px">wide</th><th style="min-width:300px">scrolled away</th></tr></table></div>
</body></html>`
	if err := os.WriteFile(page, []byte(doc), 0o644); err != nil {
		return err
	}
	g, err := b.measure(page)
	if err != nil {
		return err
	}
	if len(g.Overlaps) == 0 || len(g.Offscreen) == 0 || !strings.Contains(strings.Join(g.Offscreen, " "), "beyond the window") || !strings.Contains(strings.Join(g.Offscreen, " "), "scrolled away") {
		return fmt.Errorf("a page with colliding legend text and a column beyond %d px was not caught (%+v): the layout check cannot be trusted", viewWidth, g)
	}
	return nil
}
