package sqlite

import (
	"context"
	"time"

	"civicgrid"
)

// FindLatestCase returns the case of category created latest in cell
// before at, or NotFound. The cases_cell_category index (0008_hotspots)
// makes it one seek.
func (tx *Tx) FindLatestCase(ctx context.Context, cell, category string, at time.Time) (*civicgrid.Case, error) {
	c, err := tx.scanCase(tx.queryRow(ctx, "SELECT "+caseColumns+latestCaseWhere, category, cell, millis(at)))
	if err != nil {
		return nil, notFound(err, "no case of %s in cell %s", category, cell)
	}
	return c, nil
}

// latestCaseWhere is FindLatestCase's query after its columns.
const latestCaseWhere = ` FROM cases INDEXED BY cases_cell_category
	WHERE category_code = ? AND cell_code = ? AND created_at < ?
	ORDER BY created_at DESC, id DESC LIMIT 1`
