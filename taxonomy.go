package civicgrid

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// taxonomyFS holds the shipped category directories, one JSON array of
// categories per Taxonomy, named after it.
//
//go:embed taxonomy/legacy.json taxonomy/gbt47678.json
var taxonomyFS embed.FS

// defaultDuplicateRadiusM is the duplicate-report radius of a category that
// sets none.
const defaultDuplicateRadiusM = 50

// maxCategoryProblems bounds the problems one file reports, so a wrong file
// does not produce an error the size of the file.
const maxCategoryProblems = 50

// categoryCSVColumns are the columns a CSV category file must have.
var categoryCSVColumns = []string{
	"code", "kind", "class_code", "class_name_zh", "class_name_en", "name_zh", "name_en",
	"filing_condition_zh", "closing_condition_zh", "handle_limit", "urgent", "public",
}

// categoryCSVOptionalColumns are the columns a CSV category file may add.
var categoryCSVOptionalColumns = []string{
	"filing_condition_en", "closing_condition_en", "duplicate_radius_m", "active",
}

// BuiltinCategories returns a fresh copy of the shipped directory t, in code
// order, or an Invalid error for an unknown taxonomy. Every category is
// validated, has its Taxonomy set to t, and has DuplicateRadiusM defaulted to
// 50 metres.
func BuiltinCategories(t Taxonomy) ([]*Category, error) {
	if !t.Valid() {
		return nil, FieldError("taxonomy", fmt.Sprintf("unknown taxonomy %q", t))
	}
	data, err := taxonomyFS.ReadFile("taxonomy/" + string(t) + ".json")
	if err != nil {
		return nil, fmt.Errorf("civicgrid: read taxonomy %s: %w", t, err)
	}
	cats, err := ParseCategories(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("civicgrid: shipped taxonomy %s: %w", t, err)
	}
	for _, c := range cats {
		if c.Taxonomy != "" && c.Taxonomy != t {
			return nil, fmt.Errorf("civicgrid: shipped taxonomy %s: category %s says taxonomy %s", t, c.Code, c.Taxonomy)
		}
		c.Taxonomy = t
	}
	return cats, nil
}

// ParseCategories reads a city's own category file, an extension to or a
// replacement of a shipped directory. The file is either a JSON array of
// categories in the shape of Category, or a CSV file whose header names the
// columns code, kind, class_code, class_name_zh, class_name_en, name_zh,
// name_en, filing_condition_zh, closing_condition_zh, handle_limit (such as
// "4 working_hours"), urgent and public, in any order, optionally followed by
// filing_condition_en, closing_condition_en, duplicate_radius_m and active.
// The first byte that is not white space decides: '[' means JSON.
//
// In CSV an empty urgent or public cell means false, an empty active cell
// true, and an empty handle_limit no limit of the category's own; in JSON an
// absent active means true. DuplicateRadiusM defaults to 50 metres.
//
// Loading is all or nothing: when any row is bad, or two rows share a code,
// ParseCategories returns no categories and an Invalid error whose Fields
// name each bad JSON row ("row 3", counted from 1) or CSV line ("line 4",
// counting the header as line 1) and its problems.
func ParseCategories(r io.Reader) ([]*Category, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("civicgrid: read categories: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	start := bytes.TrimLeft(data, " \t\r\n")
	if len(start) == 0 {
		return nil, FieldError("file", "the category file is empty")
	}
	var rows []categoryRow
	var fe FieldErrors
	if start[0] == '[' {
		rows, fe = decodeCategoriesJSON(data)
	} else {
		rows, fe = decodeCategoriesCSV(data)
	}
	return finishCategories(rows, fe)
}

// categoryRow is one decoded row of a category file with the problems found
// while decoding it.
type categoryRow struct {
	label    string // "row N" or "line N"
	cat      *Category
	problems []string
	broken   bool // not decoded, so not worth validating
	csv      bool // name problems by CSV column
}

// finishCategories defaults, validates and de-duplicates the decoded rows,
// adding their problems to fe, and returns either every category or an
// Invalid error.
func finishCategories(rows []categoryRow, fe FieldErrors) ([]*Category, error) {
	if fe == nil {
		fe = FieldErrors{}
	}
	first := make(map[string]string, len(rows))
	cats := make([]*Category, 0, len(rows))
	for _, row := range rows {
		c := row.cat
		if c.DuplicateRadiusM == 0 {
			c.DuplicateRadiusM = defaultDuplicateRadiusM
		}
		problems := row.problems
		if !row.broken {
			problems = append(problems, categoryProblems(c, row.csv)...)
		}
		if prev, ok := first[c.Code]; ok && c.Code != "" {
			problems = append(problems, fmt.Sprintf("duplicate code %s (first in %s)", c.Code, prev))
		} else {
			first[c.Code] = row.label
		}
		if len(problems) > 0 {
			addCategoryProblem(fe, row.label, strings.Join(problems, "; "))
		}
		cats = append(cats, c)
	}
	if len(fe) > 0 {
		return nil, categoryFileError(fe)
	}
	return cats, nil
}

// categoryCSVFields maps Category's field names to the CSV columns that
// fill them, where they differ.
var categoryCSVFields = map[string]string{"name": "name_zh", "limits.handle": "handle_limit"}

// categoryProblems lists what is wrong with c on its own, as
// "field: problem" strings in field order; csv names CSV columns instead of
// JSON fields.
func categoryProblems(c *Category, csv bool) []string {
	var problems []string
	if e := AsError(c.Validate()); e != nil {
		for field, problem := range e.Fields {
			if col, ok := categoryCSVFields[field]; ok && csv {
				field = col
			}
			problems = append(problems, field+": "+problem)
		}
		sort.Strings(problems)
	}
	if r := c.DuplicateRadiusM; r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
		problems = append(problems, "duplicate_radius_m: must be a positive number of metres")
	}
	return problems
}

// addCategoryProblem records problem under label unless the file already
// has too many.
func addCategoryProblem(fe FieldErrors, label, problem string) {
	if len(fe) >= maxCategoryProblems {
		fe.Add("more", "further problems are not listed")
		return
	}
	fe.Add(label, problem)
}

// categoryFileError turns the problems of a category file into one Invalid
// error.
func categoryFileError(fe FieldErrors) error {
	e := AsError(fe.Err())
	if len(fe) > 1 {
		e.Message = fmt.Sprintf("the category file has %d bad rows; nothing was loaded", len(fe))
	}
	return e
}

// decodeCategoriesJSON decodes a JSON array of categories, one row per
// element, rejecting unknown fields.
func decodeCategoriesJSON(data []byte) ([]categoryRow, FieldErrors) {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, FieldErrors{jsonErrorLabel(data, err): "invalid JSON: " + jsonProblem(err)}
	}
	rows := make([]categoryRow, 0, len(raws))
	for i, raw := range raws {
		row := categoryRow{label: fmt.Sprintf("row %d", i+1), cat: &Category{Active: true}}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(row.cat); err != nil {
			row.problems, row.broken = append(row.problems, jsonProblem(err)), true
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// jsonErrorLabel names the line of a JSON syntax error, or the whole file.
func jsonErrorLabel(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset <= int64(len(data)) {
		return fmt.Sprintf("line %d", 1+bytes.Count(data[:se.Offset], []byte("\n")))
	}
	return "file"
}

// jsonProblem describes a JSON decoding error without Go type names.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return fmt.Sprintf("expected a category object, got a JSON %s", te.Value)
		}
		return fmt.Sprintf("%s: a JSON %s is not allowed here", te.Field, te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// decodeCategoriesCSV decodes a CSV category file with a header line.
func decodeCategoriesCSV(data []byte) ([]categoryRow, FieldErrors) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, FieldErrors{"line 1": csvProblem(err)}
	}
	cols, problem := categoryCSVHeader(header)
	if problem != "" {
		return nil, FieldErrors{"line 1": problem}
	}
	var rows []categoryRow
	fe := FieldErrors{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			addCategoryProblem(fe, fmt.Sprintf("line %d", line), csvProblem(err))
			if pe != nil && errors.Is(pe.Err, csv.ErrFieldCount) {
				continue
			}
			break // after a quoting error the reader may be out of step
		}
		rows = append(rows, categoryFromCSV(fmt.Sprintf("line %d", line), rec, cols))
	}
	return rows, fe
}

// csvProblem describes a CSV reading error without repeating its position.
func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return "wrong number of columns"
		}
		return pe.Err.Error()
	}
	if err == io.EOF {
		return "no header line"
	}
	return err.Error()
}

// categoryCSVHeader maps column names to positions, or describes what is
// wrong with the header.
func categoryCSVHeader(header []string) (map[string]int, string) {
	known := make(map[string]bool)
	for _, name := range categoryCSVColumns {
		known[name] = true
	}
	for _, name := range categoryCSVOptionalColumns {
		known[name] = true
	}
	cols := make(map[string]int, len(header))
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(name))
		if !known[name] {
			return nil, fmt.Sprintf("unknown column %q", name)
		}
		if _, dup := cols[name]; dup {
			return nil, fmt.Sprintf("column %q appears twice", name)
		}
		cols[name] = i
	}
	var missing []string
	for _, name := range categoryCSVColumns {
		if _, ok := cols[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, "missing columns: " + strings.Join(missing, ", ")
	}
	return cols, ""
}

// categoryFromCSV builds a category from one CSV record.
func categoryFromCSV(label string, rec []string, cols map[string]int) categoryRow {
	get := func(name string) string {
		if i, ok := cols[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	row := categoryRow{label: label, csv: true, cat: &Category{
		Code:             get("code"),
		Kind:             CategoryKind(get("kind")),
		ClassCode:        get("class_code"),
		ClassName:        Text{Zh: get("class_name_zh"), En: get("class_name_en")},
		Name:             Text{Zh: get("name_zh"), En: get("name_en")},
		FilingCondition:  Text{Zh: get("filing_condition_zh"), En: get("filing_condition_en")},
		ClosingCondition: Text{Zh: get("closing_condition_zh"), En: get("closing_condition_en")},
	}}
	c, problem := row.cat, func(field, p string) { row.problems = append(row.problems, field+": "+p) }
	if s := get("handle_limit"); s != "" {
		if l, err := parseCategoryLimit(s); err != nil {
			problem("handle_limit", err.Error())
		} else {
			c.Limits = StageLimits{StageHandle: l}
		}
	}
	var err error
	if c.Urgent, err = parseCategoryBool(get("urgent"), false); err != nil {
		problem("urgent", err.Error())
	}
	if c.Public, err = parseCategoryBool(get("public"), false); err != nil {
		problem("public", err.Error())
	}
	if c.Active, err = parseCategoryBool(get("active"), true); err != nil {
		problem("active", err.Error())
	}
	if s := get("duplicate_radius_m"); s != "" {
		if v, err := strconv.ParseFloat(s, 64); err != nil || v <= 0 {
			problem("duplicate_radius_m", fmt.Sprintf("%q is not a positive number of metres", s))
		} else {
			c.DuplicateRadiusM = v
		}
	}
	return row
}

// parseCategoryLimit parses a time limit written as "4 working_hours".
func parseCategoryLimit(s string) (TimeLimit, error) {
	parts := strings.Fields(s)
	if len(parts) != 2 {
		return TimeLimit{}, fmt.Errorf("%q must be an amount and a unit, such as \"4 working_hours\"", s)
	}
	amount, err := strconv.ParseFloat(parts[0], 64)
	if err != nil {
		return TimeLimit{}, fmt.Errorf("%q is not a number", parts[0])
	}
	l := TimeLimit{Amount: amount, Unit: LimitUnit(parts[1])}
	if err := l.Validate(); err != nil {
		return TimeLimit{}, errors.New(ErrorMessage(err))
	}
	return l, nil
}

// parseCategoryBool parses a yes/no cell; an empty cell means def.
func parseCategoryBool(s string, def bool) (bool, error) {
	switch strings.ToLower(s) {
	case "":
		return def, nil
	case "true", "t", "1", "yes", "y", "是":
		return true, nil
	case "false", "f", "0", "no", "n", "否":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", s)
}
