package civicgrid

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// openCSV reads an uploaded or imported CSV file of at most limit bytes
// and returns a reader over its rows with the header row already read.
// A leading UTF-8 byte order mark (as Excel writes) is dropped and rows
// may have any number of fields; each importer checks its own columns.
// A larger file is Invalid: a truncated file must not import as if whole.
// An error reading the header is returned as it is (io.EOF: no rows).
func openCSV(r io.Reader, limit int64) (*csv.Reader, []string, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > limit {
		return nil, nil, FieldError("file", fmt.Sprintf("larger than %d MiB", limit>>20))
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	return cr, header, err
}

// csvProblemText is a CSV parse error without the line the caller names.
func csvProblemText(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
