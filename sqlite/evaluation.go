package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"civicgrid"
)

// SaveLeague stores l as revision l.Revision of its kind and month: a
// head row and one row per league row; Conflict when the revision exists.
func (tx *Tx) SaveLeague(ctx context.Context, l *civicgrid.League) error {
	head := *l
	head.Groups = make([]*civicgrid.LeagueGroup, len(l.Groups))
	for i, g := range l.Groups {
		head.Groups[i] = &civicgrid.LeagueGroup{Name: g.Name, Rows: []*civicgrid.LeagueRow{}}
	}
	head.Corrections = nil
	hj, err := json.Marshal(&head)
	if err != nil {
		return err
	}
	var at int64
	if l.PublishedAt != nil {
		at = millis(*l.PublishedAt)
	}
	_, err = tx.exec(ctx, `INSERT INTO evaluation_snapshots (kind, month, revision, published_at, published_by,
		definitions_version, config_version, head) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		string(l.Kind), l.Month, l.Revision, at, int64(l.PublishedBy), l.DefinitionsVersion, l.ConfigVersion, string(hj))
	if err := describe(err, civicgrid.Conflict, "%s of %s revision %d is already stored", l.Kind, l.Month, l.Revision); err != nil {
		return err
	}
	for gi, g := range l.Groups {
		for ri, r := range g.Rows {
			rj, err := json.Marshal(r)
			if err != nil {
				return err
			}
			_, err = tx.exec(ctx, `INSERT INTO evaluation_rows (kind, month, revision, position, grp, row_key, score, data)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, string(l.Kind), l.Month, l.Revision, gi*1000000+ri, gi, r.Key, r.Score, string(rj))
			if err != nil {
				return formatError(err)
			}
		}
	}
	return nil
}

// FindLeague returns the latest revision of kind's table for month.
func (tx *Tx) FindLeague(ctx context.Context, kind civicgrid.EvalKind, month string) (*civicgrid.League, error) {
	var head string
	var rev int
	err := tx.queryRow(ctx, `SELECT revision, head FROM evaluation_snapshots WHERE kind = ? AND month = ?
		ORDER BY revision DESC LIMIT 1`, string(kind), month).Scan(&rev, &head)
	if err != nil {
		return nil, notFound(err, "%s of %s is not published", kind, month)
	}
	l := &civicgrid.League{}
	if err := json.Unmarshal([]byte(head), l); err != nil {
		return nil, formatError(err)
	}
	if l.PublishedAt != nil {
		t := l.PublishedAt.In(tx.loc)
		l.PublishedAt = &t
	}
	l.Revision, l.Corrections = rev, []*civicgrid.EvaluationCorrection{}
	err = tx.queryAll(ctx, func(s scanner) error {
		var grp int
		var data string
		if err := s.Scan(&grp, &data); err != nil {
			return err
		}
		r := &civicgrid.LeagueRow{}
		if err := json.Unmarshal([]byte(data), r); err != nil {
			return err
		}
		if grp < 0 || grp >= len(l.Groups) {
			return sql.ErrNoRows
		}
		l.Groups[grp].Rows = append(l.Groups[grp].Rows, r)
		return nil
	}, `SELECT grp, data FROM evaluation_rows WHERE kind = ? AND month = ? AND revision = ? ORDER BY position`, string(kind), month, rev)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// AddEvaluationCorrection stores c and sets c.ID; Invalid when its
// revision is not stored.
func (tx *Tx) AddEvaluationCorrection(ctx context.Context, c *civicgrid.EvaluationCorrection) error {
	res, err := tx.exec(ctx, `INSERT INTO evaluation_corrections (kind, month, revision, row_key, field, old_value, new_value,
		reason, by_user, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, string(c.Kind), c.Month, c.Revision, c.RowKey,
		c.Field, c.Old, c.New, c.Reason, int64(c.By), c.ByName, millis(c.At))
	if err != nil {
		return describe(err, civicgrid.Invalid, "%s of %s revision %d is not stored", c.Kind, c.Month, c.Revision)
	}
	c.ID, err = res.LastInsertId()
	return formatError(err)
}

// FindEvaluationCorrections returns the corrections of kind's table for
// month, oldest first.
func (tx *Tx) FindEvaluationCorrections(ctx context.Context, kind civicgrid.EvalKind, month string) ([]*civicgrid.EvaluationCorrection, error) {
	out := []*civicgrid.EvaluationCorrection{}
	err := tx.queryAll(ctx, func(s scanner) error {
		c := &civicgrid.EvaluationCorrection{}
		var at int64
		if err := s.Scan(&c.ID, &c.Kind, &c.Month, &c.Revision, &c.RowKey, &c.Field, &c.Old, &c.New, &c.Reason, &c.By, &c.ByName, &at); err != nil {
			return err
		}
		c.At = tx.at(at)
		out = append(out, c)
		return nil
	}, `SELECT id, kind, month, revision, row_key, field, old_value, new_value, reason, by_user, by_name, at
		FROM evaluation_corrections WHERE kind = ? AND month = ? ORDER BY id`, string(kind), month)
	return out, err
}
