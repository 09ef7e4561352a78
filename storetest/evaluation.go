package storetest

import (
	"testing"

	"civicgrid"
)

// league is a published table of two groups for the contract tests.
func league(rev int) *civicgrid.League {
	return &civicgrid.League{Kind: civicgrid.EvalUnit, Month: "2026-03", From: civicgrid.Date{Year: 2026, Month: 3, Day: 1},
		To: civicgrid.Date{Year: 2026, Month: 4, Day: 1}, Status: civicgrid.LeaguePublished, Revision: rev, PublishedAt: ptr(at(0)),
		PublishedBy: 0, DefinitionsVersion: 2, ConfigVersion: 1,
		Exclude: map[string][]string{"rate_closed": {"suspended"}},
		Config:  civicgrid.EvalKindConfig{Kind: civicgrid.EvalUnit, Items: []civicgrid.ScoreItem{{Metric: "rate_closed", Weight: 1}}},
		Groups: []*civicgrid.LeagueGroup{
			{Name: civicgrid.Text{Zh: "市级部门", En: "City departments"}, Rows: []*civicgrid.LeagueRow{
				{Key: "2", Name: civicgrid.Text{Zh: "乙"}, Rank: 1, Score: ptr(90.5), SubScores: map[string]*float64{"rate_closed": ptr(90.5)},
					Counts: map[string]int64{"closed": 181, "due_closing": 200}, Rates: map[string]*float64{"rate_closed": ptr(0.905)}},
				{Key: "1", Name: civicgrid.Text{Zh: "甲"}, Rank: 0, SubScores: map[string]*float64{"rate_closed": nil},
					Counts: map[string]int64{"closed": 0, "due_closing": 0}, Rates: map[string]*float64{"rate_closed": nil}},
			}},
			{Name: civicgrid.Text{Zh: "区级部门"}, Rows: []*civicgrid.LeagueRow{}},
		},
		Corrections: []*civicgrid.EvaluationCorrection{},
	}
}

func testEvaluation(t *testing.T, open Opener) {
	ctx := t.Context
	runTests(t, open, []test{
		{"NotPublished", func(t *testing.T, s civicgrid.Store) {
			view(t, s, func(tx civicgrid.Tx) error {
				_, err := tx.FindLeague(ctx(), civicgrid.EvalUnit, "2026-03")
				wantCode(t, err, civicgrid.NotFound)
				cs, err := tx.FindEvaluationCorrections(ctx(), civicgrid.EvalUnit, "2026-03")
				if err != nil || len(cs) != 0 {
					t.Errorf("corrections = %v, %v; want none", cs, err)
				}
				return nil
			})
		}},
		{"SaveFindRevisions", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error { return tx.SaveLeague(ctx(), league(1)) })
			err := updateErr(t, s, func(tx civicgrid.Tx) error { return tx.SaveLeague(ctx(), league(1)) })
			wantCode(t, err, civicgrid.Conflict)
			view(t, s, func(tx civicgrid.Tx) error {
				got, err := tx.FindLeague(ctx(), civicgrid.EvalUnit, "2026-03")
				if err != nil {
					t.Fatal(err)
				}
				diff(t, "revision 1", got, league(1))
				_, err = tx.FindLeague(ctx(), civicgrid.EvalStreet, "2026-03")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
			l2 := league(2)
			l2.Groups[0].Rows[0].Score, l2.Groups[0].Rows[0].Corrected = ptr(88.0), true
			c := &civicgrid.EvaluationCorrection{Kind: civicgrid.EvalUnit, Month: "2026-03", Revision: 2, RowKey: "2", Field: "score",
				Old: ptr(90.5), New: 88, Reason: "数据复核", By: 0, ByName: "系统", At: at(3600e9)}
			update(t, s, func(tx civicgrid.Tx) error {
				if err := tx.SaveLeague(ctx(), l2); err != nil {
					return err
				}
				return tx.AddEvaluationCorrection(ctx(), c)
			})
			if c.ID == 0 {
				t.Error("correction ID not set")
			}
			view(t, s, func(tx civicgrid.Tx) error {
				got, err := tx.FindLeague(ctx(), civicgrid.EvalUnit, "2026-03")
				if err != nil {
					t.Fatal(err)
				}
				diff(t, "latest revision", got, l2)
				cs, err := tx.FindEvaluationCorrections(ctx(), civicgrid.EvalUnit, "2026-03")
				if err != nil {
					t.Fatal(err)
				}
				diff(t, "corrections", cs, []*civicgrid.EvaluationCorrection{c})
				return nil
			})
		}},
		{"CorrectionOfMissingRevision", func(t *testing.T, s civicgrid.Store) {
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.AddEvaluationCorrection(ctx(), &civicgrid.EvaluationCorrection{Kind: civicgrid.EvalUnit, Month: "2026-03",
					Revision: 1, RowKey: "1", Field: "score", New: 1, Reason: "x", At: at(0)})
			})
			wantCode(t, err, civicgrid.Invalid)
		}},
	})
}
