// Package xlsx writes Office Open XML spreadsheets (.xlsx) with the
// standard library: a workbook of sheets of text and number cells, a bold
// header style, percentage and decimal formats, column widths and a
// frozen header row. It writes only what a spreadsheet application needs
// to open the file; it does not read.
package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Style is a cell's look: one of the workbook's fixed cell formats.
type Style int

// The styles, in the order of styles.xml's cellXfs.
const (
	Plain   Style = iota // general
	Bold                 // bold text, for headers
	Percent              // 0.0%
	Decimal              // 0.0
	Integer              // 0
)

// Cell is one cell: text, a number, or blank.
type Cell struct {
	kind  cellKind
	s     string
	f     float64
	style Style
}

type cellKind int

const (
	blank cellKind = iota
	text
	number
)

// Text is a text cell.
func Text(s string) Cell { return Cell{kind: text, s: s} }

// Number is a number cell; NaN and infinities are written blank.
func Number(f float64) Cell {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Cell{}
	}
	return Cell{kind: number, f: f}
}

// Blank is an empty cell.
func Blank() Cell { return Cell{} }

// Header is a bold text cell.
func Header(s string) Cell { return Text(s).With(Bold) }

// With returns c in style st.
func (c Cell) With(st Style) Cell {
	c.style = st
	return c
}

// Sheet is one worksheet.
type Sheet struct {
	name   string
	rows   [][]Cell
	widths map[int]float64
	freeze bool
}

// Name returns the sheet's name as written (made valid and unique).
func (s *Sheet) Name() string { return s.name }

// AddRow appends a row.
func (s *Sheet) AddRow(cells ...Cell) { s.rows = append(s.rows, cells) }

// SetWidth sets the width of column col (0 is A), in characters.
func (s *Sheet) SetWidth(col int, width float64) {
	if s.widths == nil {
		s.widths = map[int]float64{}
	}
	s.widths[col] = width
}

// FreezeHeader keeps the first row in view when scrolling.
func (s *Sheet) FreezeHeader() { s.freeze = true }

// Workbook is a spreadsheet being built.
type Workbook struct {
	sheets []*Sheet
	// Modified is written as the document's modification time; zero
	// writes none (the output is then the same for the same content).
	Modified time.Time
}

// New returns an empty workbook.
func New() *Workbook { return &Workbook{} }

// AddSheet appends a sheet named name, made valid: at most 31
// characters, none of : \ / ? * [ ], not starting or ending with ', and
// unique in the workbook (a suffix " (2)" when taken).
func (wb *Workbook) AddSheet(name string) *Sheet {
	s := &Sheet{name: wb.uniqueName(SheetName(name))}
	wb.sheets = append(wb.sheets, s)
	return s
}

// maxSheetName is the longest sheet name spreadsheet applications accept.
const maxSheetName = 31

// SheetName returns name made a valid sheet name (not yet unique).
func SheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`:\/?*[]`, r):
			return '_'
		case r < 0x20:
			return ' '
		}
		return r
	}, name)
	name = strings.Trim(strings.TrimSpace(name), "'")
	if name == "" || strings.EqualFold(name, "History") {
		name = "Sheet"
	}
	return truncateRunes(name, maxSheetName)
}

// truncateRunes cuts s to n characters, counted as UTF-16 units, the way
// spreadsheet applications count them.
func truncateRunes(s string, n int) string {
	units := 0
	for i, r := range s {
		u := 1
		if r > 0xFFFF {
			u = 2
		}
		if units+u > n {
			return s[:i]
		}
		units += u
	}
	return s
}

// uniqueName returns name, or name with a number, not used by another
// sheet (names compare without case).
func (wb *Workbook) uniqueName(name string) string {
	taken := func(n string) bool {
		for _, s := range wb.sheets {
			if strings.EqualFold(s.name, n) {
				return true
			}
		}
		return false
	}
	out := name
	for i := 2; taken(out); i++ {
		suffix := " (" + strconv.Itoa(i) + ")"
		out = truncateRunes(name, maxSheetName-utf8.RuneCountInString(suffix)) + suffix
	}
	return out
}

// ColumnName returns the letters of column col (0 is A, 26 is AA).
func ColumnName(col int) string {
	var b []byte
	for col++; col > 0; col = (col - 1) / 26 {
		b = append([]byte{byte('A' + (col-1)%26)}, b...)
	}
	return string(b)
}

// Write writes the workbook as an .xlsx file. A workbook needs at least
// one sheet: an empty one gets a blank "Sheet1".
func (wb *Workbook) Write(w io.Writer) error {
	if len(wb.sheets) == 0 {
		wb.AddSheet("Sheet1")
	}
	z := zip.NewWriter(w)
	parts := []struct {
		name string
		body func(io.Writer) error
	}{
		{"[Content_Types].xml", wb.writeContentTypes},
		{"_rels/.rels", writeString(rootRels)},
		{"docProps/core.xml", wb.writeCore},
		{"xl/workbook.xml", wb.writeWorkbook},
		{"xl/_rels/workbook.xml.rels", wb.writeWorkbookRels},
		{"xl/styles.xml", writeString(styles)},
	}
	for i, s := range wb.sheets {
		parts = append(parts, struct {
			name string
			body func(io.Writer) error
		}{fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), s.write})
	}
	for _, p := range parts {
		hdr := &zip.FileHeader{Name: p.name, Method: zip.Deflate}
		if !wb.Modified.IsZero() {
			hdr.Modified = wb.Modified
		}
		fw, err := z.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if err := p.body(fw); err != nil {
			return fmt.Errorf("xlsx: %s: %w", p.name, err)
		}
	}
	return z.Close()
}

// Bytes returns the workbook as an .xlsx file.
func (wb *Workbook) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	err := wb.Write(&buf)
	return buf.Bytes(), err
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// The namespaces and content types of the parts.
const (
	nsMain     = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRels     = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsDocRels  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	ctWorkbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
	ctSheet    = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
	ctStyles   = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
	ctCore     = "application/vnd.openxmlformats-package.core-properties+xml"
)

const rootRels = xmlHeader + `<Relationships xmlns="` + nsRels + `">` +
	`<Relationship Id="rId1" Type="` + nsDocRels + `/officeDocument" Target="xl/workbook.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

// styles are the cell formats of Style, in order: general, bold, 0.0%,
// 0.0 and 0.
const styles = xmlHeader + `<styleSheet xmlns="` + nsMain + `">` +
	`<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="0.0"/></numFmts>` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="5">` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`</cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`

func (wb *Workbook) writeContentTypes(w io.Writer) error {
	var b strings.Builder
	b.WriteString(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	b.WriteString(`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`)
	b.WriteString(`<Default Extension="xml" ContentType="application/xml"/>`)
	b.WriteString(`<Override PartName="/xl/workbook.xml" ContentType="` + ctWorkbook + `"/>`)
	b.WriteString(`<Override PartName="/xl/styles.xml" ContentType="` + ctStyles + `"/>`)
	b.WriteString(`<Override PartName="/docProps/core.xml" ContentType="` + ctCore + `"/>`)
	for i := range wb.sheets {
		fmt.Fprintf(&b, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="%s"/>`, i+1, ctSheet)
	}
	b.WriteString(`</Types>`)
	_, err := io.WriteString(w, b.String())
	return err
}

func (wb *Workbook) writeCore(w io.Writer) error {
	var b strings.Builder
	b.WriteString(xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString(`<dc:creator>civicgrid</dc:creator>`)
	if !wb.Modified.IsZero() {
		stamp := wb.Modified.UTC().Format(time.RFC3339)
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:modified>`)
	}
	b.WriteString(`</cp:coreProperties>`)
	_, err := io.WriteString(w, b.String())
	return err
}

func (wb *Workbook) writeWorkbook(w io.Writer) error {
	var b strings.Builder
	b.WriteString(xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsDocRels + `"><bookViews><workbookView/></bookViews><sheets>`)
	for i, s := range wb.sheets {
		fmt.Fprintf(&b, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, escape(s.name), i+1, i+1)
	}
	b.WriteString(`</sheets></workbook>`)
	_, err := io.WriteString(w, b.String())
	return err
}

func (wb *Workbook) writeWorkbookRels(w io.Writer) error {
	var b strings.Builder
	b.WriteString(xmlHeader + `<Relationships xmlns="` + nsRels + `">`)
	for i := range wb.sheets {
		fmt.Fprintf(&b, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, nsDocRels, i+1)
	}
	fmt.Fprintf(&b, `<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>`, len(wb.sheets)+1, nsDocRels)
	b.WriteString(`</Relationships>`)
	_, err := io.WriteString(w, b.String())
	return err
}

// write writes the sheet's XML.
func (s *Sheet) write(w io.Writer) error {
	var b strings.Builder
	b.WriteString(xmlHeader + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsDocRels + `">`)
	ncol := 0
	for _, r := range s.rows {
		ncol = max(ncol, len(r))
	}
	ref := "A1"
	if len(s.rows) > 0 && ncol > 0 {
		ref = "A1:" + ColumnName(ncol-1) + strconv.Itoa(len(s.rows))
	}
	b.WriteString(`<dimension ref="` + ref + `"/>`)
	b.WriteString(`<sheetViews><sheetView workbookViewId="0">`)
	if s.freeze && len(s.rows) > 1 {
		b.WriteString(`<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>`)
	}
	b.WriteString(`</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>`)
	if len(s.widths) > 0 {
		b.WriteString(`<cols>`)
		for c := 0; c <= maxKey(s.widths); c++ {
			if wd, ok := s.widths[c]; ok {
				fmt.Fprintf(&b, `<col min="%d" max="%d" width="%s" customWidth="1"/>`, c+1, c+1, strconv.FormatFloat(wd, 'f', 2, 64))
			}
		}
		b.WriteString(`</cols>`)
	}
	b.WriteString(`<sheetData>`)
	for i, row := range s.rows {
		fmt.Fprintf(&b, `<row r="%d">`, i+1)
		for j, c := range row {
			writeCell(&b, ColumnName(j)+strconv.Itoa(i+1), c)
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	_, err := io.WriteString(w, b.String())
	return err
}

func maxKey(m map[int]float64) int {
	k := -1
	for c := range m {
		k = max(k, c)
	}
	return k
}

// writeCell writes one <c>: an inline string, a number, or a styled blank.
func writeCell(b *strings.Builder, ref string, c Cell) {
	style := ""
	if c.style != Plain {
		style = ` s="` + strconv.Itoa(int(c.style)) + `"`
	}
	switch c.kind {
	case text:
		space := ""
		if strings.TrimSpace(c.s) != c.s {
			space = ` xml:space="preserve"`
		}
		fmt.Fprintf(b, `<c r="%s"%s t="inlineStr"><is><t%s>%s</t></is></c>`, ref, style, space, escape(c.s))
	case number:
		fmt.Fprintf(b, `<c r="%s"%s><v>%s</v></c>`, ref, style, strconv.FormatFloat(c.f, 'g', -1, 64))
	default:
		if style != "" {
			fmt.Fprintf(b, `<c r="%s"%s/>`, ref, style)
		}
	}
}

// escape escapes s for XML text and attributes; characters XML does not
// allow become U+FFFD.
func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}
