package report

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"civicgrid"
)

// The charts are inline SVG written here: no script, no external URL, so
// they print and open without a network.

// seriesColors are the trend's line colours, in series order.
var seriesColors = []string{"#1d4f91", "#e08a00", "#1a7f37", "#b42318"}

// TrendChart draws the trend: counts on the left axis, the rate dashed on
// the right axis.
func (v *view) TrendChart() template.HTML {
	t := v.R.Trend
	if t == nil || len(t.Labels) == 0 {
		return ""
	}
	const w, h, left, right, top, bottom = 720.0, 250.0, 52.0, 52.0, 28.0, 40.0
	pw, ph := w-left-right, h-top-bottom
	top0 := 0.0
	for _, s := range t.Series {
		if !s.Rate {
			for _, x := range s.Values {
				if x != nil {
					top0 = max(top0, *x)
				}
			}
		}
	}
	step := max(1, niceCeil(top0/4)) // four whole steps on the count axis
	ymax := 4 * step
	n := len(t.Labels)
	x := func(i int) float64 {
		if n == 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(n-1)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`, int(w), int(h), int(w), int(h), svgText(v.Text(t.Title)))
	for i := 0; i <= 4; i++ {
		y := top + ph*float64(i)/4
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#dde3ea" stroke-width="1"/>`, f1(left), f1(y), f1(left+pw), f1(y))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" text-anchor="end" fill="#555">%s</text>`, f1(left-6), f1(y+4), strconv.FormatFloat(step*float64(4-i), 'f', -1, 64))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" fill="#555">%d%%</text>`, f1(left+pw+6), f1(y+4), 100*(4-i)/4)
	}
	every := max(1, int(math.Ceil(float64(n)/10)))
	for i, l := range t.Labels {
		if i%every == 0 || i == n-1 {
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="#555">%s</text>`, f1(x(i)), f1(top+ph+16), svgText(l))
		}
	}
	lx := left
	for si, s := range t.Series {
		color := seriesColors[si%len(seriesColors)]
		scale, dash := ymax, ""
		if s.Rate {
			scale, dash = 1, ` stroke-dasharray="6 4"`
		}
		var pts []string
		for i, val := range s.Values {
			if val == nil || scale == 0 {
				continue
			}
			pts = append(pts, f1(x(i))+","+f1(top+ph-ph*(*val/scale)))
		}
		if len(pts) > 0 {
			fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`, color, dash, strings.Join(pts, " "))
		}
		name := v.Text(s.Name)
		fmt.Fprintf(&b, `<line x1="%s" y1="12" x2="%s" y2="12" stroke="%s" stroke-width="3"%s/><text x="%s" y="16" font-size="12" fill="#1b1f24">%s</text>`,
			f1(lx), f1(lx+18), color, dash, f1(lx+22), svgText(name))
		lx += 36 + 13*float64(len([]rune(name)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text escaped above
}

// niceCeil rounds x up to a round number: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8
// times a power of ten.
func niceCeil(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

// maxBars is how many units the ranking chart shows: the best and the
// worst halves when there are more.
const maxBars = 24

// RankChart draws the units' on-time closing rates as bars.
func (v *view) RankChart() template.HTML {
	t := v.R.Table("units")
	if t == nil || len(t.Rows) == 0 {
		return ""
	}
	rows := t.Rows
	gap := -1
	if len(rows) > maxBars {
		gap = maxBars / 2
		rows = append(append([][]Value(nil), rows[:gap]...), rows[len(rows)-maxBars/2:]...)
	}
	const w, labelW, barH, pad = 720.0, 230.0, 18.0, 6.0
	bw := w - labelW - 70
	extra := 0.0
	if gap >= 0 {
		extra = barH
	}
	h := float64(len(rows))*(barH+pad) + extra + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`, int(w), int(h), int(w), int(h), svgText(v.T("ranking_caption")))
	y := 4.0
	for i, r := range rows {
		if i == gap {
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="12" fill="#555">⋮</text>`, f1(labelW/2), f1(y+barH-4))
			y += extra
		}
		rank, name, due, rate := FormatValue(Count, r[0]), r[1].Text.In(v.lang), FormatValue(Count, r[2]), r[6]
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="12" text-anchor="end" fill="#1b1f24">%s. %s (%s)</text>`, f1(labelW-6), f1(y+barH-5), rank, svgText(truncate(name, 14)), due)
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#eef2f7"/>`, f1(labelW), f1(y), f1(bw), f1(barH))
		if !rate.Null {
			color := "#1d4f91"
			if rate.Num < 0.8 {
				color = "#b42318"
			}
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, f1(labelW), f1(y), f1(bw*math.Max(0, math.Min(1, rate.Num))), f1(barH), color)
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="12" fill="#1b1f24">%s</text>`, f1(labelW+bw+6), f1(y+barH-5), FormatValue(Rate, rate))
		y += barH + pad
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text escaped above
}

// truncate cuts s to n characters with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// MapChart draws the hotspot map from the grid's own polygons: the
// streets' outlines, the cells shaded by their reports, and the hotspots'
// ranks.
func (v *view) MapChart() template.HTML {
	m := v.R.Map
	if m == nil || len(m.Cells) == 0 {
		return ""
	}
	bb := m.Bounds
	kx := math.Cos((bb.MinLat + bb.MaxLat) / 2 * math.Pi / 180)
	spanX, spanY := (bb.MaxLon-bb.MinLon)*kx, bb.MaxLat-bb.MinLat
	w := 720.0
	h := w * spanY / spanX
	if h > 560 {
		w, h = w*560/h, 560
	}
	sc := w / spanX
	pt := func(p civicgrid.Point) string {
		return f1((p.Lon-bb.MinLon)*kx*sc) + " " + f1((bb.MaxLat-p.Lat)*sc)
	}
	path := func(shape civicgrid.MultiPolygon) string {
		var sb strings.Builder
		for _, poly := range shape {
			for _, ring := range poly {
				for i, p := range ring {
					if i == 0 {
						sb.WriteString("M")
					} else {
						sb.WriteString("L")
					}
					sb.WriteString(pt(p))
				}
				sb.WriteString("Z")
			}
		}
		return sb.String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`, int(w), int(h), int(w), int(h), svgText(v.T("hotspots")))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fafbfc"/>`, int(w), int(h))
	for _, a := range m.Areas {
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#9aa5b1" stroke-width="1"><title>%s</title></path>`, path(a.Shape), svgText(a.Name))
	}
	for _, c := range m.Cells {
		fmt.Fprintf(&b, `<path d="%s" fill="%s" stroke="#ffffff" stroke-width="0.3"><title>%s %s: %d</title></path>`, path(c.Shape), heat(c.Reported, m.Max), c.Code, svgText(c.Name), c.Reported)
	}
	for _, c := range m.Cells {
		if c.Rank == 0 {
			continue
		}
		cb := c.Shape.Bounds()
		center := pt(civicgrid.Point{Lat: (cb.MinLat + cb.MaxLat) / 2, Lon: (cb.MinLon + cb.MaxLon) / 2})
		xy := strings.Fields(center)
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="8" fill="#ffffff" stroke="#b42318" stroke-width="1.5"/><text x="%s" y="%s" font-size="10" text-anchor="middle" dominant-baseline="central" fill="#b42318">%d</text>`,
			xy[0], xy[1], xy[0], xy[1], c.Rank)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text escaped above
}

// heat shades n of at most max from pale yellow to deep red.
func heat(n, max int64) string {
	if n <= 0 || max <= 0 {
		return "#eef2f7"
	}
	t := math.Sqrt(float64(n) / float64(max))
	lerp := func(a, b float64) int { return int(math.Round(a + (b-a)*t)) }
	return fmt.Sprintf("#%02x%02x%02x", lerp(0xfe, 0xb4), lerp(0xf0, 0x23), lerp(0xc0, 0x18))
}
