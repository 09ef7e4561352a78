package storetest

import (
	"testing"

	"civicgrid"
)

func testCategory(t *testing.T, open Opener) {
	manhole := &civicgrid.Category{Code: "BJ0101", Taxonomy: civicgrid.TaxonomyLegacy, Kind: civicgrid.Component,
		ClassCode: "BJ01", ClassName: civicgrid.Text{Zh: "公用设施", En: "Utilities"}, Name: civicgrid.Text{Zh: "井盖", En: "Manhole cover"},
		FilingCondition: civicgrid.Text{Zh: "破损、丢失"}, ClosingCondition: civicgrid.Text{Zh: "修复"},
		Limits: civicgrid.StageLimits{civicgrid.StageHandle: {Amount: 2, Unit: civicgrid.NaturalHours}},
		Urgent: true, Public: true, DuplicateRadiusM: 30, Active: true}
	garbage := &civicgrid.Category{Code: "SJ0101", Kind: civicgrid.Event, Name: civicgrid.Text{Zh: "暴露垃圾"}, Active: true}
	runTests(t, open, []test{
		{"UpsertAndFind", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error {
				if err := tx.UpsertCategory(t.Context(), garbage); err != nil {
					return err
				}
				return tx.UpsertCategory(t.Context(), manhole)
			})
			view(t, s, func(tx civicgrid.Tx) error {
				got, err := tx.FindCategory(t.Context(), manhole.Code)
				if err != nil {
					t.Fatalf("FindCategory: %v", err)
				}
				diff(t, "category", got, manhole)
				all, err := tx.FindCategories(t.Context())
				if err != nil {
					t.Fatalf("FindCategories: %v", err)
				}
				diff(t, "categories ordered by code", all, []*civicgrid.Category{manhole, garbage})
				_, err = tx.FindCategory(t.Context(), "XX99")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
		{"UpsertReplaces", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpsertCategory(t.Context(), manhole) })
			changed := *manhole
			changed.Name.Zh, changed.Active, changed.Limits = "窨井盖", false, nil
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpsertCategory(t.Context(), &changed) })
			view(t, s, func(tx civicgrid.Tx) error {
				all, err := tx.FindCategories(t.Context())
				if err != nil {
					t.Fatalf("FindCategories: %v", err)
				}
				diff(t, "categories", all, []*civicgrid.Category{&changed})
				return nil
			})
		}},
	})
}
