// Command browsercheck opens koiisim's HTML reports in headless
// Chromium and fails when a page would disappoint a reader: blank, a
// figure missing from the rendered DOM, or a fetch from the network.
//
// Usage:
//
//	go run ./reports/browsercheck [-chromium chromium] [-shots DIR] REPORT.html...
//
// For each report it checks, in order:
//
//   - the file itself: no script, no external stylesheet, frame or
//     image, and no src, href or url() that leaves the machine;
//   - a screenshot of the whole page (--screenshot): not nearly one
//     colour, and the figures' colours are drawn;
//   - the DOM Chromium built (--dump-dom): every figure of the page
//     (and, for a report.html, every figure in plots/ beside it) is
//     there as <figure id="fig-NAME"> with an inline <svg>, and so is a
//     table;
//   - the layout in a window 1,400 px wide, measured by a script in a
//     copy of the page (the report itself has none): no two text
//     elements of a figure overlap (legend entries set in a wider
//     fallback font, colliding tick labels), and every table column
//     starts and ends inside the window;
//   - Chromium's net log: no request that the page started (its network
//     isolation key is the file:// site) for an http(s) URL.
//
// Before the reports, a page with colliding legend text and a column
// past the window's edge must be caught too.
//
// Chromium runs with every background service it can be told to stop,
// and with a host resolver that resolves nothing, so its own update and
// sign-in pings never reach the network either; those pings are told
// apart from the page's by their isolation key. Before the reports, a
// canary page that does fetch an image must be caught, so a change in
// Chromium's log format cannot make the check pass silently.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

func main() {
	chromium := flag.String("chromium", "chromium", "the Chromium binary")
	shots := flag.String("shots", "", "directory for the screenshots (default: a temporary one)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: browsercheck [-chromium BIN] [-shots DIR] REPORT.html...")
		os.Exit(2)
	}
	dir := *shots
	if dir == "" {
		d, err := os.MkdirTemp("", "browsercheck-")
		if err != nil {
			fail(err)
		}
		dir = d
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(err)
	}
	b := &browser{bin: *chromium, dir: dir}
	if err := b.canary(); err != nil {
		fail(fmt.Errorf("canary: %w", err))
	}
	if err := b.geometryCanary(); err != nil {
		fail(fmt.Errorf("layout canary: %w", err))
	}
	bad := 0
	for _, page := range flag.Args() {
		problems := b.check(page)
		if len(problems) == 0 {
			fmt.Printf("ok   %s\n", page)
			continue
		}
		bad++
		fmt.Printf("FAIL %s\n", page)
		for _, p := range problems {
			fmt.Printf("     %s\n", p)
		}
	}
	fmt.Printf("screenshots in %s\n", dir)
	fmt.Printf("browsercheck: %d passed, %d failed\n", flag.NArg()-bad, bad)
	if bad > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "browsercheck: %v\n", err)
	os.Exit(1)
}

type browser struct {
	bin, dir string
	n        int
}

// flags keep Chromium headless, offline and quiet: no sandbox (CI runs
// as root), no GPU, no background services, and a resolver that maps
// every host to "not found" so nothing leaves the machine.
func (b *browser) flags(profile string) []string {
	return []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
		"--disable-default-apps", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
		"--disable-breakpad", "--no-pings", "--no-default-browser-check", "--hide-scrollbars",
		"--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
		"--host-resolver-rules=MAP * ~NOTFOUND",
		"--enable-logging=stderr", "--v=1",
	}
}

// run runs Chromium once on url with extra flags, in a fresh profile,
// with a time limit; it retries once when Chromium fails (a crash at
// start-up on a loaded machine), and returns its standard output.
func (b *browser) run(url string, extra ...string) ([]byte, error) {
	var lastErr error
	for attempt := 0; attempt < 2; attempt++ {
		profile, err := os.MkdirTemp("", "browsercheck-profile-")
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		cmd := exec.CommandContext(ctx, b.bin, append(append(b.flags(profile), extra...), url)...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err = cmd.Run()
		cancel()
		os.RemoveAll(profile)
		if err == nil {
			return out.Bytes(), nil
		}
		tail := errb.String()
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		lastErr = fmt.Errorf("%s: %v\n%s", b.bin, err, tail)
	}
	return nil, lastErr
}

func fileURL(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return "file://" + abs, nil
}

// pageFetches loads url and returns the http(s) URLs the page itself
// asked for, from Chromium's net log.
func (b *browser) pageFetches(url string) ([]string, error) {
	b.n++
	logPath := filepath.Join(b.dir, fmt.Sprintf("netlog-%d.json", b.n))
	if _, err := b.run(url, "--log-net-log="+logPath, "--dump-dom"); err != nil {
		return nil, err
	}
	defer os.Remove(logPath)
	raw, err := os.ReadFile(logPath)
	if err != nil {
		return nil, err
	}
	var log struct {
		Constants struct {
			LogEventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int            `json:"type"`
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(fixTruncatedLog(raw), &log); err != nil {
		return nil, fmt.Errorf("net log: %w", err)
	}
	start, ok := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok {
		return nil, errors.New("net log: no URL_REQUEST_START_JOB event type")
	}
	seen := map[string]bool{}
	var out []string
	for _, e := range log.Events {
		if e.Type != start {
			continue
		}
		u, _ := e.Params["url"].(string)
		nik, _ := e.Params["network_isolation_key"].(string)
		if (strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")) && strings.HasPrefix(nik, "file://") && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	sort.Strings(out)
	return out, nil
}

// fixTruncatedLog closes a net log that Chromium left without its final
// brackets (it may when it exits at once after --dump-dom); a complete
// log is returned as it is.
func fixTruncatedLog(b []byte) []byte {
	if json.Valid(b) {
		return b
	}
	t := bytes.TrimRight(b, " \n\r\t,")
	return append(t, []byte("]}")...)
}

// canary checks that a page fetching an image is caught.
func (b *browser) canary() error {
	page := filepath.Join(b.dir, "canary.html")
	html := `<!DOCTYPE html><html><body><p>canary</p><img src="http://koiisim-canary.invalid/x.png" alt=""/></body></html>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		return err
	}
	url, err := fileURL(page)
	if err != nil {
		return err
	}
	got, err := b.pageFetches(url)
	if err != nil {
		return err
	}
	for _, u := range got {
		if strings.Contains(u, "koiisim-canary.invalid") {
			return nil
		}
	}
	return fmt.Errorf("a page that fetches http://koiisim-canary.invalid/x.png was not caught in the net log (saw %v): the network check cannot be trusted", got)
}

var (
	externalRef = regexp.MustCompile(`(?i)(?:\bsrc|\bhref|xlink:href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//`)
	cssURL      = regexp.MustCompile(`(?i)url\(\s*["']?\s*(?:https?:)?//|@import`)
	figureID    = regexp.MustCompile(`<figure id="fig-([a-z0-9-]+)"`)
)

// check runs every check on one report and returns the problems found.
func (b *browser) check(page string) []string {
	var problems []string
	src, err := os.ReadFile(page)
	if err != nil {
		return []string{err.Error()}
	}
	// The file itself.
	for _, tag := range []string{"<script", "<link", "<iframe", "<img", "<object", "<embed"} {
		if bytes.Contains(bytes.ToLower(src), []byte(tag)) {
			problems = append(problems, "the page has a "+tag+"> element")
		}
	}
	if m := externalRef.Find(src); m != nil {
		problems = append(problems, fmt.Sprintf("the page refers to the network: %s", m))
	}
	if m := cssURL.Find(src); m != nil {
		problems = append(problems, fmt.Sprintf("the styles load from the network: %s", m))
	}
	// The figures to look for: every one the page holds, and for a
	// run report every figure drawn into plots/ beside it.
	var want []string
	for _, m := range figureID.FindAllSubmatch(src, -1) {
		want = append(want, string(m[1]))
	}
	if len(want) == 0 {
		problems = append(problems, "the page holds no figure")
	}
	if filepath.Base(page) == "report.html" {
		files, _ := filepath.Glob(filepath.Join(filepath.Dir(page), "plots", "*.svg"))
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".svg")
			if !strings.HasPrefix(name, "compare-") && !bytes.Contains(src, []byte(`<figure id="fig-`+name+`"`)) {
				problems = append(problems, "plots/"+name+".svg is not in the page")
			}
		}
	}
	url, err := fileURL(page)
	if err != nil {
		return append(problems, err.Error())
	}
	// The rendered DOM.
	dom, err := b.run(url, "--dump-dom")
	if err != nil {
		return append(problems, "dump-dom: "+err.Error())
	}
	for _, name := range want {
		i := bytes.Index(dom, []byte(`<figure id="fig-`+name+`"`))
		if i < 0 {
			problems = append(problems, "figure "+name+" is not in the DOM")
			continue
		}
		end := bytes.Index(dom[i:], []byte("</figure>"))
		if end < 0 || !bytes.Contains(dom[i:i+end], []byte("<svg")) {
			problems = append(problems, "figure "+name+" has no inline <svg> in the DOM")
		}
	}
	if n := len(figureID.FindAll(dom, -1)); n < len(want) {
		problems = append(problems, fmt.Sprintf("%d figures in the DOM, %d in the page", n, len(want)))
	}
	if !bytes.Contains(dom, []byte("<table")) {
		problems = append(problems, "no table in the DOM")
	}
	// The screenshot: a tall window holds the whole page.
	b.n++
	shot := filepath.Join(b.dir, strings.TrimSuffix(filepath.Base(filepath.Dir(page)), "/")+fmt.Sprintf("-%d.png", b.n))
	if _, err := b.run(url, "--window-size=1280,16000", "--screenshot="+shot); err != nil {
		return append(problems, "screenshot: "+err.Error())
	}
	problems = append(problems, checkShot(shot)...)
	// The layout at a laptop's width.
	problems = append(problems, b.geometryProblems(page)...)
	// The network.
	fetches, err := b.pageFetches(url)
	if err != nil {
		return append(problems, "net log: "+err.Error())
	}
	for _, u := range fetches {
		problems = append(problems, "the page fetched "+u)
	}
	return problems
}

// checkShot fails a screenshot that is nearly one colour (a blank or
// unstyled page) in its first screen, or that shows too little colour
// anywhere (figures that did not render).
func checkShot(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return []string{err.Error()}
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return []string{"screenshot: " + err.Error()}
	}
	var problems []string
	bnd := img.Bounds()
	top := image.Rect(bnd.Min.X, bnd.Min.Y, bnd.Max.X, min(bnd.Max.Y, bnd.Min.Y+900))
	counts := map[uint32]int{}
	total := 0
	for y := top.Min.Y; y < top.Max.Y; y++ {
		for x := top.Min.X; x < top.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			counts[(r>>8)<<16|(g>>8)<<8|b>>8]++
			total++
		}
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	if frac := float64(most) / float64(total); frac > 0.985 {
		problems = append(problems, fmt.Sprintf("the first screen is blank: %.1f%% of it is one colour", 100*frac))
	}
	// Saturated colour appears only where figures are drawn: the page's
	// text and rules are grey, its links a thin blue.
	colourful := 0
	for y := bnd.Min.Y; y < bnd.Max.Y; y += 2 {
		for x := bnd.Min.X; x < bnd.Max.X; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			hi, lo := max(r, g, b)>>8, min(r, g, b)>>8
			if hi-lo > 80 {
				colourful++
			}
		}
	}
	// The links alone (navigation, each figure's PNG and SVG) give about
	// a thousand; a page whose figures drew gives several thousand.
	if colourful < 2500 {
		problems = append(problems, fmt.Sprintf("the figures did not render: %d colourful pixels (of every fourth) in the screenshot", colourful))
	}
	fmt.Printf("     %s: %d colourful pixels of every fourth\n", filepath.Base(path), colourful)
	return problems
}
