package civicgrid

import (
	"context"
	"net/url"
	"time"
)

// ComponentHotspot is a registered component (部件) with repeated cases in
// a period: the same manhole cover or street lamp failing again and again.
type ComponentHotspot struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	Category     string `json:"category"`
	CategoryName Text   `json:"category_name"`
	Cell         string `json:"cell"`
	CellName     string `json:"cell_name,omitempty"`
	State        string `json:"state"`
	// Unit is the responsible unit: the maintainer, else the owner.
	Unit     UnitID `json:"unit_id,omitempty"`
	UnitName Text   `json:"unit_name"`
	// Count is the cases created in the period that name the component,
	// whatever became of them; LatestNumber and LatestAt are the newest.
	Count        int64     `json:"count"`
	LatestNumber string    `json:"latest_number"`
	LatestAt     time.Time `json:"latest_at"`
	// Cases is the case list query of those cases.
	Cases HotspotCases `json:"cases"`
}

// ComponentHotspotResult is the table of repeat problems at the same
// component.
type ComponentHotspotResult struct {
	Category string              `json:"category,omitempty"`
	From     Date                `json:"from"`
	To       Date                `json:"to"` // exclusive
	MinCases int                 `json:"min_cases"`
	Rows     []*ComponentHotspot `json:"rows"`
}

// Components returns the registered components with at least the
// configured number of cases (HotspotConfig.ComponentMinCases, 2 by
// default) created from q.From up to q.To, of q.Category when set, most
// cases first, then by code, at most q.Limit. Every case naming the
// component counts, cancelled ones too: each was a problem reported
// there; reports folded into an open case are not cases of their own.
// The same people see it as the other hotspot tables, cut to their area.
func (s *HotspotService) Components(ctx context.Context, q HotspotQuery) (*ComponentHotspotResult, error) {
	area, err := s.hotspotArea(ctx, q.Category)
	if err != nil {
		return nil, err
	}
	if err := checkHotspotQuery(&q, true, false); err != nil {
		return nil, err
	}
	city := s.stats.city()
	res := &ComponentHotspotResult{Category: q.Category, From: q.From, To: q.To, Rows: []*ComponentHotspot{}}
	err = s.stats.store.View(ctx, func(tx Tx) error {
		cfg, err := LoadHotspotConfig(ctx, tx)
		if err != nil {
			return err
		}
		res.MinCases = cfg.ComponentMinCases
		loc := city.Location()
		repeats, err := tx.ComponentRepeats(ctx, ComponentRepeatQuery{From: q.From.At(0, loc), To: q.To.At(0, loc),
			MinCases: cfg.ComponentMinCases, Area: area, Category: q.Category, Limit: q.Limit})
		if err != nil {
			return err
		}
		for _, r := range repeats {
			h, err := componentHotspot(ctx, tx, city, r)
			if err != nil {
				return err
			}
			h.Cases = componentCases(r.Code, q.Category, q.From, q.To.AddDays(-1))
			res.Rows = append(res.Rows, h)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// hotspotArea checks that the actor may see hotspots (of category, when
// set) and returns the area their tables are cut to ("" for all).
func (s *HotspotService) hotspotArea(ctx context.Context, category string) (string, error) {
	actor, err := s.checkActor(ctx, category)
	if err != nil {
		return "", err
	}
	if actor.Role == RoleAdmin || actor.Role == RoleSystem {
		return "", nil
	}
	return actor.AreaCode, nil
}

// componentHotspot names the repeats r of a component from the register
// and the city. A code the register does not hold (a case imported from
// an older system, say) keeps its counts with empty names.
func componentHotspot(ctx context.Context, tx Tx, city *City, r *ComponentRepeat) (*ComponentHotspot, error) {
	h := &ComponentHotspot{Code: r.Code, Count: r.Cases, LatestNumber: r.LatestNumber, LatestAt: r.LatestAt}
	c, err := tx.FindComponent(ctx, r.Code)
	switch {
	case ErrorCodeOf(err) == NotFound:
		return h, nil
	case err != nil:
		return nil, err
	}
	h.Name, h.Category, h.Cell, h.State, h.Unit = c.Name, c.CategoryCode, c.CellCode, c.State, c.ResponsibleUnit()
	if cat := city.Categories[c.CategoryCode]; cat != nil {
		h.CategoryName = cat.Name
	}
	if cell := city.Grid.Cell(c.CellCode); cell != nil {
		h.CellName = cell.Name
	}
	if u := city.Units[h.Unit]; u != nil {
		h.UnitName = u.Name
	}
	return h, nil
}

// componentCases is the case list query of the cases of category (any
// when "") naming component, created from first to last.
func componentCases(component, category string, first, last Date) HotspotCases {
	v := url.Values{"component": {component}, "created_from": {first.String()}, "created_to": {last.String()}}
	if category != "" {
		v.Set("category", category)
	}
	return HotspotCases{Component: component, Category: category, CreatedFrom: first, CreatedTo: last, Query: v.Encode()}
}
