package xlsx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"civicgrid/xlsx"
)

func TestColumnName(t *testing.T) {
	for col, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := xlsx.ColumnName(col); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", col, got, want)
		}
	}
}

func TestSheetNames(t *testing.T) {
	wb := xlsx.New()
	long := strings.Repeat("按期结案率", 8) // 40 characters
	for _, tc := range []struct{ in, want string }{
		{"单位排名", "单位排名"},
		{"a/b:c*?[x]\\y", "a_b_c___x__y"},
		{"'quoted'", "quoted"},
		{"", "Sheet"},
		{"history", "Sheet (2)"},
		{long, string([]rune(long)[:31])},
		{long + "x", string([]rune(long)[:27]) + " (2)"},
		{"单位排名", "单位排名 (2)"},
		{"R&D <1>", "R&D <1>"},
	} {
		if got := wb.AddSheet(tc.in).Name(); got != tc.want {
			t.Errorf("AddSheet(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// sample is a workbook with the cell kinds and names that need care.
func sample() *xlsx.Workbook {
	wb := xlsx.New()
	s := wb.AddSheet("单位排名 R&D")
	s.AddRow(xlsx.Header("单位"), xlsx.Header("应结案数"), xlsx.Header("按期结案率"), xlsx.Header("增减"))
	s.AddRow(xlsx.Text("环卫处 <一> & \"二\""), xlsx.Number(205).With(xlsx.Integer), xlsx.Number(0.9219).With(xlsx.Percent), xlsx.Number(-1.25).With(xlsx.Decimal))
	s.AddRow(xlsx.Text(" 前后空格 "), xlsx.Number(0), xlsx.Blank().With(xlsx.Percent), xlsx.Number(1e-7))
	s.SetWidth(0, 24)
	s.SetWidth(2, 12)
	s.FreezeHeader()
	wb.AddSheet("空表")
	return wb
}

// readZip opens an .xlsx's parts by name.
func readZip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = b
	}
	return parts
}

// wellFormed decodes every token of an XML part.
func wellFormed(t *testing.T, name string, data []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
	}
}

type relationships struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type contentTypes struct {
	Defaults []struct {
		Ext  string `xml:"Extension,attr"`
		Type string `xml:"ContentType,attr"`
	} `xml:"Default"`
	Overrides []struct {
		Part string `xml:"PartName,attr"`
		Type string `xml:"ContentType,attr"`
	} `xml:"Override"`
}

type workbook struct {
	Sheets []struct {
		Name string `xml:"name,attr"`
		ID   string `xml:"sheetId,attr"`
		RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"sheets>sheet"`
}

type styleSheet struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	Fonts []struct {
		Bold *struct{} `xml:"b"`
	} `xml:"fonts>font"`
	Xfs []struct {
		NumFmt int `xml:"numFmtId,attr"`
		Font   int `xml:"fontId,attr"`
	} `xml:"cellXfs>xf"`
}

type worksheet struct {
	Dimension struct {
		Ref string `xml:"ref,attr"`
	} `xml:"dimension"`
	Pane *struct {
		YSplit string `xml:"ySplit,attr"`
		State  string `xml:"state,attr"`
	} `xml:"sheetViews>sheetView>pane"`
	Cols []struct {
		Min   int     `xml:"min,attr"`
		Width float64 `xml:"width,attr"`
	} `xml:"cols>col"`
	Rows []struct {
		R     int `xml:"r,attr"`
		Cells []struct {
			Ref    string  `xml:"r,attr"`
			Style  int     `xml:"s,attr"`
			Type   string  `xml:"t,attr"`
			Value  *string `xml:"v"`
			Inline *string `xml:"is>t"`
		} `xml:"c"`
	} `xml:"sheetData>row"`
}

func unmarshal(t *testing.T, parts map[string][]byte, name string, v any) {
	t.Helper()
	data, ok := parts[name]
	if !ok {
		t.Fatalf("no part %s", name)
	}
	wellFormed(t, name, data)
	if err := xml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestWorkbookStructure reads back a workbook with archive/zip and
// encoding/xml and checks what a spreadsheet application needs: the
// content types, the relationships from the package to the workbook and
// from the workbook to its sheets and styles, the styles behind Bold and
// Percent, and the cells.
func TestWorkbookStructure(t *testing.T) {
	data, err := sample().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	parts := readZip(t, data)

	var ct contentTypes
	unmarshal(t, parts, "[Content_Types].xml", &ct)
	defaults := map[string]string{}
	for _, d := range ct.Defaults {
		defaults[d.Ext] = d.Type
	}
	if defaults["rels"] != "application/vnd.openxmlformats-package.relationships+xml" || defaults["xml"] != "application/xml" {
		t.Errorf("defaults: %v", defaults)
	}
	overrides := map[string]string{}
	for _, o := range ct.Overrides {
		overrides[o.Part] = o.Type
	}
	for part, typ := range map[string]string{
		"/xl/workbook.xml":          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
		"/xl/styles.xml":            "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
		"/xl/worksheets/sheet1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
		"/xl/worksheets/sheet2.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
	} {
		if overrides[part] != typ {
			t.Errorf("content type of %s = %q, want %q", part, overrides[part], typ)
		}
	}
	for part := range overrides {
		if _, ok := parts[strings.TrimPrefix(part, "/")]; !ok {
			t.Errorf("content type for a missing part %s", part)
		}
	}
	for name := range parts {
		if _, ok := overrides["/"+name]; !ok && !strings.HasSuffix(name, ".rels") && name != "[Content_Types].xml" {
			t.Errorf("part %s has no content type override", name)
		}
	}

	var root relationships
	unmarshal(t, parts, "_rels/.rels", &root)
	found := false
	for _, r := range root.Rels {
		if r.Type == "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" && r.Target == "xl/workbook.xml" {
			found = true
		}
	}
	if !found {
		t.Errorf("_rels/.rels does not point at xl/workbook.xml: %+v", root)
	}

	var wb workbook
	unmarshal(t, parts, "xl/workbook.xml", &wb)
	var rels relationships
	unmarshal(t, parts, "xl/_rels/workbook.xml.rels", &rels)
	targets := map[string]string{}
	styles := false
	for _, r := range rels.Rels {
		targets[r.ID] = r.Target
		styles = styles || (r.Type == "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" && r.Target == "styles.xml")
	}
	if !styles {
		t.Error("the workbook has no styles relationship")
	}
	if len(wb.Sheets) != 2 || wb.Sheets[0].Name != "单位排名 R&D" || wb.Sheets[1].Name != "空表" {
		t.Fatalf("sheets: %+v", wb.Sheets)
	}
	for i, s := range wb.Sheets {
		if s.ID != strconv.Itoa(i+1) {
			t.Errorf("sheet %q has sheetId %s", s.Name, s.ID)
		}
		if _, ok := parts["xl/"+targets[s.RID]]; !ok {
			t.Errorf("sheet %q: r:id %s → %q, not a part", s.Name, s.RID, targets[s.RID])
		}
	}

	var st styleSheet
	unmarshal(t, parts, "xl/styles.xml", &st)
	formats := map[int]string{1: "0"}
	for _, f := range st.NumFmts {
		formats[f.ID] = f.Code
	}
	if len(st.Xfs) <= int(xlsx.Integer) {
		t.Fatalf("cellXfs: %+v", st.Xfs)
	}
	if xf := st.Xfs[xlsx.Bold]; st.Fonts[xf.Font].Bold == nil {
		t.Error("the Bold style's font is not bold")
	}
	for style, want := range map[xlsx.Style]string{xlsx.Percent: "0.0%", xlsx.Decimal: "0.0", xlsx.Integer: "0"} {
		if got := formats[st.Xfs[style].NumFmt]; got != want {
			t.Errorf("style %d formats as %q, want %q", style, got, want)
		}
	}

	var ws worksheet
	unmarshal(t, parts, "xl/"+targets[wb.Sheets[0].RID], &ws)
	if ws.Dimension.Ref != "A1:D3" || ws.Pane == nil || ws.Pane.State != "frozen" || ws.Pane.YSplit != "1" {
		t.Errorf("dimension %q, pane %+v", ws.Dimension.Ref, ws.Pane)
	}
	if len(ws.Cols) != 2 || ws.Cols[0].Min != 1 || ws.Cols[0].Width != 24 || ws.Cols[1].Min != 3 {
		t.Errorf("cols: %+v", ws.Cols)
	}
	type cell struct {
		style       int
		typ, value  string
		numeric     bool
		placeholder bool
	}
	got := map[string]cell{}
	for _, r := range ws.Rows {
		for _, c := range r.Cells {
			x := cell{style: c.Style, typ: c.Type}
			switch {
			case c.Inline != nil:
				x.value = *c.Inline
			case c.Value != nil:
				x.value, x.numeric = *c.Value, true
			default:
				x.placeholder = true
			}
			got[c.Ref] = x
		}
	}
	want := map[string]cell{
		"A1": {style: int(xlsx.Bold), typ: "inlineStr", value: "单位"},
		"C1": {style: int(xlsx.Bold), typ: "inlineStr", value: "按期结案率"},
		"A2": {typ: "inlineStr", value: "环卫处 <一> & \"二\""},
		"B2": {style: int(xlsx.Integer), value: "205", numeric: true},
		"C2": {style: int(xlsx.Percent), value: "0.9219", numeric: true},
		"D2": {style: int(xlsx.Decimal), value: "-1.25", numeric: true},
		"A3": {typ: "inlineStr", value: " 前后空格 "},
		"B3": {value: "0", numeric: true},
		"C3": {style: int(xlsx.Percent), placeholder: true},
		"D3": {value: "1e-07", numeric: true},
	}
	for ref, w := range want {
		if got[ref] != w {
			t.Errorf("%s = %+v, want %+v", ref, got[ref], w)
		}
	}
	if _, ok := got["B1"]; !ok || len(got) != len(want)+2 {
		t.Errorf("cells: %v", got)
	}
	if !bytes.Contains(parts["xl/worksheets/sheet1.xml"], []byte(`<t xml:space="preserve"> 前后空格 </t>`)) {
		t.Error("leading and trailing spaces are not preserved")
	}
}

// TestWorkbookOpensElsewhere converts the sample with LibreOffice (make
// test installs it) and checks the first sheet as LibreOffice shows it:
// the text, the escaping, and the number formats.
func TestWorkbookOpensElsewhere(t *testing.T) {
	office, err := exec.LookPath("libreoffice")
	if err != nil {
		if office, err = exec.LookPath("soffice"); err != nil {
			if os.Getenv("CIVICGRID_REQUIRE_OFFICE") != "" {
				t.Fatal("LibreOffice is not installed, and CIVICGRID_REQUIRE_OFFICE says it must be (make deps installs it)")
			}
			t.Skip("LibreOffice is not installed")
		}
	}
	dir := t.TempDir()
	data, err := sample().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "sample.xlsx")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// CSV in UTF-8 (76), the cells as shown (the last true), so that the
	// number formats are checked too.
	const filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"
	out, err := exec.Command(office, "--headless", "--convert-to", filter, "--outdir", dir, in).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"单位,应结案数,按期结案率,增减", `"环卫处 <一> & ""二""",205,92.2%,-1.3`, " 前后空格 ,0,,"} {
		if !strings.Contains(string(csv), want) {
			t.Errorf("LibreOffice read no %q", want)
		}
	}
	if t.Failed() {
		t.Errorf("LibreOffice read:\n%s", csv)
	}
}
